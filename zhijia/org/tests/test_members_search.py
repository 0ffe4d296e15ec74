"""Member search (name, 工号, pinyin, initials, phone tail, ID number), filters, ordering."""

import datetime as dt

import pytest

from zhijia.core.pagination import page_of
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.org.queries import members as queries
from zhijia.org.tests.member_factory import make_member, valid_id_number


def names(qs):
    return sorted(m.name for m in qs)


def search(user, q):
    return names(queries.list_members_for_user(user, queries.MemberFilters(q=q)))


@pytest.fixture
def chair(personas):
    return personas["chair"]


@pytest.mark.parametrize(
    "q",
    [
        "chenxiaohong",
        "chen xiao hong",
        "ChenXiaoHong",
        "cxh",
        "CXH",
        "chenx",
        "chen",
        "陈小红",
        "小红",
    ],
)
def test_worker1_found_by_name_pinyin_and_initials(chair, q):
    assert "陈小红" in search(chair, q)


def test_pinyin_prefix_does_not_match_the_middle(chair, personas):
    make_member("B1-G2", name="沈晨")  # shenchen: "chen" is inside, not a prefix
    assert "沈晨" not in search(chair, "chen")
    assert "沈晨" in search(chair, "shenc")
    assert "沈晨" in search(chair, "sc")


def test_initials_and_pinyin_are_distinct_prefixes(chair):
    make_member("B1-G2", name="张三")
    make_member("B1-G2", name="章珊珊")
    make_member("B1-G2", name="赵四")
    assert search(chair, "zhangsan") == ["张三"]
    assert search(chair, "zs") == ["张三", "章珊珊", "赵四"]  # initials are a prefix too
    assert search(chair, "zss") == ["章珊珊"]
    assert search(chair, "zhaos") == ["赵四"]
    assert search(chair, "zhang") == ["张三", "张志强", "章珊珊"]  # 张志强 is branch2


def test_employee_no_prefix_and_phone_suffix(chair):
    make_member("B2-G1", name="王五", employee_no="880011", phone="13712345678")
    make_member("B2-G1", name="钱六", employee_no="880012", phone="13800005678")
    assert search(chair, "88001") == ["王五", "钱六"]
    assert search(chair, "880011") == ["王五"]
    assert search(chair, "5678") == ["王五", "钱六"]
    assert search(chair, "12345678") == ["王五"]
    assert search(chair, "13712345678") == ["王五"]
    # three digits are too short to mean a phone tail; only the 工号 prefix applies
    assert search(chair, "678") == []
    # 工号 with letters, typed in lower case
    assert search(chair, "e0103") == ["陈小红"]


def test_exact_id_number_search_uses_the_digest(chair):
    id_number = valid_id_number("F")
    make_member("B2-G2", name="孙七", gender="F", id_number=id_number)
    assert search(chair, id_number) == ["孙七"]
    assert search(chair, id_number.lower()) == ["孙七"]
    assert search(chair, id_number[:10]) == []


def test_search_stays_in_scope(personas):
    assert search(personas["branch1"], "cxh") == ["陈小红"]
    assert search(personas["branch2"], "cxh") == []
    assert search(personas["branch2"], "liuwei") == ["刘伟"]
    assert search(personas["branch1"], "liuwei") == []


def test_blank_and_odd_queries(chair):
    everyone = queries.list_members_for_user(chair, queries.MemberFilters()).count()
    assert len(search(chair, "   ")) == everyone
    assert search(chair, "%") == []
    assert search(chair, "_") == []
    assert search(chair, "'; drop table") == []
    assert search(chair, "x" * 200) == []


def test_filters(chair, demo_units):
    dept = Department.objects.get(code="D-SAFE")
    make_member(
        "B3-G1",
        name="周八",
        gender="F",
        status=Member.Status.RETIRED,
        employment_type=Member.EmploymentType.DISPATCHED,
        department=dept,
        join_date=dt.date(2021, 3, 5),
    )
    make_member("B3-G2", name="吴九", join_date=dt.date(2020, 12, 31))

    def filtered(**kwargs):
        return names(queries.list_members_for_user(chair, queries.MemberFilters(**kwargs)))

    b3 = OrgUnit.objects.get(code="B3")
    assert filtered(unit=b3) == ["吴九", "周八"]
    assert filtered(unit=OrgUnit.objects.get(code="B3-G2")) == ["吴九"]
    assert filtered(unit=b3, status=Member.Status.RETIRED) == ["周八"]
    assert filtered(unit=b3, employment_type=Member.EmploymentType.DISPATCHED) == ["周八"]
    assert filtered(unit=b3, gender="F") == ["周八"]
    assert filtered(department=dept) == ["周八"]
    assert filtered(unit=b3, join_year=2021) == ["周八"]
    assert filtered(unit=b3, join_year=2020) == ["吴九"]
    assert filtered(q="zhou", unit=b3) == ["周八"]
    # the B1 subtree holds branch1's own record, rep1 and worker1
    assert filtered(unit=demo_units["B1"]) == ["李春梅", "赵卫东", "陈小红"]


