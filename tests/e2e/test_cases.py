"""Grievances (诉求) in the browser: the anonymous box with its receipt code, and escalation.

1. worker1, signed in on her phone, writes into the anonymous box and is shown the receipt
   code once; with it she follows the (still sealed) submission, and a wrong code tells
   nothing. The box is opened; branch1 (the cadre of 第一分工会, where a grievance from
   worker1's union group goes when no routing rule says otherwise) assigns it to
   人力资源部; handler1 asks a question, worker1 answers it through the box, handler1 answers
   the grievance; worker1 reads the answer with the code and rates it. Too many wrong codes
   are refused.
2. worker1 raises a named grievance; nobody handles it; its deadline passes and the sweep
   escalates it: branch1 sees the responsible level move from 第一分工会 up to the union
   committee (and can no longer act on it), the chair finds it in the committee's own queue
   with the assign and answer forms and a notification; worker1 is told too.

The server's clock and its worker cannot be driven from here, so two things are done by hand
through `zhijia manage` against the server's own data directory (the same environment the
server runs with):
- the daily opening of the anonymous box, which the worker's sweep does once a day for items
  written on earlier days: `open_box(include_today=True)` opens today's items now (the
  documented demo and test switch of zhijia.cases.actions.box.open_box);
- the deadline passing: the grievance's `deadline_at` is set one minute into the past in the
  server's database, then `zhijia manage sweep_deadlines --workflow cases.grievance` runs the
  very escalation sweep the worker runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

BRANCH = "第一分工会"
COMMITTEE = "示例能源集团工会委员会"
DEPARTMENT = "人力资源部"
ZHIJIA = str(Path(sys.executable).with_name("zhijia"))
RECEIPT = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
WRONG_CODE_MESSAGE = "收据码不正确，请核对后重新输入"

BOX_TEXT = "车间连续三个月每周六加班，没有加班费，也没有安排补休。希望工会过问。"
QUESTION = "请问加班是否有考勤记录？大概涉及多少人？"
REPLY = "考勤机有记录，班组里大约二十人都是这样。"
ANSWER = (
    "已与人力资源部核实：三个月的加班费将随本月工资补发，今后周六加班按规定安排补休或支付加班费。"
)
NAMED_TEXT = "三月份的夜班津贴至今没有发放，班长说要等通知。"


# --- the server's side, through `zhijia manage` -------------------------------------------------


def _data_dir(tmp_path_factory) -> Path:
    """The e2e server's data directory (created by the e2e_server fixture)."""
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e-data*"))
    assert found, "the e2e server's data directory was not found"
    return found[-1]


