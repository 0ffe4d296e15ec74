"""The dashboard page hands its charts to the browser: for every figure drawn as a chart (the
server's SVG bars) a JSON element with the same rows, read by static/dashboard/charts.js, which
draws them with ECharts from the site's own static files; none for a figure without chart. The
ECharts <script> is left out when the file is not installed, and the page still renders."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from zhijia.dashboard import charts, queries
from zhijia.dashboard.tests import support

JSON_SCRIPT = re.compile(r'<script id="(chart-[^"]+)" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def world(module_db):
    return support.build()


@pytest.fixture
def installed(monkeypatch):
    """ECharts found among the static files, whether or not make install put it there."""
    monkeypatch.setattr(charts.finders, "find", lambda path, **kw: f"/somewhere/{path}")


def _page(world, user: str = "t_chair") -> str:
    client = Client()
    client.force_login(world["users"][user])
    response = client.get(f"/dashboard/?year={support.YEAR}")
    assert response.status_code == 200
    return response.content.decode()


def _scripts(html: str) -> dict[str, dict]:
    return {element_id: json.loads(body) for element_id, body in JSON_SCRIPT.findall(html)}


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


@pytest.mark.parametrize("user", ["t_chair", "t_viewer"])
def test_every_chart_figure_has_its_data_and_no_other_figure_has_any(world, db, installed, user):
    html = _page(world, user)
    found = _scripts(html)
    board = queries.dashboard(world["users"][user], world["units"]["T"], support.YEAR)
    with_chart = [f for f in board.all_figures() if f.chart]
    without = [f for f in board.all_figures() if not f.chart]
    # The fixed data draws some charts and leaves some figures without one.
    assert "cases.grievances_received" in {f.key for f in with_chart}
    assert "cases.grievances_overdue" in {f.key for f in without}
    assert set(found) == {charts.element_id(f.key) for f in with_chart}
    for f in with_chart:
        data = found[charts.element_id(f.key)]
        assert f'data-chart="{charts.element_id(f.key)}"' in html
        assert data["labels"] == [str(label) for label, _ in f.raw_rows]
        assert data["values"] == [_number(v) for _, v in f.raw_rows]
        assert data["label"] == str(f.label) and data["url"] == f.url
    for f in without:
        assert charts.element_id(f.key) not in html
    grievances = found["chart-cases-grievances_received"]
    assert grievances["kind"] == "bar"
    by_label = dict(zip(grievances["labels"], grievances["values"], strict=True))
    assert by_label["工资报酬"] == 3 and by_label["劳动安全卫生"] == 1 and by_label["社会保险"] == 0
    paid = found["chart-assistance-paid"]
    assert paid["values"] == [200.0, 500.0] and paid["shown"] == ["200.00", "500.00"]
    # The texts of the tooltips and of the screen reader's description, made on the server.
    assert paid["unit"] == "元"
    assert paid["tips"] == ["甲分工会帮扶金：200.00 元", "送温暖：500.00 元"]
    assert paid["description"] == "困难帮扶支出：甲分工会帮扶金 200.00 元；送温暖 500.00 元"
    # The drill-down link goes with the data only to a viewer shown the link.
    assert grievances["url"].startswith("/cases/queue/") == (user == "t_chair")
    # The charts' scripts, loaded from static files with defer (no inline script).
    assert re.search(r'<script src="/static/dashboard/charts\.js" defer></script>', html)
    assert re.search(r'<script src="/static/vendor/echarts/echarts\.min\.js" defer>', html)
    # The server's SVG bars stay in the page (the fallback without script or ECharts).
    assert html.count('<svg class="bars"') == len(with_chart)


def test_without_echarts_installed_the_page_keeps_its_bars_and_loads_no_echarts(
    world, db, monkeypatch
):
    monkeypatch.setattr(charts.finders, "find", lambda path, **kw: None)
    html = _page(world)
    assert "echarts" not in html
    assert '<svg class="bars"' in html and "chart-cases-grievances_received" in html


def test_echarts_missing_from_the_collected_manifest_is_no_error(monkeypatch, installed):
    def missing(path):
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(charts.staticfiles_storage, "url", missing)
    assert charts.echarts_url() == ""


def test_a_breakdown_by_month_is_a_trend_drawn_as_a_line():
    def figure(rows):
        # chart: any chart the page draws (chart_data reads the rows, not the SVG geometry)
        return queries.FigureRow(
            key="core.x", label="满意度指数", unit="%", raw_rows=rows, chart=object()
        )

    trend = charts.chart_data(figure([("2025-07", 50), ("2025-08", 67), ("2025-10", None)]))
    assert trend is not None and trend["kind"] == "line"
    assert trend["values"] == [50, 67, None] and trend["shown"] == ["50", "67", "—"]
    assert trend["tips"] == ["2025-07：50%", "2025-08：67%", "2025-10：—"]
    for rows in (
        [("2025-08", 67)],  # one month is no trend
        [("2025-08", 67), ("2025-07", 50)],  # not in order
        [("2025-07", 50), ("工资报酬", 2)],
        [("2025-13", 1), ("2025-14", 2)],
    ):
        data = charts.chart_data(figure(rows))
        assert data is not None and data["kind"] == "bar", rows
    assert charts.chart_data(queries.FigureRow(key="core.x", raw_rows=[("a", 1)])) is None
