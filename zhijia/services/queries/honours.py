"""Reads of the honours registry, 劳模 care, the "五型" assessment and innovation studios.
Who sees what (404 for anything else):

my honours             the member: her own active honours (a revoked one is gone)
a member's profile     whoever opens the member's record (org decides): her active honours
the registry, one      cadres holding services.manage_honours over the honour's unit (its
honour, its documents  subtree); a sibling branch's honour is 404
search                 the registry's text search, within the same scope (core.search,
                       unit_path filtered by scope_q)
care, assessments,     the same cadres, for the units of their scope
studios
configuration          the holders of services.manage_honours over the union's top unit
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.core import search
from zhijia.core.permissions import has_perm, scope_q, unit_prefixes
from zhijia.services import honour_rules as rules
from zhijia.services.models import (
    Honour,
    HonourAssessment,
    HonourAssessmentConfig,
    HonourCareItem,
    HonourCareRecord,
    HonourCriterion,
    HonourStudio,
    HonourStudioProject,
)
from zhijia.services.permissions import MANAGE_HONOURS
from zhijia.services.queries.common import pk_or_404 as _pk
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import HONOUR

SEARCH_TYPE = "services.honour"
SEARCH_LIMIT = 500  # a text search ranks at most this many hits (docs/api.md, "Lists")

__all__ = ["is_member"]


def may_manage(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        unit_prefixes(user, MANAGE_HONOURS)
    )


def manages(user, record) -> bool:
    return has_perm(user, MANAGE_HONOURS, unit=record.org_unit)


def root_unit():
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()


def may_configure(user) -> bool:
    root = root_unit()
    return root is not None and has_perm(user, MANAGE_HONOURS, unit=root)


def scope_units(user) -> QuerySet:
    from zhijia.core.hooks import directory
    from zhijia.org.models import OrgUnit

    units = directory().units_visible_to(user, MANAGE_HONOURS)
    return OrgUnit.objects.filter(pk__in=[u.pk for u in units])


def unit_choices(user) -> list:
    from zhijia.core.hooks import directory

    return directory().units_visible_to(user, MANAGE_HONOURS)


def member_in_scope(user, employee_no: str):
    """The 在册 member with this 工号 within the cadre's scope, or None."""
    from zhijia.org.models import Member

    employee_no = (employee_no or "").strip()
    if not employee_no:
        return None
    return (
        Member.objects.filter(
            scope_q(user, MANAGE_HONOURS), employee_no=employee_no, status=Member.Status.ACTIVE
        )
        .select_related("org_unit", "user")
        .first()
    )


def members_in_scope(user) -> QuerySet:
    from zhijia.org.models import Member

    return Member.objects.filter(scope_q(user, MANAGE_HONOURS))


# --- honours --------------------------------------------------------------------------------------


def active(qs: QuerySet[Honour]) -> QuerySet[Honour]:
    return qs.filter(state=HONOUR.states.active)


def my_honours(user) -> QuerySet[Honour]:
    """The member's own honours still in force, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Honour.objects.none()
    return active(Honour.objects.filter(member__user=user)).order_by("-year", "-id")


def honours_of_member(member) -> QuerySet[Honour]:
    return active(Honour.objects.filter(member=member)).order_by("-year", "-id")


def managed_honours(user) -> QuerySet[Honour]:
    if not getattr(user, "is_authenticated", False):
        return Honour.objects.none()
    return Honour.objects.filter(scope_q(user, MANAGE_HONOURS)).select_related("org_unit", "member")


def access_honour(user, honour_id) -> Honour:
    honour = managed_honours(user).filter(pk=_pk(honour_id)).first()
    if honour is None:
        raise Http404
    return honour


@dataclass(frozen=True)
class HonourFilters:
    q: str = ""
    kind: str = ""
    level: str = ""
    year: int | None = None
    unit: Any = None
    state: str = ""  # "", "active", "revoked"


def search_ids(user, text: str) -> list[int]:
    """Ids of the honours of the cadre's scope matching a text, best first."""
    hits = search.search(
        text,
        types=[SEARCH_TYPE],
        scope_q=scope_q(user, MANAGE_HONOURS, path_field="unit_path"),
        limit=SEARCH_LIMIT,
    )
    return [int(h.target_id) for h in hits]


