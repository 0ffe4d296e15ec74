"""Every drill-down opens a list of as many rows as its figure counts, for the same unit and
period: the figure's link carries the period (`from`/`to`) when the figure counts within it,
and the list behind it filters on the same date. Checked on the fixed data (support.py) for
the union's chair (T) and a branch chair (TA), for the year, a quarter and single months;
the figures counted "as of now" keep their link without dates and are checked over this
year (the period that runs to today)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from zhijia.dashboard import queries, rules
from zhijia.dashboard.tests import support


@pytest.fixture(scope="module")
def world(module_db):
    return support.build()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_count(response) -> int:
    return response.context["page"].count


def _safety_count(response) -> int:
    return response.context["count"]


def _activities_count(response) -> int:
    return response.context["activities"].count


def _suggestions_count(response) -> int:
    return response.context["suggestions"].count


def _honours_count(response) -> int:
    return response.context["honours"].count


def _competitions_count(response) -> int:
    return response.context["competitions"].count


# The figures whose links open a list of the rows they count, and how to count that list's
# rows (its paginator's total). Within the period: the link carries from/to.
PERIOD_LISTS: dict[str, Callable] = {
    "cases.grievances_received": _page_count,
    "congress.proposals_submitted": _page_count,
    "org.members_joined": _page_count,
    "org.members_left": _page_count,
    "safety.hazards_reported": _safety_count,
    "safety.hazards_closed": _safety_count,
    "services.events_held": _activities_count,
    "services.suggestions_submitted": _suggestions_count,
    "services.competitions_launched": _competitions_count,
    "disclosure.items_published": _page_count,
}
# Counted by the period's year (an honour has a year, not a day): the link carries the year.
YEAR_LISTS: dict[str, Callable] = {"services.honours_awarded": _honours_count}
# As of now (or of the period's end, which is today for this year): the link has no dates.
NOW_LISTS: dict[str, Callable] = {
    "cases.grievances_overdue": _page_count,
    "safety.hazards_overdue": _safety_count,
    "org.members_total": _page_count,
}

USERS = [("T", "t_chair"), ("TA", "ta_chair")]
PERIODS = [
    rules.Period(support.YEAR, None, None, *rules.year_period(support.YEAR)),
    rules.Period(support.YEAR, 1, None, *rules.quarter_period(support.YEAR, 1)),
    rules.Period(support.YEAR, None, 2, *rules.month_period(support.YEAR, 2)),
    rules.Period(support.YEAR, None, 4, *rules.month_period(support.YEAR, 4)),
    rules.Period(support.YEAR, None, 6, *rules.month_period(support.YEAR, 6)),
]


def _export_rows(client, url: str) -> list[tuple]:
    """The rows of the first sheet of a list's Excel (streamed)."""
    from openpyxl import load_workbook

    export = client.get(url)
    assert export.status_code == 200, url
    content = b"".join(export.streaming_content)
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _figures(board) -> dict:
    return {f.key: f for f in board.all_figures()}


@pytest.mark.parametrize(("scope", "user"), USERS)
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.slug)
def test_a_period_figure_equals_the_rows_of_its_list(world, db, scope, user, period):
    viewer = world["users"][user]
    board = queries.dashboard(viewer, world["units"][scope], period)
    shown = _figures(board)
    client = _client(viewer)
    for key, count in PERIOD_LISTS.items():
        figure = shown[key]
        assert figure.url, key
        params = parse_qs(urlsplit(figure.url).query)
        assert params["from"] == [period.start.isoformat()], key
        assert params["to"] == [period.end.isoformat()], key
        response = client.get(figure.url)
        assert response.status_code == 200, key
        assert count(response) == figure.value, (key, period.slug)
    for key, count in YEAR_LISTS.items():
        figure = shown[key]
        assert parse_qs(urlsplit(figure.url).query)["year"] == [str(period.year)], key
        response = client.get(figure.url)
        assert response.status_code == 200, key
        assert count(response) == figure.value, (key, period.slug)


