"""Chinese full-text search: segmentation, ranking, scope, re-indexing, hostile queries.

Runs on whichever database the suite runs on (SQLite FTS5 or PostgreSQL tsvector).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from zhijia.core import search
from zhijia.core.models import SearchEntry
from zhijia.core.permissions import scope_q
from zhijia.core.search_sql import TABLE, ensure_search_schema

pytestmark = pytest.mark.django_db

DOCS = {
    1: ("加班工资问题", "职工加班工资未按时发放，车间主任说下个月一起结算。"),
    2: ("合同问题", "劳动合同到期未续签，公司也没有书面通知本人。"),
    3: ("食堂", "食堂饭菜质量问题，希望改进菜品。"),
}


@pytest.fixture
def units(demo_units):
    from zhijia.org.models import OrgUnit

    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def indexed(units):
    b1 = units["B1"].path
    for pk, (title, text) in DOCS.items():
        search.index("cases.grievance", pk, title=title, text=text, unit_path=b1)
    return b1


def ids(hits):
    return [int(h.target_id) for h in hits]


def test_natural_queries_find_the_right_documents(indexed):
    assert ids(search.search("加班工资")) == [1]
    assert ids(search.search("合同续签")) == [2]
    assert ids(search.search("食堂的饭菜")) == [3]  # function words are not required
    assert ids(search.search("劳动合同")) == [2]
    assert search.search("工会选举") == []


def test_longer_query_word_matches_its_parts(units):
    # 劳动合同 (one word in a query) must find a text jieba cut as 劳动 / 合同法.
    search.index(
        "kb.article",
        7,
        title="法条",
        text="中华人民共和国劳动合同法第十四条规定了无固定期限劳动合同。",
        unit_path=units["U"].path,
    )
    assert ids(search.search("劳动合同")) == [7]
    assert ids(search.search("第十四条")) == [7]


def test_hit_fields_snippet_and_rank(indexed):
    [hit] = search.search("加班工资")
    assert hit.target_type == "cases.grievance"
    assert hit.target_id == "1"
    assert hit.title == "加班工资问题"
    assert "职工<mark>加班工资</mark>未按时发放" in hit.snippet
    assert hit.rank > 0


def test_snippet_is_escaped_and_windowed(units):
    text = "前言" * 40 + "<script>alert(1)</script> 食堂排队时间太长" + "后记" * 40
    search.index("notices.notice", 9, title="意见", text=text, unit_path=units["U"].path)
    [hit] = search.search("排队")
    assert "<script>" not in hit.snippet
    assert "&lt;/script&gt;" in hit.snippet
    assert "<mark>排队</mark>" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 200


def test_title_match_ranks_above_body_match(units):
    path = units["U"].path
    search.index("kb.article", 1, title="工伤认定", text="有关规定见附件。", unit_path=path)
    search.index(
        "kb.article",
        2,
        title="请假流程",
        text="职工请假需要提前申请。工伤期间另有规定。",
        unit_path=path,
    )
    assert ids(search.search("工伤")) == [1, 2]


def test_scope_restricts_results(personas, units):
    search.index("cases.grievance", 1, title="加班", text="加班工资", unit_path=units["B1-G1"].path)
    search.index("cases.grievance", 2, title="加班", text="加班工资", unit_path=units["B2"].path)
    branch1_scope = scope_q(personas["branch1"], "org.view_member", path_field="unit_path")
    assert ids(search.search("加班工资", scope_q=branch1_scope)) == [1]
    branch2_scope = scope_q(personas["branch2"], "org.view_member", path_field="unit_path")
    assert ids(search.search("加班工资", scope_q=branch2_scope)) == [2]
    # The chair sees the whole union; a worker holding no such permission sees nothing.
    chair_scope = scope_q(personas["chair"], "org.view_member", path_field="unit_path")
    assert sorted(ids(search.search("加班工资", scope_q=chair_scope))) == [1, 2]
    worker_scope = scope_q(personas["worker1"], "org.view_member", path_field="unit_path")
    assert search.search("加班工资", scope_q=worker_scope) == []


def test_types_and_per_type_scopes(personas, units):
    search.index("cases.grievance", 1, title="加班", text="加班工资", unit_path=units["B2"].path)
    search.index("kb.article", 1, title="加班工资怎么算", text="按小时", unit_path="/")
    assert [h.target_type for h in search.search("加班", types=["kb.article"])] == ["kb.article"]
    assert search.search("加班", types=[]) == []
    combined = search.scope_by_type(
        {
            "cases.grievance": scope_q(
                personas["branch1"], "org.view_member", path_field="unit_path"
            ),
            "kb.article": Q(),
        }
    )
    assert [h.target_type for h in search.search("加班", scope_q=combined)] == ["kb.article"]


def test_the_words_of_a_type_find_nothing(units):
    # The SQLite index holds each entry's type as a column for search_by_type; a query's
    # words are looked for in the title and the text only.
    search.index("org.member", 1, title="张三", text="检修班", unit_path=units["B1"].path)
    assert search.search("member") == []
    assert search.search_by_type("org member", {"org.member": Q()}) == {}
    assert ids(search.search("张三")) == [1]


def test_a_large_type_never_crowds_out_a_small_one(units, monkeypatch):
    # Many newer grievances about 加班 and one older answer of the knowledge base: each type
    # is searched within its own entries, so the answer is found whatever the grievances,
    # and only a type's newest matches are ranked.
    monkeypatch.setattr(search, "CANDIDATES", 3)
    path = units["B1"].path
    search.index("cases.knowledge", 1, title="加班工资怎么算", text="按小时", unit_path="/")
    for pk in range(1, 11):
        search.index("cases.grievance", pk, title="加班", text="加班未付工资", unit_path=path)
    found = search.search_by_type("加班", {"cases.grievance": Q(), "cases.knowledge": Q()})
    assert [h.target_id for h in found["cases.knowledge"]] == ["1"]
    # The newest candidates of a type are ranked (3 here), on either database.
    expected = 3
    assert [h.target_id for h in found["cases.grievance"]] == ["10", "9", "8"]
    # A candidate outside the scope is not counted against the type's candidates.
    other = units["B2"].path
    search.index("cases.grievance", 99, title="加班", text="加班", unit_path=other)
    in_b1 = search.search_by_type("加班", {"cases.grievance": Q(unit_path__startswith=path)})
    assert len(in_b1["cases.grievance"]) == expected
    assert "99" not in {h.target_id for h in in_b1["cases.grievance"]}


def test_older_matches_are_read_when_the_newest_entries_hold_too_few(units, monkeypatch):
    # PostgreSQL reads a type's newest WALK entries in order, and its GIN index for the older
    # matches only when those hold fewer than the caller asks for; SQLite's index walks the
    # matches newest first. Either way every match is found while there are few.
    monkeypatch.setattr(search, "WALK", 3)
    path = units["B1"].path
    for pk in range(1, 5):
        search.index("cases.grievance", pk, title="加班", text="加班未付", unit_path=path)
    search.index("org.member", 1, title="加班", text="", unit_path=path)  # another type
    for pk in range(5, 11):
        search.index("cases.grievance", pk, title="食堂", text="饭菜", unit_path=path)
    scopes = {"cases.grievance": Q()}
    found = search.search_by_type("加班", scopes, per_type=2)
    assert len(found["cases.grievance"]) == 2
    found = search.search_by_type("加班", scopes)
    assert sorted(int(h.target_id) for h in found["cases.grievance"]) == [1, 2, 3, 4]
    assert "org.member" not in found
    for pk in (11, 12):
        search.index("cases.grievance", pk, title="加班", text="加班", unit_path=path)
    found = search.search_by_type("加班", scopes, per_type=2)["cases.grievance"]
    if connection.vendor == "postgresql":  # the newest three hold two: the older are not read
        assert {int(h.target_id) for h in found} == {11, 12}
    found = search.search_by_type("加班", scopes, per_type=10)["cases.grievance"]
    assert sorted(int(h.target_id) for h in found) == [1, 2, 3, 4, 11, 12]


def test_older_matches_of_compound_words_are_found_by_their_sub_words(units, monkeypatch):
    # The older matches are looked up by the words' required sub-words (劳务 派遣 for
    # 劳务派遣), then tested against the query: the word itself or its sub-words apart.
    monkeypatch.setattr(search, "WALK", 1)
    path = units["B1"].path
    texts = {
        1: "劳务派遣工要求同工同酬",
        2: "派遣到外地的劳务人员同工同酬问题",  # the sub-words apart
        3: "劳务派遣工的加班费",  # 同工同酬 missing
        4: "同工同酬",  # 劳务派遣 missing
    }
    for pk, text in texts.items():
        search.index("cases.grievance", pk, title="诉求", text=text, unit_path=path)
    search.index("org.member", 1, title="劳务派遣同工同酬", text="", unit_path=path)
    for pk in range(5, 8):  # the newest entries, walked: no match among them
        search.index("cases.grievance", pk, title="食堂", text="饭菜", unit_path=path)
    found = search.search_by_type("劳务派遣同工同酬", {"cases.grievance": Q()}, per_type=10)
    assert sorted(int(h.target_id) for h in found["cases.grievance"]) == [1, 2]


def test_every_declared_type_has_its_own_index_on_postgresql(db):
    from zhijia.core import search_sql, searchables

    if connection.vendor != "postgresql":
        pytest.skip("the types' GIN indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = dict(cursor.fetchall())
    for searchable in searchables.declared():
        definition = indexes[search_sql.type_index_name(searchable.type)]
        assert "USING gin (search_vector)" in definition
        assert f"target_type)::text = '{searchable.type}'" in definition
    with pytest.raises(ValueError):
        search_sql.type_index_name("cases.grievance'; DROP TABLE x; --")


def test_reindex_updates_instead_of_duplicating(indexed):
    search.index("cases.grievance", 1, title="已解决", text="夜班补贴已经补发。", unit_path=indexed)
    assert SearchEntry.objects.filter(target_type="cases.grievance", target_id="1").count() == 1
    assert search.search("加班工资") == []  # the old words are gone from the index
    [hit] = search.search("夜班补贴")
    assert (hit.target_id, hit.title) == ("1", "已解决")


def test_remove(indexed):
    search.remove("cases.grievance", 2)
    search.remove("cases.grievance", 999)  # absent: no error
    assert search.search("合同续签") == []
    assert SearchEntry.objects.count() == 2


def test_bulk_orm_delete_reaches_the_index(indexed):
    SearchEntry.objects.filter(target_id__in=["1", "3"]).delete()
    assert search.search("加班工资") == []
    assert search.search("饭菜") == []
    assert ids(search.search("续签")) == [2]


@pytest.mark.parametrize(
    "query",
    [
        "AND",
        "加班 AND",
        'OR "工资',
        '"',
        '""',
        "*",
        "加班*",
        "-工资",
        "NOT 加班",
        "NEAR(加班 工资)",
        "title:加班",
        "^加班",
        "加班 & | ! ( ) : ' \\",
        "'; DROP TABLE core_searchentry; --",
        "",
        "   ",
        "的",
        "加" * 1000,
    ],
)
def test_special_characters_do_not_crash(indexed, query):
    hits = search.search(query)
    assert isinstance(hits, list)
    assert SearchEntry.objects.count() == 3


def test_operators_are_plain_words(indexed):
    # "加班 -工资" must not mean "加班 without 工资" or be a syntax error.
    assert ids(search.search("加班 -工资")) == [1]
    assert ids(search.search('"加班工资"')) == [1]


def test_full_width_and_case(units):
    search.index("kb.article", 5, title="Excel 导入", text="ＨＲ系统导出的表", unit_path="/")
    assert ids(search.search("excel")) == [5]
    assert ids(search.search("hr")) == [5]


def test_limit_and_offset(units):
    for i in range(5):
        search.index("kb.article", i, title=f"通知{i}", text="职工体检安排", unit_path="/")
    first = search.search("体检", limit=2)
    rest = search.search("体检", limit=10, offset=2)
    assert len(first) == 2 and len(rest) == 3
    assert not {h.target_id for h in first} & {h.target_id for h in rest}


def test_ensure_search_schema_is_idempotent(indexed):
    ensure_search_schema(connection)
    ensure_search_schema(connection)
    assert ids(search.search("加班工资")) == [1]


def _sqlite_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["core_searchentry"],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_post_migrate_restores_sqlite_triggers_after_table_rebuild():
    """SQLite ALTERs rebuild the table and drop its triggers; the post_migrate handler that
    zhijia.core.apps wires puts them back, and the index survives the rebuild."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite table rebuilds only")
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import models

    search.index("kb.article", 1, title="加班", text="加班工资计算", unit_path="/")
    old_field = SearchEntry._meta.get_field("title")
    new_field = models.CharField(max_length=400)
    new_field.set_attributes_from_name("title")
    new_field.model = SearchEntry
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(SearchEntry, old_field, new_field)
        assert _sqlite_triggers() == set()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        assert len(_sqlite_triggers()) == 3
        assert ids(search.search("加班工资")) == [1]
        search.index("kb.article", 2, title="续签", text="合同续签", unit_path="/")
        search.index("kb.article", 1, title="夜班", text="夜班补贴", unit_path="/")
        assert ids(search.search("合同续签")) == [2]
        assert search.search("加班工资") == []
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(SearchEntry, new_field, old_field)
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
