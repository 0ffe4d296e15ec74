"""The 建家 self-assessment on a phone, on the seeded demo union.

branch2 (390×844), cadre of 第二分工会, opens this year's 建家 round and her branch's draft
self-assessment (the demo's), types a score over a criterion's maximum and gets the Chinese
error next to that field, corrects it, saves (the self-total follows), and submits (the page
asks first); the assessment then waits for the committee's review.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e


def test_a_branch_cadre_fills_and_submits_the_self_assessment(phone_page):
    page = phone_page
    log_in(page, "branch2")
    page.goto("/homes/")
    year = dt.date.today().year
    with page.expect_navigation():
        page.get_by_role("link", name=f"{year}年度职工之家建设评比").tap()
    with page.expect_navigation():
        page.get_by_role("link", name="第二分工会").tap()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    first = page.locator("#self-assessment input.score-input").first
    first.fill("11")
    with page.expect_navigation():
        page.get_by_role("button", name="保存自评").click()
    assert "分数不能超过满分 10 分" in page.locator(".field.has-error").first.inner_text()
    page.locator("#self-assessment input.score-input").first.fill("9.5")
    with page.expect_navigation():
        page.get_by_role("button", name="保存自评").click()
    body = page.locator("body").inner_text()
    assert "自评已保存" in body
    # The demo's draft was 12 points short (1 on each of the first twelve criteria); the first
    # criterion now has 9.5 of 10: 100 - 11 - 0.5 = 88.50.
    assert "88.50" in body
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "phone-homes-self-assessment-branch2")
    page.get_by_role("button", name="提交自评").click()
    assert "不能再修改" in confirm_dialog(page)
    assert "待评审" in page.locator("body").inner_text()
