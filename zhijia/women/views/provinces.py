"""Pages of the legal minimums and the province table (configuration)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.forms import run_action
from zhijia.women import rules
from zhijia.women.actions import provinces as actions
from zhijia.women.forms.provinces import ProvinceForm
from zhijia.women.queries import provinces as queries

MINIMUM_LABELS = {
    "maternity_days": gettext_lazy("产假"),
    "prenatal_days": gettext_lazy("其中可于产前休"),
    "difficult_birth_days": gettext_lazy("难产增加"),
    "per_extra_baby_days": gettext_lazy("多胞胎每多一婴增加"),
    "miscarriage_early_days": gettext_lazy("怀孕未满4个月流产"),
    "miscarriage_late_days": gettext_lazy("怀孕满4个月流产"),
    "no_night_shift_from_month": gettext_lazy("不得延长劳动时间、不得安排夜班（自怀孕第几个月起）"),
    "nursing_minutes_per_day": gettext_lazy("每天哺乳时间"),
    "nursing_extra_minutes_per_baby": gettext_lazy("多胞胎每多哺乳一婴增加哺乳时间"),
    "nursing_months": gettext_lazy("哺乳期保护（至婴儿满几个月）"),
}
UNIT_LABELS = {
    "days": gettext_lazy("天"),
    "month": gettext_lazy("个月"),
    "minutes": gettext_lazy("分钟"),
}


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
