"""worker1 (390×844) registers for today's walk of branch 1 and opens her QR code; branch1, on
a phone too, checks her in with the code's token; the attendance shows 1, also after the same
token is sent again (a retry on a flaky network records one attendance)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e


def _width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_worker1_registers_and_branch1_checks_her_in(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.goto("/services/activities/")
    walk = page.locator("main ul.slot-list a", has_text="午间健步走").first
    expect(walk).to_be_visible()
    assert _width(page) <= 390
    with page.expect_navigation():
        walk.tap()
    match = re.search(r"/services/activities/(\d+)/$", page.url)
    assert match, page.url
    activity_id = match.group(1)
    with page.expect_navigation():
        page.get_by_role("button", name="我要报名").tap()
    expect(page.get_by_text("报名成功")).to_be_visible()
    expect(page.locator("main .badge", has_text="已报名")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="签到二维码").tap()
    expect(page.locator("main .qr svg")).to_be_visible()
    token = page.locator("#checkin-token").inner_text().strip()
    assert token
    assert _width(page) <= 390
    screenshot(page, "activity-qr-worker1")

    # branch1 on her phone opens the activity's check-in page and enters the scanned token.
    page.context.clear_cookies()
    log_in(page, "branch1")
    page.goto(f"/services/activities/manage/{activity_id}/checkin/")
    expect(page.locator("#attended")).to_have_text("0")
    for _ in range(2):  # the same scan sent twice
        page.fill("input[name=token]", token)
        with page.expect_navigation():
            page.get_by_role("button", name="签到", exact=True).first.tap()
    expect(page.get_by_text("已签到，无需重复签到")).to_be_visible()
    expect(page.locator("#attended")).to_have_text("1")
    expect(page.locator(".checkin-list li", has_text="陈小红")).to_contain_text("已签到")
    assert _width(page) <= 390
    screenshot(page, "activity-checkin-branch1")