def _manage(tmp_path_factory, *args: str) -> str:
    """Run `zhijia manage ...` with the server's environment; return its standard output."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIJIA_DATA_DIR": str(_data_dir(tmp_path_factory)), "PYTHONUNBUFFERED": "1"})
    result = subprocess.run(  # noqa: S603 - our own command line
        [ZHIJIA, "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"zhijia manage {args[0]} failed:\n{result.stderr[-4000:]}"
    return result.stdout


def _open_box(tmp_path_factory) -> int:
    """The daily opening of the anonymous box, now (today's items included)."""
    out = _manage(
        tmp_path_factory,
        "shell",
        "-c",
        "from zhijia.cases.actions.box import open_box; print(open_box(include_today=True))",
    )
    return int(out.strip().splitlines()[-1])


def _let_deadline_pass(tmp_path_factory, grievance_id: int) -> None:
    """The answer deadline passes: set it one minute into the past in the server's database."""
    out = _manage(
        tmp_path_factory,
        "shell",
        "-c",
        "import datetime as dt; from django.utils import timezone; "
        "from zhijia.cases.models import Grievance; "
        f"print(Grievance.objects.filter(pk={int(grievance_id)}, deadline_at__isnull=False)"
        ".update(deadline_at=timezone.now() - dt.timedelta(minutes=1)))",
    )
    assert out.strip().splitlines()[-1] == "1", out


# --- helpers in the browser ---------------------------------------------------------------------


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _fact(page, label: str) -> str:
    """The value of one line of a page's facts list (<dl class="facts">)."""
    row = page.locator("dl.facts > div").filter(has=page.locator("dt", has_text=label))
    return row.locator("dd").inner_text().strip()


def _submit(page, form, button: str) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()


def _submit_confirmed(page, form, button: str) -> None:
    """Submit a form that asks first (data-confirm): confirm in the dialog."""
    form.get_by_role("button", name=button).click()
    confirm_dialog(page)


def _follow(page, code: str) -> None:
    """Look a receipt code up on the box's follow-up page."""
    page.goto(reverse("cases:box-follow"))
    form = page.locator(f"form[action='{reverse('cases:box-follow')}']")
    form.get_by_label("收据码").fill(code)
    _submit(page, form, "查询")


def _queue_row(page, text: str):
    """branch1's / the chair's queue, filtered by a keyword of the grievance; its one row."""
    page.goto(reverse("cases:queue") + "?state=all&q=" + text[:8])
    rows = page.locator("table.dense tbody tr")
    assert rows.count() == 1, _main_text(page)
    return rows.first


def _cell(row, column: int) -> str:
    """Columns: 编号 内容 类别 所属工会 办理层级 承办部门 状态 期限 (0-based)."""
    return row.locator("td").nth(column).inner_text().strip()


def _fits_phone(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} is {width}px wide on a 390px phone"


# --- 1. the anonymous box -----------------------------------------------------------------------


def test_anonymous_grievance_followed_with_the_receipt_code_and_answered(
    e2e_server, phone_page, new_desktop_page, tmp_path_factory
):
    # --- worker1, signed in on her phone, finds the anonymous box -------------------------------
    worker = phone_page
    log_in(worker, "worker1")
    # On a phone the member's menu is the tab bar: 服务 lists every page she may open.
    worker.locator("nav.tabbar").get_by_role("link", name="服务").click()
    worker.locator("main").get_by_role("link", name="我的诉求").click()
    worker.wait_for_load_state()
    assert worker.url.endswith(reverse("cases:mine")), worker.url
    worker.get_by_role("link", name=re.compile("匿名信箱")).click()
    worker.wait_for_load_state()
    assert worker.url.endswith(reverse("cases:box")), worker.url
    page_text = _main_text(worker)
    assert "本页不读取您的登录信息" in page_text
    # The box does not know who is signed in: no name, no navigation of the account.
    assert "陈小红" not in worker.content() and "worker1" not in worker.content()
    # A worker may address only the committee or a branch union (a group is too small).
    units = worker.locator("#id_org_unit option").all_inner_texts()
    assert BRANCH in units and COMMITTEE in units and "发电一班组" not in units

    # An empty submission is refused next to the field, nothing is put in the box.
    form = worker.locator(f"form[action='{reverse('cases:box')}']")
    _submit(worker, form, "投入匿名信箱")
    assert worker.locator("#id_text_error").is_visible()

    form = worker.locator(f"form[action='{reverse('cases:box')}']")
    form.get_by_label("反映诉求").check()
    form.locator("#id_category").select_option("working_hours")
    form.locator("#id_org_unit").select_option(label=BRANCH)
    form.locator("#id_text").fill(BOX_TEXT)
    _fits_phone(worker, "the anonymous box")
    screenshot(worker, "cases-box")
    _submit(worker, form, "投入匿名信箱")

    # --- the receipt code, shown once -----------------------------------------------------------
    assert worker.get_by_role("heading", name="已投入匿名信箱").is_visible()
    code = worker.locator(".receipt-code").inner_text().strip()
    assert RECEIPT.match(code), code  # 16 symbols of a 32-symbol alphabet: 80 bits
    assert "只显示这一次" in _main_text(worker)
    assert code not in worker.url
    _fits_phone(worker, "the receipt page")
    screenshot(worker, "cases-box-receipt")
    # Shown once: going back to the box shows an empty form, not the code.
    worker.goto(reverse("cases:box"))
    assert code not in worker.content()

    # --- following up before the box is opened: sealed ------------------------------------------
    _follow(worker, code)
    assert worker.get_by_role("heading", name="我的匿名诉求").is_visible()
    status = _main_text(worker)
    assert "待开箱" in status and BOX_TEXT in status

    # A wrong code gives nothing away (and the same message for a malformed one).
    wrong = "2222-3333-4444-5555" if code != "2222-3333-4444-5555" else "6666-7777-8888-9999"
    _follow(worker, wrong)
    assert worker.locator("#id_code_error").inner_text() == WRONG_CODE_MESSAGE
    assert BOX_TEXT not in _main_text(worker)
    _follow(worker, "not a code")
    assert worker.locator("#id_code_error").inner_text() == WRONG_CODE_MESSAGE

    # --- the daily opening ----------------------------------------------------------------------
    assert _open_box(tmp_path_factory) == 1

    # The code works typed as one writes it down: lower case, spaces instead of hyphens.
    _follow(worker, code.lower().replace("-", " "))
    assert _fact(worker, "状态") == "待办理"
    assert _fact(worker, "办理单位") == BRANCH
    assert worker.locator(".timeline").inner_text().count("匿名信箱") == 1
    assert "待开箱" not in _main_text(worker)

    # --- branch1 finds it in her queue and assigns it to 人力资源部 -----------------------------
    branch1 = new_desktop_page()
    log_in(branch1, "branch1")
    branch1.goto(reverse("cases:queue"))
    row = _queue_row(branch1, BOX_TEXT)
    assert "匿名" in _cell(row, 1)
    assert _cell(row, 3) == BRANCH and _cell(row, 4) == BRANCH
    assert _cell(row, 6) == "待办理"
    row.locator("td").first.get_by_role("link").click()
    branch1.wait_for_load_state()
    match = re.search(r"/cases/(\d+)/$", branch1.url)
    assert match, branch1.url
    grievance_url = reverse("cases:grievance-detail", args=[int(match.group(1))])
    assert _fact(branch1, "提出人") == "匿名"
    assert BOX_TEXT in _main_text(branch1)
    # Nothing of worker1 on the cadre's page of an anonymous grievance.
    for trace in ("陈小红", "worker1", "E0103", "发电一班组"):
        assert trace not in _main_text(branch1), trace
    assign = branch1.locator("form[action$='/assign/']")
    assign.get_by_label("承办部门").select_option(label=DEPARTMENT)
    _submit_confirmed(branch1, assign, "交办")
    assert "已交办。" in _main_text(branch1)
    assert _fact(branch1, "承办部门") == DEPARTMENT
    assert "承办中" in branch1.locator("h1").inner_text()

    # --- handler1 asks the worker a question ----------------------------------------------------
    handler = new_desktop_page()
    log_in(handler, "handler1")
    handler.goto(reverse("cases:department-queue"))
    handler.get_by_role("link", name=BOX_TEXT[:10], exact=False).first.click()
    handler.wait_for_load_state()
    assert handler.url.endswith(grievance_url), handler.url
    ask = handler.locator("form[action$='/ask/']")
    ask.locator("textarea").fill(QUESTION)
    _submit(handler, ask, "发送")
    assert "已向职工询问。" in _main_text(handler)

    # --- worker1 reads the question with her code and answers it through the box ----------------
    _follow(worker, code)
    assert _fact(worker, "状态") == "承办中"
    assert _fact(worker, "办理单位") == f"{BRANCH} · {DEPARTMENT}"
    timeline = worker.locator(".timeline").inner_text()
    assert QUESTION in timeline and "周敏" in timeline
    message = worker.locator(f"form[action='{reverse('cases:box-message')}']")
    message.locator("textarea").fill(REPLY)
    _submit(worker, message, "提交")
    assert "已收到，将在下次开箱时送达工会。" in _main_text(worker)
    assert "您还有 1 条内容在信箱中" in _main_text(worker)

    # The cadre side sees only that something waits in the box, not what, until the opening.
    handler.goto(grievance_url)
    assert "匿名职工有新的补充信息或评价" in _main_text(handler)
    assert REPLY not in _main_text(handler)
    assert _open_box(tmp_path_factory) == 1

    # --- handler1 reads the reply and answers ---------------------------------------------------
    handler.goto(grievance_url)
    timeline = handler.locator(".timeline").inner_text()
    assert REPLY in timeline and "匿名职工" in timeline
    answer = handler.locator("form[action$='/answer/']")
    answer.locator("textarea").fill(ANSWER)
    screenshot(handler, "cases-handler-answer")
    _submit_confirmed(handler, answer, "提交答复")
    assert "已答复。" in _main_text(handler)
    assert "已答复" in handler.locator("h1").inner_text()

    # --- worker1 reads the answer with her code and rates it ------------------------------------
    _follow(worker, code)
    assert _fact(worker, "状态") == "已答复"
    assert ANSWER in worker.locator("section.answer").inner_text()
    _fits_phone(worker, "the anonymous status page")
    screenshot(worker, "cases-box-answered")
    rate = worker.locator(f"form[action='{reverse('cases:box-rate')}']")
    rate.get_by_label("满意", exact=True).check()
    _submit_confirmed(worker, rate, "提交评价")
    assert "已收到，将在下次开箱时送达工会。" in _main_text(worker)
    assert _open_box(tmp_path_factory) == 1
    _follow(worker, code)
    assert _fact(worker, "状态") == "已办结"
    branch1.goto(grievance_url)
    assert _fact(branch1, "评价") == "满意"

    # --- guessing codes is stopped (last: it locks this client out of the box's look-ups) -------
    refused = None
    for attempt in range(1, 12):
        _follow(worker, f"{attempt:04d}-2345-6789-ABCD".replace("0", "2").replace("1", "3"))
        error = worker.locator("main").inner_text()
        if "收据码错误次数过多" in error:
            refused = attempt
            break
        assert WRONG_CODE_MESSAGE in error
    # 2 wrong codes above + these: the 11th wrong code in the window is refused.
    assert refused == 9, refused
    # While refused, even the right code is not looked up.
    _follow(worker, code)
    assert "收据码错误次数过多" in _main_text(worker)
    assert ANSWER not in _main_text(worker)


# --- 2. escalation ------------------------------------------------------------------------------


def test_overdue_grievance_escalates_from_branch1_to_the_committee(
    e2e_server, phone_page, new_desktop_page, tmp_path_factory
):
    # --- worker1 raises a named grievance -------------------------------------------------------
    worker = phone_page
    log_in(worker, "worker1")
    worker.goto(reverse("cases:mine"))
    worker.get_by_role("link", name=re.compile("反映诉求")).first.click()
    worker.wait_for_load_state()
    assert worker.url.endswith(reverse("cases:grievance-create")), worker.url
    form = worker.locator("main form.card")
    form.get_by_label("反映诉求").check()
    form.locator("#id_category").select_option("wages")
    form.locator("#id_text").fill(NAMED_TEXT)
    _fits_phone(worker, "the grievance form")
    _submit(worker, form, "提交")
    match = re.search(r"/cases/(\d+)/$", worker.url)
    assert match, worker.url
    grievance_id = int(match.group(1))
    grievance_url = reverse("cases:grievance-detail", args=[grievance_id])
    assert "已提交，工会将在办理期限内答复您。" in _main_text(worker)
    assert _fact(worker, "办理层级") == BRANCH
    assert "待办理" in worker.locator("h1").inner_text()

    # --- branch1's level is responsible ---------------------------------------------------------
    branch1 = new_desktop_page()
    log_in(branch1, "branch1")
    row = _queue_row(branch1, NAMED_TEXT)
    assert _cell(row, 4) == BRANCH and "已升级" not in _cell(row, 4)
    assert "超期" not in _cell(row, 7)
    branch1.goto(grievance_url)
    assert branch1.locator("form[action$='/assign/']").count() == 1
    assert branch1.locator("form[action$='/answer/']").count() == 1

    # --- nobody handles it: the deadline passes -------------------------------------------------
    _let_deadline_pass(tmp_path_factory, grievance_id)
    row = _queue_row(branch1, NAMED_TEXT)
    assert "超期" in _cell(row, 7)
    assert "overdue" in (row.get_attribute("class") or "")
    branch1.goto(grievance_url)
    assert "已超期" in branch1.locator("h1").inner_text()

    # --- the sweep escalates it -----------------------------------------------------------------
    out = _manage(tmp_path_factory, "sweep_deadlines", "--workflow", "cases.grievance")
    assert "超期升级 1 件" in out, out

    # branch1 still sees it (it comes from her unit), now under the committee's responsibility.
    row = _queue_row(branch1, NAMED_TEXT)
    assert _cell(row, 3) == "发电一班组"
    assert _cell(row, 4).startswith(COMMITTEE) and "已升级" in _cell(row, 4)
    assert _cell(row, 6) == "待办理"
    assert "超期" not in _cell(row, 7)  # the committee has its own, new deadline
    branch1.goto(grievance_url)
    level = _fact(branch1, "办理层级")
    assert level.startswith(COMMITTEE) and "已升级 1 次" in level, level
    assert "已超期" not in branch1.locator("h1").inner_text()
    assert "超期升级 → 待办理" in branch1.locator(".timeline").inner_text()
    # The branch no longer handles it: not in "only my level's", no assign, answer or transfer.
    branch1.goto(reverse("cases:queue") + "?mine=on&q=" + NAMED_TEXT[:8])
    assert "没有符合条件的诉求" in _main_text(branch1)
    branch1.goto(grievance_url)
    for action in ("assign", "answer", "transfer"):
        assert branch1.locator(f"form[action$='/{action}/']").count() == 0, action
    screenshot(branch1, "cases-escalated-branch1")

    # --- the chair: in the committee's own queue, with the forms, and told so -------------------
    chair = new_desktop_page()
    log_in(chair, "chair")
    chair.goto(reverse("cases:queue") + "?mine=on&q=" + NAMED_TEXT[:8])
    rows = chair.locator("table.dense tbody tr")
    assert rows.count() == 1 and "已升级" in _cell(rows.first, 4), _main_text(chair)
    rows.first.locator("td").first.get_by_role("link").click()
    chair.wait_for_load_state()
    assert chair.url.endswith(grievance_url), chair.url
    assert chair.locator("form[action$='/assign/']").count() == 1
    assert chair.locator("form[action$='/answer/']").count() == 1
    chair.goto(reverse("core:inbox"))
    assert "诉求超期未办结，已升级由本级督办" in _main_text(chair)

    # --- worker1 sees the escalation ------------------------------------------------------------
    worker.goto(grievance_url)
    assert _fact(worker, "办理层级").startswith(COMMITTEE)
    assert "超期升级 → 待办理" in worker.locator(".timeline").inner_text()
    worker.goto(reverse("core:inbox"))
    assert "您的诉求已提交上一级工会督办" in _main_text(worker)
