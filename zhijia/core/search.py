"""Chinese full-text search across what a user may see.

One call each, from a module's actions (inside their transaction) and pages:

    from zhijia.core import search
    search.index("cases.grievance", g.pk, title=g.title, text=g.body, unit_path=g.unit.path)
    search.remove("cases.grievance", g.pk)
    hits = search.search(
        "加班工资",
        types=["cases.grievance"],
        scope_q=permissions.scope_q(user, "cases.view_grievance", path_field="unit_path"),
    )
    for hit in hits: hit.target_type, hit.target_id, hit.title, hit.snippet (safe HTML), hit.rank

`scope_q` filters SearchEntry's own fields, so a search over several modules combines them:
`(Q(target_type="cases.grievance") & scope_q(user, "cases.view_grievance", path_field=
"unit_path")) | Q(target_type="cases.knowledge")` (see `scope_by_type`). Records whose access
is decided per record (own grievances, assignments) should be re-checked by the caller.

How it works: jieba cuts the text in search mode (a long word also yields its dictionary
sub-words: 劳动合同 → 劳动 合同 劳动合同), the words are stored separated by spaces and indexed
by SQLite FTS5 or a PostgreSQL tsvector ('simple' configuration), see zhijia.core.search_sql.
A query is cut in precise mode; each of its words must match, either as the whole word or as
all of its two-character dictionary sub-words, so 劳动合同 also finds 劳动合同法 (cut 劳动 / 合同法)
and 合同续签 finds 劳动合同到期未续签. Query words are passed as quoted FTS5 strings or as
plainto_tsquery parameters, so operators typed by a user (AND, quotes, *, -) are plain text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhijia.core.models import SearchEntry
from zhijia.core.search_sql import FTS_TABLE, TABLE, type_lexeme, type_prefix
from zhijia.core.tokenizer import tokenizer

__all__ = [
    "Hit",
    "entry",
    "index",
    "index_many",
    "remove",
    "replace_all",
    "search",
    "search_by_type",
    "scope_by_type",
    "segment",
]

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16
SNIPPET_CHARS = 80
SNIPPET_LEAD = 20

# Function words that would otherwise have to appear in a document for it to match
# (食堂的饭菜 must find 食堂饭菜质量问题). Words with meaning such as 未/不/没 stay.
STOP_WORDS = frozenset(
    {
        "的",
        "地",
        "得",
        "了",
        "着",
        "过",
        "和",
        "跟",
        "与",
        "及",
        "或",
        "或者",
        "是",
        "在",
        "有",
        "也",
        "都",
        "就",
        "而",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "哦",
        "嘛",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "之",
        "其",
        "被",
        "把",
        "对",
        "从",
        "向",
        "给",
        "为",
        "以",
        "于",
        "请问",
        "怎么",
        "怎么办",
        "什么",
        "如何",
        "哪些",
    }
)


def _normalise(text: str) -> str:
    # Full-width letters and digits (ＡＢＣ１２３) become ASCII so both forms match.
    return unicodedata.normalize("NFKC", text or "")


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _keep(words: list[str]) -> list[str]:
    return [w for w in words if _is_word(w) and w not in STOP_WORDS]


def segment(text: str) -> str:
    """Search-mode segmentation, words separated by spaces (what the index stores)."""
    words = [w.strip() for w in tokenizer().cut_for_search(_normalise(text))]
    return " ".join(_keep(words))


@dataclass(frozen=True)
class _Group:
    word: str
    parts: tuple[str, ...]  # two-character dictionary sub-words, all required together


def _query_groups(query: str) -> list[_Group]:
    cutter = tokenizer()
    # The same filter as the index: a query of stop words only finds nothing.
    kept = _keep([w.strip() for w in cutter.lcut(_normalise(query)[:MAX_QUERY_CHARS])])
    groups: list[_Group] = []
    seen: set[str] = set()
    for word in kept:
        key = word.lower()
        if key in seen:
            continue
        seen.add(key)
        parts: tuple[str, ...] = ()
        if len(word) > 2:
            parts = tuple(
                dict.fromkeys(p for p in cutter.cut_for_search(word) if len(p) == 2 and _is_word(p))
            )
        groups.append(_Group(word, parts))
        if len(groups) == MAX_QUERY_WORDS:
            break
    return groups


def _fts5_string(word: str) -> str:
    # A double-quoted FTS5 string is literal text: AND, OR, NOT, *, -, ( ) lose their meaning.
    return '"' + word.replace('"', '""') + '"'


def _sqlite_match(groups: list[_Group], types: Iterable[str]) -> str:
    """The FTS5 query: the words as the index holds them for each of `types`, with the type's
    prefix (zhijia.core.search_sql.type_prefix), so only those types' entries match."""
    per_type = []
    for target_type in types:
        prefix = type_prefix(target_type)
        clauses = []
        for g in groups:
            whole = _fts5_string(prefix + g.word)
            if g.parts:
                parts = " AND ".join(_fts5_string(prefix + p) for p in g.parts)
                clauses.append(f"({whole} OR ({parts}))")
            else:
                clauses.append(whole)
        per_type.append("(" + " AND ".join(clauses) + ")")
    return " OR ".join(per_type)


