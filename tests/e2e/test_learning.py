"""Learning in the browser, on the seeded demo union: worker1 on her phone (390×844) opens
学习培训 from her home, enrols in 工会法与职工权益 (which she has not taken in the demo), starts
the test (the page asks first: the clock runs), answers the five drawn questions, hands in
(asked again), passes, downloads the certificate PDF, and opens the verification page the
certificate's QR code points to (its link is shown as text too): 有效, her name masked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot
from zhijia.core.pdf import qr_svg
from zhijia.services.learning_demo import DEMO_QUESTIONS, LEARNING_TEST_COURSE

pytestmark = pytest.mark.e2e


def _answer(fieldset) -> None:
    legend = fieldset.locator("legend").inner_text()
    kind, _text, _options, answer, _e = next(q for q in DEMO_QUESTIONS if q[1] in legend)
    key = answer.split("|")[0]
    if kind == "填空":
        fieldset.locator("input[type=text]").fill(key)
    elif kind == "判断":
        fieldset.locator(f"input[value='{key}']").check()
    else:
        for letter in key:
            fieldset.locator(f"input[value='{letter}']").check()


def test_worker_enrols_passes_the_test_and_verifies_the_certificate(phone_page):
    page = phone_page
    log_in(page, "worker1")
    page.locator("main ul.entrances").get_by_role("link", name="学习培训").tap()
    page.wait_for_url("**" + reverse("services:learning-home"))
    with page.expect_navigation():
        page.get_by_role("link", name=LEARNING_TEST_COURSE).tap()
    with page.expect_navigation():
        page.get_by_role("button", name="报名学习").tap()
    assert "报名成功" in page.locator("body").inner_text()
    page.get_by_role("button", name="开始测试").tap()
    assert "自动收卷" in confirm_dialog(page)
    questions = page.locator("fieldset.question")
    assert questions.count() == 5
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    screenshot(page, "phone-learning-test-worker1")
    for i in range(5):
        _answer(questions.nth(i))
    page.get_by_role("button", name="交卷").tap()
    assert "不能再修改" in confirm_dialog(page)
    body = page.locator("body").inner_text()
    assert "已交卷：100 分" in body and "全部答对" in body

    with page.expect_download() as download:
        page.get_by_role("link", name="下载证书 PDF").tap()
    assert download.value.suggested_filename.endswith(".pdf")

    with page.expect_navigation():
        page.get_by_role("link", name=f"← {LEARNING_TEST_COURSE}").tap()
    link = page.locator("a.verify-link").get_attribute("href")
    assert link and "/services/learning/verify/" in link
    # the QR code shown (the certificate's, same drawing) encodes exactly that link: segno's
    # drawing is deterministic, so the modules' path equals the one drawn from the link here
    shown = page.locator("div.qr svg path").first.get_attribute("d")
    assert shown == re.search(r' d="([^"]+)"', str(qr_svg(link, scale=3))).group(1)
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    page.goto(link)
    verify = page.locator("main").inner_text()
    assert "有效" in verify and LEARNING_TEST_COURSE in verify
    assert "陈**" in verify and "陈小红" not in verify
    screenshot(page, "phone-learning-verify")
