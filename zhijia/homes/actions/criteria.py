"""Writes of the criteria sets (建家标准): the default set on first use, a copy to change, the
criteria of a set not yet used by a round."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.core import figures
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.permissions import require
from zhijia.homes import rules
from zhijia.homes.models import CriteriaSet, Criterion
from zhijia.homes.permissions import MANAGE

__all__ = [
    "CriteriaError",
    "do_add_criterion",
    "do_copy_criteria_set",
    "do_delete_criterion",
    "ensure_default_set",
]


class CriteriaError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def _in_use(criteria_set: CriteriaSet) -> bool:
    return criteria_set.rounds.exists()


@transaction.atomic
def ensure_default_set(*, unit, actor=None) -> CriteriaSet:
    """The unit's default set, created from rules.DEFAULT_CRITERIA on first use (100 points)."""
    found = CriteriaSet.objects.filter(org_unit=unit, is_default=True).first()
    if found is not None:
        return found
    criteria_set = CriteriaSet.objects.create(
        org_unit=unit, name=rules.DEFAULT_SET_NAME, is_default=True, created_by=actor
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            heading=heading,
            title=title,
            max_score=Decimal(maximum),
            evidence_hint=evidence,
            figure_keys=",".join(keys),
            order=order,
        )
        for order, (heading, title, maximum, evidence, keys) in enumerate(
            rules.DEFAULT_CRITERIA, start=1
        )
    )
    return criteria_set


@transaction.atomic
def do_copy_criteria_set(
    *, actor, source: CriteriaSet, unit, name: str, weighted: bool = False
) -> CriteriaSet:
    """A new set of `unit` with the criteria of `source` (to change them)."""
    require(actor, MANAGE, unit=unit)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise CriteriaError(_("请填写名称（不超过100字）"), field="name")
    criteria_set = CriteriaSet.objects.create(
        org_unit=unit, name=name, weighted=bool(weighted), created_by=actor
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            heading=c.heading,
            title=c.title,
            max_score=c.max_score,
            weight=c.weight,
            evidence_hint=c.evidence_hint,
            figure_keys=c.figure_keys,
            order=c.order,
        )
        for c in source.criteria.all()
    )
    record(
        actor=actor,
        action="homes.copy_criteria_set",
        target=criteria_set,
        unit=unit,
        data={"source": source.pk},
    )
    return criteria_set


def _decimal(value, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not low <= number <= high or number != rules.rounded(number):
        raise CriteriaError(
            _("请填写 %(low)s 到 %(high)s 之间的数（最多两位小数）") % {"low": low, "high": high},
            field=field,
        )
    return number


@transaction.atomic
def do_add_criterion(
    *,
    actor,
    criteria_set: CriteriaSet,
    heading: str,
    title: str,
    max_score,
    weight=Decimal("1"),
    evidence_hint: str = "",
    figure_keys: list[str] | tuple[str, ...] = (),
) -> Criterion:
    """Add a criterion to a set no round uses yet; `figure_keys` are declared figures
    (zhijia.core.figures) shown as its evidence."""
    require(actor, MANAGE, unit=criteria_set.org_unit)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if _in_use(criteria_set):
        raise CriteriaError(_("该标准已用于评比，不能再修改；请复制后修改"), status=409)
    heading = (heading or "").strip()
    title = (title or "").strip()
    if not heading or len(heading) > 50:
        raise CriteriaError(_("请填写类别（不超过50字）"), field="heading")
    if not title or len(title) > 200:
        raise CriteriaError(_("请填写评分项（不超过200字）"), field="title")
    maximum = _decimal(max_score, "max_score", Decimal("0.5"), Decimal("1000"))
    weight = _decimal(weight, "weight", Decimal("0.01"), Decimal("100"))
    keys = list(dict.fromkeys(figure_keys or ()))
    if any(figures.get(k) is None for k in keys):
        raise CriteriaError(_("请选择系统已有的数据项"), field="figure_keys")
    last = criteria_set.criteria.order_by("-order").values_list("order", flat=True).first() or 0
    criterion = Criterion.objects.create(
        criteria_set=criteria_set,
        heading=heading,
        title=title,
        max_score=maximum,
        weight=weight,
        evidence_hint=(evidence_hint or "").strip()[:300],
        figure_keys=",".join(keys)[:300],
        order=last + 1,
    )
    record(
        actor=actor,
        action="homes.add_criterion",
        target=criterion,
        unit=criteria_set.org_unit,
        data={"set": criteria_set.pk, "max": str(maximum)},
    )
    return criterion


@transaction.atomic
def do_delete_criterion(*, actor, criterion: Criterion) -> None:
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criterion.criteria_set_id)
    require(actor, MANAGE, unit=criteria_set.org_unit)
    if _in_use(criteria_set):
        raise CriteriaError(_("该标准已用于评比，不能再修改；请复制后修改"), status=409)
    record(
        actor=actor,
        action="homes.delete_criterion",
        target=criterion,
        unit=criteria_set.org_unit,
        data={"set": criteria_set.pk, "title": criterion.title},
    )
    criterion.delete()
