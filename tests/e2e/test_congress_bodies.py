"""The congress bodies in the browser: a grassroots worker supervisor on her phone.

`zhijia seed-demo` appoints worker2 supervisor of branch 2 (zhijia.congress.demo.
ensure_demo_bodies). On a 390×844 phone she opens 代表履职, files an observation (subject,
text, place, date), answers the dialog that says the union will answer it within working
days, and sees it waiting for the answer; the page does not scroll sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

SUBJECT = "三号楼梯扶手松动"


def test_supervisor_files_an_observation_on_her_phone(phone_page):
    page = phone_page
    log_in(page, "worker2")
    page.goto("/congress/bodies/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("代表履职")
    page.fill("#id_subject", SUBJECT)
    page.fill("#id_text", "三号楼梯二楼扶手松动，上下班人多，容易摔倒。")
    page.fill("#id_place", "三号楼梯")
    page.fill("#id_observed_on", "2026-12-01")
    page.get_by_role("button", name="提交").click()
    assert "工作日内答复" in confirm_dialog(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_text("待答复").first).to_be_visible()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "congress-bodies-observation-phone")
