"""Notices in the browser: branch1 writes a must-read notice for branch union 1 and publishes
it; it appears on worker1's phone home (390×844), flagged as must-read and as a to-do, until
she opens it; after reading it is no longer flagged."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e


def test_a_must_read_notice_is_on_worker1s_home_until_she_reads_it(desktop_page, phone_page):
    title = f"必读：班组安全交底要求 {int(time.time())}"

    # --- branch1 writes and publishes it ---------------------------------------------------------
    cadre = desktop_page
    log_in(cadre, "branch1")
    cadre.goto(reverse("notices:notice-create"))
    cadre.get_by_label("标题").fill(title)
    cadre.get_by_label("正文").fill(
        "<p>各班组每日开工前进行安全交底。</p><script>alert('x')</script>"
        '<img src="x" onerror="alert(1)">'
    )
    cadre.get_by_label("必读").check()
    with cadre.expect_navigation():
        cadre.get_by_role("button", name="保存草稿").click()
    assert cadre.get_by_role("heading", name=title).is_visible()
    assert cadre.locator(".rich-text script, .rich-text img").count() == 0
    cadre.get_by_role("button", name="发布").click()
    assert "会员都能看到" in confirm_dialog(cadre)
    assert cadre.locator(".status-published").first.is_visible()
    notice_path = urlsplit(cadre.url).path

    # --- worker1's phone home flags it ---------------------------------------------------------
    page = phone_page
    log_in(page, "worker1")
    page.goto("/")
    must_read = page.locator("ul.must-read-list")
    assert must_read.get_by_role("link", name=title).is_visible()
    todo = page.locator("a", has_text="阅读必读通知").filter(has_text=title)
    assert todo.count() >= 1
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "phone-home-must-read-worker1", full_page=False)

    # she opens it
    with page.expect_navigation():
        must_read.get_by_role("link", name=title).tap()
    assert page.url.endswith(notice_path)
    assert page.get_by_role("heading", name=title).is_visible()
    assert "各班组每日开工前进行安全交底" in page.locator(".rich-text").inner_text()
    screenshot(page, "phone-notice-worker1")

    # --- back home: no longer flagged ---------------------------------------------------------
    page.goto("/")
    assert page.locator("ul.must-read-list").get_by_role("link", name=title).count() == 0
    assert page.locator("a", has_text="阅读必读通知").filter(has_text=title).count() == 0
    # still in the latest notices, now read
    page.goto(reverse("notices:notice-list"))
    card = page.locator("li.notice-card", has_text=title)
    assert "read" in (card.get_attribute("class") or "")

    # the service guide on her phone: her branch's and the enterprise's, with the 12351 hotline
    page.goto(reverse("notices:guide"))
    assert page.get_by_role("heading", name="第一分工会").is_visible()
    assert page.get_by_role("link", name="12351").first.is_visible()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "phone-guide-worker1")

    # --- branch1 sees her among the readers -------------------------------------------------------
    cadre.goto(notice_path + "reads/")
    assert cadre.get_by_role("heading", name="阅读统计").is_visible()
    non_readers = cadre.locator(
        "section", has=cadre.get_by_role("heading", name="未读人员", exact=True)
    )
    assert non_readers.is_visible()
    assert "陈小红" not in non_readers.inner_text()  # worker1 has read it
    assert "赵卫东" in non_readers.inner_text() or "下一页" in non_readers.inner_text()
    cadre.goto(reverse("notices:manage"))
    assert cadre.get_by_role("link", name=title).is_visible()