def test_orderings(chair):
    make_member("B3-G1", name="艾一", employee_no="Z9", join_date=dt.date(2001, 1, 1))
    make_member("B3-G1", name="白二", employee_no="Z1", join_date=dt.date(2002, 1, 1))

    def ordered(order):
        f = queries.MemberFilters(unit=OrgUnit.objects.get(code="B3-G1"), order=order)
        return [m.name for m in queries.list_members_for_user(chair, f)]

    assert ordered("name") == ["艾一", "白二"]  # ai < bai
    assert ordered("-name") == ["白二", "艾一"]
    assert ordered("employee_no") == ["白二", "艾一"]
    assert ordered("join_date") == ["艾一", "白二"]
    assert ordered("-join_date") == ["白二", "艾一"]
    assert ordered("nonsense") == ordered("employee_no")


def test_list_units_visible_to(personas):
    b1_units = [u.code for u in queries.list_units_visible_to(personas["branch1"])]
    assert b1_units == ["B1", "B1-G1", "B1-G2", "B1-G3", "B1-G4"]
    depths = {u.code: u.depth for u in queries.list_units_visible_to(personas["branch1"])}
    assert depths["B1"] == 0 and depths["B1-G1"] == 1
    chair_units = queries.list_units_visible_to(personas["chair"])
    assert len(chair_units) == 16 and chair_units[0].code == "U"
    assert queries.list_units_visible_to(personas["worker1"]) == []
    assert queries.list_units_visible_to(personas["handler1"]) == []


def test_paginate_with_capped_count(chair, demo_units):
    for i in range(7):
        make_member("B3-G4", name=f"分页{i}")
    f = queries.MemberFilters(unit=OrgUnit.objects.get(code="B3-G4"))
    qs = queries.list_members_for_user(chair, f)
    page = page_of(qs, 2, 3)
    assert [m.name for m in page.items] == ["分页3", "分页4", "分页5"]
    assert (page.count, page.count_exact, page.has_next, page.has_previous) == (7, True, True, True)
    assert page.pages == 3 and page.start_index == 4 and page.end_index == 6
    assert page_of(qs, 3, 3).has_next is False
    assert page_of(qs, "junk", 3).page == 1
    assert page_of(qs, 99, 3, clamp=False).items == []
    assert [m.name for m in page_of(qs, 99, 3).items] == ["分页6"]  # pages show the last
    assert queries.count_capped(qs, cap=5) == (5, False)
    assert queries.count_capped(qs, cap=7) == (7, True)


def test_page_members_search_paths(chair, personas, monkeypatch):
    for i in range(6):
        make_member("B3-G4", name=f"欧阳{i}", phone=f"1380000{i:04d}")
    f = queries.MemberFilters(q="欧阳")
    page = queries.page_members(chair, f, 1, per_page=4)
    assert [m.name for m in page.items] == ["欧阳0", "欧阳1", "欧阳2", "欧阳3"]
    assert (page.count, page.count_exact, page.has_next) == (6, True, True)
    page2 = queries.page_members(chair, f, 2, per_page=4)
    assert [m.name for m in page2.items] == ["欧阳4", "欧阳5"] and page2.count == 6
    # the scope still applies to the collected ids
    assert queries.page_members(personas["branch1"], f).items == []
    # more matches than the cap: the ordinary paging, with "more than" as the count
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 3)
    page = queries.page_members(chair, queries.MemberFilters(q="ouyang"), 1, per_page=4)
    assert len(page.items) == 4 and (page.count, page.count_exact) == (3, False)
    # one term over the cap, the combined filters under it
    page = queries.page_members(
        chair, queries.MemberFilters(q="0003", unit=OrgUnit.objects.get(code="B3-G4")), 1
    )
    assert [m.name for m in page.items] == ["欧阳3"] and page.count_exact
    # join year alone goes the same way
    page = queries.page_members(chair, queries.MemberFilters(join_year=2015), 1, per_page=2)
    assert page.count_exact is False and len(page.items) == 2
