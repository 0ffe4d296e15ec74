"""The database triggers behind zhijia.core.figure_cache: every change of a table some declared
figure reads is recorded in core_figurechange, whatever wrote it.

Raw SQL lives here because Django has no way to declare a trigger. Table names come from the
models' own db_table (never from input). Idempotent, used three ways: migration core 0008
(`migration_forward` / `migration_backward`), the post_migrate handler wired in
zhijia.core.apps (SQLite drops a table's triggers when Django rebuilds it), and
`ensure_triggers(connection)` from anywhere else.

- SQLite (row triggers only, one writer at a time): one row per table, its `version` raised
  at each changed row.
- PostgreSQL: a statement trigger appends a row per INSERT, UPDATE, DELETE or TRUNCATE
  (append-only: concurrent writers never wait on a shared row).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections

TRIGGER_PREFIX = "zj_figure_"


def _sqlite_trigger(table: str, event: str) -> str:
    # One row per table, its version raised in place at each changed row (an UPDATE of a
    # column no index holds: the cheapest write there is), the row made at the first change.
    return (
        f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER_PREFIX}{table}_{event.lower()}" '  # noqa: S608
        f'AFTER {event} ON "{table}" BEGIN '
        f"UPDATE core_figurechange SET version = version + 1 WHERE source = '{table}'; "
        f"INSERT INTO core_figurechange (source, version) SELECT '{table}', 1 "
        f"WHERE NOT EXISTS (SELECT 1 FROM core_figurechange WHERE source = '{table}'); END"
    )


POSTGRES_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}changed() RETURNS trigger LANGUAGE plpgsql AS "  # noqa: S608
    "$$ BEGIN INSERT INTO core_figurechange (source, version) VALUES (TG_TABLE_NAME, 0); "
    "RETURN NULL; END $$"
)


def _postgres_trigger(table: str) -> str:
    return (
        f'CREATE OR REPLACE TRIGGER "{TRIGGER_PREFIX}changed" '
        f'AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_PREFIX}changed()"
    )


def ensure_triggers(connection, tables: Iterable[str] | None = None) -> None:
    """Create the change triggers on the watched tables (idempotent; after every migrate, as
    SQLite drops a table's triggers when Django rebuilds it)."""
    existing = set(connection.introspection.table_names())
    if "core_figurechange" not in existing:
        return
    if tables is None:
        from zhijia.core.figure_cache import watched_tables

        tables = watched_tables()
    wanted = [t for t in tables if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in wanted:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(_sqlite_trigger(table, event))
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in wanted:
                cursor.execute(_postgres_trigger(table))


def drop_triggers(connection) -> None:
    """Remove every change trigger (before the change table goes: a migration backwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER_PREFIX}%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s",
                [f"{TRIGGER_PREFIX}changed"],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}changed" ON "{table}"')
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_PREFIX}changed()")


def migration_forward(apps, schema_editor) -> None:
    ensure_triggers(schema_editor.connection)


def migration_backward(apps, schema_editor) -> None:
    drop_triggers(schema_editor.connection)


def ensure_triggers_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate handler (wired in zhijia.core.apps)."""
    ensure_triggers(connections[using])
