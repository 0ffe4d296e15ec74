"""Reads of module disclosure for pages, the API and the reminder sweep.

Who sees an item:
  * a member whose own unit lies in the item's audience (the audience unit's subtree), while
    the item is published and its validity has begun (expired items stay readable by link,
    and listed under "past disclosures");
  * a holder of disclosure.view_item over the publishing unit (cadres, enterprise leaders),
    whatever its status.
Anything else is answered with 404 by `access_item`, so an item's existence is not revealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from zhijia.core import permissions
from zhijia.core.attachments import attachments_for
from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, scope_q
from zhijia.disclosure import text
from zhijia.disclosure.models import (
    CatalogueEntry,
    Item,
    ItemRevision,
    Question,
    ReadReceipt,
)
from zhijia.disclosure.permissions import (
    ANSWER_QUESTION,
    PUBLISH_ITEM,
    VIEW_ITEM,
)
from zhijia.disclosure.workflows import OPEN_STATES
from zhijia.org.models import Member, OrgUnit, path_ids
from zhijia.org.queries import members as org_queries

PAGE_SIZE = 30


def parse_id(value: Any) -> int | None:
    return org_queries.parse_id(value)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def today() -> dt.date:
    return timezone.localdate()


# --- members and units -------------------------------------------------------------------------


def own_member(user) -> Member | None:
    """The user's member record while it is active (a retired member's account sees nothing)."""
    member = org_queries.own_member(user)
    if member is None or member.status != Member.Status.ACTIVE:
        return None
    return member


def root_unit() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()


def get_unit(unit_id: Any) -> OrgUnit | None:
    return org_queries.get_unit(unit_id)


def unit_by_code(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code).first() if code else None


def unit_by_path(path: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(path=path).first() if path else None


def units_in_scope(user, code: str) -> list[OrgUnit]:
    """Units where `user` holds `code`, in tree order (each with `depth`)."""
    return org_queries.list_units_visible_to(user, code)


def publishable_units(user) -> list[OrgUnit]:
    return units_in_scope(user, PUBLISH_ITEM)


def audience_choices(unit: OrgUnit) -> list[OrgUnit]:
    """The audiences an item of `unit` may have: the unit and its subtree, tree order."""
    return org_queries.tree_order(list(OrgUnit.objects.filter(path__startswith=unit.path)))


# --- items ---------------------------------------------------------------------------------


def _member_q(member: Member, day: dt.date, *, include_expired: bool) -> Q:
    q = Q(
        status=Item.Status.PUBLISHED,
        audience_unit_id__in=path_ids(member.org_unit.path),
        valid_from__lte=day,
    )
    if not include_expired:
        q &= Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    return q


def items_visible_to(user, *, day: dt.date | None = None) -> QuerySet[Item]:
    """Every item the user may open (the member rule, expired included, or the cadre scope)."""
    if not _authenticated(user):
        return Item.objects.none()
    day = day or today()
    q = scope_q(user, VIEW_ITEM, path_field="org_unit__path")
    member = own_member(user)
    if member is not None:
        q |= _member_q(member, day, include_expired=True)
    return Item.objects.filter(q)


def access_item(user, item_id: Any) -> Item:
    """The item if the user may see it, else 404."""
    pk = parse_id(item_id)
    if pk is None:
        raise Http404
    item = (
        items_visible_to(user)
        .select_related("org_unit", "audience_unit", "entry", "published_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def access_item_attachments(user, item_id: Any) -> Item:
    """For core.attachments: the same rule as the item page."""
    return access_item(user, item_id)


def is_audience(user, item: Item) -> bool:
    """Whether the user reads the item as one of its addressees (a member of its audience)."""
    member = own_member(user)
    return (
        member is not None
        and item.status == Item.Status.PUBLISHED
        and member.org_unit.path.startswith(item.audience_unit.path)
    )


def search_scope_q(user) -> Q:
    """For zhijia.core.search (type "disclosure.item", indexed under the audience unit's path):
    the entries a user may find. Over-inclusive at the edges (an item not yet in force, an
    ancestor's item addressed to a cadre's subtree): re-check each hit with `access_item`."""
    q = scope_q(user, VIEW_ITEM, path_field="unit_path")
    member = own_member(user)
    if member is not None:
        q |= Q(unit_path__in=member.org_unit.path_prefixes())
    return q


def search_items(user, query: str, *, limit: int = 20) -> list[Item]:
    """Items matching a full-text query that the user may open, best first."""
    from zhijia.core import search

    hits = search.search(
        query, types=["disclosure.item"], scope_q=search_scope_q(user), limit=limit
    )
    ids = [int(h.target_id) for h in hits]
    found = {i.pk: i for i in items_visible_to(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _with_read_state(qs: QuerySet[Item], member: Member | None) -> QuerySet[Item]:
    if member is None:
        return qs.annotate(read_revision=Subquery(ReadReceipt.objects.none().values("revision")))
    receipts = ReadReceipt.objects.filter(item=OuterRef("pk"), member=member)
    return qs.annotate(read_revision=Subquery(receipts.values("revision")[:1]))


@dataclass(frozen=True)
class BoardFilters:
    past: bool = False  # expired items instead of the ones in force
    unread: bool = False
    level: str = ""
    q: str = ""


def board_items_for(user, filters: BoardFilters | None = None) -> QuerySet[Item]:
    """The worker's board: items addressed to the user's unit, newest first, each with
    `read_revision` (None: unread; lower than `revision`: updated since read)."""
    filters = filters or BoardFilters()
    member = own_member(user)
    if member is None:
        return Item.objects.none()
    day = today()
    qs = Item.objects.filter(_member_q(member, day, include_expired=True))
    if filters.past:
        qs = qs.filter(valid_until__lt=day)
    else:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    qs = _with_read_state(qs, member)
    if filters.unread:
        qs = qs.filter(Q(read_revision__isnull=True) | Q(read_revision__lt=F("revision")))
    return qs.select_related("org_unit", "entry").order_by("-published_at", "-id")


def unread_count_for(user) -> int:
    """Items in force addressed to the user and not read yet (for the member home)."""
    return board_items_for(user, BoardFilters(unread=True)).count()


def read_state(item: Item) -> str:
    """ "unread", "updated" or "read" for an item annotated by board_items_for."""
    read = getattr(item, "read_revision", None)
    if read is None:
        return "unread"
    return "updated" if read < item.revision else "read"


@dataclass(frozen=True)
class ItemFilters:
    unit: OrgUnit | None = None
    entry: CatalogueEntry | None = None
    status: str = ""
    q: str = ""
    # Published within (?from=&to=, the dashboard's drill-down passes its period).
    published: DateRange = field(default_factory=DateRange)


def items_in_scope(user, filters: ItemFilters | None = None) -> QuerySet[Item]:
    """Items published by units in the user's disclosure.view_item scope, with read counts."""
    filters = filters or ItemFilters()
    if not has_perm(user, VIEW_ITEM):
        raise PermissionDenied(VIEW_ITEM)
    qs = Item.objects.filter(scope_q(user, VIEW_ITEM, path_field="org_unit__path"))
    if filters.unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.unit.path)
    if filters.entry is not None:
        qs = qs.filter(entry=filters.entry)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(body__icontains=filters.q))
    qs = filters.published.apply(qs, "published_at")
    open_questions = Question.objects.filter(item=OuterRef("pk"), state__in=OPEN_STATES)
    return (
        qs.select_related("org_unit", "audience_unit", "entry")
        .annotate(
            read_count=Count("receipts", distinct=True),
            has_open_questions=Exists(open_questions),
        )
        .order_by("-published_at", "-id")
    )


