"""Honours in the browser, on the seeded demo union.

worker1 (390×844) opens 我的荣誉 from the card on her home and sees her 集团公司劳动模范;
branch1 (desktop) records a new honour for her (the page asks first: she is told), and it
appears on worker1's 我的荣誉.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

NEW_TITLE = "年度先进个人（浏览器测试）"


def test_worker_sees_her_honours_and_a_new_one_recorded_by_her_cadre(phone_page, new_desktop_page):
    page = phone_page
    log_in(page, "worker1")
    card = page.locator("main section[aria-labelledby=honours-title]")  # her home's card
    assert "集团公司劳动模范" in card.inner_text()
    with page.expect_navigation():
        card.get_by_role("link", name="全部 2 项荣誉").tap()
    assert page.url.endswith(reverse("services:honours-mine"))
    mine = page.locator("main").inner_text()
    assert "集团公司劳动模范" in mine and "示例能源集团有限公司" in mine
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390

    branch = new_desktop_page()
    log_in(branch, "branch1")
    branch.goto(reverse("services:honours-desk-new"))
    branch.select_option("#id_kind", "advanced_individual")
    branch.select_option("#id_level", "enterprise")
    branch.fill("#id_title", NEW_TITLE)
    branch.fill("#id_awarding_body", "第一分工会")
    unit = branch.locator("#id_org_unit option", has_text="第一分工会").first
    branch.select_option("#id_org_unit", unit.get_attribute("value"))
    branch.fill("#id_member_employee_no", "E0103")
    branch.get_by_role("button", name="保存").click()
    assert "收到通知" in confirm_dialog(branch)
    assert "荣誉已登记" in branch.locator("body").inner_text()
    screenshot(branch, "desk-honour-branch1")

    page.reload()
    assert NEW_TITLE in page.locator("main").inner_text()
    screenshot(page, "phone-honours-worker1")
