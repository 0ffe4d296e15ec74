"""The worker's phone at 390×844: service entrances, the bottom tab bar, and the cadre's menu
that opens in place; on a wide screen the desktop menu stays."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e

ENTRANCES = [
    "我要维权",
    "匿名信箱",
    "法律咨询",
    "心理咨询",
    "志愿公益",
    "帮扶申请",
    "公开栏",
    "隐患随手拍",
]


def _page_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_worker1_phone_home_entrances_and_tab_bar(phone_page):
    page = phone_page
    log_in(page, "worker1")
    grid = page.locator("main ul.entrances")
    assert grid.is_visible()
    assert [t.strip() for t in grid.locator("a").all_inner_texts()] == ENTRANCES
    tabbar = page.locator("nav.tabbar")
    assert tabbar.is_visible()
    assert [t.strip() for t in tabbar.locator("a > span:not(.tabbar-badge)").all_inner_texts()][
        :4
    ] == ["首页", "服务", "消息", "我的"]
    # The tab bar sits at the bottom of the screen and the page does not scroll sideways.
    box = tabbar.bounding_box()
    assert box is not None and box["y"] + box["height"] == pytest.approx(844, abs=1)
    assert not page.locator("nav.mainnav").is_visible()
    assert _page_width(page) <= 390
    screenshot(page, "phone-home-worker1", full_page=False, readme=True)

    # A tap on 我要维权 reaches the grievance form.
    grid.get_by_role("link", name="我要维权").tap()
    page.wait_for_url("**" + reverse("cases:grievance-create"))
    assert page.url.endswith(reverse("cases:grievance-create")), page.url
    assert page.locator("main form").first.is_visible()
    assert _page_width(page) <= 390
    screenshot(page, "phone-grievance-form-worker1")

    # 服务 lists the entrances and the menu's entries.
    tabbar.get_by_role("link", name="服务").tap()
    page.wait_for_url("**" + reverse("services"))
    assert page.url.endswith(reverse("services"))
    assert page.locator("main ul.entrances a").count() == len(ENTRANCES)
    assert page.get_by_role("heading", name="全部功能").is_visible()
    assert page.locator("nav.tabbar a[aria-current='page']").inner_text().strip() == "服务"
    assert _page_width(page) <= 390
    screenshot(page, "phone-services-worker1")

    # 消息 opens the inbox; 我的 the member's own record.
    page.locator("nav.tabbar").get_by_role("link", name="消息").tap()
    page.wait_for_url("**" + reverse("core:inbox"))
    assert page.url.endswith(reverse("core:inbox"))
    page.locator("nav.tabbar").get_by_role("link", name="我的").tap()
    page.wait_for_url("**" + reverse("org:me"))
    assert page.url.endswith(reverse("org:me"))
    screenshot(page, "phone-me-worker1")


def test_cadre_menu_on_a_phone_stays_on_screen(phone_page):
    page = phone_page
    log_in(page, "branch1")
    assert page.locator("nav.tabbar").count() == 0
    toggle = page.get_by_role("button", name="菜单")
    toggle.click()
    groups = page.locator("#mainnav-list li.navgroup > details")
    assert groups.count() > 0
    for i in range(groups.count()):
        group = groups.nth(i)
        group.locator("summary").click()
        for link in group.locator(".navmenu a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, (
                link.inner_text()
            )
    assert _page_width(page) <= 390
    screenshot(page, "phone-menu-branch1")


def test_wide_screen_keeps_the_desktop_menu(desktop_page):
    page = desktop_page
    log_in(page, "worker1")
    assert page.locator("nav.mainnav").is_visible()
    assert not page.locator("nav.tabbar").is_visible()
    assert page.locator("main ul.entrances").is_visible()
    screenshot(page, "desktop-home-worker1", full_page=False)
