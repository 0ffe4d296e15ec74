"""Reads of module org for pages and the API.

Scale: the member table is meant to hold a million rows. Scopes and unit filters are resolved
to lists of unit ids first (the org tree is small), every search term is an indexed prefix
lookup where the data allows it, nothing is decrypted to search or list, and lists count at
most COUNT_CAP rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from zhijia.core import crypto, memo
from zhijia.core.dateranges import DateRange
from zhijia.core.pagination import COUNT_CAP, PER_PAGE, Page, page_of
from zhijia.core.pagination import count_capped as count_capped  # core/views.py reads it here
from zhijia.core.permissions import GLOBAL, has_perm, unit_prefixes
from zhijia.org import rules
from zhijia.org.models import Department, Member, MemberTransfer, OrgUnit

SEARCH_COUNT_CAP = 1_000  # lists of text searches, which may scan, count no further


MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A database id from user input, or None (also for numbers too large for the column)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Any) -> list[int]:
    return [n for n in (parse_id(v) for v in values) if n is not None]


# --- scope ------------------------------------------------------------------------------------


def scope_unit_ids(user, code: str) -> list[int] | None:
    """Ids of the org units where `user` holds `code`; None means the whole tree."""
    prefixes = unit_prefixes(user, code)
    if GLOBAL in prefixes:
        return None
    if not prefixes:
        return []
    q = Q()
    for prefix in prefixes:
        q |= Q(path__startswith=prefix)
    return list(OrgUnit.objects.filter(q).values_list("pk", flat=True))


def _restrict_to_units(qs: QuerySet, unit_ids: list[int] | None, field: str = "org_unit_id"):
    if unit_ids is None:
        return qs
    return qs.filter(**{f"{field}__in": unit_ids})


def members_visible_to(user) -> QuerySet[Member]:
    """Members in the user's scope for org.view_member, plus the user's own record."""
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    ids = scope_unit_ids(user, "org.view_member")
    own = Q(user=user)
    if ids is None:
        q = Q()
    elif ids:
        q = Q(org_unit_id__in=ids) | own
    else:
        q = own
    return Member.objects.filter(q).select_related("org_unit", "department")


def members_in_scope(user, code: str = "org.view_member") -> QuerySet[Member]:
    """Members where the user holds `code` (no own-record exception): the cadre lists."""
    return _restrict_to_units(Member.objects.all(), scope_unit_ids(user, code)).select_related(
        "org_unit", "department"
    )


def own_member(user) -> Member | None:
    """The user's member record (None: not a member). Remembered within a `core.memo` block
    (the global search asks it once per module)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return memo.remember(
        ("org.own_member", user.pk),
        lambda: Member.objects.select_related("org_unit", "department").filter(user=user).first(),
    )


def access_member(user, member_id: Any) -> Member:
    """The member if the user may see it.

    The user's own record is always readable. Otherwise a user who holds org.view_member
    nowhere gets 403 (whatever the id), and a record outside the user's scope, or one that
    does not exist, gets 404 so that its existence is not revealed.
    """
    member_id = parse_id(member_id)
    if member_id is None:
        raise Http404
    own = own_member(user)
    if own is not None and own.pk == member_id:
        return own
    if not has_perm(user, "org.view_member"):
        raise PermissionDenied("org.view_member")
    member = members_in_scope(user).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def is_own_record(user, member: Member) -> bool:
    return member.user_id is not None and member.user_id == getattr(user, "pk", None)


# --- units and departments -------------------------------------------------------------------


