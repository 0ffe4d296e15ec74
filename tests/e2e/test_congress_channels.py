"""Leadership reception days (领导接待日) in the browser, on the phone.

`zhijia seed-demo` publishes branch 1's reception day a week from today with three slots, two
of them booked (zhijia.congress.demo.ensure_demo_channels). worker1, on her phone (390×844),
opens 领导接待日, books the free slot with her topic, and finds it in 我的预约.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot

pytestmark = pytest.mark.e2e

LEADER = "王志刚"  # zhijia.congress.demo.RECEPTION_LEADER


def test_worker_books_a_reception_day_slot_on_the_phone(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.goto("/congress/channels/reception/")
    page.get_by_role("link", name=LEADER).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LEADER)
    page.get_by_label("反映事项").fill("车间空调夏季制冷不足，希望检修。")  # the one free slot
    page.get_by_role("button", name="预约").click()
    expect(page.get_by_role("heading", name="我的预约")).to_be_visible()
    expect(page.get_by_text("车间空调夏季制冷不足")).to_be_visible()
    expect(page.get_by_role("button", name="取消预约")).to_be_visible()
    screenshot(page, "congress-reception-booked-phone")
