"""A rationalisation suggestion in the browser, on the seeded demo union, each step by the
person who holds it, through their pages.

rep1 (390×844) opens 合理化建议 from his home and submits a suggestion to 人力资源部 (the page
shows the similar earlier ones while he writes); handler1, that department's handler, sends it
to expert scoring; branch1 (rep1's branch) appoints the chair as expert; the chair marks every
criterion; branch1 adopts it, naming 财务部 to certify its benefit; rep1 then sees it 已采纳 on
his phone, with the decision in its timeline.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

TITLE = "夜班休息室增设遮光窗帘"


def test_rep_submits_and_sees_the_suggestion_adopted(phone_page, new_desktop_page):
    page = phone_page
    log_in(page, "rep1")
    page.locator("main ul.entrances").get_by_role("link", name="合理化建议").tap()
    page.wait_for_url("**" + reverse("services:suggestions-home"))
    with page.expect_navigation():
        page.get_by_role("link", name="提建议").tap()
    # while he writes, the similar earlier suggestions of the union appear (title, state)
    page.get_by_label("标题").fill("食堂就餐错峰排班")
    page.get_by_label("标题").blur()
    similar = page.locator("#similar")
    expect(similar).to_contain_text("食堂错峰就餐排班")
    expect(similar).to_contain_text("相似度")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("类别").select_option(label="小建议")
    page.get_by_label("涉及部门").select_option(label="人力资源部")
    page.get_by_label("存在的问题").fill("夜班人员白天在休息室补觉，阳光直射无法入睡")
    page.get_by_label("建议内容").fill("休息室窗户加装遮光窗帘，配眼罩和耳塞")
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    with page.expect_navigation():
        page.get_by_role("button", name="提交").tap()
    assert "建议已提交" in page.locator("body").inner_text()
    detail = page.url
    assert "部门审查中" in page.locator("main").inner_text()
    screenshot(page, "phone-suggestion-rep1")

    handler = new_desktop_page()
    log_in(handler, "handler1")
    handler.goto(detail)
    handler.get_by_label("意见").fill("情况属实，建议评审")
    handler.get_by_role("button", name="提交专家评审").click()
    assert "专家评审" in confirm_dialog(handler)
    assert "专家评审中" in handler.locator("main").inner_text()

    branch = new_desktop_page()
    log_in(branch, "branch1")
    branch.goto(detail)
    branch.get_by_label("评审专家工号").fill("E0001")
    branch.get_by_role("button", name="指定", exact=True).click()
    assert "专家会收到评审通知" in confirm_dialog(branch)

    chair = new_desktop_page()
    log_in(chair, "chair")
    chair.goto(detail)
    for label, mark in (("创新性", "75"), ("可行性", "90"), ("经济效益", "70"), ("推广价值", "85")):
        chair.get_by_label(label).fill(mark)
    with chair.expect_navigation():
        chair.get_by_role("button", name="保存评分").click()
    assert "评分已保存" in chair.locator("body").inner_text()

    branch.goto(detail)
    assert "已评分" in branch.locator("main").inner_text()
    branch.get_by_label("效益认定部门").select_option(label="财务部")
    branch.get_by_role("button", name="采纳", exact=True).click()
    assert "采纳并进入实施" in confirm_dialog(branch)
    screenshot(branch, "desk-suggestion-branch1")
    # the desk's list and the yearly figures, with the seeded year behind them
    branch.goto(reverse("services:suggestions-desk"))
    assert TITLE in branch.locator("main table").inner_text()
    branch.goto(reverse("services:suggestions-figures"))
    assert "每百人建议数" in branch.locator("main table").inner_text()
    with branch.expect_download() as download:
        branch.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(reverse("services:suggestions-home"))
    card = page.locator("main ul.cards li", has_text=TITLE)
    assert "已采纳" in card.inner_text()
    with page.expect_navigation():
        card.get_by_role("link", name=TITLE).tap()
    assert "已采纳" in page.locator("main [data-state]").inner_text()
    steps = page.locator("main ol.timeline li strong").all_inner_texts()
    assert steps == ["提交", "提交专家评审", "采纳"]
    screenshot(page, "phone-suggestion-adopted-rep1")
