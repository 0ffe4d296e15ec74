"""Reads of notices for pages, the API and the home page.

Who sees a notice:
  * a member (active) whose unit lies in one of its audience units' subtrees, while it is
    published;
  * a holder of notices.manage_notice over its unit (its cadres and those above), in every
    state;
  * a holder of notices.manage_notice whose scope meets its audience (a branch cadre and the
    enterprise's notice to everyone), once published or withdrawn: for the read statistics of
    that part of the audience.
Anything else is answered with 404 by `access_notice`, so a notice's existence is not revealed.

Counting is SQL: the audience is one filter on members' unit paths (one prefix per audience
unit), the reads one EXISTS per member; nothing loops over members in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q, unit_prefixes
from zhijia.notices import rules
from zhijia.notices.models import Notice, NoticeAudience, NoticeRead, NoticeReminder
from zhijia.notices.permissions import MANAGE_NOTICE
from zhijia.notices.workflows import NOTICE
from zhijia.org.models import Member, OrgUnit, path_ids
from zhijia.org.queries import members as org_queries

# The member home's excerpt of the latest notices (the whole list is one link away).
HOME_LATEST = 5
PAGE_SIZE = 20

PUBLISHED = NOTICE.states.published
SEARCH_TYPE = "notices.notice"  # zhijia.core.search entries (zhijia.notices.dashboard)
VISIBLE_FOR_READS = (NOTICE.states.published, NOTICE.states.withdrawn)


def parse_id(value: Any) -> int | None:
    return org_queries.parse_id(value)


def own_member(user) -> Member | None:
    """The user's member record while it is active."""
    member = org_queries.own_member(user)
    if member is None or member.status != Member.Status.ACTIVE:
        return None
    return member


def manage_prefixes(user) -> list[str]:
    return unit_prefixes(user, MANAGE_NOTICE)


def units_to_publish(user) -> list[OrgUnit]:
    """Units whose notices the user writes, tree order (each with `depth`)."""
    return org_queries.list_units_visible_to(user, MANAGE_NOTICE)


def audience_choices(user) -> list[OrgUnit]:
    """Every unit the user may address (the same subtrees)."""
    return units_to_publish(user)


def get_unit(unit_id: Any) -> OrgUnit | None:
    return org_queries.get_unit(unit_id)


# --- who sees what ---------------------------------------------------------------------------


def _audience_exists(q: Q) -> Exists:
    return Exists(NoticeAudience.objects.filter(q, notice=OuterRef("pk")))


def _member_q(member: Member) -> Q:
    return Q(state=PUBLISHED) & Q(_audience_exists(Q(unit_id__in=path_ids(member.org_unit.path))))


def _reach_q(prefixes: list[str]) -> Q:
    """Notices whose audience meets the subtrees `prefixes` (above or below them)."""
    if not prefixes:
        return Q(pk__in=[])
    meet = Q()
    for prefix in prefixes:
        meet |= Q(unit__path__startswith=prefix) | Q(unit_id__in=path_ids(prefix))
    return Q(state__in=VISIBLE_FOR_READS) & Q(_audience_exists(meet))


def notices_visible_to(user) -> QuerySet[Notice]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notice.objects.none()
    q = scope_q(user, MANAGE_NOTICE, path_field="org_unit__path")
    q |= _reach_q(manage_prefixes(user))
    member = own_member(user)
    if member is not None:
        q |= _member_q(member)
    return Notice.objects.filter(q)


def access_notice(user, notice_id: Any) -> Notice:
    """The notice if the user may see it, else 404."""
    pk = parse_id(notice_id)
    if pk is None:
        raise Http404
    notice = notices_visible_to(user).select_related("org_unit", "author").filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def access_notice_attachments(user, notice_id: Any) -> Notice:
    """For core.attachments: the same rule as the notice page."""
    return access_notice(user, notice_id)


def audience_paths(notice: Notice) -> list[str]:
    return list(
        NoticeAudience.objects.filter(notice=notice)
        .order_by("unit__path")
        .values_list("unit__path", flat=True)
    )


def audience_units(notice: Notice) -> list[OrgUnit]:
    return [a.unit for a in NoticeAudience.objects.filter(notice=notice).select_related("unit")]


def is_audience(user, notice: Notice) -> bool:
    """Whether the user reads the notice as one of its addressees."""
    member = own_member(user)
    return (
        member is not None
        and notice.in_state(PUBLISHED)
        and rules.audience_covers(audience_paths(notice), member.org_unit.path)
    )


def can_manage(user, notice: Notice) -> bool:
    return has_perm(user, MANAGE_NOTICE, unit=notice.org_unit)


def may_see_reads(user, notice: Notice) -> bool:
    """Read counts and non-readers: a cadre whose scope meets the audience."""
    return rules.scopes_meet(manage_prefixes(user), audience_paths(notice))


def access_notice_reads(user, notice_id: Any) -> Notice:
    """The notice for its read statistics: 404 out of sight, 403 without the right."""
    notice = access_notice(user, notice_id)
    if not may_see_reads(user, notice):
        raise PermissionDenied(MANAGE_NOTICE)
    return notice


# --- the member's lists ----------------------------------------------------------------------


def _with_read(qs: QuerySet[Notice], member: Member | None) -> QuerySet[Notice]:
    if member is None:
        return qs.annotate(is_read=Exists(NoticeRead.objects.none()))
    return qs.annotate(
        is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), member=member))
    )


def notices_for_member(user, *, kind: str = "", unread: bool = False) -> QuerySet[Notice]:
    """Published notices addressed to the user's unit, pinned first, then newest; each with
    `is_read`."""
    member = own_member(user)
    if member is None:
        return Notice.objects.none()
    qs = Notice.objects.filter(_member_q(member))
    if kind:
        qs = qs.filter(kind=kind)
    if unread:
        qs = qs.exclude(Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), member=member)))
    qs = _with_read(qs, member)
    return qs.select_related("org_unit").order_by("-pinned", "-published_at", "-id")