def find_live_item(entry: CatalogueEntry, unit: OrgUnit, period_key: str) -> Item | None:
    if not period_key:
        return None
    return Item.objects.filter(
        entry=entry, org_unit=unit, period_key=period_key, status=Item.Status.PUBLISHED
    ).first()


def item_by_source(source_ref: str) -> Item | None:
    return Item.objects.filter(source_ref=source_ref).first() if source_ref else None


def current_attachments(item: Item) -> list:
    """The files of the current version, in upload order."""
    latest = item.revisions.order_by("-number").first()
    wanted = set(latest.attachment_ids) if latest else set()
    return [a for a in attachments_for(item) if str(a.pk) in wanted]


def all_attachments(item: Item) -> dict[str, Any]:
    return {str(a.pk): a for a in attachments_for(item)}


# --- revisions and their diffs ------------------------------------------------------------------


@dataclass
class RevisionView:
    revision: ItemRevision
    previous: ItemRevision | None
    title_diff: list[text.Segment] = field(default_factory=list)
    body_diff: list[text.Segment] = field(default_factory=list)
    table_diff: list[text.RowDiff] = field(default_factory=list)
    table_changed: bool = False
    validity_changed: bool = False
    attachments_added: list[dict] = field(default_factory=list)
    attachments_removed: list[dict] = field(default_factory=list)

    @property
    def title_changed(self) -> bool:
        return text.has_changes(self.title_diff)

    @property
    def body_changed(self) -> bool:
        return text.has_changes(self.body_diff)

    @property
    def changed(self) -> bool:
        return bool(
            self.previous is not None
            and (
                text.has_changes(self.title_diff)
                or text.has_changes(self.body_diff)
                or self.table_changed
                or self.validity_changed
                or self.attachments_added
                or self.attachments_removed
            )
        )


