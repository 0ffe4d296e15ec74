"""The dashboards' cache: each declared figure's value over a scope, kept until one of the
tables it reads changes.

    from zhijia.core import figure_cache
    value, rows = figure_cache.evaluate(figure, scope)   # cached, or computed and kept

Invalidation is done by the database, not by Python: a trigger on every table some figure
reads (its `sources`, the org units always) records each change in core_figurechange, whatever
wrote it (the ORM, bulk_create, queryset.update, raw SQL, a restore). A kept value carries the
state of its source tables when it was computed (the count, largest id and version of their
change rows, read before computing): it is served only while that state is unchanged, so a figure
never shows a number older than the data. A figure that moves with the clock as well (what is
overdue now) says when it next changes by the clock alone (`changes_at`: the earliest deadline
still ahead); its value is kept until then.

SQLite: row triggers (SQLite has no statement triggers) keep one change row per table, its
version raised at each changed row (one writer at a time: versions follow commits).
PostgreSQL: a statement trigger appends a row per statement (concurrent writers never wait on
a shared row); a row committed late may carry a smaller id than one already seen, which the
count catches. The hourly sweep (`prune`) folds each table's rows into one new row, whose
larger id ends every earlier state.

The figures' sources are checked against the tables their queries really read
(zhijia/core/tests/test_figure_cache.py), so a figure cannot read a table the cache does not
watch.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import IntegrityError, router, transaction
from django.db.models import Count, Max
from django.utils import timezone, translation

from zhijia.core.figures import Figure, Number, Rows, Scope, declared, get
from zhijia.core.models import FigureChange, FigureValue

__all__ = [
    "evaluate",
    "evaluate_or_kept",
    "prune",
    "refresh",
    "source_tables",
    "stamps",
    "watched_tables",
]

ALWAYS = ("org.orgunit",)  # every figure counts within a unit subtree


def source_tables(figure: Figure) -> list[str]:
    """The db tables a figure reads (LookupError for an unknown model label)."""
    labels = dict.fromkeys([*figure.sources, *ALWAYS])
    return sorted({apps.get_model(label)._meta.db_table for label in labels})


def watched_tables(figures: Iterable[Figure] | None = None) -> list[str]:
    found: set[str] = set()
    for figure in declared() if figures is None else figures:
        found.update(source_tables(figure))
    return sorted(found)


# --- the state of the tables -------------------------------------------------------------------


def stamps() -> dict[str, str]:
    """{table: "count:largest id:largest version"} of every table with a recorded change."""
    rows = FigureChange.objects.values("source").annotate(
        n=Count("id"), last=Max("id"), version=Max("version")
    )
    return {r["source"]: f"{r['n']}:{r['last']}:{r['version']}" for r in rows}


def _stamp(figure: Figure, state: dict[str, str]) -> str:
    return ";".join(f"{t}={state.get(t, '0:0')}" for t in source_tables(figure))


# --- values ------------------------------------------------------------------------------------


def _dump(number: Number) -> Any:
    return {"decimal": str(number)} if isinstance(number, Decimal) else number


def _load(stored: Any) -> Number:
    return Decimal(stored["decimal"]) if isinstance(stored, dict) else stored


# How far behind the data a page may show a kept value (marked with the time it was counted)
# while it is computed again in the background (evaluate_or_kept): older than this, the page
# computes it itself. A day: the worker counts the dashboards' default pages ahead every hour
# (zhijia.dashboard.queries.count_ahead), so an older value means the worker is not running.
MAX_BEHIND = timedelta(days=1)
# A figure whose last count took less than this (seconds) is counted by the page itself when
# its data changed: a small union always sees current figures; only counts that take long (a
# million grievances) are shown as last counted while the worker counts them again.
QUICK = 0.1


def evaluate(figure: Figure, scope: Scope, state: dict[str, str] | None = None):
    """(value, breakdown rows) of a figure over a scope: the kept ones while its source tables
    are unchanged, else computed now and kept. `state`: stamps() read once for many figures."""
    value, rows, _as_of = _evaluate(figure, scope, state, behind_ok=False)
    return value, rows


def evaluate_or_kept(figure: Figure, scope: Scope, state: dict[str, str] | None = None):
    """(value, rows, as_of) for a page: as evaluate(), except that when the data changed since
    the kept value was computed, that count took QUICK seconds or more, and it was made less
    than MAX_BEHIND ago, the kept value is returned with the moment it was computed (`as_of`)
    while the worker computes it again (task zhijia.core.tasks.refresh_figure, queued once per
    state of the data). `as_of` is None for a current value. A big union's figures take
    seconds to count at every new grievance; its chair sees the last count, marked with its
    time, at once; a small union's are counted by the page."""
    return _evaluate(figure, scope, state, behind_ok=True)


def _key(figure: Figure, scope: Scope) -> dict:
    return {
        "figure": figure.key,
        "unit_path": scope.unit_path,
        "start": scope.start,
        "end": scope.end,
        "language": translation.get_language() or "",
    }


