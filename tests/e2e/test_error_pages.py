"""On a phone (390×844): the 404 page in the site's layout with its way back, in Chinese and in
English, and the confirmation dialog before an irreversible step (the inbox's 全部标为已读,
a form with data-confirm): Escape and 取消 keep the page, the keyboard confirms it.
conftest.py fails the test on any Content-Security-Policy refusal or script error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot
from tests.e2e.conftest import PHONE, _new_page

pytestmark = pytest.mark.e2e


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at 390px"


def test_the_404_page_on_a_phone_leads_back(phone_page, e2e_server):
    page = phone_page
    log_in(page, "worker1")
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到这个页面")
    expect(page.locator(".topbar .brand")).to_be_visible()
    expect(page.get_by_role("link", name="回到首页")).to_be_visible()
    expect(page.get_by_role("link", name="返回上一页")).to_have_count(0)  # typed in: no "back"
    _fits_the_phone(page)
    screenshot(page, "error-404-phone")

    # Followed from the inbox: "back" leads there.
    page.goto("/core/inbox/")
    with page.expect_navigation():
        page.evaluate("location.href = '/no-such-page/'")
    back = page.get_by_role("link", name="返回上一页")
    expect(back).to_be_visible()
    with page.expect_navigation():
        back.click()
    assert page.url.endswith("/core/inbox/")

    # In English, through the language cookie; the scripts' strings too.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": e2e_server}])
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("gettext('请确认')") == "Please confirm"
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the home page").click()
    assert page.url.rstrip("/") == e2e_server


def _a_notification_for_branch1(browser, e2e_server) -> None:
    """worker1 raises a grievance: branch1, whose level handles it, is notified."""
    context, worker = _new_page(browser, e2e_server, PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(worker, "worker1")
        worker.goto(reverse("cases:grievance-create"))
        form = worker.locator("main form.card")
        form.get_by_label("反映诉求").check()
        form.locator("#id_category").select_option("wages")
        form.locator("#id_text").fill("夜班补贴本月没有发放，请工会帮忙了解原因。（确认框测试）")
        with worker.expect_navigation():
            form.get_by_role("button", name="提交").click()
        assert re.search(r"/cases/\d+/$", worker.url), worker.url
    finally:
        context.close()


def test_an_irreversible_step_asks_first(browser, e2e_server, phone_page):
    _a_notification_for_branch1(browser, e2e_server)
    page = phone_page
    log_in(page, "branch1")
    page.goto(reverse("core:inbox"))
    step = page.locator("main form[data-confirm] button")
    expect(step).to_have_count(1)  # (shown only while something is unread)
    dialog = page.locator("dialog.confirm")

    # Escape: the dialog closes, nothing is sent.
    step.click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("请确认")
    expect(dialog.locator(".confirm-message")).to_have_text(
        "所有未读通知都将标为已读，不能再恢复为未读。"
    )
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()
    _fits_the_phone(page)
    screenshot(page, "confirm-dialog-phone")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/core/inbox/")
    expect(step).to_have_count(1)

    # 取消: the same.
    step.click()
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    expect(step).to_have_count(1)

    # The keyboard: Tab to the confirm button (it repeats the step's name), Enter sends.
    step.click()
    expect(dialog.get_by_role("button", name="全部标为已读")).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="全部标为已读")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/core/inbox/")
    expect(page.locator("main form[data-confirm]")).to_have_count(0)  # nothing unread now
