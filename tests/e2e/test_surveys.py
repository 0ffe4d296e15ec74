"""worker1 on her phone (390×844) answers the demo's anonymous survey, sees the thank-you page,
and the survey then shows as answered (已填写) in her list; its to-do leaves her home."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

TITLE = "职工文化体育活动需求调查"  # zhijia/services/demo.py: open, anonymous, worker1 not yet


def _page_width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_worker1_answers_an_anonymous_survey_on_her_phone(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.goto(reverse("services:survey-mine"))
    item = page.locator("ul.survey-list li", has_text=TITLE)
    assert "待填写" in item.inner_text()
    with page.expect_navigation():
        item.get_by_role("link").tap()
    assert page.locator("h1").inner_text().strip() == TITLE
    assert "匿名问卷" in page.locator("main").inner_text()
    assert _page_width(page) <= 390
    screenshot(page, "phone-survey-answer-worker1")

    questions = page.locator("fieldset.question")
    # A required question left empty: refused, the message next to it, nothing lost.
    questions.nth(0).get_by_label("读书会").check()
    questions.nth(0).get_by_label("职工旅游").check()
    page.get_by_role("button", name="提交问卷").tap()
    assert "只能填写一次" in confirm_dialog(page)  # the answers are final: asked first
    assert "这道题必须回答" in page.locator("main").inner_text()
    assert page.locator("fieldset.question").nth(0).get_by_label("读书会").is_checked()

    questions = page.locator("fieldset.question")
    questions.nth(1).get_by_label("周末").check()
    questions.nth(2).get_by_label("5 ★").check()
    questions.nth(3).locator("textarea").fill("希望周末多组织亲子活动")
    page.get_by_role("button", name="提交问卷").tap()
    confirm_dialog(page)
    page.wait_for_url("**/thanks/")
    assert page.get_by_role("heading", name="感谢您的填写").is_visible()
    assert _page_width(page) <= 390
    screenshot(page, "phone-survey-thanks-worker1")

    with page.expect_navigation():
        page.get_by_role("link", name="返回我的问卷").tap()
    item = page.locator("ul.survey-list li", has_text=TITLE)
    assert "已填写" in item.inner_text()
    # Opening it again says it is answered, with no form to send twice.
    with page.expect_navigation():
        item.get_by_role("link").tap()
    assert "您已经填写过这份问卷" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="提交问卷").count() == 0


def test_chair_sees_results_with_bars_and_the_topics_on_the_congress_page(desktop_page):
    page = desktop_page
    log_in(page, "chair")
    page.goto(reverse("services:survey-list"))
    with page.expect_navigation():
        page.get_by_role("link", name="2026年职工食堂满意度调查").click()
    with page.expect_navigation():
        page.get_by_role("link", name="查看结果").click()
    main = page.locator("main")
    assert "已填写 6 人" in main.inner_text()
    assert main.locator("svg.bar").count() > 0
    assert "高频词" in main.inner_text()
    screenshot(page, "survey-results-chair")
    page.goto(reverse("congress:term-list"))
    with page.expect_navigation():
        page.locator("main a[href*='/terms/']").first.click()
    with page.expect_navigation():
        page.locator("main a[href*='/sessions/']").first.click()
    section = page.locator("section", has_text="会前征求意见的议题")
    assert "夜班津贴标准" in section.inner_text()
    screenshot(page, "congress-session-consultation-topics")

    # A new survey with its questions, saved as a draft and published (asked first). Its
    # audience is the third branch union, where no demo account is, so no one's home changes.
    page.goto(reverse("services:survey-create"))
    page.get_by_label("标题").fill("班车线路调整意见征集")
    page.get_by_label(re.compile("第三分工会$")).check()
    first = page.locator("fieldset.question-edit").nth(0)
    first.get_by_label("题型").select_option("single")
    first.get_by_label("题目").fill("您是否赞成调整班车线路？")
    first.get_by_label("选项（每行一个）").fill("赞成\n反对")
    second = page.locator("fieldset.question-edit").nth(1)
    second.get_by_label("题型").select_option("text")
    second.get_by_label("题目").fill("其他意见")
    screenshot(page, "survey-form-chair")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert page.get_by_role("heading", name="班车线路调整意见征集").is_visible()
    page.get_by_role("button", name="发布").click()
    assert "题目不能再修改" in confirm_dialog(page)
    assert "问卷已发布" in page.locator("main").inner_text()
    screenshot(page, "survey-detail-chair")
