"""A worker applies to join on a phone; branch1 approves; worker1 shows her e-card."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

RECEIPT = re.compile(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}")


def _valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def _narrow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} is {width}px wide on a 390px phone"


def test_apply_on_a_phone_then_branch_approves(phone_page, new_desktop_page):
    page = phone_page
    page.goto(reverse("org:join"))
    assert page.get_by_role("heading", name="申请加入工会").is_visible()
    _narrow(page, "the joining form")
    page.fill("input[name=name]", "周晓梅")
    page.fill("input[name=id_number]", _valid_id("32010219950305002"))
    page.fill("input[name=phone]", "139 1234 5678")
    option = page.locator("select[name=org_unit] option", has_text="发电一班组").first
    page.select_option("select[name=org_unit]", value=option.get_attribute("value"))
    page.check("input[name=employment_type][value=dispatched]")
    page.check("input[name=pledge]")
    page.check("input[name=consent]")
    screenshot(page, "join-apply")
    with page.expect_navigation():
        page.get_by_role("button", name="提交入会申请").click()
    code = page.locator(".receipt-code").inner_text().strip()
    assert RECEIPT.fullmatch(code), code
    _narrow(page, "the receipt")
    screenshot(page, "join-receipt")

    cadre = new_desktop_page()
    log_in(cadre, "branch1")
    cadre.goto(reverse("org:join-review"))
    cadre.get_by_role("link", name="周晓梅").click()
    cadre.fill("input[name=employee_no]", "E7001")
    cadre.get_by_role("button", name="批准入会").click()
    confirm_dialog(cadre)  # an irreversible step: it asks first
    assert "已批准入会" in cadre.locator("main").inner_text()

    page.goto(reverse("org:join-status"))
    page.fill("input[name=code]", code)
    page.fill("input[name=phone_last4]", "5678")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    body = page.locator("main").inner_text()
    assert "已批准入会" in body and "E7001" in body
    _narrow(page, "the status page")


def test_worker1_shows_her_e_card(phone_page):
    page = phone_page
    log_in(page, "worker1")
    assert page.get_by_role("heading", name="会员电子卡").is_visible()
    page.goto(reverse("org:card"))
    assert page.locator(".ecard-qr svg").is_visible()
    _narrow(page, "the e-card")
    screenshot(page, "member-card")