def test_the_lists_are_really_cut_to_the_period(world, db):
    """The year's list and a month's differ where the records do (else the filter would be
    untested): April holds the grievances, February the proposals, June the hazards."""
    viewer = world["users"]["t_chair"]
    unit = world["units"]["T"]
    client = _client(viewer)

    def rows(period: rules.Period, key: str) -> int:
        figure = _figures(queries.dashboard(viewer, unit, period))[key]
        return PERIOD_LISTS[key](client.get(figure.url))

    year, feb, april, june = PERIODS[0], PERIODS[2], PERIODS[3], PERIODS[4]
    assert rows(year, "cases.grievances_received") == rows(april, "cases.grievances_received") == 4
    assert rows(feb, "cases.grievances_received") == 0
    assert rows(year, "congress.proposals_submitted") == rows(feb, "congress.proposals_submitted")
    assert rows(april, "congress.proposals_submitted") == 0
    assert rows(june, "safety.hazards_reported") == 3
    assert rows(april, "safety.hazards_reported") == 0
    assert rows(year, "org.members_joined") == 3
    assert rows(june, "org.members_joined") == 0
    assert rows(year, "services.suggestions_submitted") == 3
    assert rows(june, "services.suggestions_submitted") == 0
    assert rows(year, "services.events_held") == 1
    assert rows(april, "services.events_held") == 0
    assert rows(year, "disclosure.items_published") == 1
    assert rows(feb, "disclosure.items_published") == 0


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_an_as_of_now_figure_links_without_dates_to_as_many_rows(world, db, scope, user):
    viewer = world["users"][user]
    this_year = timezone.localdate().year
    board = queries.dashboard(viewer, world["units"][scope], this_year)
    shown = _figures(board)
    client = _client(viewer)
    for key, count in NOW_LISTS.items():
        figure = shown[key]
        assert figure.url and "from=" not in figure.url and "to=" not in figure.url, key
        response = client.get(figure.url)
        assert response.status_code == 200, key
        assert count(response) == figure.value, key


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_every_figure_links_to_a_page_that_opens(world, db, scope, user):
    """Every figure links somewhere the viewer may open; a rate links to the list it is
    counted over."""
    viewer = world["users"][user]
    shown = _figures(queries.dashboard(viewer, world["units"][scope], PERIODS[1]))
    assert [key for key, f in shown.items() if not f.url] == []
    client = _client(viewer)
    for key, figure in shown.items():
        if figure.url:
            assert client.get(figure.url).status_code == 200, key
    for rate, count in (
        ("cases.grievances_on_time_rate", "cases.grievances_received"),
        ("cases.grievances_satisfaction", "cases.grievances_received"),
        ("congress.proposals_on_time_rate", "congress.proposals_submitted"),
        ("congress.proposals_satisfaction", "congress.proposals_submitted"),
    ):
        assert shown[rate].url == shown[count].url, rate


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_grievance_export_follows_the_period_of_the_link(world, db, scope, user):
    from openpyxl import load_workbook

    viewer = world["users"][user]
    client = _client(viewer)
    for period in (PERIODS[0], PERIODS[3], PERIODS[2]):
        board = queries.dashboard(viewer, world["units"][scope], period)
        figure = _figures(board)["cases.grievances_received"]
        export = client.get(figure.url.replace("/cases/queue/", "/cases/queue/export/"))
        assert export.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0]
        assert sheet.max_row - 1 == figure.value, period.slug


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_member_export_follows_the_period_of_the_link(world, db, scope, user):
    from openpyxl import load_workbook

    viewer = world["users"][user]
    client = _client(viewer)
    for period in (PERIODS[0], PERIODS[4]):
        board = queries.dashboard(viewer, world["units"][scope], period)
        figure = _figures(board)["org.members_joined"]
        export = client.get(figure.url.replace("/org/members/", "/org/members/export/"))
        assert export.status_code == 200
        rows = list(
            load_workbook(io.BytesIO(b"".join(export.streaming_content)))
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        numbers = [r for r in rows if r and isinstance(r[0], str) and r[0].startswith("D")]
        assert len(numbers) == figure.value, period.slug


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_sums_follow_the_period_of_the_link(world, db, scope, user):
    """Participants, the certified benefit and the training hours are sums over the rows
    their links open: the activities' 签到, the suggestions' 认定效益 and the courses' 完成学时
    columns of the lists' Excel (the training desk shows the total too)."""
    from openpyxl import load_workbook

    viewer = world["users"][user]
    client = _client(viewer)

    def column(url: str, export: str, heading: str) -> list:
        response = client.get(
            url.replace("/desk/?", "/desk/export/?").replace("/manage/?", "/manage/export/?")
        )
        assert response.status_code == 200, export
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rows) if heading in r)
        at = rows[head].index(heading)
        return [r[at] for r in rows[head + 1 :] if any(c is not None for c in r)]

    for period in (PERIODS[0], PERIODS[1], PERIODS[4]):
        shown = _figures(queries.dashboard(viewer, world["units"][scope], period))
        participants = shown["services.participants"]
        attended = column(participants.url, "activities", "签到")
        assert sum(int(v or 0) for v in attended) == participants.value, period.slug
        benefit = shown["services.suggestions_benefit"]
        certified = column(benefit.url, "suggestions", "认定效益（元）")
        assert sum(Decimal(str(v or 0)) for v in certified) == benefit.value, period.slug
        hours = shown["services.training_hours"]
        assert client.get(hours.url).context["hours_done"] == hours.value, period.slug
        credited = column(hours.url, "courses", "完成学时")
        assert sum(Decimal(str(v or 0)) for v in credited) == hours.value, period.slug


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_arrears_list_owes_what_the_figure_says_for_the_period(world, db, scope, user):
    viewer = world["users"][user]
    client = _client(viewer)
    totals = {}
    for period in (PERIODS[0], PERIODS[1], PERIODS[2], PERIODS[4]):
        figure = _figures(queries.dashboard(viewer, world["units"][scope], period))[
            "org.dues_arrears"
        ]
        assert f"from={period.start.isoformat()}" in figure.url
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["summary"]["total"] == figure.value, period.slug
        rows = _export_rows(client, figure.url.replace("/dues/arrears/", "/dues/arrears/export/"))
        owed = [r[5] for r in rows if r and isinstance(r[0], str) and r[0].startswith("D")]
        assert sum(Decimal(str(v)) for v in owed) == figure.value, period.slug
        totals[period.slug] = figure.value
    # February's unpaid month is in the year and its first quarter, not in June.
    assert totals == {
        "2025": Decimal("10.00"),
        "2025-Q1": Decimal("10.00"),
        "2025-02": Decimal("10.00"),
        "2025-06": Decimal("0.00"),
    }


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_dues_paid_list_holds_what_the_figure_collected_in_the_period(world, db, scope, user):
    viewer = world["users"][user]
    client = _client(viewer)
    totals = {}
    for period in (PERIODS[0], PERIODS[1], PERIODS[2], PERIODS[4]):
        figure = _figures(queries.dashboard(viewer, world["units"][scope], period))[
            "org.dues_collected"
        ]
        assert f"from={period.start.isoformat()}" in figure.url
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["summary"].amount_paid == figure.value, period.slug
        rows = _export_rows(client, figure.url.replace("/dues/paid/", "/dues/paid/export/"))
        paid = [r[5] for r in rows if r and isinstance(r[0], str) and r[0].startswith("D")]
        assert len(paid) == response.context["page"].count, period.slug
        assert sum(Decimal(str(v)) for v in paid) == figure.value, period.slug
        totals[period.slug] = figure.value
    # DA1 paid in January (TA), DB1 in March (TB); February and June nothing.
    expected = {"TA": ("10.00", "10.00"), "T": ("18.00", "18.00")}[scope]
    assert totals == {
        "2025": Decimal(expected[0]),
        "2025-Q1": Decimal(expected[1]),
        "2025-02": Decimal("0.00"),
        "2025-06": Decimal("0.00"),
    }


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_training_report_of_the_year_shows_whom_the_target_rate_counts(world, db, scope, user):
    viewer = world["users"][user]
    figure = _figures(queries.dashboard(viewer, world["units"][scope], PERIODS[0]))[
        "services.training_target_rate"
    ]
    assert f"year={support.YEAR}" in figure.url
    response = _client(viewer).get(figure.url)
    assert response.status_code == 200
    rows = response.context["rows"]
    covered = [r for r in rows if r.met is not None]
    met = [r for r in rows if r.met]
    assert dict(figure.raw_rows)["计划覆盖职工"] == len(covered)
    assert dict(figure.raw_rows)["已达标"] == len(met)
    assert figure.value == round(100 * len(met) / len(covered), 1)


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_funds_list_paid_what_the_figure_says_for_the_period(world, db, scope, user):
    viewer = world["users"][user]
    client = _client(viewer)
    for period in (PERIODS[0], PERIODS[3], PERIODS[2]):
        figure = _figures(queries.dashboard(viewer, world["units"][scope], period))[
            "assistance.paid"
        ]
        assert f"to={period.end.isoformat()}" in figure.url
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["paid_total"] == figure.value, period.slug
        by_fund = {r.fund.name: r.paid for r in response.context["funds"] if r.paid}
        assert by_fund == {k: v for k, v in figure.raw_rows if v}, period.slug
    # April holds the payments (and a reversal); February none.
    assert figure.value == 0 and period.month == 2


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_contracts_in_force_at_the_period_end_are_the_rows_of_the_desk(world, db, scope, user):
    viewer = world["users"][user]
    client = _client(viewer)
    seen = {}
    # TB's wage contract expired on 2025-02-28: in force at the end of February, not after.
    for period in (PERIODS[0], PERIODS[2], PERIODS[4]):
        figure = _figures(queries.dashboard(viewer, world["units"][scope], period))[
            "bargaining.contracts_in_force"
        ]
        assert f"in_force_on={period.end.isoformat()}" in figure.url
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["contracts"].count == figure.value, period.slug
        seen[period.slug] = figure.value
    assert seen == (
        {"2025": 1, "2025-02": 2, "2025-06": 1}
        if scope == "T"
        else {"2025": 1, "2025-02": 1, "2025-06": 1}
    )