def latest_for_member(user) -> list[Notice]:
    return list(notices_for_member(user)[:HOME_LATEST])


def unread_must_reads(user) -> list[Notice]:
    """The must-read notices the member has not opened yet (a handful at a time)."""
    return list(
        notices_for_member(user, unread=True).filter(must_read=True).order_by("-published_at")
    )


def has_read(user, notice: Notice) -> bool:
    member = own_member(user)
    return member is not None and NoticeRead.objects.filter(notice=notice, member=member).exists()


# --- the cadres' lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class ManageFilters:
    state: str = ""
    kind: str = ""
    q: str = ""


def notices_in_scope(user, filters: ManageFilters | None = None) -> QuerySet[Notice]:
    """Notices of units in the user's notices.manage_notice scope, every state, with
    `read_count`."""
    if not has_perm(user, MANAGE_NOTICE):
        raise PermissionDenied(MANAGE_NOTICE)
    filters = filters or ManageFilters()
    qs = Notice.objects.filter(scope_q(user, MANAGE_NOTICE, path_field="org_unit__path"))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    return (
        qs.select_related("org_unit", "author")
        .annotate(read_count=Count("reads", distinct=True))
        .order_by("-updated_at", "-id")
    )


# --- audience, reads and non-readers -------------------------------------------------------------


def audience_members(notice: Notice, paths: list[str] | None = None) -> QuerySet[Member]:
    """Active members whose unit lies in the notice's audience (one SQL filter)."""
    paths = audience_paths(notice) if paths is None else paths
    if not paths:
        return Member.objects.none()
    q = Q()
    for path in paths:
        q |= Q(org_unit__path__startswith=path)
    return Member.objects.filter(q, status=Member.Status.ACTIVE)


def audience_in_scope(user, notice: Notice) -> QuerySet[Member]:
    """The audience within the user's notices.manage_notice scope."""
    return audience_members(notice).filter(
        scope_q(user, MANAGE_NOTICE, path_field="org_unit__path")
    )


def non_readers(user, notice: Notice) -> QuerySet[Member]:
    """Members of the audience in the user's scope who have not opened the notice."""
    read = NoticeRead.objects.filter(notice=notice, member=OuterRef("pk"))
    return (
        audience_in_scope(user, notice)
        .filter(~Exists(read))
        .select_related("org_unit")
        .order_by("org_unit__path", "employee_no", "pk")
    )


@dataclass
class UnitReads:
    unit: OrgUnit
    depth: int
    members: int  # active members of the audience in the unit's subtree
    readers: int  # of them, those who opened the notice

    @property
    def unread(self) -> int:
        return self.members - self.readers

    @property
    def percent(self) -> int:
        return round(100 * self.readers / self.members) if self.members else 0


@dataclass
class ReadStats:
    members: int
    readers: int
    rows: list[UnitReads]

    @property
    def unread(self) -> int:
        return self.members - self.readers

    @property
    def percent(self) -> int:
        return round(100 * self.readers / self.members) if self.members else 0


def read_stats(user, notice: Notice) -> ReadStats:
    """Members and readers per unit (each unit's subtree), for the part of the audience in the
    user's scope: two GROUP BY queries, summed up the tree over the units (not the members)."""
    members = audience_in_scope(user, notice)
    by_unit = dict(members.values("org_unit").annotate(n=Count("pk")).values_list("org_unit", "n"))
    read_by_unit = dict(
        NoticeRead.objects.filter(notice=notice, member__in=members.values("pk"))
        .values("member__org_unit")
        .annotate(n=Count("pk"))
        .values_list("member__org_unit", "n")
    )
    units = _stat_units(user, notice)
    paths = {u.pk: u.path for u in OrgUnit.objects.filter(pk__in=list(by_unit))}
    rows = []
    for unit in units:
        inside = [pk for pk, path in paths.items() if path.startswith(unit.path)]
        rows.append(
            UnitReads(
                unit=unit,
                depth=getattr(unit, "depth", 0),
                members=sum(by_unit.get(pk, 0) for pk in inside),
                readers=sum(read_by_unit.get(pk, 0) for pk in inside),
            )
        )
    return ReadStats(sum(by_unit.values()), sum(read_by_unit.values()), rows)


def _stat_units(user, notice: Notice) -> list[OrgUnit]:
    """The units of the statistics: those in the audience and in the user's scope, down to
    the branches' union groups, tree order."""
    audience_q = Q()
    for path in audience_paths(notice):
        audience_q |= Q(path__startswith=path)
    qs = OrgUnit.objects.filter(audience_q).filter(scope_q(user, MANAGE_NOTICE, path_field="path"))
    return org_queries.tree_order(list(qs.filter(closed_at__isnull=True)))


def last_reminder(notice: Notice) -> NoticeReminder | None:
    return NoticeReminder.objects.filter(notice=notice).order_by("-sent_at", "-id").first()


def notice_by_title(unit: OrgUnit, title: str) -> Notice | None:
    """For the demo data: a unit's notice of this title."""
    return Notice.objects.filter(org_unit=unit, title=title).first()


def fresh(notice: Notice) -> Notice:
    """The notice as stored now (after an action changed it)."""
    return Notice.objects.select_related("org_unit").get(pk=notice.pk)


def my_reads(user) -> QuerySet[NoticeRead]:
    """The user's own read records (for the personal-data download), oldest first."""
    member = org_queries.own_member(user)
    if member is None:
        return NoticeRead.objects.none()
    return NoticeRead.objects.filter(member=member).select_related("notice").order_by("pk")