def _postgres_tsquery(groups: list[_Group]) -> tuple[str, list[str]]:
    clauses, params = [], []
    for g in groups:
        if g.parts:
            clauses.append("(plainto_tsquery('simple', %s) || plainto_tsquery('simple', %s))")
            params += [g.word, " ".join(g.parts)]
        else:
            clauses.append("plainto_tsquery('simple', %s)")
            params.append(g.word)
    return " && ".join(clauses), params


def _postgres_gin_tsquery(groups: list[_Group]) -> tuple[str, list[str]]:
    """A condition every match of `_postgres_tsquery` meets, for the GIN index: each word by
    its two-character sub-words alone (all of them required), since an entry holding the word
    holds them too (the index is cut in search mode, which adds a word's dictionary sub-words
    beside it). With the word OR its sub-words, no word of the query is required of every
    match, and the GIN index would read the posting lists of them all to the end (20 ms for a
    query of two compound words among a million entries); with required words, it reads the
    rarest and skips through the others. Sub-words the index leaves out (stop words) are
    left out here too; a word without other sub-words stands for itself."""
    clauses, params = [], []
    for g in groups:
        parts = [p for p in g.parts if p not in STOP_WORDS]
        clauses.append("plainto_tsquery('simple', %s)")
        params.append(" ".join(parts) if parts else g.word)
    return " && ".join(clauses), params


@dataclass(frozen=True)
class Hit:
    target_type: str
    target_id: str
    title: str
    snippet: SafeString  # escaped text with the matched words in <mark>
    rank: float


def index(
    obj_type: str, obj_id, *, title: str, text: str, unit_path: str, also_path: str = ""
) -> None:
    """Add or refresh the entry of one record (call it in the action's transaction);
    `also_path`: a second unit path the record is found under (see SearchEntry)."""
    title = (title or "")[:300]
    SearchEntry.objects.update_or_create(
        target_type=obj_type,
        target_id=str(obj_id),
        defaults={
            "unit_path": unit_path,
            "also_path": also_path or None,
            "title": title,
            "body": text or "",
            "title_segmented": segment(title),
            "body_segmented": segment(text or ""),
            "updated_at": timezone.now(),
        },
    )


def entry(
    obj_type: str,
    obj_id,
    *,
    title: str,
    text: str,
    unit_path: str,
    also_path: str = "",
    now=None,
    cut: Callable[[str], str] | None = None,
) -> SearchEntry:
    """An unsaved entry (for `index_many` and bulk loads); `cut`: a faster equivalent of
    `segment` for the texts at hand (e.g. remembering the names already cut)."""
    cut = cut or segment
    title = (title or "")[:300]
    return SearchEntry(
        target_type=obj_type,
        target_id=str(obj_id),
        unit_path=unit_path,
        also_path=also_path or None,
        title=title,
        body=text or "",
        title_segmented=cut(title),
        body_segmented=cut(text or ""),
        updated_at=now or timezone.now(),
    )


def index_many(
    obj_type: str,
    rows: Iterable[tuple],
    *,
    batch_size: int = 2000,
    cut: Callable[[str], str] | None = None,
) -> int:
    """Add or refresh the entries of many records at once: rows of (id, title, text,
    unit_path[, also_path]). Existing entries of these records are replaced. Returns how
    many. `cut`: see `entry`."""
    done = 0
    batch: list[SearchEntry] = []
    now = timezone.now()

    def flush() -> None:
        SearchEntry.objects.filter(
            target_type=obj_type, target_id__in=[e.target_id for e in batch]
        ).delete()
        SearchEntry.objects.bulk_create(batch, batch_size=batch_size)
        batch.clear()

    for row in rows:
        obj_id, title, text, unit_path, *also = row
        batch.append(
            entry(
                obj_type,
                obj_id,
                title=title,
                text=text,
                unit_path=unit_path,
                also_path=also[0] if also else "",
                now=now,
                cut=cut,
            )
        )
        done += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return done