@pytest.mark.parametrize(("scope", "user"), USERS)
def test_the_satisfaction_page_shows_the_index_of_the_period(world, db, scope, user):
    viewer = world["users"][user]
    client = _client(viewer)
    seen = {}
    for period in (PERIODS[0], PERIODS[4]):
        figure = _figures(queries.dashboard(viewer, world["units"][scope], period))[
            "core.satisfaction_rate"
        ]
        assert f"from={period.start.isoformat()}&to={period.end.isoformat()}" in figure.url
        response = client.get(figure.url)
        assert response.status_code == 200
        result = response.context["result"]
        assert (result.total.percent, result.since) == (figure.value, period.start)
        seen[period.slug] = (result.total.percent, result.total.total)
    # The ratings of August 2025 (and one of 2024, outside): none in June.
    assert seen["2025-06"] == (None, 0)
    assert seen["2025"] == ((67, 3) if scope == "T" else (50, 2))


def test_a_bad_range_on_a_list_is_refused_next_to_its_field(world, db):
    client = _client(world["users"]["t_chair"])
    response = client.get("/cases/queue/?state=all&from=2025-13-01")
    assert response.status_code == 200
    assert "from" in response.context["form"].errors
    response = client.get("/safety/queue/?from=2025-06-30&to=2025-06-01")
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    # The range dropped, the list shows every hazard of the chair's union.
    assert response.context["count"] == 3


