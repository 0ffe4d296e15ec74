"""The receipt code on a phone (390×844): shown on one line inside the screen, copied by its
button into the clipboard, with the instruction to keep it and a plain link back to the app."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import screenshot

pytestmark = pytest.mark.e2e

RECEIPT = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
TEXT = "车间连续三个月每周六加班，没有加班费，也没有安排补休。希望工会过问。"


def test_the_box_receipt_code_fits_the_phone_and_copies(phone_page):
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(reverse("cases:box"))
    form = page.locator(f"form[action='{reverse('cases:box')}']")
    form.get_by_label("反映诉求").check()
    form.locator("#id_category").select_option("wages")
    form.locator("#id_org_unit").select_option(label="第一分工会")
    form.locator("#id_text").fill(TEXT)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    code_el = page.locator("#receipt-code")
    code = code_el.inner_text().strip()
    assert RECEIPT.match(code), code
    # One line, inside the 390px screen, nothing scrolled out of view.
    metrics = code_el.evaluate(
        "el => ({h: el.getBoundingClientRect().height, right: el.getBoundingClientRect().right,"
        " line: parseFloat(getComputedStyle(el).fontSize),"
        " overflow: el.scrollWidth - el.clientWidth, ws: getComputedStyle(el).whiteSpace})"
    )
    assert metrics["ws"] == "nowrap"
    assert metrics["overflow"] <= 1, metrics
    assert metrics["right"] <= 390, metrics
    assert metrics["h"] < metrics["line"] * 3.5, metrics  # one line plus padding (two: 4.5+)
    assert "只显示这一次" in page.locator("main").inner_text()

    button = page.get_by_role("button", name="复制")
    assert button.is_visible()
    screenshot(page, "receipt-code-phone")
    button.click()
    status = page.locator("[data-copy-status]")
    status.filter(has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code

    home = page.locator("a.box-home")
    assert home.get_attribute("href") == reverse("home")  # a plain link: no code, no token
    assert home.get_attribute("rel") == "noreferrer"
