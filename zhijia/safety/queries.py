"""Reads of module safety. Who sees a hazard (404 for anyone else):

  its reporter; cadres and leaders holding safety.view_hazard over its unit; handlers holding
  safety.rectify_hazard over its owner department; the cadre named as its owner; the active
  mass safety supervisors of its unit (they verify fixes).

The 安康杯 tally (`tally`) counts, per unit of the caller's scope and per year, the hazards
reported, rectified, verified and rectified on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.accounts.models import Role, User
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, holders, scope_q, unit_prefixes
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.safety.models import HazardReport, SafetySupervisor
from zhijia.safety.permissions import MANAGE_HAZARD, RECTIFY_HAZARD, VIEW_HAZARD
from zhijia.safety.workflows import HAZARD, OPEN_STATES, RECTIFYING_STATES


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _scope(user, code: str, path_field: str) -> Q:
    """scope_q, with "everywhere" as a real condition so that it survives an OR."""
    q = scope_q(user, code, path_field=path_field)
    return q if q else Q(pk__isnull=False)


def is_member(user) -> bool:
    if not _authenticated(user) or Role.MEMBER not in user.role_codes:
        return False
    member = getattr(user, "member_record", None)
    return member is not None and member.status == Member.Status.ACTIVE


def own_member(user) -> Member | None:
    return getattr(user, "member_record", None) if _authenticated(user) else None


# --- supervisors ----------------------------------------------------------------------------------


def supervisor_paths(user) -> list[str]:
    """Unit paths the user supervises as an active 群众安全监督员."""
    member = own_member(user)
    if member is None:
        return []
    cached = getattr(user, "_safety_supervisor_paths", None)
    if cached is None:
        cached = list(
            SafetySupervisor.objects.filter(member=member, ended_on__isnull=True).values_list(
                "org_unit__path", flat=True
            )
        )
        user._safety_supervisor_paths = cached
    return cached


def is_supervisor_of(user, unit: OrgUnit) -> bool:
    return any(unit.path.startswith(p) for p in supervisor_paths(user))


def supervisors_visible_to(user) -> QuerySet[SafetySupervisor]:
    """Designations in the units where the caller views or manages hazards."""
    if not _authenticated(user):
        return SafetySupervisor.objects.none()
    q = Q(pk__in=[])
    for code in (VIEW_HAZARD, MANAGE_HAZARD):
        if has_perm(user, code):
            q |= _scope(user, code, "org_unit__path")
    return SafetySupervisor.objects.filter(q).select_related("member", "org_unit")


def access_supervisor(user, supervisor_id) -> SafetySupervisor:
    row = supervisors_visible_to(user).filter(pk=_pk(supervisor_id)).first()
    if row is None:
        raise Http404
    return row


def active_supervisors_of(unit: OrgUnit) -> QuerySet[User]:
    """Users who supervise `unit` (an active designation on it or an ancestor)."""
    ancestors = unit.path_prefixes()
    return User.objects.filter(
        is_active=True,
        member_record__in=SafetySupervisor.objects.filter(
            ended_on__isnull=True, org_unit__path__in=ancestors
        ).values("member"),
    )


# --- hazards --------------------------------------------------------------------------------------


def hazards_visible_to(user) -> QuerySet[HazardReport]:
    if not _authenticated(user):
        return HazardReport.objects.none()
    q = Q(reporter=user) | Q(owner_user=user)
    if has_perm(user, VIEW_HAZARD):
        q |= _scope(user, VIEW_HAZARD, "org_unit__path")
    if has_perm(user, RECTIFY_HAZARD):
        q |= _scope(user, RECTIFY_HAZARD, "owner_department__path")
    for path in supervisor_paths(user):
        q |= Q(org_unit__path__startswith=path)
    return HazardReport.objects.filter(q).select_related(
        "org_unit", "reporter", "owner_department", "owner_user"
    )


def access_hazard(user, hazard_id) -> HazardReport:
    hazard = hazards_visible_to(user).filter(pk=_pk(hazard_id)).first()
    if hazard is None:
        raise Http404
    return hazard


def my_reports(user) -> QuerySet[HazardReport]:
    if not _authenticated(user):
        return HazardReport.objects.none()
    return HazardReport.objects.filter(reporter=user).select_related("org_unit")


def to_verify(user) -> QuerySet[HazardReport]:
    """Fixed hazards waiting for this user's verification (as reporter or supervisor)."""
    if not _authenticated(user):
        return HazardReport.objects.none()
    q = Q(reporter=user)
    for path in supervisor_paths(user):
        q |= Q(org_unit__path__startswith=path)
    return (
        HazardReport.objects.filter(q, state="fixed")
        .exclude(fixed_by=user)
        .select_related("org_unit")
        .order_by("deadline_at", "id")
    )