def test_the_dashboard_page_the_export_and_the_api_take_a_month(world, db):
    viewer = world["users"]["t_chair"]
    unit = world["units"]["T"]
    client = _client(viewer)
    page = client.get(f"/dashboard/?unit={unit.pk}&year={support.YEAR}&month=4")
    assert page.status_code == 200
    board = page.context["board"]
    assert (board.start, board.end) == (date(2025, 4, 1), date(2025, 4, 30))
    assert "2025 年 4 月" in page.content.decode()
    received = _figures(board)["cases.grievances_received"]
    assert received.value == 4 and "from=2025-04-01&to=2025-04-30" in received.url
    assert _figures(board)["congress.proposals_submitted"].value == 0
    # The export link and the reports carry the month.
    assert f"export/?unit={unit.pk}&amp;year=2025&amp;month=4" in page.content.decode()
    export = client.get(f"/dashboard/export/?unit={unit.pk}&year=2025&month=4")
    assert "2025-04" in export["Content-Disposition"]
    from docx import Document
    from openpyxl import load_workbook

    content = b"".join(export.streaming_content) if export.streaming else export.content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("2025 年 4 月（2025-04-01 至 2025-04-30）" in str(c) for c in cells)
    rows = {r[1]: r[2] for r in sheet.iter_rows(values_only=True) if len(r) > 2}
    assert rows["受理职工诉求"] == 4 and rows["职代会提案"] == 0
    word = client.get(f"/dashboard/reports/annual/docx/?unit={unit.pk}&year=2025&quarter=2")
    assert "2025-Q2" in word["Content-Disposition"]
    doc = Document(io.BytesIO(word.content))
    assert any("2025 年第 2 季度" in p.text for p in doc.paragraphs)
    # Both a quarter and a month: the whole year, with the error next to the picker.
    both = client.get(f"/dashboard/?unit={unit.pk}&year=2025&quarter=1&month=4")
    assert both.context["board"].start == date(2025, 1, 1)
    assert "季度和月份只能选一个" in both.content.decode()


def test_the_api_takes_a_quarter_and_refuses_a_quarter_with_a_month(world, db):
    from zhijia.accounts.models import ApiToken

    token = ApiToken.issue(world["users"]["ta_chair"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    ta = world["units"]["TA"]
    answer = api.get(f"/api/v1/dashboard/figures?unit_id={ta.pk}&year=2025&quarter=1")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["start"], body["end"], body["quarter"]) == ("2025-01-01", "2025-03-31", 1)
    got = {f["key"]: f for g in body["groups"] for f in g["figures"]}
    assert got["congress.proposals_submitted"]["value"] == 2
    assert got["safety.hazards_reported"]["value"] == 0
    assert "from=2025-01-01&to=2025-03-31" in got["congress.proposals_submitted"]["url"]
    refused = api.get(f"/api/v1/dashboard/figures?unit_id={ta.pk}&year=2025&quarter=1&month=2")
    assert refused.status_code == 400
    assert "季度和月份只能选一个" in refused.json()["detail"]
    assert api.get(f"/api/v1/dashboard/figures?unit_id={ta.pk}&month=13").status_code == 422
