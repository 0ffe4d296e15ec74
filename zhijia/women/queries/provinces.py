"""Reads of the province table and of the legal minimums."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.org.models import OrgUnit
from zhijia.women.models import Province
from zhijia.women.permissions import CONFIGURE, MANAGE
from zhijia.women.queries.common import pk_or_404

# What each legal minimum (rules.LEGAL_MINIMUMS) is called on the pages.
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


def provinces() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def may_read_table(user) -> bool:
    return has_perm(user, MANAGE)


def may_configure(user) -> bool:
    """The table is one for the whole union: its editor holds women.configure over the top."""
    prefixes = unit_prefixes(user, CONFIGURE)
    if GLOBAL in prefixes:
        return True
    roots = OrgUnit.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return any(root in prefixes for root in roots)


def access_province(user, province_id) -> Province:
    if not may_configure(user):
        raise PermissionDenied(CONFIGURE)
    province = Province.objects.filter(pk=pk_or_404(province_id)).first()
    if province is None:
        raise Http404
    return province


def legal_minimums(province_code: str | None = None):
    """The legal minimums as core.hooks.LegalMinimum (registered in WomenConfig.ready): the
    national ones, plus the extra days of the province with this code when it is in the table."""
    from zhijia.core.hooks import LegalMinimum
    from zhijia.women import rules

    terms = rules.NATIONAL
    if province_code:
        province = Province.objects.filter(code=province_code).first()
        if province is not None:
            terms = province.terms()
    return [
        LegalMinimum(
            code=m.code,
            label=str(MINIMUM_LABELS[m.code]),
            value=m.value,
            unit=m.unit,
            article=m.article,
            higher_is_better=m.higher_is_better,
        )
        for m in rules.legal_minimums(terms)
    ]
