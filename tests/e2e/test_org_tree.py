"""branch1 on a phone keeps the branch's union groups: the tree with member counts, a new
group, its history; the page fits a 390px screen."""

from __future__ import annotations

import pytest

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_branch1_adds_a_group_on_a_phone(phone_page):
    page = phone_page
    log_in(page, "branch1")
    page.goto("/org/units/")
    rows = page.locator("table.unit-tree tbody tr")
    names = [n.strip() for n in rows.locator("td:first-child a").all_inner_texts()]
    assert names[:2] == ["第一分工会", "发电一班组"] and "第二分工会" not in names
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    screenshot(page, "org-unit-tree-phone")

    page.get_by_role("link", name="新建组织").click()
    page.select_option("select[name=parent]", label="第一分工会")
    page.fill("input[name=name]", "储能班组")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "已新建“储能班组”" in page.inner_text("main")
    assert "新建" in page.inner_text("table.changes")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    screenshot(page, "org-unit-detail-phone")
