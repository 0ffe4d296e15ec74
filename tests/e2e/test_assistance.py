"""An application goes from worker1 to payment, in the browser.

The chair opens a 送温暖 campaign and books the union funds' allocation into its fund; worker1
applies from her phone; branch1 reviews with the home-visit record and publishes the notice;
rep1 reads the notice (masked name, nothing sensitive) and objects anonymously; branch1 resolves
the objection; the chair is refused the approval during the notice period; the notice period
passes; the chair approves; branch1 prepares the payment run and the chair (the second cadre)
approves it; worker1 sees her application paid.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

SITUATION = "丈夫患尿毒症每周透析三次，女儿读高二，家里只靠我一人的工资。"


def _data_dir(tmp_path_factory) -> Path:
    """The e2e server's data directory (created by the e2e_server fixture)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e-data*"))
    assert found, "the e2e server's data directory was not found"
    return found[-1]


def _end_notice_period(tmp_path_factory, application_id: int) -> None:
    """Five working days pass: move the notice's end into the past in the server's database
    (the server's clock cannot be moved from here)."""
    db = _data_dir(tmp_path_factory) / "zhijia.sqlite3"
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).replace(tzinfo=None)
    with sqlite3.connect(db, timeout=30) as conn:
        changed = conn.execute(
            "UPDATE assistance_application SET notice_ends_at = ? WHERE id = ?",
            (past.isoformat(sep=" "), application_id),
        ).rowcount
    assert changed == 1


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def test_an_application_goes_from_worker1_to_payment(
    e2e_server, phone_page, new_desktop_page, tmp_path_factory
):
    # --- the chair opens the campaign and books the allocation ------------------------------------
    chair = new_desktop_page()
    log_in(chair, "chair", two_factor=True)
    chair.goto(reverse("assistance:campaign-create"))
    chair.fill("#id_name", "2026年送温暖")
    chair.select_option("#id_kind", "warmth")
    chair.get_by_role("button", name="创建").click()
    chair.wait_for_load_state()
    assert chair.get_by_role("heading", name="2026年送温暖").is_visible()
    chair.get_by_role("link", name="资金台账").click()
    chair.wait_for_load_state()
    chair.locator("summary", has_text="登记收入").click()
    chair.select_option("#id_kind", "allocation")
    chair.fill("#id_amount", "10000")
    chair.fill("#id_description", "工会经费拨付送温暖资金")
    chair.fill("#id_counterparty", "示例能源集团工会委员会")
    chair.get_by_role("button", name="入账").click()
    confirm_dialog(chair)
    assert chair.locator("#fund-balance").inner_text() == "¥10000.00"
    fund_url = chair.url

    # --- worker1 applies from her phone -----------------------------------------------------------
    worker = phone_page
    log_in(worker, "worker1")
    worker.goto(reverse("assistance:mine"))
    worker.get_by_role("link", name=re.compile("2026年送温暖")).click()
    worker.wait_for_load_state()
    worker.fill("#id_amount", "2000")
    worker.fill("#id_situation", SITUATION)
    screenshot(worker, "assistance-apply")
    worker.get_by_role("button", name="提交申请").click()
    worker.wait_for_load_state()
    match = re.search(r"/assistance/applications/(\d+)/$", worker.url)
    assert match, worker.url
    application_id = int(match.group(1))
    application_url = reverse("assistance:application-detail", args=[application_id])
    assert "待初审" in _main_text(worker)
    width = worker.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the application page is {width}px wide on a 390px phone"

    # --- branch1 reviews with the home visit and publishes the notice -----------------------------
    branch1 = new_desktop_page()
    log_in(branch1, "branch1", two_factor=True)
    branch1.goto(reverse("assistance:application-list"))
    # The list names the application by its readable number (BF<year>-<n>), linked to its page.
    branch1.locator(f"main a[href='{application_url}']").first.click()
    branch1.wait_for_load_state()
    assert SITUATION in _main_text(branch1)
    review = branch1.locator("form[action$='/review/']")
    review.locator("#id_visited_on").fill(dt.date.today().isoformat())
    review.locator("#id_visitors").fill("李春梅、赵卫东")
    review.locator("#id_findings").fill("入户核实：透析单据齐全，家中无其他收入来源。")
    review.locator("#id_category").select_option("deep")
    review.locator("#id_amount").fill("2000")
    review.get_by_role("button", name="初审通过").click()
    confirm_dialog(branch1)
    assert "初审通过，入户核查已记录" in _main_text(branch1)
    branch1.locator("form[action$='/publish/']").get_by_role("button", name="发布公示").click()
    confirm_dialog(branch1)
    assert "公示已发布" in _main_text(branch1)

    # --- rep1 reads the notice: a masked name, nothing sensitive; objects anonymously -------------
    rep = new_desktop_page()
    log_in(rep, "rep1")
    rep.goto(reverse("assistance:notice-list"))
    board = _main_text(rep)
    assert "陈*红" in board and "陈小红" not in board and "透析" not in board
    rep.get_by_role("link", name="陈*红").click()
    rep.wait_for_load_state()
    notice = _main_text(rep)
    assert "¥2000.00" in notice and "深度困难" in notice
    for secret in ("陈小红", "E0103", "透析", "女儿", "李春梅"):
        assert secret not in notice
    screenshot(rep, "assistance-notice")
    rep.fill("#id_text", "听说她家上月刚买了新车，请核实。")
    rep.check("#id_anonymous")
    rep.get_by_role("button", name="提交异议").click()
    rep.wait_for_load_state()
    assert "异议已提交（匿名，未记录您的身份）" in _main_text(rep)

    # --- branch1 resolves the objection -----------------------------------------------------------
    branch1.goto(application_url)
    objection = branch1.locator("form[action*='/objections/']")
    objection.locator("select").select_option("dismissed")
    objection.locator("input[name$='note']").fill("经核实，车辆为其弟弟所有，不影响困难认定。")
    objection.get_by_role("button", name="处理异议").click()
    confirm_dialog(branch1)
    assert "异议已处理" in _main_text(branch1)

    # --- the chair cannot approve during the notice period ----------------------------------------
    chair.goto(application_url)
    chair.locator("form[action$='/approve/']").get_by_role("button", name="审批通过").click()
    confirm_dialog(chair)
    assert "公示期未满" in _main_text(chair)

    # --- five working days later, the chair approves ----------------------------------------------
    _end_notice_period(tmp_path_factory, application_id)
    chair.goto(application_url)
    chair.locator("form[action$='/approve/']").get_by_role("button", name="审批通过").click()
    confirm_dialog(chair)
    assert "已审批通过" in _main_text(chair)

    # --- branch1 prepares the payment run, the chair approves it (two different cadres) -----------
    branch1.goto(reverse("assistance:run-list"))
    branch1.get_by_role("link", name="2026年送温暖专项资金").click()
    branch1.wait_for_load_state()
    branch1.check(f"input[name=applications][value='{application_id}']")
    branch1.fill("#id_title", "第一分工会送温暖第一批")
    branch1.get_by_role("button", name="提交审核").click()
    branch1.wait_for_load_state()
    assert "须由另一位干部审核" in _main_text(branch1)
    assert branch1.get_by_role("button", name="审核通过并发放").count() == 0
    run_url = branch1.url

    chair.goto(run_url)
    chair.get_by_role("button", name="审核通过并发放").click()
    confirm_dialog(chair)
    assert "帮扶金已入账发放" in _main_text(chair)
    screenshot(chair, "assistance-payment-run")
    chair.goto(fund_url)
    assert chair.locator("#fund-balance").inner_text() == "¥8000.00"
    assert "帮扶支出" in _main_text(chair)

    # --- worker1 sees her application paid --------------------------------------------------------
    worker.goto(application_url)
    text = _main_text(worker)
    assert "已发放" in text
    assert "李春梅" not in text  # the cadres' names stay off the worker's timeline
    screenshot(worker, "assistance-paid")
