"""The global search in the browser: worker1 searches from the header's box on her phone
(390×844, no horizontal scroll) and finds the union's notices, activities and courses grouped
by type; branch1 finds a member of her branch by the pinyin initials of the name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_search_from_the_header_box(phone_page, desktop_page):
    page = phone_page
    log_in(page, "worker1")
    box = page.locator("#topsearch-q")
    box.fill("职工")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索")
    types = page.get_by_role("navigation", name="按类型")
    for label in ("通知公告", "活动", "培训课程"):
        expect(types.get_by_role("link", name=label)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "search-phone")
    types.get_by_role("link", name="通知公告").click()
    hit = page.locator(".search-hit a").first
    expect(hit).to_be_visible()
    href = hit.get_attribute("href") or ""
    assert href.startswith("/notices/")
    hit.click()
    page.wait_for_url(f"**{href}")

    desk = desktop_page
    log_in(desk, "branch1")
    desk.goto("/core/search/?q=typ")
    expect(desk.locator(".search-hit", has_text="唐怡萍")).to_be_visible()