def replace_all(obj_type: str, rows: Iterable[tuple], *, batch_size: int = 2000) -> int:
    """Drop every entry of `obj_type` and index `rows` (id, title, text, unit_path) instead:
    a full reindex of one record type, in one transaction."""
    from django.db import transaction

    with transaction.atomic():
        SearchEntry.objects.filter(target_type=obj_type).delete()
        return index_many(obj_type, rows, batch_size=batch_size)


def remove(obj_type: str, obj_id) -> None:
    """Drop the entry of one record (no error when there is none)."""
    SearchEntry.objects.filter(target_type=obj_type, target_id=str(obj_id)).delete()


def scope_by_type(scopes: Mapping[str, Q]) -> Q:
    """{target_type: scope Q} -> one Q: each type searched within its own scope."""
    combined = Q(pk__in=[])
    for target_type, scope in scopes.items():
        combined |= Q(target_type=target_type) & scope
    return combined


def _where(connection, types: Iterable[str] | None, scope_q: Q | None) -> tuple[str, list]:
    """The filter on core_searchentry as SQL, compiled by Django from ordinary lookups."""
    qs = SearchEntry.objects.all()
    if types is not None:
        qs = qs.filter(target_type__in=list(types))
    if scope_q is not None:
        qs = qs.filter(scope_q)
    query = qs.query
    if len(query.alias_map) > 1:
        raise ValueError("scope_q may only filter SearchEntry's own fields (no joins)")
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "", []
    return sql, list(params)


def _matching(connection, groups: list[_Group], types: list[str], where_sql: str, where_params):
    """(select list, FROM ... WHERE ... of the matching entries, params, rank expression).

    Raw SQL: Django's ORM cannot express an FTS5 MATCH / bm25() or a generated tsvector
    column. Only constants and Django-compiled lookups are interpolated; every value is a
    query parameter."""
    where_clause = f" AND ({where_sql})" if where_sql else ""
    cols = f"{TABLE}.target_type, {TABLE}.target_id, {TABLE}.title, {TABLE}.body"  # noqa: S608
    if connection.vendor == "sqlite":
        rank = f"-bm25({FTS_TABLE}, {BM25_WEIGHTS})"
        body = (
            f"FROM {FTS_TABLE} JOIN {TABLE} ON {TABLE}.id = {FTS_TABLE}.rowid "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s{where_clause}"
        )
        return cols, body, [_sqlite_match(groups, types), *where_params], rank
    if connection.vendor == "postgresql":
        tsquery, tsparams = _postgres_tsquery(groups)
        rank = f"ts_rank({TABLE}.search_vector, q.query)"
        # The types' lexemes with the words: the GIN index finds those types' matches alone
        # (a word common among the grievances costs nothing to a search of the knowledge base).
        of_types = " || ".join(["%s::tsquery"] * len(types))
        body = (
            f"FROM {TABLE}, (SELECT {tsquery} AS query) AS q "  # noqa: S608
            f"WHERE {TABLE}.search_vector @@ (q.query && ({of_types})){where_clause}"
        )
        lexemes = [type_lexeme(t) for t in types]
        return cols, body, [*tsparams, *lexemes, *where_params], rank
    raise NotImplementedError(connection.vendor)  # pragma: no cover


def _hits(rows, groups: list[_Group]) -> list[Hit]:
    pattern = _highlight_pattern(groups)
    return [
        Hit(
            target_type=target_type,
            target_id=target_id,
            title=title,
            snippet=snippet(body, pattern),
            rank=float(rank),
        )
        for target_type, target_id, title, body, rank, *_ in rows
    ]


