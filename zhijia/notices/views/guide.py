"""Pages of the service guide: a member's guides (own unit and above), any unit's guide, the
cadres' editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhijia.core.forms import run_action
from zhijia.notices.actions import guide as actions
from zhijia.notices.forms.guide import GuideForm
from zhijia.notices.models.guide import DEFAULT_HOTLINES
from zhijia.notices.queries import guide as queries
from zhijia.notices.rules import hotlines


@login_required
def guide(request):
    user = request.user
    return render(
        request,
        "notices/guide.html",
        {
            "title": _("服务指南"),
            "guides": queries.guides_for(user),
            "others": queries.units_with_guides(),
            "editable": queries.editable_units(user),
            "default_hotlines": hotlines(DEFAULT_HOTLINES),
        },
    )


@login_required
def guide_unit(request, unit_id: int):
    user = request.user
    unit = queries.access_guide_unit(user, unit_id)
    return render(
        request,
        "notices/guide.html",
        {
            "title": _("服务指南"),
            "guides": [queries.UnitGuide(unit, queries.guide_of(unit))],
            "others": queries.units_with_guides(),
            "editable": queries.editable_units(user),
            "default_hotlines": hotlines(DEFAULT_HOTLINES),
            "single": True,
        },
    )


@login_required
def guide_edit(request, unit_id: int):
    user = request.user
    unit = queries.access_guide_to_edit(user, unit_id)
    current = queries.guide_of(unit)
    initial = (
        {name: getattr(current, name) for name in GuideForm.base_fields}
        if current
        else {"hotlines": DEFAULT_HOTLINES}
    )
    form = GuideForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            saved, status = run_action(
                form, lambda: actions.do_save_guide(actor=user, unit=unit, **data)
            )
            if saved is not None:
                messages.success(request, _("服务指南已保存"))
                return redirect("notices:guide-unit", unit_id=unit.pk)
        else:
            status = 400
    return render(
        request,
        "notices/guide_form.html",
        {"title": _("编辑服务指南"), "form": form, "unit": unit},
        status=status,
    )
