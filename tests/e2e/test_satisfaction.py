"""The chair sees the satisfaction trend (issue 13): the index of the demo year with one bar per
month, the services and units behind it, and the call-back waiting for a final 不满意 (the demo's
grievances are rated through the real actions: zhijia/cases/demo.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_the_chair_sees_the_satisfaction_trend_and_the_call_back(desktop_page):
    page = desktop_page
    log_in(page, "chair")
    page.goto("/")
    # The workspace shows the index among the union's figures and leads to the page.
    figure = page.locator("a", has_text="满意度指数（%）")
    expect(figure).to_be_visible()
    figure.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("满意度指数")
    trend = page.get_by_role("img", name="各月满意度指数", exact=True)
    expect(trend).to_be_visible()
    expect(trend.locator("rect")).to_have_count(12)
    # Every month of the demo year was rated: no bar is empty.
    heights = trend.locator("rect").evaluate_all("rs => rs.map(r => +r.getAttribute('height'))")
    assert all(h > 0 for h in heights), heights
    row = page.locator("tr", has_text="职工诉求")
    expect(row).to_contain_text("%")
    expect(page.locator("tr", has_text="第一分工会")).to_be_visible()
    screenshot(page, "satisfaction-index")

    page.get_by_role("link", name="不满意回访").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("不满意回访")
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="完成回访")).to_be_visible()
