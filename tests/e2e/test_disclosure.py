"""Affairs disclosure (厂务公开) in the browser: branch1 publishes the monthly bonus disclosure
of branch union 1 from the board's overdue line; worker1, on her phone, finds it unread on her
board, reads it and asks a question; branch1 answers from the questions queue and sees who
has read it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

BONUS = "车间奖金分配"
QUESTION = "夜班津贴是否计入本月奖金？"
ANSWER = "夜班津贴按月单独发放，不计入奖金，见工资条第5项。"


def _ensure_catalogue(page) -> None:
    """The demo seeding loads the default catalogue; should it be missing (a fresh
    installation), the union chair loads it from the catalogue page, as a real union would."""
    log_in(page, "chair")
    page.goto(reverse("disclosure:catalogue"))
    load = page.get_by_role("button", name="载入默认目录")
    if load.count():
        with page.expect_navigation():
            load.click()
    assert page.get_by_role("rowheader", name=BONUS).count() == 1
    page.context.clear_cookies()


def _bonus_row(page):
    """The workshop bonus line of branch union 1 on the catalogue board."""
    section = page.locator("section.board-unit", has=page.get_by_role("heading", name="第一分工会"))
    return section.locator("tr[data-entry='workshop-bonus']")


def test_branch1_publishes_monthly_bonus_and_worker1_reads_and_asks(
    desktop_page, new_desktop_page, phone_page
):
    cadre = desktop_page
    _ensure_catalogue(cadre)

    # --- branch1: the board shows last month's bonus as outstanding --------------------------
    log_in(cadre, "branch1")
    cadre.goto(reverse("disclosure:manage-board"))
    assert cadre.get_by_role("heading", name="公开进度").is_visible()
    row = _bonus_row(cadre)
    assert row.get_attribute("class") in {"status-overdue", "status-due_soon", "status-pending"}
    period_label = row.locator("td").nth(1).inner_text().strip()
    assert re.fullmatch(r"\d{4}年\d{1,2}月", period_label), period_label
    screenshot(cadre, "disclosure-board-before")

    # publish it from the board's link: entry, unit and period are filled in
    with cadre.expect_navigation():
        row.get_by_role("link", name="公开").click()
    assert cadre.get_by_role("heading", name="发布公开事项").is_visible()
    period_key = cadre.get_by_label("所属期间").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}", period_key), period_key
    assert BONUS in cadre.get_by_label("目录事项").locator("option:checked").inner_text()
    title = f"第一分工会{period_label}奖金分配"
    cadre.get_by_label("标题").fill(title)
    cadre.get_by_label("正文").fill("按岗位系数和出勤天数分配。\n<b>如有疑问</b>请在本页提问。")
    cadre.get_by_label("表格").fill(
        "姓名\t岗位\t奖金（元）\n陈小红\t运行值班员\t1,200.00\n赵卫东\t检修工\t1,150.00"
    )
    cadre.get_by_role("button", name="公开").click()
    confirm_dialog(cadre)
    assert cadre.get_by_role("heading", name=title).is_visible()
    assert cadre.get_by_role("cell", name="1,200.00").is_visible()
    assert "<b>如有疑问</b>" in cadre.locator(".disclosure-text").inner_text()  # shown, not run
    item_url = cadre.url

    # the board line is now published
    cadre.goto(reverse("disclosure:manage-board"))
    assert _bonus_row(cadre).get_attribute("class") == "status-published"
    assert "已公开" in _bonus_row(cadre).inner_text()
    screenshot(cadre, "disclosure-board-after")

    # --- worker1 on her phone: unread on her board, reads it, asks -------------------------
    phone = phone_page
    log_in(phone, "worker1")
    phone.goto(reverse("disclosure:board"))
    card = phone.locator("li.disclosure-card", has_text=title)
    assert card.count() == 1
    assert "未读" in card.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board is {width}px wide on a 390px phone"
    screenshot(phone, "disclosure-member-board")
    with phone.expect_navigation():
        card.get_by_role("link").click()
    assert phone.get_by_role("heading", name=title).is_visible()
    assert phone.get_by_role("cell", name="陈小红").is_visible()
    assert phone.locator("#stats-h").count() == 0  # read counts are for cadres
    phone.get_by_label("我要提问").fill(QUESTION)
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交问题").click()
    assert phone.get_by_text("问题已提交").is_visible()
    question = phone.locator("li.question", has_text=QUESTION)
    assert "待答复" in question.inner_text()
    assert "答复期限" in question.inner_text()
    screenshot(phone, "disclosure-member-item")
    phone.goto(reverse("disclosure:board"))
    assert "未读" not in phone.locator("li.disclosure-card", has_text=title).inner_text()

    # --- branch1 answers from the questions queue and sees the read counts --------------------
    cadre.goto(reverse("disclosure:question-queue"))
    with cadre.expect_navigation():
        cadre.get_by_role("link", name=QUESTION).click()
    assert "陈小红" in cadre.locator("main").inner_text()
    cadre.get_by_role("textbox", name="答复", exact=True).fill(ANSWER)
    cadre.get_by_role("button", name="提交答复").click()
    confirm_dialog(cadre)
    assert cadre.get_by_text("已答复").first.is_visible()
    cadre.goto(item_url)
    stats = cadre.locator("table.receipts")
    group_row = stats.locator("tr", has=cadre.get_by_role("rowheader", name="发电一班组"))
    assert group_row.locator("td").nth(1).inner_text().strip() == "1"  # worker1 read it
    screenshot(cadre, "disclosure-item-cadre")

    # worker1 sees the answer
    phone.goto(item_url)
    assert ANSWER in phone.locator("li.question", has_text=QUESTION).inner_text()

    # --- a correction: branch1 revises the table; the revision shows what changed -----------
    with cadre.expect_navigation():
        cadre.get_by_role("link", name="修订", exact=True).click()
    table = cadre.get_by_label("表格")
    table.fill(table.input_value().replace("1,200.00", "1,250.00"))
    cadre.get_by_label("修订说明").fill("补计考勤奖励后重新核算")
    cadre.get_by_role("button", name="发布修订").click()
    confirm_dialog(cadre)
    assert cadre.get_by_role("cell", name="1,250.00").is_visible()
    phone.goto(reverse("disclosure:board"))
    assert "有更新" in phone.locator("li.disclosure-card", has_text=title).inner_text()
    phone.goto(item_url)
    with phone.expect_navigation():
        phone.get_by_role("link", name="查看修改对比").click()
    changed = phone.locator("table.diff-table td", has=phone.locator("del"))
    assert changed.locator("del").inner_text() == "1,200.00"
    assert changed.locator("ins").inner_text() == "1,250.00"
    assert "补计考勤奖励后重新核算" in phone.locator("main").inner_text()
    screenshot(phone, "disclosure-revisions")
