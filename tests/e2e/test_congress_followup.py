"""The follow-up of the congress's resolutions (决议落实跟踪) in the browser.

`zhijia seed-demo` gives the demo term an earlier session that passed two resolutions on
paper, the first with its implementation plan (zhijia.congress.demo.ensure_demo_followup). The
chair makes the plan of the second one (责任部门 人力资源部, a milestone), answering the
dialogs that name what the steps cannot undo; the report to the next session (today's) shows
it, in its print page with the PDF link, and the chair publishes it to affairs disclosure
(asked first); rep1 reads the follow-up on his phone (390×844), where
representatives supervise it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

RESOLUTION = "关于《劳动防护用品发放标准》的决议"  # zhijia.congress.demo.RESOLUTION_UNPLANNED
PLANNED = "关于《职工福利费使用管理办法》的决议"  # zhijia.congress.demo.RESOLUTION


def test_chair_plans_a_resolution_and_the_next_sessions_report_shows_it(desktop_page, phone_page):
    page = desktop_page
    log_in(page, "chair")
    page.goto("/congress/followup/")
    expect(page.get_by_role("link", name=PLANNED)).to_be_visible()
    page.get_by_role("link", name="制定落实方案").click()
    source = page.locator("#id_source")
    option = source.locator("option", has_text=RESOLUTION)
    expect(option).to_have_count(1)
    source.select_option(value=option.get_attribute("value"))
    page.select_option("#id_department", label="人力资源部")
    page.fill("#id_responsible", "人力资源部 王经理")
    page.fill("#id_measures", "修订劳动防护用品发放标准，按岗位配发并建立台账。")
    page.get_by_role("button", name="保存").click()
    assert "通知责任部门" in confirm_dialog(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(RESOLUTION)

    page.fill("#id_title", "发放标准印发执行")
    page.fill("#id_due_date", "2027-01-29")
    page.get_by_role("button", name="添加").click()
    assert "督办" in confirm_dialog(page)
    expect(page.get_by_role("cell", name="发放标准印发执行")).to_be_visible()
    screenshot(page, "congress-followup-plan")

    page.get_by_role("link", name="落实情况报告").click()
    expect(page.get_by_role("heading", name=RESOLUTION)).to_be_visible()
    expect(page.get_by_role("heading", name=PLANNED)).to_be_visible()
    expect(page.get_by_text("发放标准印发执行")).to_be_visible()
    pdf = page.get_by_role("link", name="PDF")
    href = pdf.get_attribute("href") or ""
    assert href.endswith("/report.pdf")
    response = page.request.get(href)
    assert response.status in (200, 503)  # 503: the machine lacks WeasyPrint's libraries
    if response.status == 200:
        assert response.body()[:5] == b"%PDF-"
    screenshot(page, "congress-followup-report")
    page.get_by_role("button", name="提交厂务公开").click()
    assert "厂务公开" in confirm_dialog(page)
    expect(page.get_by_text("落实情况报告已提交厂务公开发布")).to_be_visible()

    rep = phone_page
    log_in(rep, "rep1")
    rep.goto("/congress/followup/")
    expect(rep.get_by_role("link", name=RESOLUTION)).to_be_visible()
    rep.get_by_role("link", name=RESOLUTION).click()
    expect(rep.get_by_role("heading", level=1)).to_have_text(RESOLUTION)
    expect(rep.get_by_role("button", name="添加")).to_have_count(0)  # representatives read
    screenshot(rep, "congress-followup-phone")