def search(
    query: str,
    *,
    types: Iterable[str] | None = None,
    scope_q: Q | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """Best matches first. `scope_q` is a filter on SearchEntry (usually on unit_path)."""
    groups = _query_groups(query or "")
    if not groups:
        return []
    connection = connections[router.db_for_read(SearchEntry)]
    try:
        where_sql, where_params = _where(connection, types, scope_q)
    except EmptyResultSet:
        return []  # nothing in scope
    if types is None:  # every type there is (the callers name theirs)
        all_types = SearchEntry.objects.values_list("target_type", flat=True).distinct()
        types = list(all_types.order_by())
    if not types:
        return []
    cols, body, params, rank = _matching(connection, groups, list(types), where_sql, where_params)
    sql = (
        f"SELECT {cols}, {rank} AS rank {body} "  # noqa: S608
        f"ORDER BY rank DESC, {TABLE}.updated_at DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return _hits(cursor.fetchall(), groups)


def search_by_type(query: str, scopes: Mapping[str, Q], *, per_type: int = 20) -> dict:
    """{target_type: best hits, at most `per_type`} for each type of `scopes`, each type
    searched within its own scope ({type: Q on SearchEntry}) among its newest matches
    (_candidates), in one statement (a window function ranks within each type)."""
    groups = _query_groups(query or "")
    if not groups or not scopes:
        return {}
    connection = connections[router.db_for_read(SearchEntry)]
    matched, params = _candidates(connection, groups, scopes, enough=per_type)
    if not matched:
        return {}
    ranked = (
        "SELECT id, rank, ROW_NUMBER() OVER (PARTITION BY target_type "  # noqa: S608
        f"ORDER BY rank DESC, updated_at DESC) AS position FROM ({matched}) AS matched"
    )
    sql = (
        f"SELECT e.target_type, e.target_id, e.title, e.body, r.rank FROM ({ranked}) AS r "  # noqa: S608
        f"JOIN {TABLE} AS e ON e.id = r.id WHERE r.position <= %s "
        "ORDER BY e.target_type, r.position"
    )
    postgres = connection.vendor == "postgresql"
    # PostgreSQL: a transaction for SET LOCAL. Not on SQLite, where it would take the write
    # lock (transactions begin IMMEDIATE there) for a read.
    in_transaction = transaction.atomic(using=connection.alias) if postgres else nullcontext()
    with in_transaction, connection.cursor() as cursor:
        if postgres:
            # The walks of _postgres_arm go along an index: a sequential scan is never cheaper
            # there, though the planner, misled by the word's frequency, may think so.
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, [*params, per_type])
        hits = _hits(cursor.fetchall(), groups)
        if postgres:
            cursor.execute("RESET enable_seqscan")  # (within a request's transaction)
    found: dict[str, list[Hit]] = {}
    for hit in hits:
        found.setdefault(hit.target_type, []).append(hit)
    return found


# bm25() weights of the SQLite index's columns: title, text.
BM25_WEIGHTS = "4.0, 1.0"
# Per type, the newest matches within its scope that are ranked. A word found in half a million
# entries would otherwise have every match read, ranked and sorted (seconds at a million
# entries); each type's matches are found on their own, so a small type (the knowledge base,
# notices) is never crowded out by a large one.
CANDIDATES = 1000
# PostgreSQL: a type's newest WALK entries are searched first; its older entries only when
# those hold fewer matches than the caller asks for (see _postgres_arm).
WALK = 5_000


def _candidates(connection, groups: list[_Group], scopes: Mapping[str, Q], *, enough: int):
    """(SQL, params) of the ranked candidates of every type: for each, its matches within its
    scope newest first, stopping at CANDIDATES, which alone are ranked."""
    arms, params = [], []
    for target_type, scope in scopes.items():
        try:
            where_sql, where_params = _where(connection, None, scope)
        except EmptyResultSet:
            continue
        where_clause = f" AND ({where_sql})" if where_sql else ""
        if connection.vendor == "sqlite":
            arm, arm_params = _sqlite_arm(groups, target_type, where_clause)
        else:
            arm, arm_params = _postgres_arm(groups, target_type, where_clause, enough)
        arms.append(arm)
        for param in arm_params:  # the scope's params where the arm has its {where}
            params += where_params if param is _WHERE else [param]
    return " UNION ALL ".join(arms), params


_WHERE = object()  # in an arm's params: the scope's params go here


def _sqlite_arm(groups: list[_Group], target_type: str, where_clause: str):
    """FTS5 walks the type's matches (its prefixed words) in rowid order, which it reads without
    sorting, each joined to its row for the scope."""
    sql = (
        f"SELECT * FROM (SELECT {TABLE}.id AS id, {TABLE}.target_type AS target_type, "  # noqa: S608
        f"{TABLE}.updated_at AS updated_at, -bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS rank "
        f"FROM {FTS_TABLE} CROSS JOIN {TABLE} ON {TABLE}.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {TABLE}.target_type = %s{where_clause} "
        f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s)"
    )
    return sql, [_sqlite_match(groups, [target_type]), target_type, _WHERE, CANDIDATES]


