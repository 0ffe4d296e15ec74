"""The database-specific full-text structures behind zhijia.core.search.

Raw SQL lives here because Django has no field type for an SQLite FTS5 table or for a
generated PostgreSQL tsvector column. The Django model `SearchEntry` (table core_searchentry)
holds the jieba-segmented text; what is added here indexes it:

- SQLite: an external-content FTS5 table `core_searchentry_fts` over the columns
  title_segmented and body_segmented, kept in sync by three triggers (so ORM inserts, updates
  and bulk deletes all reach the index). The text is already segmented into words separated
  by spaces, which FTS5's unicode61 tokenizer then splits on. Each word is indexed with its
  entry's type in front ("casesgrievance加班", type_prefix): a type's words are its own terms,
  so a query finds one type's matches inside the index, and bm25() counts a word's frequency
  within the type (a type column in the query made bm25() count that column's millions of
  rows at every search).
- PostgreSQL: a stored generated column `search_vector` with the 'simple' configuration
  (no stemming, no stop words: the words are Chinese and already segmented), title weighted
  'A' and body 'B' and the entry's type as one more lexeme, a GIN index on it, a GIN index
  per declared type over that type's entries alone (TYPE_INDEX_PREFIX), and a b-tree on
  (target_type, id) to walk a type's entries newest first.

Used in three ways, all idempotent:
- a migration: `migrations.RunPython(search_sql.migration_forward, search_sql.migration_backward)`
  (or `migrations.RunSQL` with the *_FORWARD / *_BACKWARD lists of the right vendor);
- the post_migrate handler wired in zhijia.core.apps, which also restores the SQLite triggers
  after Django rebuilt the table (SQLite ALTERs copy the table and drop its triggers) and
  creates the structures for test databases made without migrations;
- `ensure_search_schema(connection)` from anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TABLE = "core_searchentry"
FTS_TABLE = "core_searchentry_fts"


def type_prefix(target_type: str) -> str:
    """SQLite: what each indexed word of an entry of this type starts with ("cases.grievance"
    -> "casesgrievance": "casesgrievance加班"), so that a type's words are its own index terms."""
    return target_type.replace(".", "").replace("_", "")


def _typed(column: str, row: str) -> str:
    """SQL: the segmented words of `row`.`column`, each with its type's prefix (type_prefix)."""
    prefix = f"replace(replace({row}.target_type, '.', ''), '_', '')"
    return (
        f"CASE WHEN {row}.{column} = '' THEN '' "
        f"ELSE {prefix} || replace({row}.{column}, ' ', ' ' || {prefix}) END"
    )


def _typed_values(row: str) -> str:
    return f"{row}.id, {_typed('title_segmented', row)}, {_typed('body_segmented', row)}"


_INSERT = "INSERT INTO core_searchentry_fts(rowid, title_segmented, body_segmented)"
_DELETE = (
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title_segmented, body_segmented)"
)
SQLITE_FORWARD = [
    # External content (the words are read from core_searchentry by the triggers below, each
    # with its type's prefix): FTS5's 'rebuild' would read them without it, see SQLITE_FILL.
    """CREATE VIRTUAL TABLE IF NOT EXISTS core_searchentry_fts USING fts5(
        title_segmented, body_segmented,
        content='core_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    # (Formatted from the constants above: no value from outside.)
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ai
    AFTER INSERT ON core_searchentry BEGIN
        {_INSERT} VALUES ({_typed_values("new")});
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ad
    AFTER DELETE ON core_searchentry BEGIN
        {_DELETE} VALUES ('delete', {_typed_values("old")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_au
    AFTER UPDATE ON core_searchentry BEGIN
        {_DELETE} VALUES ('delete', {_typed_values("old")});
        {_INSERT} VALUES ({_typed_values("new")});
    END""",
]
# Index whatever the table holds (a no-op on an empty table).
SQLITE_FILL = [
    "INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('delete-all')",
    f"{_INSERT} SELECT {_typed_values('e')} FROM core_searchentry AS e",  # noqa: S608
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

# PostgreSQL: one more GIN index per declared type, over that type's entries alone (a partial
# index, `WHERE target_type = '<type>'`), made by the post_migrate handler for the types the
# modules declare (zhijia.core.searchables). A type's older matches are read through it (see
# search._postgres_arm): a query's words are looked up among that type's entries only, so
# words frequent in the grievances cost nothing to a search of the members. Through the
# shared index with the type's lexeme, the GIN index intersected the words' posting lists
# with the type's million entries (20 ms for a query that found nothing).
TYPE_INDEX_PREFIX = "core_searchentry_gin_"
_TYPE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


def type_index_name(target_type: str) -> str:
    if not _TYPE.fullmatch(target_type):
        raise ValueError(f"not a search type: {target_type!r}")
    name = TYPE_INDEX_PREFIX + target_type.replace(".", "_")
    if len(name) > 63:  # PostgreSQL's longest name
        raise ValueError(f"search type too long for its index name: {target_type!r}")
    return name


def type_index_sql(target_type: str) -> str:
    """CREATE INDEX of one type's GIN index (the type checked by type_index_name: a module's
    constant of letters, digits, underscores and one dot, safe inside the quotes)."""
    name = type_index_name(target_type)
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON core_searchentry USING gin (search_vector) "
        f"WHERE target_type = '{target_type}'"
    )


def drop_postgres_indexes(connection) -> None:
    """Drop the search indexes (the shared GIN index, the types' GIN indexes and the b-tree of
    the newest entries) before a bulk load; ensure_search_schema makes them again after it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [TABLE, TYPE_INDEX_PREFIX.replace("_", "\\_") + "%"],
        )
        names = [name for (name,) in cursor.fetchall()]
        names += ["core_searchentry_search_vector_gin", "core_searchentry_type_newest"]
        for name in names:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")  # names from the catalogue above


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


def ensure_search_schema(connection, types: Iterable[str] = ()) -> None:
    """Create the full-text structures if missing (on PostgreSQL with the GIN index of each
    of `types`); safe to call any number of times."""
    if TABLE not in _table_names(connection):
        return  # the model's table is not there (yet, or any more): nothing to index
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            existed = _sqlite_fts_exists(cursor)
            statements = SQLITE_FORWARD if existed else SQLITE_FORWARD + SQLITE_FILL
            for sql in statements:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in [*POSTGRES_FORWARD, *(type_index_sql(t) for t in types)]:
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
            for sql in SQLITE_FILL:
                cursor.execute(sql)


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
    """post_migrate handler (wired in zhijia.core.apps): keeps the structures in place, with
    the GIN index of every type the modules declare (a module added later gets its own at
    its first migrate)."""
    from django.db import connections

    from zhijia.core import searchables

    ensure_search_schema(connections[using], [s.type for s in searchables.declared()])