def may_see_queue(user) -> bool:
    return _authenticated(user) and (
        has_perm(user, VIEW_HAZARD)
        or has_perm(user, RECTIFY_HAZARD)
        or HazardReport.objects.filter(owner_user=user).exists()
    )


@dataclass
class QueueFilters:
    state: str = ""
    unit_id: int | None = None
    level: str = ""
    overdue_only: bool = False
    q: str = ""
    # The states a rectification is still to be done in (待整改, 整改中, 验收未通过): the
    # rectifiers' work queue (zhijia.core.queues), `?state=unfinished` on the page.
    unfinished: bool = False
    # Reported within (?from=&to=, the dashboard's drill-down passes its period).
    reported: DateRange = field(default_factory=DateRange)


def queue(user, filters: QueueFilters | None = None) -> QuerySet[HazardReport]:
    """The desk: what the caller manages, views or must rectify; overdue first, then by
    deadline, open before closed."""
    f = filters or QueueFilters()
    if not _authenticated(user):
        return HazardReport.objects.none()
    q = Q(owner_user=user)
    if has_perm(user, VIEW_HAZARD):
        q |= _scope(user, VIEW_HAZARD, "org_unit__path")
    if has_perm(user, RECTIFY_HAZARD):
        q |= _scope(user, RECTIFY_HAZARD, "owner_department__path")
    qs = HazardReport.objects.filter(q).select_related(
        "org_unit", "reporter", "owner_department", "owner_user"
    )
    if f.state:
        qs = qs.filter(state=f.state)
    if f.unfinished:
        qs = qs.filter(state__in=RECTIFYING_STATES)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.unit_id:
        unit = OrgUnit.objects.filter(pk=f.unit_id).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if f.overdue_only:
        qs = qs.filter(deadline_at__lt=timezone.now(), state__in=OPEN_STATES)
    if f.q:
        qs = qs.filter(Q(place__icontains=f.q) | Q(description__icontains=f.q))
    return late_first(f.reported.apply(qs, "reported_at"))