def _postgres_arm(groups: list[_Group], target_type: str, where_clause: str, enough: int):
    """The type's newest WALK entries are read newest first and tested against the query, up
    to CANDIDATES matches; when they hold fewer than `enough` (the hits the caller shows), the
    type's own GIN index (search_sql.type_index_sql) finds its older matches (below the
    WALK-th newest entry, looked up only then) by the query's required words
    (_postgres_gin_tsquery), each tested against the query itself, up to CANDIDATES of them
    in the order the index gives them (all of them when fewer).

    The planner is not left to choose between reading in order and the GIN index: it
    estimates a word's frequency over all the types and as if words came apart (劳动 and 合同
    come together). Cost: at most WALK rows read for a rare word, and the matches of a word
    rare among the newest entries, up to CANDIDATES older rows."""
    tsquery, tsparams = _postgres_tsquery(groups)
    gin_tsquery, gin_params = _postgres_gin_tsquery(groups)
    cols = f"{TABLE}.id, {TABLE}.target_type, {TABLE}.updated_at, {TABLE}.search_vector"
    sql = (
        f"(WITH q AS (SELECT {tsquery} AS query, {gin_tsquery} AS gin), "  # noqa: S608
        # The newest WALK entries of the type: its type as a range (not =) with the order by
        # (type, id) leave only core_searchentry_type_newest (the planner would walk the
        # primary key through the newer entries of the other types), and the limit ends the
        # scan there. Named as the table, so the scope's SQL applies to it; coalesce(): the
        # query is tested on each of these rows, never through the GIN index.
        f"walk AS (SELECT {cols} FROM (SELECT * FROM {TABLE} WHERE target_type >= %s "
        "AND target_type <= %s ORDER BY target_type DESC, id DESC LIMIT %s) AS "
        f"{TABLE}, q WHERE coalesce({TABLE}.search_vector, '') @@ q.query{{where}} "
        # No ORDER BY: the rows come newest first from the limited subquery, and the walk
        # stops at the CANDIDATES-th match (a sort would read all WALK rows first).
        "LIMIT %s), "
        # Through the type's GIN index (its WHERE target_type = '<type>' matches the type's
        # condition; id + 0: not the primary key), not sorted: the heap is read only until
        # CANDIDATES are found.
        f"older AS (SELECT {cols} FROM {TABLE}, q WHERE (SELECT count(*) FROM walk) < %s "
        f"AND {TABLE}.id + 0 < (SELECT coalesce((SELECT id FROM {TABLE} "
        "WHERE target_type >= %s AND target_type <= %s "
        "ORDER BY target_type DESC, id DESC OFFSET %s LIMIT 1), 0)) "
        f"AND {TABLE}.target_type = %s "
        # The index finds the type's entries holding every required word (q.gin); each is
        # then tested against the query itself (coalesce: not through an index).
        f"AND {TABLE}.search_vector @@ q.gin "
        f"AND coalesce({TABLE}.search_vector, '') @@ q.query{{where}} LIMIT %s) "
        "SELECT c.id, c.target_type, c.updated_at, ts_rank(c.search_vector, q.query) AS rank "
        "FROM (SELECT * FROM walk UNION ALL SELECT * FROM older) AS c, q)"
    )
    return sql.replace("{where}", where_clause), [
        *tsparams,
        *gin_params,
        *(target_type, target_type, WALK, _WHERE, CANDIDATES),  # walk
        *(enough, target_type, target_type, WALK - 1),  # older: when, and below which entry
        *(target_type, _WHERE, CANDIDATES),
    ]


def _highlight_pattern(groups: list[_Group]) -> re.Pattern | None:
    terms = {g.word for g in groups} | {p for g in groups for p in g.parts}
    if not terms:
        return None
    alternatives = sorted(terms, key=len, reverse=True)
    # Adjacent matches become one mark: <mark>加班工资</mark>, not two.
    return re.compile("(?:" + "|".join(re.escape(t) for t in alternatives) + ")+", re.IGNORECASE)


def snippet(text: str, pattern: re.Pattern | None, width: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around the first match, HTML-escaped, matches wrapped in <mark>."""
    text = " ".join((text or "").split())
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    end = min(len(text), start + width)
    window = text[start:end]
    out = ["…" if start > 0 else ""]
    pos = 0
    for m in pattern.finditer(window) if pattern else ():
        out.append(escape(window[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(window[pos:]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
