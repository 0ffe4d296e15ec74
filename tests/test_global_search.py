"""The global search (zhijia.core.searchables): pinyin finds a name; nobody finds a record
outside what they may open (a property test over random users and queries); an anonymous
grievance never leads to its author; the page and GET /api/v1/search."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search_support import (
    ANONYMOUS_AUTHOR,
    ANONYMOUS_TEXT,
    USERS,
    build_world,
    in_subtree,
    may_open,
)
from zhijia.cases.models import Grievance
from zhijia.core.models import SearchEntry
from zhijia.core.searchables import search_all

QUERIES = (
    "加班",
    "加班工资",
    "加班费",
    "食堂",
    "空调",
    "羽毛球",
    "通知",
    "zhangsan",
    "zs",
    "lisi",
    ANONYMOUS_AUTHOR,
    "wangxiuying",
    "wxy",
    "S10002",
    "陈小红",
    "克扣",
    "第二分工会",
    "法律",
)


@pytest.fixture(scope="module")
def world(module_personas):
    return build_world(module_personas)


@pytest.fixture
def personas(module_personas, world, db):
    return module_personas


def _hits(user, query, type_key=""):
    return [
        (g.searchable.type, h.target_id)
        for g in search_all(user, query, type_key=type_key).groups
        for h in g.hits
    ]


def test_pinyin_full_and_initials_find_a_name(personas, world):
    zhang = str(world["zhang"].pk)
    for query in ("zhangsan", "zs", "张三", "S10001"):
        assert ("org.member", zhang) in _hits(personas["chair"], query), query
    assert ("org.member", zhang) in _hits(personas["branch1"], "zhangsan")
    assert _hits(personas["branch2"], "zhangsan") == []  # 张三 is in branch 1


def test_a_worker_finds_public_records_and_only_her_own_grievances(personas, world):
    worker1 = personas["worker1"]
    found = _hits(worker1, "加班")
    types = {t for t, _ in found}
    assert {
        "notices.notice",
        "cases.knowledge",
        "services.activity",
        "services.course",
        "cases.grievance",
    } <= types
    grievances = {pk for t, pk in found if t == "cases.grievance"}
    assert grievances == {str(world["own1"].pk)}
    assert not any(t == "org.member" for t, _ in _hits(worker1, "zhangsan"))
    # branch 2's notice and activity are not hers
    assert _hits(worker1, "第二分工会") == []


def test_a_branch_chair_finds_nothing_outside_the_branch(personas, world):
    branch2 = personas["branch2"]
    for type_key, pk in _hits(branch2, "加班"):
        if type_key == "cases.grievance":
            g = Grievance.objects.get(pk=pk)
            assert in_subtree(g.org_unit, "B2") or in_subtree(g.handling_unit, "B2")
    assert ("cases.grievance", str(world["own1"].pk)) not in _hits(branch2, "食堂")
    assert ("cases.grievance", str(world["own2"].pk)) in _hits(branch2, "空调")
    # handled by branch 2 after a transfer (its handling level), still branch 1's worker's
    transferred = ("cases.grievance", str(world["transferred"].pk))
    assert transferred in _hits(branch2, "调休")
    assert transferred in _hits(personas["branch1"], "调休")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(username=st.sampled_from(USERS), query=st.sampled_from(QUERIES), narrow=st.booleans())
def test_search_never_returns_what_the_user_may_not_open(personas, world, username, query, narrow):
    user = personas[username]
    hits = _hits(user, query)
    if narrow and hits:
        type_key = hits[0][0]
        assert set(_hits(user, query, type_key=type_key)) == {h for h in hits if h[0] == type_key}
    for type_key, target_id in hits:
        assert may_open(user, type_key, target_id), (username, query, type_key, target_id)


def test_an_anonymous_grievance_never_leads_to_its_author(personas, world):
    anonymous = Grievance.objects.get(is_anonymous=True, text=ANONYMOUS_TEXT)
    chair = personas["chair"]
    assert ("cases.grievance", str(anonymous.pk)) in _hits(chair, "克扣")  # it is indexed
    wang = world["wang"]
    for query in (ANONYMOUS_AUTHOR, "wangxiuying", "wxy", wang.employee_no):
        assert {t for t, _ in _hits(chair, query)} == {"org.member"}, query
    entry = SearchEntry.objects.get(target_type="cases.grievance", target_id=str(anonymous.pk))
    for trace in (ANONYMOUS_AUTHOR, wang.employee_no, "wangxiuying"):
        assert trace not in f"{entry.title} {entry.body} {entry.body_segmented}"


def test_the_page_groups_hits_by_type_with_counts_and_links(login, world):
    client = login("worker1")
    html = client.get("/core/search/", {"q": "加班"}).content.decode()
    assert 'class="topsearch"' in html  # the box in the header
    own = world["own1"]
    assert f'href="/cases/{own.pk}/"' in html
    assert f'href="/cases/{world["own2"].pk}/"' not in html
    assert '通知公告 <span class="count">1</span>' in html
    narrowed = client.get("/core/search/", {"q": "加班", "type": "cases.grievance"})
    assert narrowed.status_code == 200
    assert "<mark>加班</mark>" in narrowed.content.decode()


def test_the_api_answers_the_page_envelope_within_the_callers_scope(api_client, world):
    body = api_client("branch2").get("/api/v1/search", {"q": "加班"}).json()
    assert {"items", "count", "page", "pages", "groups"} <= set(body)
    found = {(i["type"], i["id"]) for i in body["items"]}
    assert ("cases.grievance", str(world["own2"].pk)) in found
    assert ("cases.grievance", str(world["own1"].pk)) not in found
    counts = {g["type"]: g["count"] for g in body["groups"]}
    assert counts["cases.grievance"] == sum(1 for t, _ in found if t == "cases.grievance")
    only = api_client("branch2").get("/api/v1/search", {"q": "加班", "type": "notices.notice"})
    assert {i["type"] for i in only.json()["items"]} == {"notices.notice"}
    assert (
        api_client("branch2").get("/api/v1/search", {"q": "加班", "type": "x.y"}).json()["items"]
        == []
    )


def test_a_full_reindex_gives_the_same_entries_as_the_actions(world, db):
    from django.core.management import call_command

    def entries():
        return set(
            SearchEntry.objects.values_list(
                "target_type", "target_id", "unit_path", "also_path", "title", "body_segmented"
            )
        )

    before = entries()
    call_command("search_reindex", stdout=io.StringIO())
    assert entries() == before


@pytest.mark.parametrize(
    "name", ["张三", "欧阳娜娜", "阿依古丽·买买提", "Tom Li", "李 四", "王的", "陈小红"]
)
@pytest.mark.parametrize("employee_no", ["E0001", "B-01", "１２３", ""])
def test_the_bulk_paths_cut_a_member_as_the_index_does(name, employee_no):
    from zhijia.core.search import segment
    from zhijia.org.search import cut_entry_text, name_initials, name_pinyin

    title = f"{name}（{employee_no}）" if employee_no else name
    text = " ".join(filter(None, [name_pinyin(name), name_initials(name), employee_no]))
    for value in (title, text):
        assert cut_entry_text(value) == segment(value), value
