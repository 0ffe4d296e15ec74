"""Reads of the disclosure catalogue and the board of obligations (which unit owes which
periodic disclosure, and whether it is published)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from zhijia.core.permissions import has_perm
from zhijia.disclosure import rules
from zhijia.disclosure.models import (
    CatalogueEntry,
    DueNotice,
    Item,
)
from zhijia.disclosure.permissions import (
    MANAGE_CATALOGUE,
    VIEW_BOARD,
)
from zhijia.disclosure.queries.items import parse_id, root_unit, today, units_in_scope
from zhijia.org.models import OrgUnit
from zhijia.org.queries import members as org_queries


def list_entries(
    *, active_only: bool = False, levels: Iterable[str] | None = None
) -> QuerySet[CatalogueEntry]:
    """Catalogue entries, enterprise level first, then workshop, then team."""
    qs = CatalogueEntry.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    rank = Case(
        *[When(level=level, then=Value(i)) for i, level in enumerate(rules.LEVELS)],
        default=Value(len(rules.LEVELS)),
        output_field=IntegerField(),
    )
    return qs.annotate(level_rank=rank).order_by("level_rank", "sort_order", "code")


def get_entry(entry_id: Any) -> CatalogueEntry | None:
    pk = parse_id(entry_id)
    return CatalogueEntry.objects.filter(pk=pk).first() if pk else None


def code_taken(code: str, *, exclude: int | None = None) -> bool:
    qs = CatalogueEntry.objects.filter(code=code)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def missing_default_entries() -> int:
    """How many entries of the default catalogue the database lacks (by code)."""
    from zhijia.disclosure.catalogue import DEFAULT_CATALOGUE

    codes = {d.code for d in DEFAULT_CATALOGUE}
    return len(
        codes - set(CatalogueEntry.objects.filter(code__in=codes).values_list("code", flat=True))
    )


def get_entry_by_code(code: str) -> CatalogueEntry | None:
    return CatalogueEntry.objects.filter(code=code).first()


def entries_for_unit(unit: OrgUnit) -> list[CatalogueEntry]:
    level = rules.level_of_kind(unit.kind)
    return list(list_entries(active_only=True).filter(level=level))


def may_manage_catalogue(user) -> bool:
    root = root_unit()
    return root is not None and has_perm(user, MANAGE_CATALOGUE, unit=root)


def require_manage_catalogue(user) -> None:
    if not may_manage_catalogue(user):
        raise PermissionDenied(MANAGE_CATALOGUE)


def access_entry_for_edit(user, entry_id: Any) -> CatalogueEntry:
    require_manage_catalogue(user)
    entry = get_entry(entry_id)
    if entry is None:
        raise Http404
    return entry


@dataclass
class BoardCell:
    entry: CatalogueEntry
    obligation: rules.Obligation
    item: Item | None = None  # the disclosure of the current period, when published
    last_event_item: Item | None = None  # per-event entries: the latest one
    event_count: int = 0  # per-event entries: published this year

    @property
    def status(self) -> str:
        return self.obligation.status

    @property
    def period_key(self) -> str:
        return self.obligation.period.key if self.obligation.period else ""


@dataclass
class BoardUnit:
    unit: OrgUnit
    depth: int
    cells: list[BoardCell]

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.cells if c.status == rules.OVERDUE)

    @property
    def due_soon(self) -> int:
        return sum(1 for c in self.cells if c.status == rules.DUE_SOON)

    @property
    def missed(self) -> int:
        return sum(len(c.obligation.missed) for c in self.cells)


def _published_index(units: list[OrgUnit], entries: list[CatalogueEntry]):
    """{(entry id, unit id): {period key: item id}} of live scheduled disclosures."""
    index: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    rows = Item.objects.filter(
        status=Item.Status.PUBLISHED,
        entry__in=[e.pk for e in entries],
        org_unit__in=[u.pk for u in units],
    ).values_list("entry_id", "org_unit_id", "period_key", "pk")
    for entry_id, unit_id, key, pk in rows:
        index[(entry_id, unit_id)][key] = pk
    return index


def obligations(
    units: list[OrgUnit], *, day: dt.date | None = None, entries: list[CatalogueEntry] | None = None
) -> list[BoardUnit]:
    """The board for these units (no permission check: the sweep uses it too)."""
    day = day or today()
    entries = entries if entries is not None else list(list_entries(active_only=True))
    index = _published_index(units, entries)
    event_items: dict[tuple[int, int], list[Item]] = defaultdict(list)
    event_entries = [e for e in entries if not e.is_scheduled]
    if event_entries:
        for item in Item.objects.filter(
            status=Item.Status.PUBLISHED,
            entry__in=[e.pk for e in event_entries],
            org_unit__in=[u.pk for u in units],
            published_at__year=day.year,
        ).order_by("-published_at", "-id"):
            event_items[(item.entry_id or 0, item.org_unit_id)].append(item)
    needed_ids = {pk for keys in index.values() for pk in keys.values()}
    items_by_id = {i.pk: i for i in Item.objects.filter(pk__in=needed_ids)} if needed_ids else {}
    board: list[BoardUnit] = []
    for unit in units:
        level = rules.level_of_kind(unit.kind)
        cells = []
        for entry in entries:
            if entry.level != level:
                continue
            published = index.get((entry.pk, unit.pk), {})
            ob = rules.obligation(
                cadence=entry.cadence,
                today=day,
                offset_days=entry.offset_days,
                remind_days=entry.remind_days,
                published_keys=frozenset(published),
                effective_from=entry.effective_from,
            )
            cell = BoardCell(entry, ob)
            if ob.period is not None and ob.period.key in published:
                cell.item = items_by_id.get(published[ob.period.key])
            if not entry.is_scheduled:
                events = event_items.get((entry.pk, unit.pk), [])
                cell.event_count = len(events)
                cell.last_event_item = events[0] if events else None
            cells.append(cell)
        board.append(BoardUnit(unit, getattr(unit, "depth", 0), cells))
    return board


def board_for(user, *, unit: OrgUnit | None = None, day: dt.date | None = None) -> list[BoardUnit]:
    """The catalogue board of the units in the user's disclosure.view_board scope (403 when
    none), restricted to `unit`'s subtree when given (404 when outside the scope)."""
    if not has_perm(user, VIEW_BOARD):
        raise PermissionDenied(VIEW_BOARD)
    units = units_in_scope(user, VIEW_BOARD)
    if unit is not None:
        if not has_perm(user, VIEW_BOARD, unit=unit):
            raise Http404
        units = [u for u in units if u.path.startswith(unit.path)]
    return obligations(units, day=day)


def all_units() -> list[OrgUnit]:
    return org_queries.tree_order(list(OrgUnit.objects.all()))


def sent_notices(kind: str) -> set[tuple[int, int, str]]:
    return set(
        DueNotice.objects.filter(kind=kind).values_list("entry_id", "org_unit_id", "period_key")
    )
