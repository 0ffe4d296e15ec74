"""The database-specific full-text structures behind zhijia.core.search.

Raw SQL lives here because Django has no field type for an SQLite FTS5 table or for a
generated PostgreSQL tsvector column. The Django model `SearchEntry` (table core_searchentry)
holds the jieba-segmented text; what is added here indexes it:

- SQLite: an external-content FTS5 table `core_searchentry_fts` over the columns
  title_segmented, body_segmented and target_type, kept in sync by three triggers (so ORM
  inserts, updates and bulk deletes all reach the index). The text is already segmented into
  words separated by spaces, which FTS5's unicode61 tokenizer then splits on; the type
  ("cases.grievance" -> cases, grievance) lets a query find one type's entries inside the
  index (a column filter) instead of joining every match to its row.
- PostgreSQL: a stored generated column `search_vector` with the 'simple' configuration
  (no stemming, no stop words: the words are Chinese and already segmented), title weighted
  'A' and body 'B' and the entry's type as one more lexeme, a GIN index on it, and a b-tree
  on (target_type, id) to walk a type's entries newest first.

Used in three ways, all idempotent:
- a migration: `migrations.RunPython(search_sql.migration_forward, search_sql.migration_backward)`
  (or `migrations.RunSQL` with the *_FORWARD / *_BACKWARD lists of the right vendor);
- the post_migrate handler wired in zhijia.core.apps, which also restores the SQLite triggers
  after Django rebuilt the table (SQLite ALTERs copy the table and drop its triggers) and
  creates the structures for test databases made without migrations;
- `ensure_search_schema(connection)` from anywhere else.
"""

from __future__ import annotations

TABLE = "core_searchentry"
FTS_TABLE = "core_searchentry_fts"

# Spelled out rather than formatted: these are constants, and literal SQL reads plainly.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS core_searchentry_fts USING fts5(
        title_segmented, body_segmented, target_type,
        content='core_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ai
    AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(rowid, title_segmented, body_segmented, target_type)
        VALUES (new.id, new.title_segmented, new.body_segmented, new.target_type);
    END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ad
    AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(
            core_searchentry_fts, rowid, title_segmented, body_segmented, target_type)
        VALUES ('delete', old.id, old.title_segmented, old.body_segmented, old.target_type);
    END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_au
    AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_searchentry_fts(
            core_searchentry_fts, rowid, title_segmented, body_segmented, target_type)
        VALUES ('delete', old.id, old.title_segmented, old.body_segmented, old.target_type);
        INSERT INTO core_searchentry_fts(rowid, title_segmented, body_segmented, target_type)
        VALUES (new.id, new.title_segmented, new.body_segmented, new.target_type);
    END""",
    # Index whatever the table already holds (a no-op on an empty table).
    "INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ai",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_au",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]

POSTGRES_FORWARD = [
    # The last lexeme is the entry's type (type_lexeme()): a query for one type's entries adds
    # it, and the GIN index then finds that type's matches alone.
    """ALTER TABLE core_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, coalesce(title_segmented, '')), 'A')
            || setweight(to_tsvector('simple'::regconfig, coalesce(body_segmented, '')), 'B')
            || array_to_tsvector(ARRAY['zjtype_' || replace(target_type, '.', '_')])
        ) STORED""",
    """CREATE INDEX IF NOT EXISTS core_searchentry_search_vector_gin
        ON core_searchentry USING gin (search_vector)""",
    # A type's entries newest first: a word found in half the entries is searched by walking
    # these until enough matches are found, instead of reading every match (see search.py).
    """CREATE INDEX IF NOT EXISTS core_searchentry_type_newest
        ON core_searchentry (target_type, id)""",
]

POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchentry_type_newest",
    "DROP INDEX IF EXISTS core_searchentry_search_vector_gin",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
]


def type_lexeme(target_type: str) -> str:
    """The lexeme of a type in PostgreSQL's search_vector (never produced by a query's words,
    which the 'simple' parser splits at the underscores)."""
    return "zjtype_" + target_type.replace(".", "_")


def _table_names(connection) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _sqlite_fts_exists(cursor) -> bool:
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
    return cursor.fetchone() is not None


def ensure_search_schema(connection) -> None:
    """Create the full-text structures if missing; safe to call any number of times."""
    if TABLE not in _table_names(connection):
        return  # the model's table is not there (yet, or any more): nothing to index
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            existed = _sqlite_fts_exists(cursor)
            statements = SQLITE_FORWARD if not existed else SQLITE_FORWARD[:-1]
            for sql in statements:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in POSTGRES_FORWARD:
                cursor.execute(sql)
        else:  # pragma: no cover - the project supports these two databases only
            raise NotImplementedError(f"full-text search is not available on {connection.vendor}")


def drop_search_schema(connection) -> None:
    """Remove the full-text structures (the reverse of ensure_search_schema)."""
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        connection.vendor, []
    )
    if connection.vendor == "postgresql" and TABLE not in _table_names(connection):
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def rebuild_sqlite_index(connection) -> None:
    """Re-read every row into the FTS5 table (after restoring a backup made by other means)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_FORWARD[-1])


def migration_forward(apps, schema_editor) -> None:
    """For `migrations.RunPython(migration_forward, migration_backward)`."""
    ensure_search_schema(schema_editor.connection)


def migration_backward(apps, schema_editor) -> None:
    drop_search_schema(schema_editor.connection)


def migration_rebuild(apps, schema_editor) -> None:
    """For a change of the SQLite index's columns: dropped and made again, every row re-read
    (PostgreSQL: nothing to do)."""
    if schema_editor.connection.vendor == "sqlite":
        drop_search_schema(schema_editor.connection)
        ensure_search_schema(schema_editor.connection)


def migration_rebuild_vector(apps, schema_editor) -> None:
    """For a change of PostgreSQL's search_vector expression: the column and its index dropped
    and made again (every row re-read). Nothing to do on SQLite."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector")
        ensure_search_schema(schema_editor.connection)


def ensure_schema_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate handler (wired in zhijia.core.apps): keeps the structures in place."""
    from django.db import connections

    ensure_search_schema(connections[using])
