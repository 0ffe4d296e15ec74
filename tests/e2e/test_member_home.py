"""worker1 (a woman member of branch 1) on a phone: the member home and her own record."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e

MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")


def test_worker1_member_home_and_own_record(phone_page):
    page = phone_page
    log_in(page, "worker1")
    assert page.url.endswith(reverse("home")), page.url
    # The member home: greeting, what to do next (with the modules' items), my records,
    # notifications.
    assert page.locator("h1").first.inner_text().startswith("您好")
    assert "陈小红" in page.locator("h1").first.inner_text()
    assert page.get_by_role("heading", name="接下来要做").is_visible()
    assert page.get_by_role("heading", name="我的记录").is_visible()
    assert page.get_by_role("heading", name="我的通知").is_visible()
    # The demo seeds disclosures addressed to branch 1: unread ones are a to-do.
    assert page.get_by_text("项公开事项未读").is_visible()
    # The member home has no cadre navigation: worker1 may not see the member list.
    assert page.locator(f"a[href='{reverse('org:member-list')}']").count() == 0
    # Nothing on the page is wider than the phone (no sideways scrolling of the page).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"member home is {width}px wide on a 390px phone"
    screenshot(page, "member-home")

    # On the phone the bottom tab bar replaces the module menu (tests/e2e/test_phone.py).
    assert page.locator("nav.tabbar").is_visible()
    assert not page.locator("nav.mainnav").is_visible()

    # Her own record, from the home page's link.
    page.locator(f"main a[href='{reverse('org:me')}']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("org:me"))
    body = page.locator("main").inner_text()
    assert "E0103" in body
    assert "陈小红" in body
    assert MASKED_ID.search(body), "the own record shows the masked ID number"


def test_worker1_cannot_open_member_list(phone_page):
    page = phone_page
    log_in(page, "worker1")
    response = page.goto(reverse("org:member-list"))
    assert response is not None and response.status in {403, 404}


def test_language_switch(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="中文").is_visible()
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_member_home_weighs_under_150_kb(phone_page):
    """DESIGN.md: a member's mobile home page under 150 KB transferred. Counted here as the
    decoded size of every response the page loads, an upper bound of what is transferred."""
    page = phone_page
    log_in(page, "worker1")
    # Load everything afresh, as a first visit would: no browser cache.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(reverse("home"), wait_until="networkidle")

    def size(response) -> int:
        try:
            return len(response.body())
        except Exception:
            # Chromium keeps no body for some sub-resources (the SVG sprite that <use> reads):
            # fetch the same URL again to count its size.
            return len(page.request.get(response.url).body())

    total = sum(size(r) for r in responses if r.status < 300)
    urls = [r.url for r in responses]
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls), urls
    assert total < 150 * 1024, f"member home loads {total} bytes"
