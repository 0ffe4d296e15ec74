"""Pages of the criteria sets (建家标准): the sets (the default one created on first use), a
set's criteria, a copy to change, a criterion added or removed while no round uses the set."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.homes import rules
from zhijia.homes.actions import criteria as actions
from zhijia.homes.forms.criteria import CopySetForm, CriterionForm
from zhijia.homes.queries import criteria as queries
from zhijia.homes.queries.common import committee_units, managed_units, require_manager


@login_required
def criteria_sets(request):
    require_manager(request.user)
    for unit in committee_units(request.user):
        actions.ensure_default_set(unit=unit, actor=request.user)
    return render(
        request,
        "homes/criteria_sets.html",
        {"title": _("建家标准"), "sets": paginate(request, queries.visible_sets(request.user))},
    )


def _set_page(request, criteria_set, *, copy_form=None, criterion_form=None, status=200):
    user = request.user
    items = list(queries.criteria(criteria_set))
    return render(
        request,
        "homes/criteria_set.html",
        {
            "title": criteria_set.name,
            "criteria_set": criteria_set,
            "criteria": paginate(request, items),
            "maximum": rules.maximum_total(
                [rules.Item(c.max_score, c.max_score, c.weight) for c in items],
                weighted=criteria_set.weighted,
            ),
            "editable": queries.may_edit(user, criteria_set),
            "copy_form": copy_form
            or CopySetForm(
                units=managed_units(user),
                initial={"name": _("%(name)s（副本）") % {"name": criteria_set.name}},
            ),
            "criterion_form": criterion_form or CriterionForm(),
        },
        status=status,
    )


@login_required
def criteria_set(request, set_id: int):
    found = queries.access_criteria_set(request.user, set_id)
    if request.method != "POST":
        return _set_page(request, found)
    if request.POST.get("form") == "copy":
        form = CopySetForm(request.POST, units=managed_units(request.user))
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            created, status = run_action(
                form,
                lambda: actions.do_copy_criteria_set(
                    actor=request.user,
                    source=found,
                    unit=d["unit"],
                    name=d["name"],
                    weighted=d["weighted"],
                ),
            )
            if status == 200:
                messages.success(request, _("已复制为新标准"))
                return redirect("homes:criteria-set", created.pk)
        return _set_page(request, found, copy_form=form, status=status)
    return step_view(
        request,
        form=CriterionForm(request.POST),
        call=lambda d: actions.do_add_criterion(actor=request.user, criteria_set=found, **d),
        on_error=lambda f, status: _set_page(request, found, criterion_form=f, status=status),
        success_url=reverse("homes:criteria-set", args=[found.pk]),
        message=_("已添加评分项"),
    )


@login_required
@require_POST
def criterion_delete(request, criterion_id: int):
    criterion = queries.access_criterion(request.user, criterion_id)
    criteria_set = queries.access_criteria_set(request.user, criterion.criteria_set_id)
    return step_view(
        request,
        form=NoInput(request.POST),
        call=lambda d: actions.do_delete_criterion(actor=request.user, criterion=criterion),
        on_error=lambda f, status: _set_page(request, criteria_set, status=status),
        success_url=reverse("homes:criteria-set", args=[criteria_set.pk]),
        message=_("已删除评分项"),
    )