def revision_view(revision: ItemRevision, previous: ItemRevision | None) -> RevisionView:
    view = RevisionView(revision, previous)
    if previous is None:
        return view
    view.title_diff = text.diff_text(previous.title, revision.title)
    view.body_diff = text.diff_text(previous.body, revision.body)
    old_rows, new_rows = previous.table_rows, revision.table_rows
    view.table_changed = old_rows != new_rows
    if view.table_changed:
        view.table_diff = text.diff_table(old_rows, new_rows)
    view.validity_changed = (previous.valid_from, previous.valid_until) != (
        revision.valid_from,
        revision.valid_until,
    )
    old_ids = set(previous.attachment_ids)
    new_ids = set(revision.attachment_ids)
    view.attachments_added = [a for a in revision.attachments if str(a["id"]) not in old_ids]
    view.attachments_removed = [a for a in previous.attachments if str(a["id"]) not in new_ids]
    return view


def revision_history(item: Item) -> list[RevisionView]:
    """Every version, newest first, each with what changed from the one before."""
    revisions = list(item.revisions.select_related("author").order_by("number"))
    views = [revision_view(rev, revisions[i - 1] if i else None) for i, rev in enumerate(revisions)]
    return list(reversed(views))


def get_revision(item: Item, number: Any) -> ItemRevision:
    n = parse_id(number)
    rev = item.revisions.filter(number=n).first() if n else None
    if rev is None:
        raise Http404
    return rev


# --- read receipts ---------------------------------------------------------------------------


@dataclass
class UnitReads:
    unit: OrgUnit
    depth: int
    members: int  # active members whose unit is this one or below
    readers: int  # of them, those who read the item (receipts by their unit when reading)

    @property
    def percent(self) -> int:
        return round(100 * self.readers / self.members) if self.members else 0


def receipt_stats(item: Item) -> list[UnitReads]:
    """Per unit of the audience (tree order), members and readers of the unit's subtree."""
    units = audience_choices(item.audience_unit)
    members_by_unit = dict(
        Member.objects.filter(
            status=Member.Status.ACTIVE, org_unit__path__startswith=item.audience_unit.path
        )
        .values("org_unit")
        .annotate(n=Count("pk"))
        .values_list("org_unit", "n")
    )
    reads_by_unit = dict(
        ReadReceipt.objects.filter(item=item)
        .values("org_unit")
        .annotate(n=Count("pk"))
        .values_list("org_unit", "n")
    )
    rows = []
    for unit in units:
        subtree = [u.pk for u in units if u.path.startswith(unit.path)]
        rows.append(
            UnitReads(
                unit=unit,
                depth=getattr(unit, "depth", 0),
                members=sum(members_by_unit.get(pk, 0) for pk in subtree),
                readers=sum(reads_by_unit.get(pk, 0) for pk in subtree),
            )
        )
    return rows


def readers_of(item: Item) -> list:
    """The accounts of the members who read the item (to tell them it was revised)."""
    member_ids = ReadReceipt.objects.filter(item=item).values("member_id")
    user_model = get_user_model()
    return list(
        user_model.objects.filter(is_active=True, member_record__in=member_ids).order_by("pk")
    )


def receipt_of(item: Item, member: Member | None) -> ReadReceipt | None:
    if member is None:
        return None
    return ReadReceipt.objects.filter(item=item, member=member).first()


# --- questions ---------------------------------------------------------------------------------


# --- the catalogue ----------------------------------------------------------------------------


# --- the board: what is due, published and overdue -----------------------------------------------


# --- who is responsible ---------------------------------------------------------------------------


def responsible_cadres(unit: OrgUnit, code: str = PUBLISH_ITEM) -> list:
    """The cadres of the unit itself holding `code`; when it has none, those of the nearest
    ancestor that has some (a union group without its own leader is run by its branch)."""
    return permissions.holders(code, unit, nearest=True, include_global=False)


def cadres_above(unit: OrgUnit, levels: int = 1, code: str = ANSWER_QUESTION) -> list:
    """Holders of `code` at the unit `levels` steps up (the root at most), else the nearest
    level above that has some."""
    lineage = unit.lineage()
    above = lineage[max(0, len(lineage) - 1 - levels)]
    return permissions.holders(code, above, nearest=True, include_global=False)