def late_first(qs: QuerySet[HazardReport]) -> QuerySet[HazardReport]:
    from django.db.models import BooleanField, Case, Value, When

    now = timezone.now()
    return qs.annotate(
        is_open=Case(
            When(state__in=OPEN_STATES, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        late=Case(
            When(state__in=OPEN_STATES, deadline_at__lt=now, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).order_by("-late", "-is_open", F("deadline_at").asc(nulls_last=True), "-reported_at")


def units_for_report() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.order_by("path")


def units_managed_by(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, MANAGE_HAZARD, path_field="path")).order_by("path")


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("path")


def owner_cadres_for(unit: OrgUnit) -> QuerySet[User]:
    """Cadres who may be named owner of a hazard in `unit`: the holders of
    safety.manage_hazard at the unit or above."""
    cadres = holders(MANAGE_HAZARD, unit, include_global=False)
    return User.objects.filter(pk__in=[u.pk for u in cadres]).order_by("username")


def members_for_supervision(unit: OrgUnit) -> QuerySet[Member]:
    return Member.objects.filter(
        org_unit__path__startswith=unit.path, status=Member.Status.ACTIVE
    ).order_by("employee_no")


def state_label(state: str) -> str:
    return HAZARD.state_label(state)


# --- the 安康杯 tally -----------------------------------------------------------------------------


@dataclass
class TallyRow:
    unit: OrgUnit | None
    label: str
    reported: int = 0
    dismissed: int = 0
    fixed: int = 0
    verified: int = 0
    on_time: int = 0
    overdue_open: int = 0
    major: int = 0
    supervisors: int = 0
    drill: bool = False

    @property
    def accepted(self) -> int:
        return self.reported - self.dismissed

    @property
    def fix_rate(self) -> float | None:
        return round(100 * self.verified / self.accepted, 1) if self.accepted else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.verified, 1) if self.verified else None

    def add(self, other: TallyRow) -> None:
        for name in (
            "reported",
            "dismissed",
            "fixed",
            "verified",
            "on_time",
            "overdue_open",
            "major",
            "supervisors",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Tally:
    year: int
    root: OrgUnit
    rows: list[TallyRow] = field(default_factory=list)
    total: TallyRow | None = None


def tally_roots(user) -> list[OrgUnit]:
    """The top units of the caller's view scope."""
    prefixes = unit_prefixes(user, VIEW_HAZARD)
    if not prefixes:
        return []
    if "/" in prefixes:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
    return list(OrgUnit.objects.filter(path__in=prefixes).order_by("path"))


def access_tally_unit(user, unit_id) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=_pk(unit_id)).first()
    if unit is None or not has_perm(user, VIEW_HAZARD, unit=unit):
        raise Http404
    return unit


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def tally(root: OrgUnit, year: int) -> Tally:
    """One row per child unit of `root` (its whole subtree), one for hazards at `root` itself,
    and the total: reported, dismissed, rectified (fixed or verified), verified, verified and
    fixed by the deadline given at assignment (on time), still open past the deadline, major
    hazards, and active supervisors."""
    start, end = _year_bounds(year)
    now = timezone.now()
    per_path = (
        HazardReport.objects.filter(
            org_unit__path__startswith=root.path, reported_at__gte=start, reported_at__lt=end
        )
        .values("org_unit__path")
        .annotate(
            reported=Count("pk"),
            dismissed=Count("pk", filter=Q(state="dismissed")),
            fixed=Count("pk", filter=Q(state__in=["fixed", "verified"])),
            verified=Count("pk", filter=Q(state="verified")),
            on_time=Count(
                "pk",
                filter=Q(state="verified", due_at__isnull=False, fixed_at__lte=F("due_at")),
            ),
            overdue_open=Count("pk", filter=Q(state__in=RECTIFYING_STATES, deadline_at__lt=now)),
            major=Count("pk", filter=Q(level="major")),
        )
    )
    supervisors = (
        SafetySupervisor.objects.filter(org_unit__path__startswith=root.path, ended_on__isnull=True)
        .values("org_unit__path")
        .annotate(n=Count("pk"))
    )
    children = list(OrgUnit.objects.filter(parent=root).order_by("sort_order", "path"))
    parents = set(OrgUnit.objects.filter(parent__in=children).values_list("parent_id", flat=True))
    rows = [TallyRow(unit=c, label=c.name, drill=c.pk in parents) for c in children]
    own = TallyRow(unit=root, label=f"{root.name}（本级）")

    def row_for(path: str) -> TallyRow:
        for r in rows:
            if r.unit is not None and path.startswith(r.unit.path):
                return r
        return own

    for item in per_path:
        target = row_for(item["org_unit__path"])
        target.add(
            TallyRow(
                unit=None,
                label="",
                **{k: v for k, v in item.items() if k != "org_unit__path"},
            )
        )
    for item in supervisors:
        row_for(item["org_unit__path"]).supervisors += item["n"]
    total = TallyRow(unit=root, label=str(root.name) + "（合计）")
    for r in [*rows, own]:
        total.add(r)
    return Tally(year=year, root=root, rows=[*rows, own], total=total)


def member_by_employee_no(employee_no: str) -> Member | None:
    """For designating a supervisor (the action checks the member lies in the unit)."""
    no = (employee_no or "").strip()
    return Member.objects.filter(employee_no=no).select_related("org_unit").first() if no else None


def unit_by_id(pk) -> OrgUnit | None:
    """An org unit for a form or API field (the org tree is not secret)."""
    try:
        return OrgUnit.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def department_by_id(pk) -> Department | None:
    try:
        return Department.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
