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

After the writes, the write-ahead log (SQLite) and dead row versions (PostgreSQL) still hold
the order of arrival; the module that wrote anonymous rows cleans them up after its commit:

    transaction.on_commit(truncate_wal_now)           # after each anonymous write: one try
    transaction.on_commit(lambda: compact_storage(Ballot, Tracker, label="voting: ..."))
                                                      # after the re-store at close: retried,
                                                      # the outcome reported (Compaction)

Used by voting (ballots, trackers) and services (anonymous survey responses).
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model

log = logging.getLogger(__name__)

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


# --- after the commit: the write-ahead log and dead row versions -------------------------------


@dataclass(frozen=True)
class Compaction:
    ok: bool
    attempts: int
    detail: str = ""


def compact_storage(
    *models: type[Model],
    attempts: int = 5,
    busy_ms: int = 400,
    pause_s: float = 0.2,
    label: str = "",
) -> Compaction:
    """After a transaction that re-stored anonymous rows has committed: drop old row versions
    for good.

    SQLite (WAL mode): `PRAGMA wal_checkpoint(TRUNCATE)`, retried until it truncates (at most
    `attempts` times, each waiting `busy_ms` for readers): until then the write-ahead log still
    holds a page image per anonymous write, in order of arrival. It truncates only when no
    reader holds an older snapshot. Success is checked, not assumed: the pragma's busy flag is
    0 (then the -wal file is 0 bytes). PostgreSQL: VACUUM the `models`' tables so the dead
    pre-shuffle row versions (which still carry the writing transactions' xmin) are removed
    from the heap. A failure is logged (with `label`: who closed what) and returned, never
    raised: the close itself has happened.
    """
    if connection.in_atomic_block:
        return Compaction(False, 0, "inside a transaction")
    if connection.vendor == "postgresql":
        return _vacuum(models, label)
    if connection.vendor != "sqlite":
        return Compaction(True, 0)
    detail = ""
    for attempt in range(1, attempts + 1):
        try:
            # allow: raw-sql PRAGMA and VACUUM have no ORM form
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                busy_timeout = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
                try:
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    busy, log_frames, done = cursor.fetchone()
                finally:
                    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
        except DatabaseError as exc:
            detail = type(exc).__name__
        else:
            if not busy:  # checkpointed and the -wal file truncated to 0 bytes
                return Compaction(True, attempt)
            detail = f"busy: {done} of {log_frames} frames checkpointed"
        time.sleep(pause_s)
    log.error(
        "%s: the write-ahead log could not be truncated (%s attempts, %s); a copy of the "
        "-wal file may still hold pages written in order of arrival",
        label or "anonymous storage",
        attempts,
        detail,
    )
    return Compaction(False, attempts, detail)


def truncate_wal_now() -> None:
    """After an anonymous write has committed (SQLite): try once, without waiting, to
    checkpoint and truncate the write-ahead log, so that a copy of the -wal file taken
    meanwhile does not hold one page image per write in order of arrival (carving those
    frames would order every anonymous row). Never delays or fails the write: busy (a reader,
    another writer) means the next write or the close tries again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    try:
        # allow: raw-sql PRAGMA and VACUUM have no ORM form
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            busy_timeout = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout = 0")
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
    except DatabaseError:
        log.info("checkpoint after an anonymous write skipped (database busy)")


def _vacuum(models, label: str) -> Compaction:
    try:
        # allow: raw-sql PRAGMA and VACUUM have no ORM form
        with connection.cursor() as cursor:
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            cursor.execute(f"VACUUM {tables}")  # noqa: S608  (quoted table names)
    except DatabaseError as exc:
        log.error(
            "%s: VACUUM after the re-store failed", label or "anonymous storage", exc_info=True
        )
        return Compaction(False, 1, type(exc).__name__)
    return Compaction(True, 1)