def tree_order(units: list[OrgUnit]) -> list[OrgUnit]:
    """Units depth first, siblings by (sort_order, code), each with `depth` (0 = the top of
    what is given). Paths hold ids, so sorting them as strings would put /1/12/ before /1/2/.
    """
    by_id = {u.pk: u for u in units}
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)
    ordered: list[OrgUnit] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: (u.sort_order, u.code)):
            unit.depth = depth  # type: ignore[attr-defined]  # indents the choices
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def list_units_visible_to(
    user, code: str = "org.view_member", *, include_closed: bool = False
) -> list[OrgUnit]:
    """Units in the user's scope for `code`, in tree order, each with `depth` (0 = top).
    Closed (撤销) units only with `include_closed` (filters over past members)."""
    ids = scope_unit_ids(user, code)
    qs = OrgUnit.objects.all()
    if not include_closed:
        qs = qs.filter(closed_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return tree_order(list(qs))


def unit_subtree_ids(unit: OrgUnit) -> list[int]:
    return list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def get_unit(unit_id: Any) -> OrgUnit | None:
    pk = parse_id(unit_id)
    return OrgUnit.objects.filter(pk=pk).first() if pk else None


def get_department(department_id: Any) -> Department | None:
    pk = parse_id(department_id)
    return Department.objects.filter(pk=pk).first() if pk else None


def list_departments() -> list[Department]:
    """Open enterprise departments (not secret: every member's employer) for forms."""
    return list(Department.objects.filter(closed_at__isnull=True).order_by("path"))


# --- search -----------------------------------------------------------------------------------


def _prefix_q(field: str, prefix: str) -> Q:
    """An index-friendly prefix match.

    PostgreSQL: LIKE 'x%' uses the varchar_pattern_ops index Django creates for indexed
    CharFields. SQLite: LIKE is case-insensitive and skips the index, so use a range instead.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def _is_ascii_letters(text: str) -> bool:
    return text.isascii() and text.isalpha()


def search_terms(q: str) -> list[Q]:
    """The conditions a search box value may match (any of them), each on one column.

    - Chinese text: name contains it.
    - letters: full pinyin prefix ("zhangsan", "zhang san", "chenx"), initials prefix ("zs"),
      工号 prefix (工号 may contain letters).
    - digits: 工号 prefix; phone suffix from 4 digits on (the last digits people remember);
      the whole phone number exactly.
    - an 18-character 身份证号: exact match through its keyed digest (never decrypted).
    """
    text = rules.to_half_width(rules.strip_control(q or "")).strip()
    if not text:
        return []
    compact = "".join(text.split())
    terms: list[Q] = []

    id_candidate = rules.normalize_id_number(compact)
    if len(id_candidate) == 18 and rules.id_number_error(id_candidate) is None:
        terms.append(Q(id_number_digest=crypto.digest(id_candidate)))
    if compact.isascii():
        # 工号 may hold letters (typed in either case) and punctuation.
        for variant in sorted({compact, compact.upper()}):
            terms.append(_prefix_q("employee_no", variant))
    if _is_ascii_letters(compact) and len(compact) <= 64:
        lowered = compact.lower()
        terms.append(_prefix_q("name_pinyin", lowered))
        terms.append(_prefix_q("name_initials", lowered))
    if compact.isascii() and compact.isdigit():
        if len(compact) == 11:
            terms.append(Q(phone=compact))
        elif len(compact) >= 4:
            terms.append(Q(phone__endswith=compact))
    if not compact.isascii():
        terms.append(Q(name__contains=text))
    return terms


def search_q(q: str) -> Q | None:
    """search_terms(q) combined: None when there is nothing to search."""
    terms = search_terms(q)
    if not terms:
        return None
    cond = terms[0]
    for term in terms[1:]:
        cond |= term
    return cond


def search_members(qs: QuerySet[Member], q: str | None) -> QuerySet[Member]:
    cond = search_q(q or "")
    return qs if cond is None else qs.filter(cond)


ORDERINGS = {
    "employee_no": ("employee_no",),
    "-employee_no": ("-employee_no",),
    # 姓名 sorts by pinyin, the order a Chinese roster is read in (and indexed).
    "name": ("name_pinyin", "employee_no"),
    "-name": ("-name_pinyin", "-employee_no"),
    "join_date": ("join_date", "employee_no"),
    "-join_date": ("-join_date", "-employee_no"),
    "unit": ("org_unit__path", "employee_no"),
    "-unit": ("-org_unit__path", "-employee_no"),
}


@dataclass
class MemberFilters:
    q: str = ""
    unit: OrgUnit | None = None
    status: str = ""
    employment_type: str = ""
    gender: str = ""
    department: Department | None = None
    join_year: int | None = None
    order: str = "employee_no"
    # Joined within (?from=&to=, the dashboard's drill-down passes its period).
    joined: DateRange = field(default_factory=DateRange)

    def is_empty(self) -> bool:
        return not (
            self.q
            or self.unit
            or self.status
            or self.employment_type
            or self.gender
            or self.department
            or self.join_year
            or self.joined
        )


def filter_members(qs: QuerySet[Member], f: MemberFilters) -> QuerySet[Member]:
    """Apply the list filters; the unit filter covers the unit's subtree."""
    qs = search_members(qs, f.q)
    if f.unit is not None:
        qs = qs.filter(org_unit_id__in=unit_subtree_ids(f.unit))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.employment_type:
        qs = qs.filter(employment_type=f.employment_type)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.department is not None:
        dept_ids = Department.objects.filter(path__startswith=f.department.path).values_list(
            "pk", flat=True
        )
        qs = qs.filter(department_id__in=list(dept_ids))
    if f.join_year:
        qs = qs.filter(
            join_date__gte=dt.date(f.join_year, 1, 1), join_date__lt=dt.date(f.join_year + 1, 1, 1)
        )
    qs = f.joined.apply(qs, "join_date")
    return qs.order_by(*ORDERINGS.get(f.order, ORDERINGS["employee_no"]))


def list_members_for_user(user, f: MemberFilters) -> QuerySet[Member]:
    """The cadre member list: the user's org.view_member scope, filtered and ordered.

    Units and departments are prefetched rather than joined: with a join, SQLite sorts the
    whole scope instead of walking the 工号 index and stopping at the page's last row.
    """
    qs = filter_members(members_in_scope(user), f)
    return qs.select_related(None).prefetch_related("org_unit", "department")


# --- pagination (core.pagination) with org's caps -------------------------------------------


def page_members(
    user, f: MemberFilters, page: Any = 1, per_page: int = PER_PAGE, *, clamp: bool = True
) -> Page:
    """A page of the cadre member list.

    Plain lists walk the 工号 (or pinyin) index and stop at the page's last row. A text search
    or a join-year filter may have to read the whole table (a name contains a word, a phone
    ends with digits); walking the index for it would visit rows in random order. Such queries
    first collect the matching ids, stopping at SEARCH_COUNT_CAP + 1: each search term on its
    own (so that one on an indexed column stays an index lookup, and the phone tail a scan of
    the phone index rather than of the table), then the scope and the other filters on those
    ids. With no more than that many matches the page is cut from those ids and the count is
    exact; with more, the list says "more than 1,000" and pages the ordinary way.
    """
    qs = list_members_for_user(user, f)
    if not (f.q or f.join_year):
        return page_of(qs, page, per_page, COUNT_CAP, clamp=clamp)
    cap = SEARCH_COUNT_CAP
    candidates: set[int] | None = None
    if f.q:
        candidates = set()
        for term in search_terms(f.q):
            found = list(Member.objects.filter(term).values_list("pk", flat=True)[: cap + 1])
            if len(found) > cap:
                candidates = None
                break
            candidates.update(found)
    if candidates is not None:
        ids = list(qs.filter(pk__in=candidates).order_by().values_list("pk", flat=True))
    else:
        ids = list(qs.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        return page_of(qs, page, per_page, cap, clamp=clamp)
    result = page_of(qs.filter(pk__in=ids), page, per_page, cap, clamp=clamp)
    result.count, result.count_exact = len(ids), True
    return result


# --- transfers --------------------------------------------------------------------------------


def transfers_of(member: Member) -> QuerySet[MemberTransfer]:
    return MemberTransfer.objects.filter(member=member).select_related(
        "from_unit", "to_unit", "actor"
    )


def transfer_target_units(user) -> list[OrgUnit]:
    """Units a member may be transferred into by `user` (their org.transfer_member scope)."""
    return list_units_visible_to(user, "org.transfer_member")


def unit_by_id(unit_id: Any) -> OrgUnit | None:
    """The org unit with this id, or None (for forms whose choices were already scoped)."""
    pk = parse_id(unit_id)
    return OrgUnit.objects.filter(pk=pk).first() if pk is not None else None


def department_by_id(department_id: Any) -> Department | None:
    pk = parse_id(department_id)
    return Department.objects.filter(pk=pk).first() if pk is not None else None


def all_departments() -> QuerySet[Department]:
    """The open enterprise departments in tree order (they are not confidential)."""
    return Department.objects.filter(closed_at__isnull=True).order_by("path")


def all_units() -> QuerySet[OrgUnit]:
    """The union's open org units in tree order (the tree itself is not confidential)."""
    return OrgUnit.objects.filter(closed_at__isnull=True).order_by("path")


def transfers_out(user, unit: OrgUnit, days: DateRange | None = None) -> QuerySet:
    """The moves out of `unit`'s subtree (to a unit outside it, or out of the union) effective
    within `days`, of a unit within the user's org.view_member scope (404 otherwise): the list
    behind the dashboard's 本期转出 figure, latest first."""
    from zhijia.org.models import MemberTransfer

    ids = scope_unit_ids(user, "org.view_member")
    if ids is not None and unit.pk not in ids:
        raise Http404
    subtree = unit_subtree_ids(unit)
    qs = MemberTransfer.objects.filter(from_unit_id__in=subtree).exclude(to_unit_id__in=subtree)
    if days is not None:
        qs = days.apply(qs, "effective_date")
    return qs.select_related("member", "from_unit", "to_unit").order_by("-effective_date", "-pk")
