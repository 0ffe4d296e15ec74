"""Readable numbers for named records: one pattern across modules, per kind and year.

    number = next_number("SQ", year)        # "SQ2026-00001", "SQ2026-00002", ...

A record that people talk about (a grievance, a mediation case, an assistance application, a
hazard report) stores its number in a unique, indexed `number` column, assigned when it is
created, inside the creating transaction (`assign_number`). The counter is one row per kind and
year (core.NumberSequence), incremented in a single statement

    INSERT INTO core_numbersequence (kind, year, last) VALUES (%s, %s, 1)
    ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 RETURNING last

which holds on PostgreSQL (the row is locked until the transaction ends: a concurrent creator
waits and then reads the committed value) and on SQLite (one writer at a time). A transaction
that rolls back gives its number back with it, so numbers are gap-free except where a record
is deleted.

Anonymous input (the box's items, anonymous counseling questions) gets no number: a counter
would tell the order in which things arrived. An anonymous grievance gets its number at the
daily opening of the box, which draws the day's items in random order, so its number tells no
more than the opening day (see zhijia.cases.actions.box).

Kinds in use: SQ 诉求 (grievances and legal questions), TJ 劳动争议调解, BF 帮扶申请,
YH 安全隐患. Congress proposals keep their own scheme (第 N 号 within a session).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

__all__ = ["assign_number", "format_number", "next_number", "next_value", "set_floor"]

WIDTH = 5


def format_number(kind: str, year: int, value: int) -> str:
    return f"{kind}{year}-{value:0{WIDTH}d}"


# One statement: insert the year's first number, or add one to the counter, and read it back.
# The table and columns are fixed (core.NumberSequence); "last" is quoted for both databases.
_NEXT_SQL = (
    'INSERT INTO core_numbersequence (kind, year, "last") VALUES (%s, %s, 1) '
    'ON CONFLICT (kind, year) DO UPDATE SET "last" = core_numbersequence."last" + 1 '
    'RETURNING "last"'
)


def next_value(kind: str, year: int) -> int:
    """The next counter value for (kind, year), taken atomically (see the module docstring)."""
    # allow: raw-sql the ORM has no upsert that returns the updated counter in one statement
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_NEXT_SQL, [kind, year])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def next_number(kind: str, year: int | None = None) -> str:
    """The next readable number of `kind` for `year` (default: this year, local time)."""
    if year is None:
        year = timezone.localdate().year
    return format_number(kind, year, next_value(kind, year))


def assign_number(record, kind: str, when: dt.datetime | dt.date | None = None) -> str:
    """Give an unsaved (or unnumbered) record its number for the year of `when` (default now).

    Call it inside the transaction that creates the record: a rollback returns the number."""
    if isinstance(when, dt.datetime):
        year = timezone.localtime(when).year if timezone.is_aware(when) else when.year
    elif isinstance(when, dt.date):
        year = when.year
    else:
        year = timezone.localdate().year
    record.number = next_number(kind, year)
    return record.number


def set_floor(kind: str, year: int, last: int) -> None:
    """Make the counter for (kind, year) at least `last` (used by backfills and imports)."""
    from zhijia.core.models import NumberSequence

    with transaction.atomic():
        seq, _created = NumberSequence.objects.select_for_update().get_or_create(
            kind=kind, year=year
        )
        if seq.last < last:
            seq.last = last
            seq.save(update_fields=["last"])


# --- backfill (data migrations) ---------------------------------------------------------------


def _year_of(value) -> int:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).year if timezone.is_aware(value) else value.year
    return value.year


def backfill(apps, app_label: str, model_name: str, kind: str, when: str, order_by: list[str]):
    """Number the existing rows of a model that have none, in order of creation, per year of
    their `when` field, continuing each year's counter (for a data migration's RunPython)."""
    Model = apps.get_model(app_label, model_name)
    Sequence = apps.get_model("core", "NumberSequence")
    rows = Model.objects.filter(number__isnull=True).order_by(*order_by)
    for row in rows.iterator():
        year = _year_of(getattr(row, when))
        seq, _created = Sequence.objects.get_or_create(kind=kind, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        Model.objects.filter(pk=row.pk).update(number=format_number(kind, year, seq.last))


def unbackfill(apps, app_label: str, model_name: str, kind: str):
    """Reverse of `backfill`: forget the numbers and the counters of `kind`."""
    apps.get_model(app_label, model_name).objects.update(number=None)
    apps.get_model("core", "NumberSequence").objects.filter(kind=kind).delete()