def _evaluate(figure: Figure, scope: Scope, state: dict[str, str] | None, *, behind_ok: bool):
    now = timezone.now()
    state = stamps() if state is None else state
    stamp = _stamp(figure, state)
    key = _key(figure, scope)
    fields = ("stamp", "value", "rows", "valid_until", "computed_at", "queued_stamp", "seconds")
    kept = FigureValue.objects.filter(**key).only(*fields).first()
    if kept is not None:
        current = _current(kept, stamp, now)
        slow = kept.seconds >= QUICK
        if current or (behind_ok and slow and now - kept.computed_at < MAX_BEHIND):
            if not current and kept.queued_stamp != stamp:
                _refresh_later(kept, key, stamp)
            as_of = None if current else kept.computed_at
            return _load(kept.value), [(label, _load(n)) for label, n in kept.rows], as_of
    value, rows = _compute_and_keep(figure, scope, key, stamp, now)
    return value, rows, None


def _compute_and_keep(figure: Figure, scope: Scope, key: dict, stamp: str, now):
    """(value, rows) counted from the records, kept under `key` with the state `stamp`."""
    # The clock's next change is read first: a deadline passing while the value is computed
    # ends the value at once rather than never.
    valid_until = figure.changes_at(scope) if figure.changes_at else None
    started = time.perf_counter()
    value = figure.compute(scope)
    rows: Rows = (
        [(str(label), n) for label, n in figure.breakdown(scope)] if figure.breakdown else []
    )
    defaults = {
        "stamp": stamp,
        "value": _dump(value),
        "rows": [[label, _dump(n)] for label, n in rows],
        "computed_at": now,
        "valid_until": valid_until,
        "seconds": time.perf_counter() - started,
    }
    _keep(key, defaults)
    return value, rows


def _current(kept: FigureValue, stamp: str, now) -> bool:
    """A kept value is current while its tables are as they were and the clock changed it not."""
    return kept.stamp == stamp and (kept.valid_until is None or now < kept.valid_until)


def _refresh_later(kept: FigureValue, key: dict, stamp: str) -> None:
    """Queue the computation of a kept value behind the data, once per state of the data."""
    from zhijia.core.tasks import refresh_figure

    claimed = (
        FigureValue.objects.filter(pk=kept.pk)
        .exclude(queued_stamp=stamp)
        .update(queued_stamp=stamp)
    )
    if claimed:
        figure, unit_path, language = key["figure"], key["unit_path"], key["language"]
        start, end = key["start"].isoformat(), key["end"].isoformat()
        transaction.on_commit(
            lambda: refresh_figure.enqueue(figure, unit_path, start, end, language)
        )


def refresh(
    figure_key: str,
    unit_path: str,
    start: str,
    end: str,
    language: str,
    state: dict[str, str] | None = None,
) -> bool:
    """Compute a kept value again if the data changed since (the task behind evaluate_or_kept;
    nothing to do for a figure no longer declared). True when it was computed. `state`:
    stamps() read once for many figures."""
    figure = get(figure_key)
    if figure is None:
        return False
    scope = Scope(unit_path, date.fromisoformat(start), date.fromisoformat(end))
    with translation.override(language or None):
        state = stamps() if state is None else state
        now, stamp, key = timezone.now(), _stamp(figure, state), _key(figure, scope)
        kept = FigureValue.objects.filter(**key).only("stamp", "valid_until").first()
        if kept is not None and _current(kept, stamp, now):
            return False
        _compute_and_keep(figure, scope, key, stamp, now)
    return True


def _keep(key: dict, defaults: dict) -> None:
    # A reader racing another on the same key: either write wins, both values are right for
    # their stamps.
    try:
        with transaction.atomic(using=router.db_for_write(FigureValue)):
            updated = FigureValue.objects.filter(**key).update(**defaults)
            if not updated:
                FigureValue.objects.create(**key, **defaults)
    except IntegrityError:
        pass


# Kept values not computed again for this long are dropped by the hourly sweep (a dashboard
# asked for again computes them anew): the table keeps what is looked at.
KEEP_DAYS = 30


def prune() -> int:
    """Fold each table's change rows into one new row (PostgreSQL appends a row per statement;
    the new row's larger id ends every earlier state), and drop the kept values computed more
    than KEEP_DAYS ago. Returns the rows removed."""
    removed = 0
    many = FigureChange.objects.values("source").annotate(n=Count("id")).filter(n__gt=1)
    for row in list(many):
        with transaction.atomic():
            deleted, _ = FigureChange.objects.filter(source=row["source"]).delete()
            FigureChange.objects.create(source=row["source"])
        removed += deleted - 1
    stale = timezone.now() - timedelta(days=KEEP_DAYS)
    dropped, _ = FigureValue.objects.filter(computed_at__lt=stale).delete()
    return removed + dropped
