"""Pages of the legal minimums and the province table (configuration)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhijia.core.forms import run_action
from zhijia.women import rules
from zhijia.women.actions import provinces as actions
from zhijia.women.forms.provinces import ProvinceForm
from zhijia.women.queries import provinces as queries
from zhijia.women.queries.provinces import MINIMUM_LABELS, UNIT_LABELS


@login_required
def provinces(request):
    """The legal minimums a women's special contract's clause is compared against, and the
    provinces' extra days next to them."""
    if not queries.may_read_table(request.user):
        raise PermissionDenied
    minimums = [
        {
            "label": MINIMUM_LABELS[m.code],
            "code": m.code,
            "value": m.value,
            "unit": UNIT_LABELS[m.unit],
            "article": m.article,
        }
        for m in rules.legal_minimums()
    ]
    return render(
        request,
        "women/provinces.html",
        {
            "title": _("法定权益与省份规定"),
            "minimums": minimums,
            "provinces": list(queries.provinces()),
            "may_configure": queries.may_configure(request.user),
            "base": rules.MATERNITY_DAYS,
        },
    )


def _form_page(request, form, province=None, status=200):
    title = _("修改省份规定") if province else _("添加省份规定")
    return render(request, "women/form.html", {"title": title, "form": form}, status=status)


def _save(request, province=None):
    form = ProvinceForm(request.POST or None, instance=province)
    if request.method != "POST":
        return _form_page(request, form, province)
    if not form.is_valid():
        return _form_page(request, form, province, 400)
    _saved, status = run_action(
        form,
        lambda: actions.do_save_province(
            actor=request.user, province=province, **form.cleaned_data
        ),
    )
    if status != 200:
        return _form_page(request, form, province, status)
    messages.success(request, _("已保存"))
    return redirect("women:provinces")


@login_required
def province_new(request):
    if not queries.may_configure(request.user):
        raise PermissionDenied
    return _save(request)


@login_required
def province_edit(request, province_id: int):
    province = queries.access_province(request.user, province_id)
    return _save(request, province)
