"""Volunteering and a donation drive in the browser, on the seeded demo union.

worker1 (390×844) opens 志愿公益 from her home, signs up for the coming shift of 社区义诊志愿
服务, withdraws again (the page asks first), sees her confirmed hours of the year and the
drive's thank-you list (rep1 opted out: not on it) and pledges; branch1 (desktop) sees the
project's shifts, the hours of the past shift, the yearly hours list and downloads it; the
chair confirms worker1's pledge on the drive's desk page, which books it in the fund ledger.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

PROJECT = "社区义诊志愿服务"
DRIVE = "为受灾职工献爱心"


def test_worker_signs_up_and_pledges_and_cadres_manage(phone_page, new_desktop_page):
    page = phone_page
    log_in(page, "worker1")
    page.locator("main ul.entrances").get_by_role("link", name="志愿公益").tap()
    page.wait_for_url("**" + reverse("services:volunteering-home"))
    assert "年志愿服务" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=PROJECT).last.tap()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    # The coming shift: worker1 is signed up in the demo; she withdraws, then signs up again.
    coming = page.locator("main ul.cards li", has_text="请穿工会志愿者马甲")
    assert "已报名" in coming.inner_text()
    coming.get_by_role("button", name="退出班次").click()
    assert "名额将让给其他人" in confirm_dialog(page)
    assert "已退出该班次" in page.locator("body").inner_text()
    coming = page.locator("main ul.cards li", has_text="请穿工会志愿者马甲")
    with page.expect_navigation():
        coming.get_by_role("button", name="报名").click()
    assert "报名成功" in page.locator("body").inner_text()
    screenshot(page, "phone-volunteer-project-worker1")

    page.goto(reverse("services:volunteering-home"))
    with page.expect_navigation():
        page.get_by_role("link", name=DRIVE).tap()
    thanks = page.locator("main section", has_text="鸣谢名单").last.inner_text()
    assert "陈小红" in thanks and "赵卫东" not in thanks  # rep1 opted out
    page.get_by_label("金额（元）").fill("88")
    with page.expect_navigation():
        page.get_by_role("button", name="提交认捐").click()
    assert "认捐已登记" in page.locator("body").inner_text()
    screenshot(page, "phone-donation-drive-worker1")

    branch = new_desktop_page()
    log_in(branch, "branch1")
    branch.goto(reverse("services:volunteering-desk"))
    with branch.expect_navigation():
        branch.get_by_role("link", name=PROJECT).click()
    with branch.expect_navigation():
        branch.locator("main table a").first.click()  # the past shift
    rows = branch.locator("main table tbody").inner_text()
    assert "陈小红" in rows and "已确认" in rows and "提前离开" in rows
    branch.goto(reverse("services:volunteering-desk-hours"))
    assert "陈小红" in branch.locator("main table").inner_text()
    with branch.expect_download() as download:
        branch.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    chair = new_desktop_page()
    log_in(chair, "chair")
    chair.goto(reverse("services:volunteering-desk-drives"))
    with chair.expect_navigation():
        chair.get_by_role("link", name=DRIVE).click()
    row = chair.locator("main table tbody tr", has_text="88.00")
    row.get_by_role("button", name="确认收到").click()
    assert "帮扶资金台账" in confirm_dialog(chair)
    assert "已确认收到" in chair.locator("body").inner_text()
    assert "¥788.00" in chair.locator("main").inner_text()
    screenshot(chair, "desk-donation-drive-chair")