def filtered_honours(user, filters: HonourFilters) -> QuerySet[Honour]:
    qs = managed_honours(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.unit.path)
    if filters.state in HONOUR.states:
        qs = qs.filter(state=filters.state)
    if filters.q.strip():
        qs = qs.filter(pk__in=search_ids(user, filters.q))
    return qs.order_by("-year", "-id")


def index_text(honour: Honour) -> str:
    parts = [
        honour.get_kind_display(),
        honour.get_level_display(),
        f"{honour.year}",
        honour.holder_name,
        honour.awarding_body,
        honour.source_label,
        honour.note,
    ]
    return " ".join(str(p) for p in parts if p)


# --- care -----------------------------------------------------------------------------------------


def care_items() -> QuerySet[HonourCareItem]:
    return HonourCareItem.objects.filter(active=True).order_by("order", "id")


def all_care_items() -> QuerySet[HonourCareItem]:
    """In use and retired (the configuration page)."""
    return HonourCareItem.objects.order_by("-active", "order", "id")


def access_config_care_item(user, item_id) -> HonourCareItem:
    """A care item for the configuration (the top unit's cadres; others 403 first)."""
    item = HonourCareItem.objects.filter(pk=_pk(item_id)).first()
    if item is None:
        raise Http404
    return item


@dataclass
class CareLine:
    """One model worker's care items of a year: (item, status, record or None)."""

    member: object
    honours: list = field(default_factory=list)
    items: list = field(default_factory=list)  # (item, status, record)


def care_lines(user, year: int, *, unit=None, today: dt.date | None = None) -> list[CareLine]:
    """Every person of the cadre's scope holding an honour some care item applies to, with
    each applicable item's status in `year` (records, or done / pending / overdue)."""
    today = today or timezone.localdate()
    items = list(care_items())
    kinds = {i.kind for i in items}
    honours = active(managed_honours(user)).filter(
        member__isnull=False, kind__in=kinds, year__lte=year
    )
    if unit is not None:
        honours = honours.filter(member__org_unit__path__startswith=unit.path)
    holders: dict[int, CareLine] = {}
    for honour in honours.select_related("member", "member__org_unit").order_by(
        "member__employee_no", "-year"
    ):
        if honour.member_id is None:
            continue
        line = holders.setdefault(honour.member_id, CareLine(member=honour.member))
        line.honours.append(honour)
    records = {
        (r.member_id, r.item_id): r
        for r in HonourCareRecord.objects.filter(year=year, member_id__in=list(holders))
    }
    lines = []
    for member_id, line in holders.items():
        held = [(h.kind, h.level) for h in line.honours]
        for item in items:
            if not rules.care_applies(item.kind, item.level, held):
                continue
            rec = records.get((member_id, item.pk))
            status = rules.care_status(
                year=year, due_month=item.due_month, done=rec is not None, today=today
            )
            line.items.append((item, status, rec))
        if line.items:
            lines.append(line)
    return lines


def overdue_care(year: int, today: dt.date):
    """(member, item) pairs overdue in `year` across the whole union (the sweep's)."""
    items = [i for i in care_items() if (today.year, today.month) > (year, i.due_month)]
    if not items:
        return
    kinds = {i.kind for i in items}
    held: dict[int, list] = {}
    members = {}
    for honour in (
        active(Honour.objects.filter(member__isnull=False, kind__in=kinds, year__lte=year))
        .select_related("member", "member__org_unit")
        .order_by("member_id")
    ):
        if honour.member_id is None:
            continue
        held.setdefault(honour.member_id, []).append((honour.kind, honour.level))
        members[honour.member_id] = honour.member
    done = set(
        HonourCareRecord.objects.filter(year=year, member_id__in=list(held)).values_list(
            "member_id", "item_id"
        )
    )
    for member_id, pairs in held.items():
        for item in items:
            if (member_id, item.pk) in done:
                continue
            if rules.care_applies(item.kind, item.level, pairs):
                yield members[member_id], item


