"""A cheap fingerprint of whole tables for the access matrix's refused-write check.

`framework.fingerprint(Model, ...)` reads every row through the ORM: per row of the matrix
that is a dozen compiled querysets, which costs more than the row's request. A write table
with many models passes `table_snapshot(Model, ...)` next to `fingerprint()` (the audit log,
notifications and workflow events) instead: one plain SELECT per table, every column, in
primary-key order, so any insert, delete or changed value shows.
"""

from __future__ import annotations


def table_snapshot(*models) -> tuple:
    from django.db import connection

    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for model in models:
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 (model names)
            rows.append(cursor.fetchall())
    return tuple(rows)
