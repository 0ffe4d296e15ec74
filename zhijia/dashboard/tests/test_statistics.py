"""The statistics report to the higher union (工会统计年报): every number equals the count made
by hand on fixed data (support.py's union plus the records below), for the union's chair (T)
and a branch chair (TA), whose report never counts the sibling branch; the Excel opens in
openpyxl with the right rows; what the data model does not hold says 未登记.

Added to support.build() (2025 is the year):

    T    SX6 F 临时 (joined 2023) on the committee itself
    TA1  SX1 M 劳务派遣 (2024), SX2 F 劳务派遣 (2025-06), SX3 M 返聘 (no join date)
    TB   SX4 M 实习 (2025-09), SX5 F 劳务派遣 除名 (not on the roll)
    units: TB1 group (open), TB9 group (closed 2024: not counted), TA9 group (closed 2026:
           still open at the end of 2025)
    cadres: tb_member (TB, 委员), double (TA and TA1: one person), gone (TB, deactivated: not
            counted), rep (TB, a representative: not a cadre)
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client

from zhijia.accounts.models import ApiToken, Role, RoleAssignment, User
from zhijia.core import figures
from zhijia.dashboard import statistics
from zhijia.dashboard.tests import support
from zhijia.org.models import Member, OrgUnit

# Counted by hand from support.py and _extra() (see the module docstring).
EXPECTED = {
    "TA": {
        "members_total": 6,
        "members_regular": 3,
        "members_dispatched": 2,
        "members_rehired": 1,
        "members_temporary": 0,
        "members_intern": 0,
        "members_women": 4,
        "members_joined": 3,
        "members_left": 1,
        "cadres": 2,
        "cadres_full_time": None,
        "cadres_part_time": None,
        "branches": 1,
        "groups": 2,
        "dues_collected": Decimal("10.00"),
        "dues_arrears": Decimal("10.00"),
        "assistance_paid": Decimal("200.00"),
        "funds_allocated": None,
    },
    "TB": {
        "members_total": 3,
        "members_regular": 2,
        "members_dispatched": 0,
        "members_rehired": 0,
        "members_temporary": 0,
        "members_intern": 1,
        "members_women": 2,
        "members_joined": 2,
        "members_left": 1,
        "cadres": 1,
        "cadres_full_time": None,
        "cadres_part_time": None,
        "branches": 1,
        "groups": 1,
        "dues_collected": Decimal("8.00"),
        "dues_arrears": Decimal("0.00"),
        "assistance_paid": Decimal("0.00"),
        "funds_allocated": None,
    },
    "T": {
        "members_total": 10,
        "members_regular": 5,
        "members_dispatched": 2,
        "members_rehired": 1,
        "members_temporary": 1,
        "members_intern": 1,
        "members_women": 7,
        "members_joined": 5,
        "members_left": 1,
        "cadres": 4,
        "cadres_full_time": None,
        "cadres_part_time": None,
        "branches": 2,
        "groups": 3,
        "dues_collected": Decimal("18.00"),
        "dues_arrears": Decimal("10.00"),
        "assistance_paid": Decimal("700.00"),
        "funds_allocated": None,
    },
}
CHILDREN = {"T": ["TA", "TB"], "TA": ["TA1", "TA9"]}


def _extra(units: dict[str, OrgUnit]) -> None:
    t, ta, tb, ta1 = units["T"], units["TA"], units["TB"], units["TA1"]
    kinds = OrgUnit.Kind
    units["TB1"] = support._unit("TB1", "乙一小组", tb, kinds.GROUP)
    closed = support._unit("TB9", "乙九小组", tb, kinds.GROUP)
    OrgUnit.objects.filter(pk=closed.pk).update(closed_at=support.at(2024, 6, 1))
    units["TA9"] = support._unit("TA9", "甲九小组", ta, kinds.GROUP)
    OrgUnit.objects.filter(pk=units["TA9"].pk).update(closed_at=support.at(2026, 2, 1))

    def member(no, unit, gender, kind, joined, status=Member.Status.ACTIVE):
        Member.objects.create(
            employee_no=no,
            name=f"会员{no}",
            gender=gender,
            org_unit=unit,
            employment_type=kind,
            join_date=joined,
            status=status,
        )

    types = Member.EmploymentType
    member("SX1", ta1, "M", types.DISPATCHED, dt.date(2024, 4, 1))
    member("SX2", ta1, "F", types.DISPATCHED, dt.date(2025, 6, 1))
    member("SX3", ta1, "M", types.REHIRED, None)
    member("SX4", tb, "M", types.INTERN, dt.date(2025, 9, 1))
    member("SX5", tb, "F", types.DISPATCHED, dt.date(2022, 1, 1), Member.Status.EXPELLED)
    member("SX6", t, "F", types.TEMPORARY, dt.date(2023, 1, 1))

    def cadre(username, *assigned, role=Role.CADRE, active=True):
        user = User.objects.create(username=username, full_name=username, is_active=active)
        for unit in assigned:
            RoleAssignment.objects.create(user=user, role=role, org_unit=unit, title="委员")

    cadre("tb_member", tb)
    cadre("double", ta, ta1)
    cadre("gone", tb, active=False)
    cadre("rep", tb, role=Role.REPRESENTATIVE)


@pytest.fixture(scope="module")
def world(module_db):
    built = support.build()
    _extra(built["units"])
    return built


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_measure_has_an_expected_value():
    keys = [m.key for m in statistics.MEASURES]
    assert len(keys) == len(set(keys))
    for expected in EXPECTED.values():
        assert set(expected) == set(keys)


@pytest.mark.parametrize("scope", ["T", "TA", "TB"])
def test_every_number_equals_the_count_by_hand(world, db, scope):
    unit = world["units"][scope]
    report = statistics.statistics_report(unit, support.YEAR)
    assert report.total.values == EXPECTED[scope]
    # The same numbers as the dashboard's figures over the same subtree and year.
    fig_scope = figures.Scope(unit_path=unit.path, start=report.start, end=report.end)
    assert report.total.values["members_total"] == figures.value("org.members_total", fig_scope)


@pytest.mark.parametrize("scope", ["T", "TA"])
def test_one_row_per_direct_child_unit_open_at_the_year_end(world, db, scope):
    report = statistics.statistics_report(world["units"][scope], support.YEAR)
    assert [r.unit.code for r in report.children] == CHILDREN[scope]
    rows = {r.unit.code: r.values for r in report.children}
    if scope == "T":
        assert rows["TA"] == EXPECTED["TA"] and rows["TB"] == EXPECTED["TB"]
    else:
        # TA1's members: DA1-DA3, SX1-SX3; TA9 has none.
        assert rows["TA1"]["members_total"] == 6 and rows["TA9"]["members_total"] == 0
        assert rows["TA1"]["groups"] == 1 and rows["TA1"]["branches"] == 0


def test_the_excel_holds_the_totals_and_a_row_per_branch(world, db):
    from openpyxl import load_workbook

    t = world["units"]["T"]
    response = _client(world["users"]["t_chair"]).get(
        f"/dashboard/statistics/?unit={t.pk}&year={support.YEAR}"
    )
    assert response.status_code == 200
    assert 'filename="statistics-2025-T.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["工会统计年报", "分组织统计"]
    totals = {r[0]: (r[1], r[2]) for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert totals["年末会员人数"] == (10, "人")
    assert totals["其中：劳务派遣工"] == (2, "人")
    assert totals["其中：女会员"] == (7, "人")
    assert totals["工会干部"] == (4, "人")
    assert totals["其中：专职工会干部"] == ("未登记", "人")
    assert totals["工会小组"] == (3, "个")
    assert totals["本年会费收缴"] == (18, "元")
    assert totals["本年困难帮扶支出"] == (700, "元")
    assert totals["工会经费拨缴（2%）"] == ("未登记", "元")
    assert len(totals) == len(statistics.MEASURES)
    rows = list(book.worksheets[1].iter_rows(min_row=3, values_only=True))
    header, body = rows[0], rows[1:]
    assert header[0] == "组织" and header[1] == "年末会员人数（人）"
    assert header[3] == "其中：劳务派遣工（人）"
    assert [r[0] for r in body] == ["甲分工会", "乙分工会", "合计（示例工会及下级）"]
    assert [r[1] for r in body] == [6, 3, 10]
    assert [r[3] for r in body] == [2, 0, 2]
    full_time = header.index("其中：专职工会干部（人）")
    assert {r[full_time] for r in body} == {"未登记"}


def test_a_branch_chair_gets_her_branch_only(world, db):
    ta_chair = world["users"]["ta_chair"]
    units = world["units"]
    client = _client(ta_chair)
    assert client.get(f"/dashboard/statistics/?unit={units['TB'].pk}").status_code == 404
    assert client.get(f"/dashboard/statistics/?unit={units['T'].pk}").status_code == 404
    token = ApiToken.issue(ta_chair)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    # No unit: her top unit, the branch.
    answer = api.get(f"/api/v1/dashboard/statistics?year={support.YEAR}")
    assert answer.status_code == 200
    data = answer.json()
    assert data["unit_id"] == units["TA"].pk and data["year"] == support.YEAR
    expected = {k: (None if v is None else float(v)) for k, v in EXPECTED["TA"].items()}
    assert data["total"]["values"] == expected
    assert [c["unit_name"] for c in data["children"]] == ["甲一小组", "甲九小组"]
    registered = {m["key"]: m["registered"] for m in data["measures"]}
    assert registered["cadres_full_time"] is False and registered["members_women"] is True
    units_of = {m["key"]: m["unit"] for m in data["measures"]}
    assert units_of["members_total"] == "人" and units_of["dues_collected"] == "元"
    for other in ("T", "TB"):
        url = f"/api/v1/dashboard/statistics?unit_id={units[other].pk}"
        assert api.get(url).status_code == 404


def test_the_dashboard_links_to_the_report_and_a_worker_is_refused(world, db):
    t = world["units"]["T"]
    page = _client(world["users"]["t_chair"]).get(f"/dashboard/?unit={t.pk}&year=2025")
    assert f'href="/dashboard/statistics/?unit={t.pk}&amp;year=2025"' in page.content.decode()
    worker = _client(world["users"]["t_worker"])
    assert worker.get("/dashboard/statistics/").status_code == 403