def access_care_member(user, member_id):
    member = members_in_scope(user).filter(pk=_pk(member_id)).first()
    if member is None:
        raise Http404
    return member


def access_care_item(item_id) -> HonourCareItem:
    item = HonourCareItem.objects.filter(pk=_pk(item_id)).first()
    if item is None:
        raise Http404
    return item


# --- the "五型" assessment ------------------------------------------------------------------------


def criteria() -> QuerySet[HonourCriterion]:
    return HonourCriterion.objects.filter(active=True).order_by("team_type", "order", "id")


def all_criteria() -> QuerySet[HonourCriterion]:
    """In use and retired (the configuration page)."""
    return HonourCriterion.objects.order_by("-active", "team_type", "order", "id")


def access_criterion(criterion_id) -> HonourCriterion:
    criterion = HonourCriterion.objects.filter(pk=_pk(criterion_id)).first()
    if criterion is None:
        raise Http404
    return criterion


def pass_percent() -> Decimal:
    config = HonourAssessmentConfig.objects.order_by("pk").first()
    return config.pass_percent if config is not None else rules.DEFAULT_PASS_PERCENT


def rule_criteria(rows) -> list[rules.Criterion]:
    return [rules.Criterion(c.pk, c.team_type, c.max_points) for c in rows]


def managed_assessments(user) -> QuerySet[HonourAssessment]:
    if not getattr(user, "is_authenticated", False):
        return HonourAssessment.objects.none()
    return HonourAssessment.objects.filter(scope_q(user, MANAGE_HONOURS)).select_related("org_unit")


def access_assessment(user, assessment_id) -> HonourAssessment:
    assessment = managed_assessments(user).filter(pk=_pk(assessment_id)).first()
    if assessment is None:
        raise Http404
    return assessment


def score_rows(assessment: HonourAssessment) -> list:
    """(criterion, score or None) for every criterion scored or active, by type."""
    scores = {s.criterion_id: s for s in assessment.scores.select_related("criterion")}
    rows = [(c, scores.pop(c.pk, None)) for c in criteria()]
    rows += [(s.criterion, s) for s in scores.values()]  # a criterion retired since
    return rows


# --- studios --------------------------------------------------------------------------------------


def managed_studios(user) -> QuerySet[HonourStudio]:
    if not getattr(user, "is_authenticated", False):
        return HonourStudio.objects.none()
    return HonourStudio.objects.filter(scope_q(user, MANAGE_HONOURS)).select_related(
        "org_unit", "lead"
    )


def access_studio(user, studio_id) -> HonourStudio:
    studio = managed_studios(user).filter(pk=_pk(studio_id)).first()
    if studio is None:
        raise Http404
    return studio


def access_studio_project(user, project_id) -> HonourStudioProject:
    project = (
        HonourStudioProject.objects.filter(
            pk=_pk(project_id), studio__in=managed_studios(user).values("pk")
        )
        .select_related("studio", "studio__org_unit")
        .first()
    )
    if project is None:
        raise Http404
    return project


def my_studios(user) -> QuerySet[HonourStudio]:
    """The studios the member leads or belongs to."""
    if not getattr(user, "is_authenticated", False):
        return HonourStudio.objects.none()
    return (
        HonourStudio.objects.filter(Q(lead__user=user) | Q(members__member__user=user))
        .distinct()
        .select_related("lead")
    )


def year_of(value, default: int | None = None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default or timezone.localdate().year
    return year if 1950 <= year <= 2100 else (default or timezone.localdate().year)
