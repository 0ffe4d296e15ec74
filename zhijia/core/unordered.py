"""Storage that forgets the order of arrival of anonymous records.

A random primary key (UUID, random integer) is not enough on SQLite: a table whose key is not
declared exactly INTEGER PRIMARY KEY is a rowid table, and SQLite hands out rowids as
max(rowid) + 1, so the rows of a ballot, tracker, box item or anonymous question sit in the
B-tree (and a raw copy of the file) in arrival order. Django cannot declare WITHOUT ROWID
tables, and turning the UUID keys into INTEGER PRIMARY KEY would need a key-type migration on
PostgreSQL for nothing.

What works instead, with no migration: in the inserting transaction, move the new row to a
random rowid (62 bits from the OS CSPRNG). SQLite keeps a rowid table sorted by rowid, so the
table order, the page a row lands on and the rowid a copy shows are all random; the row's
first (sequential) cell is freed in the same transaction and, with `secure_delete` on for every
connection (zhijia.core.datafiles), zeroed before the page is written. The next sequential
rowid SQLite would hand out is max(rowid) + 1 of random values, so it says nothing either, and
the row is moved away from it at once.

PostgreSQL: a no-op. Its heap stores tuples where there is room, in practice in arrival order
(ctid), and every tuple carries its transaction's xmin; that order is forgotten where it can
be (voting re-stores ballots shuffled at close) and otherwise is what item 1 of issue 11
(ballots encrypted at casting) addresses. docs/security.md says which promise holds where.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Model

ROWID_BITS = 62  # max(rowid) + 1 stays below 2**63: SQLite never needs to search for a free one


def random_rowid() -> int:
    return secrets.randbits(ROWID_BITS) + 1


def forget_insertion_order(instance: Model) -> None:
    """Give a row just inserted (in the current transaction) a random SQLite rowid."""
    if connection.vendor != "sqlite":
        return
    meta = instance._meta
    table = connection.ops.quote_name(meta.db_table)
    pk = connection.ops.quote_name(meta.pk.column)
    key = meta.pk.get_db_prep_value(instance.pk, connection)
    # Why raw SQL: the rowid is not a model field. A clash of two 62-bit random rowids (about
    # n / 2**62) is refused by SQLite (UNIQUE) and drawn again.
    sql = f"UPDATE {table} SET rowid = %s WHERE {pk} = %s"  # noqa: S608 (quoted names)
    for _attempt in range(4):
        try:
            # allow: raw-sql the rowid is not a model field
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [random_rowid(), key])
            return
        except IntegrityError:
            continue
    raise IntegrityError("no free random rowid after 4 draws")
