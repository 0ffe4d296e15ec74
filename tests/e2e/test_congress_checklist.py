"""An inspection tour's checklist (巡视检查清单) in the browser.

`zhijia seed-demo` plans a tour of the demo union led by rep1 (zhijia.congress.demo.
ensure_demo_tour): its checklist was taken when it was planned and four of the five subjects
have findings. rep1, on his phone (390×844), opens the checklist from the tour, reads the facts
of each subject, and records the fifth (办事进度) as a problem, answering the dialog that says
a problem stays on the tour's record; the chair downloads the checklist as a PDF.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

TOUR = "安全生产与厂务公开专项巡视"  # zhijia.congress.demo.TOUR


def test_a_participant_records_a_finding_on_the_tours_checklist(desktop_page, phone_page):
    rep = phone_page
    log_in(rep, "rep1")
    rep.goto("/congress/inspections/")
    rep.get_by_role("link", name=TOUR).click()
    rep.get_by_role("link", name="巡视检查清单（五个方面的情况与检查结论）").click()
    expect(rep.get_by_role("heading", level=1)).to_have_text("巡视检查清单")
    for subject in ("企务公开工作", "安全生产管理", "办事进度", "集体合同履行情况"):
        expect(rep.get_by_role("heading", name=subject)).to_be_visible()
    expect(rep.get_by_role("link", name="超期未完成的落实节点")).to_be_visible()
    width = rep.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the checklist is {width}px wide on a 390px phone"

    section = rep.locator("#s-progress")
    expect(section.get_by_text("未检查")).to_be_visible()
    section.get_by_text("记录检查结论").click()
    section.get_by_label("存在问题").check()
    section.locator("#id_progress-note").fill("两件职工诉求超过办理期限仍未答复。")
    section.get_by_role("button", name="保存").click()
    assert "不能再改为正常" in confirm_dialog(rep)
    expect(rep.get_by_text("检查结论已记录")).to_be_visible()
    section = rep.locator("#s-progress")
    expect(section.locator(".badge.warn").first).to_have_text("存在问题")
    expect(section.get_by_text("检查情况：两件职工诉求超过办理期限仍未答复。")).to_be_visible()
    # the problem is now one of the tour's findings, to be handed to a department
    expect(section.get_by_text("尚未列为整改事项")).to_be_visible()
    screenshot(rep, "congress-checklist-phone")

    chair = desktop_page
    log_in(chair, "chair")
    chair.goto(urlparse(rep.url).path)
    href = chair.get_by_role("link", name="下载 PDF").get_attribute("href") or ""
    assert href.endswith("/checklist.pdf")
    response = chair.request.get(href)
    assert response.status in (200, 503)  # 503: the machine lacks WeasyPrint's libraries
    if response.status == 200:
        assert response.body()[:5] == b"%PDF-"
