"""The chair's dashboard in the browser, on the seeded demo union.

A grievance of worker2 is past its deadline (set in the server's database; marked as already
escalated, so the cases escalation sweep of another test finds nothing new in it). The chair
opens the dashboard from the workspace, sees this year's figures by module with their bars,
drills into the overdue grievances (the cases queue, filtered to the union's subtree and to
overdue ones), finds the grievance there and exports the list to Excel: the file holds it.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e

ZHIJIA = str(Path(sys.executable).with_name("zhijia"))
TEXT = "（看板）夜班津贴三个月没有发放"


def _data_dir(tmp_path_factory) -> Path:
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e-data*"))
    assert found, "the e2e server's data directory"
    return found[0]


def _overdue_grievance(tmp_path_factory) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIJIA_DATA_DIR": str(_data_dir(tmp_path_factory)), "PYTHONUNBUFFERED": "1"})
    code = (
        "import datetime as dt; from django.utils import timezone; "
        "from zhijia.accounts.models import User; "
        "from zhijia.cases.actions.grievances import do_submit_grievance; "
        "from zhijia.cases.models import Grievance; "
        "g = do_submit_grievance(actor=User.objects.get(username='worker2'), kind='grievance', "
        f"category='wages', text='{TEXT}'); now = timezone.now(); "
        "print(Grievance.objects.filter(pk=g.pk).update("
        "deadline_at=now - dt.timedelta(days=1), escalated_at=now))"
    )
    result = subprocess.run(  # noqa: S603 - our own command line
        [ZHIJIA, "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip().splitlines()[-1] == "1", result.stdout


def test_chair_drills_into_overdue_grievances_and_exports_them(
    e2e_server, desktop_page, tmp_path_factory
):
    from openpyxl import load_workbook

    _overdue_grievance(tmp_path_factory)
    page = desktop_page
    log_in(page, "chair")
    with page.expect_navigation():
        page.get_by_role("link", name="打开数据看板").click()
    assert page.url.endswith(reverse("dashboard:index")), page.url
    assert "年度数据看板" in page.locator("h1").inner_text()
    for group in ("org", "congress", "cases", "safety", "core"):
        assert page.locator(f"[data-group='{group}']").count() == 1, group
    assert page.locator("[data-figure='org.members_total'] svg.bars rect").count() >= 1
    overdue = page.locator("[data-figure='cases.grievances_overdue']")
    assert int(overdue.locator("[data-value]").inner_text().replace(",", "")) >= 1
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 1366
    screenshot(page, "dashboard", full_page=False, readme=True)

    with page.expect_navigation():
        overdue.locator("[data-drill]").click()
    assert reverse("cases:queue") in page.url and "overdue=on" in page.url, page.url
    assert page.get_by_label("只看超期").is_checked()
    row = page.locator("table.dense tbody tr", has_text=TEXT)
    assert row.count() == 1
    assert "超期" in row.inner_text()

    with page.expect_download() as download:
        page.locator("[data-export]").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [r for r in book.worksheets[0].iter_rows(values_only=True)]
    found = [r for r in cells if any(TEXT in str(c) for c in r if c)]
    assert len(found) == 1 and "超期" in found[0], cells[:3]


def test_the_charts_are_drawn_by_echarts_from_the_sites_own_static_files(e2e_server, desktop_page):
    """ECharts (make install: npm, then the site's static files) draws every chart over the
    server's SVG bars, without a console error or a refusal of the Content-Security-Policy; the
    charts fit a 375 px phone; a click on a bar follows the figure's drill-down link."""
    page = desktop_page
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    loaded: list[tuple[str, int]] = []
    page.on("response", lambda r: "echarts" in r.url and loaded.append((r.url, r.status)))
    log_in(page, "chair")
    page.goto(reverse("dashboard:index"))
    assert len(loaded) == 1 and loaded[0][1] == 200, loaded
    assert loaded[0][0].startswith(f"{e2e_server}/static/vendor/echarts/echarts."), loaded
    boxes = page.locator("[data-chart]")
    assert boxes.count() >= 3
    # Drawn (charts.js runs before the load event): a canvas each, the SVG bars hidden.
    assert page.locator("[data-chart].is-drawn").count() == boxes.count()
    assert page.locator("[data-chart] .dash-echart canvas").count() == boxes.count()
    assert page.locator("[data-chart] svg.bars").first.is_hidden()
    assert page.locator("[data-chart] .dash-echart[role=img][aria-label]").count() == boxes.count()

    page.set_viewport_size({"width": 375, "height": 812})
    page.evaluate("new Promise(requestAnimationFrame)")  # the redraw after resizing
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 375
    grievances = page.locator("[data-figure='cases.grievances_received'] .dash-echart")
    assert grievances.bounding_box()["width"] <= 375
    screenshot(page, "dashboard-charts-375", full_page=False)

    # The middle of the longest bar, in the chart's own coordinates.
    x, y = page.evaluate(
        """(el) => {
          const chart = echarts.getInstanceByDom(el);
          const values = chart.getOption().series[0].data;
          const i = values.indexOf(Math.max(...values));
          const end = chart.convertToPixel({seriesIndex: 0}, [values[i], i]);
          const start = chart.convertToPixel({seriesIndex: 0}, [0, i]);
          return [(start[0] + end[0]) / 2, end[1]];
        }""",
        grievances.element_handle(),
    )
    with page.expect_navigation():
        grievances.click(position={"x": x, "y": y})
    assert reverse("cases:queue") in page.url and "kind=grievance" in page.url, page.url
    assert not errors, errors
