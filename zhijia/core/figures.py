"""Figures: the counts a union reports, declared by the module that owns the records.

The plug-in point of the dashboards, the annual report's annex and the 建家 evidence: each
module declares its figures (with its searchable records and exports) in one file of its own
(`zhijia/<module>/dashboard.py`, imported by
the module's AppConfig.ready()), and the code that shows them stays module-agnostic:

    from zhijia.core import figures

    figures.register(figures.Figure(
        key="cases.grievances_received",
        label=_("受理职工诉求"),
        module="cases",
        compute=lambda scope: Grievance.objects.filter(
            unit__path__startswith=scope.unit_path,
            received_at__date__range=(scope.start, scope.end),
        ).count(),
        unit=_("件"),
        order=10,
    ))

    scope = figures.Scope(unit_path=unit.path, start=date(2026, 1, 1), end=date(2026, 12, 31))
    figures.value("cases.grievances_received", scope)      # -> 12
    for figure in figures.declared(module="cases"): ...

A figure counts the records of one org-unit subtree (`Scope.unit_path`, the root's path: every
record whose unit path starts with it) within a period of days (both ends included). Who may
see which scope is decided by the caller (the dashboard checks the viewer's permission over
the unit); a figure itself never looks at a user, so the same figure serves the dashboard, the
report and the 建家 evidence and equals an independent count on the same data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Number = int | Decimal | float | None
# A breakdown: (label, number) rows, e.g. grievances by category or proposals by status.
Rows = list[tuple[Any, Number]]


@dataclass(frozen=True)
class Scope:
    """An org-unit subtree (by the root's materialised path) and a period of days."""

    unit_path: str
    start: date
    end: date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in the local time zone, the end excluded (the first
        moment after `end`): `field__gte=lo, field__lt=hi` keeps an index on the field usable,
        where `field__date__range` would not."""
        from django.utils import timezone

        tz = timezone.get_default_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return lo, hi

    @property
    def unit_id(self) -> int:
        """The id of the scope's root unit (the last id of its path: "/1/4/17/" -> 17)."""
        return int(self.unit_path.strip("/").rsplit("/", 1)[-1])


@dataclass(frozen=True)
class Figure:
    """One declared figure. `compute(scope)` returns a number, or None when it has no value
    (e.g. a rate with nothing behind it); `unit` is the word shown after it (人, 件, %)."""

    key: str
    label: Any
    module: str
    compute: Callable[[Scope], Number]
    unit: Any = ""
    order: int = 100
    description: Any = ""
    # The drill-down: the URL of the module's list behind the figure, with its filter applied,
    # and the permission a viewer needs (over the scope's unit) to be shown the link.
    link: Callable[[Scope], str] | None = None
    link_perm: str = ""
    # Rows behind the number (by status, by category, by fund), drawn as bars.
    breakdown: Callable[[Scope], Rows] | None = None
    # How to draw it: "" a number, "bar" the breakdown as bars, "percent" a rate out of 100.
    chart: str = ""
    # The models the figure reads ("app.model" labels; the org units are always added): the
    # dashboards' cache (zhijia.core.figure_cache) keeps its value until one of their tables
    # changes. A test checks every figure's queries against them.
    sources: tuple[str, ...] = ()
    # For a value that moves with the clock as well (what is overdue now): the next moment it
    # changes by the clock alone (the earliest deadline still ahead in the scope), or None when
    # no such moment is ahead. The cache keeps the value until then (or a change of the data).
    changes_at: Callable[[Scope], datetime | None] | None = None


_FIGURES: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    """Declare a figure (once, at start-up). A second registration of a key is a mistake."""
    if figure.key in _FIGURES and _FIGURES[figure.key] is not figure:
        raise ValueError(f"figure {figure.key!r} is declared twice")
    if not figure.key.startswith(f"{figure.module}."):
        raise ValueError(f"figure {figure.key!r} must start with its module {figure.module!r}")
    _FIGURES[figure.key] = figure
    return figure


def declared(*, module: str | None = None) -> list[Figure]:
    """The declared figures (of one module), in their order."""
    found = [f for f in _FIGURES.values() if module is None or f.module == module]
    return sorted(found, key=lambda f: (f.module, f.order, f.key))


def get(key: str) -> Figure | None:
    return _FIGURES.get(key)


def value(key: str, scope: Scope) -> Number:
    """The value of a declared figure over a scope; KeyError for a key nobody declared."""
    return _FIGURES[key].compute(scope)


def rows(key: str, scope: Scope) -> Rows:
    """The breakdown of a declared figure ([] when it declares none)."""
    figure = _FIGURES[key]
    return list(figure.breakdown(scope)) if figure.breakdown else []


def link(key: str, scope: Scope) -> str:
    """The drill-down URL of a declared figure ("" when it declares none)."""
    figure = _FIGURES[key]
    return figure.link(scope) if figure.link else ""


def rate(part: int, whole: int) -> float | None:
    """A percentage to one decimal (None when nothing is behind it)."""
    return round(100 * part / whole, 1) if whole else None


def next_deadline(open_records) -> datetime | None:
    """A `changes_at` for "open and past the deadline" counts: the earliest `deadline_at`
    still ahead among the open records (a queryset), when the count next grows by the clock."""
    ahead = open_records.filter(deadline_at__gte=dt.datetime.now(dt.UTC))
    return ahead.order_by("deadline_at").values_list("deadline_at", flat=True).first()
