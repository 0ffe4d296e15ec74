"""Women workers' services in the browser, on the seeded demo union.

worker1 (390×844) opens 女职工 from her home, registers the birth of twins in a difficult
birth (北京) with her consent, and sees her leave dates (98 + 15 + 15 + 60 = 188 days from 15
days before the birth) and her daily nursing time (two hours: one per baby) until the twins'
first birthday; then she withdraws her consent (the page asks first) and the registration is
gone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e


def test_worker_registers_a_birth_and_sees_her_entitlements(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.locator("main ul.entrances").get_by_role("link", name="女职工").tap()
    page.wait_for_url("**" + reverse("women:home"))
    with page.expect_navigation():
        page.get_by_role("link", name="孕产登记").first.tap()
    birth = dt.date.today() - dt.timedelta(days=3)
    page.get_by_label("生育", exact=True).check()
    page.get_by_label("适用省份").select_option(label="北京")
    page.get_by_label("生育日期").fill(birth.isoformat())
    page.get_by_label("婴儿数").fill("2")
    page.get_by_label("难产").check()
    page.get_by_label("本人自愿登记孕产信息", exact=False).check()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    with page.expect_navigation():
        page.get_by_role("button", name="提交登记").click()
    assert "已登记" in page.locator("body").inner_text()

    start = birth - dt.timedelta(days=15)
    end = start + dt.timedelta(days=188 - 1)
    leave = page.locator("[data-leave]").inner_text()
    assert f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" in leave
    assert "共 188 天" in leave
    # (a child born on 29 February has her first birthday on 28 February)
    first_birthday = dt.date(
        birth.year + 1, birth.month, min(birth.day, 28 if birth.month == 2 else 31)
    )
    nursing = page.locator("[data-nursing]").inner_text()
    assert "每天 120 分钟哺乳时间" in nursing
    assert f"至 {first_birthday:%Y-%m-%d}" in nursing
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "phone-women-registration-worker1")

    page.get_by_role("button", name="撤回同意并删除登记").click()
    assert "登记及其信息将被删除" in confirm_dialog(page)
    assert "已撤回同意" in page.locator("body").inner_text()
