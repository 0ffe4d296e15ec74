"""Competitions in the browser, on the seeded demo union.

branch1 (390×844) opens 劳动竞赛, enters a team of her branch (rep1 leading,
worker1) in 节能减排岗位练兵, which is open for registration (the page asks first), sees the
team among her entries, then opens the published ranking of 2026年度电焊工技能竞赛, whose
stages the demo scored: real rows, her branch's team among them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

DRILL = "节能减排岗位练兵"
CONTEST = "2026年度电焊工技能竞赛"
TEAM = "一分会节能先锋队"


def test_branch_cadre_enters_a_team_and_sees_the_ranking(phone_page):
    page = phone_page
    log_in(page, "branch1")
    # (a cadre's home is her workspace; the worker entrance 劳动竞赛 is in test_entrances)
    page.goto(reverse("services:competitions-home"))
    with page.expect_navigation():
        page.get_by_role("link", name=DRILL).tap()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    team = page.locator("main form[action$='/team/']")
    team.get_by_label("参赛单位").select_option(label="第一分工会")
    team.get_by_label("团队名称").fill(TEAM)
    team.get_by_label("队长工号").fill("E0102")
    team.get_by_label("队员工号").fill("E0103")
    team.get_by_role("button", name="报名团队").click()
    assert "列入参赛名单" in confirm_dialog(page)
    body = page.locator("body").inner_text()
    assert "团队报名成功" in body
    assert TEAM in page.locator("main section", has_text="我的报名").inner_text()
    screenshot(page, "phone-competition-team-branch1")

    page.goto(reverse("services:competitions-home"))
    assert TEAM in page.locator("main").inner_text()  # among her entries
    with page.expect_navigation():
        page.get_by_role("link", name=CONTEST).first.tap()
    with page.expect_navigation():
        page.get_by_role("link", name="查看排名").tap()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 3  # the final's three entries, ranked
    assert "一分会焊接突击队" in page.locator("main table").inner_text()
    assert rows.first.locator("td").first.inner_text().strip() == "1"
    screenshot(page, "phone-competition-ranking-branch1")
