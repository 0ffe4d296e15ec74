"""branch1 (chair of branch union 1) at a desktop: the member list, search, a member's detail,
and branch isolation: a member of branch 2 answers 404."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse
from pypinyin import Style, lazy_pinyin

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e

MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")
BRANCH1_UNITS = {"第一分工会", "发电一班组", "发电二班组", "检修班组", "运行班组"}


def _rows(page):
    return page.locator("table.dense tbody tr")


_COLUMN_JS = """header => {
  const table = document.querySelector("table.dense");
  const heads = [...table.querySelectorAll("thead th")].map(th => th.innerText.trim());
  const index = heads.indexOf(header);
  if (index < 0) throw new Error("no column " + header + " in " + heads.join(","));
  return [...table.querySelectorAll("tbody tr")]
    .filter(tr => tr.cells.length > index)
    .map(tr => tr.cells[index].innerText.trim());
}"""


def _column(page, header: str) -> list[str]:
    """One column of the member table, read in one go (htmx may swap the table meanwhile)."""
    return page.evaluate(_COLUMN_JS, header)


def _wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def _initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def test_branch1_member_list_search_and_detail(desktop_page):
    page = desktop_page
    log_in(page, "branch1")
    page.goto(reverse("org:member-list"))
    assert page.get_by_role("heading", name="会员名册").is_visible()
    assert _rows(page).count() > 10
    units = set(_column(page, "所属工会"))
    assert units and units <= BRANCH1_UNITS, f"branch1 sees units outside its branch: {units}"
    ids = _column(page, "身份证号")
    assert ids and all(MASKED_ID.match(i) for i in ids), ids[:5]
    screenshot(page, "member-list", full_page=False, readme=True)

    # Search by pinyin initials of someone on the first page.
    names = _column(page, "姓名")
    target = next(n for n in names if len(n) >= 2)
    initials = _initials(target)
    search = page.locator("form.filters input[name=q]")
    search.fill(initials)
    search.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]q={initials}"))

    def narrowed():
        names = _column(page, "姓名")
        return names if target in names and all(initials in _initials(n) for n in names) else None

    found = _wait_for(narrowed)
    assert found, f"{target} not found alone by initials {initials}: {_column(page, '姓名')}"

    # Open the member's detail: the ID number is masked.
    page.locator("table.dense tbody").get_by_role("link", name=target).first.click()
    page.wait_for_load_state()
    assert re.search(r"/org/members/\d+/$", page.url)
    body = page.locator("main").inner_text()
    assert target in body
    masked = re.findall(r"\d{4}\*{10}[\dX]{4}", body)
    assert masked, "the detail page shows the masked ID number"
    assert not re.search(r"\b\d{17}[\dX]\b", body), "no full ID number without revealing it"


def test_branch1_cannot_open_a_branch2_member(desktop_page, new_desktop_page):
    branch2 = new_desktop_page()
    log_in(branch2, "branch2")
    branch2.goto(reverse("org:member-list"))
    link = branch2.locator("table.dense tbody a[href*='/org/members/']").first
    href = link.get_attribute("href")
    assert href and re.search(r"/org/members/\d+/$", href)
    assert branch2.goto(href).status == 200

    page = desktop_page
    log_in(page, "branch1")
    response = page.goto(href)
    assert response is not None and response.status == 404


def test_branch1_workspace_home(desktop_page):
    page = desktop_page
    log_in(page, "branch1")
    assert page.get_by_role("heading", name="工作台").is_visible()
    figures = page.locator("ul.figures").inner_text()
    assert "在册会员" in figures
    assert "欠缴会费" in figures
    # The module cards link to the pages of the navigation, the member list among them.
    assert page.locator(f"main .cards a[href='{reverse('org:member-list')}']").count() == 1
    screenshot(page, "workspace", full_page=False)


def test_module_menu_works_with_the_keyboard(desktop_page):
    page = desktop_page
    log_in(page, "branch1")
    summary = page.locator(".mainnav summary", has_text="会员")
    entry = page.locator(f".mainnav .navmenu a[href='{reverse('org:member-list')}']")
    assert not entry.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert entry.is_visible()
    page.keyboard.press("Escape")
    assert not entry.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # Opening one module's menu closes another's.
    summary.click()
    page.locator(".mainnav summary").nth(1).click()
    entry.wait_for(state="hidden", timeout=3000)
    page.keyboard.press("Escape")
    summary.click()
    entry.click()
    page.wait_for_url(f"**{reverse('org:member-list')}")
