"""A session of the workers' congress (职工代表大会) in the browser.

The chair starts the check-in of today's session; rep1 scans the hall's QR code on his phone,
signs in and checks himself in; the chair calls the roll of the others at the desk. With 79 of
the 120 representatives present the chair cannot declare the session open (the quorum is 2/3 of
ALL representatives: 80); with the 80th he can. The chair adds a motion; its online vote needs
the session's scrutineers (总监票人, 监票人), whom the chair records; he prepares the encrypted
vote, the scrutineers make its key, and he opens it. rep1 votes on his phone (his browser
encrypts the ballot) and is shown his tracker once (and keeps it in the phone's browser); while
the vote is open nobody sees any result. The chair closes the vote, two scrutineers decrypt the
totals, and he prints the result sheet (print page and PDF); rep1 finds his tracker in the
published tracker list with the verify form, and the published election record recounts to the
result with the independent verifier.

The demo term does not come with `zhijia seed-demo` yet: it is seeded here through the real code,
`zhijia.congress.demo.ensure_demo_congress()` (idempotent; 120 voting representatives,
rep1 among them, and a session planned for today), run by `zhijia manage shell` against the e2e
server's own data directory. rep1 is the only one of the 120 with an account, so the others are
checked in by roll call (as representatives without a phone are) and the online roll of the vote
is rep1 alone: the motion gets 1 yes of the 61 needed and fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import PASSWORD, confirm_dialog, log_in, screenshot

pytestmark = pytest.mark.e2e

ZHIJIA = str(Path(sys.executable).with_name("zhijia"))
TRACKER = re.compile(r"[0-9a-f]{1,64}")  # an encrypted ballot's tracker (a hash, hexadecimal)
VERIFIER = Path(__file__).resolve().parents[2] / "verifier" / "zhijia_verify.py"
# The scrutineers' steps in the server's process (zhijia manage shell): the key ceremony of
# the item's prepared vote, their key files written to the data directory; after the close,
# two of them decrypt. Their steps in the browser: tests/e2e/test_voting_encrypted.py.
SCRUTINEERS_MAKE_KEY = """
import json
from django.conf import settings
from zhijia.congress.models import AgendaItem
from zhijia.voting.queries import trustees_of
from zhijia.voting.tests.encrypted_support import ceremony_in_process
poll = AgendaItem.objects.get(pk=%(item)d).poll
keys = ceremony_in_process(poll, [t.user for t in trustees_of(poll)])
path = settings.DATA_DIR / "scrutineer-keys-%(item)d.json"
path.write_text(json.dumps([[user.pk, key] for user, key in keys]))
"""
SCRUTINEERS_DECRYPT = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from zhijia.congress.models import AgendaItem
from zhijia.voting.tests.encrypted_support import decrypt_in_process
poll = AgendaItem.objects.get(pk=%(item)d).poll
path = settings.DATA_DIR / "scrutineer-keys-%(item)d.json"
users = get_user_model().objects.in_bulk()
decrypt_in_process(poll, [(users[pk], key) for pk, key in json.loads(path.read_text())])
"""
SESSION = "示例能源集团工会委员会第1届职工代表大会第1次会议"
MOTION = "关于《2026年度集体合同（草案）》的决议"
REPRESENTATIVES = 120
QUORUM = 80  # two thirds of ALL 120 voting representatives
THRESHOLD = 61  # more than half of ALL 120 representatives
PAPER_MOTION = "关于《职工福利费使用办法》的决议"


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
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"zhijia manage {args[0]} failed:\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def demo_session(e2e_server, tmp_path_factory) -> int:
    """The id of today's session of the demo term (120 representatives, rep1 among them)."""
    out = _manage(
        tmp_path_factory,
        "shell",
        "-c",
        "from zhijia.congress.demo import ensure_demo_congress; "
        f"print(ensure_demo_congress(representatives={REPRESENTATIVES}).pk)",
    )
    return int(out.strip().splitlines()[-1])


# --- helpers in the browser ---------------------------------------------------------------------


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _submit(page, button) -> None:
    """Click a button that submits a form and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def _submit_confirmed(page, button) -> str:
    """Click a button whose form asks first (data-confirm), confirm in the dialog and wait for
    the page it leads to; answers the dialog's sentence."""
    button.click()
    return confirm_dialog(page)


def _present(page) -> int:
    return int(page.locator("#quorum .big").get_attribute("data-present"))


def _roll_call(page, count: int) -> None:
    """Tick `count` more representatives present on the roll-call page, one click each (htmx
    swaps the row), waiting for every row to come back ticked."""
    for _ in range(count):
        button = page.locator("tbody tr button[aria-pressed=false]").first
        row_id = button.locator("xpath=ancestor::tr").get_attribute("id")
        button.click()
        expect(page.locator(f"#{row_id} button")).to_have_attribute("aria-pressed", "true")


def _pdf_streams(body: bytes) -> bytes:
    """Every inflated (FlateDecode) stream of a PDF, joined: fonts and their Unicode maps."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n", body):
        try:
            inflated.append(zlib.decompressobj().decompress(body[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def _pdf_has_characters(streams: bytes, text: str) -> bool:
    """Whether the PDF's embedded fonts map glyphs to every character of `text` (ToUnicode)."""
    mapped = {int(code, 16) for code in re.findall(rb"<[0-9a-f]{2,4}> <([0-9a-f]{4})>", streams)}
    return all(ord(ch) in mapped for ch in text)


def _no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"


# --- the test -------------------------------------------------------------------------------------


def test_session_checkin_vote_tracker_and_result_sheet(  # noqa: PLR0915 - one session, in order
    e2e_server, demo_session, phone_page, new_desktop_page, tmp_path_factory
):
    detail_url = reverse("congress:session-detail", args=[demo_session])

    # --- the chair starts the check-in-------------------------------------------------------------
    chair = new_desktop_page()
    log_in(chair, "chair")
    chair.goto(detail_url)
    assert chair.locator("h1").inner_text() == SESSION
    assert chair.locator(".page-head .badge").inner_text() == "筹备中"
    quorum = chair.locator("#quorum").inner_text()
    assert _present(chair) == 0
    assert f"/ {REPRESENTATIVES} 名正式代表已签到；开会和表决须至少 {QUORUM} 人" in quorum
    assert f"还差 {QUORUM} 人" in quorum
    _submit_confirmed(chair, chair.get_by_role("button", name="开始签到"))
    assert "已开始签到" in chair.locator(".messages").inner_text()
    assert chair.locator(".page-head .badge").inner_text() == "签到中"

    # The hall's QR code, for the projector: its address is what a phone's camera opens.
    chair.get_by_role("link", name="会场签到二维码").click()
    chair.wait_for_load_state()
    assert chair.locator(".qr.hall svg").count() == 1
    hall_url = chair.locator("main p.mono").inner_text().strip()
    assert hall_url.startswith(f"{e2e_server}/congress/checkin/{demo_session}/"), hall_url

    # --- rep1 scans the hall code on his phone, signs in and checks himself in---------------------
    rep = phone_page
    rep.goto(hall_url)
    assert "/accounts/login/" in rep.url, "the hall code asks who is checking in"
    rep.fill("input[name=username]", "rep1")
    rep.fill("input[name=password]", PASSWORD)
    with rep.expect_navigation():
        rep.locator("main form button[type=submit]").first.click()
    rep.wait_for_load_state()
    assert rep.url == hall_url, "after signing in, back to the hall's check-in page"
    assert "为本人（赵卫东）签到" in _main_text(rep)
    _submit(rep, rep.get_by_role("button", name="确认签到"))
    assert rep.locator("main p.ok[role=status]").inner_text() == "签到成功。"
    _no_sideways_scrolling(rep)
    screenshot(rep, "congress-hall-checkin")
    rep.get_by_role("link", name="查看议程").click()
    rep.wait_for_load_state()
    assert rep.url.endswith(reverse("congress:my-session", args=[demo_session]))
    assert re.search(r"您已于 \d\d:\d\d 签到。", _main_text(rep))
    assert "还没有议程" in _main_text(rep)

    # --- the chair calls the roll of the others: 79 present is one short of the quorum-------------
    chair.goto(detail_url)
    assert _present(chair) == 1
    chair.get_by_role("link", name="点名").click()
    chair.wait_for_load_state()
    assert chair.locator("h1").inner_text() == "点名签到"
    rows = chair.locator("tbody tr")
    assert rows.count() == REPRESENTATIVES
    rep1_row = rows.filter(has_text="E0102")
    assert "赵卫东" in rep1_row.inner_text()
    expect(rep1_row.locator("button")).to_have_attribute("aria-pressed", "true")
    _roll_call(chair, QUORUM - 2)
    assert chair.locator("tbody tr button[aria-pressed=true]").count() == QUORUM - 1

    chair.goto(detail_url)
    assert _present(chair) == QUORUM - 1
    assert "还差 1 人" in chair.locator("#quorum").inner_text()
    _submit_confirmed(chair, chair.get_by_role("button", name="宣布开会"))
    refusal = chair.locator(".messages").inner_text()
    assert (
        f"出席的正式代表 {QUORUM - 1} 人，不足全体代表 {REPRESENTATIVES} 人的三分之二"
        f"（至少 {QUORUM} 人），不能宣布开会。"
    ) in refusal
    assert chair.locator(".page-head .badge").inner_text() == "签到中"

    # --- the 80th representative: quorum, the session opens----------------------------------------
    chair.get_by_role("link", name="点名").click()
    chair.wait_for_load_state()
    _roll_call(chair, 1)
    expect(chair.locator("#quorum .big")).to_have_attribute("data-present", str(QUORUM))
    screenshot(chair, "congress-roll-call")
    chair.goto(detail_url)
    assert _present(chair) == QUORUM
    assert "已达到法定人数" in chair.locator("#quorum").inner_text()
    _submit_confirmed(chair, chair.get_by_role("button", name="宣布开会"))
    assert "会议已宣布开始" in chair.locator(".messages").inner_text()
    assert chair.locator(".page-head .badge").inner_text() == "会议进行中"
    # Every demo member has an account: all who are present can vote on a phone, and the page
    # warns of nobody without one.
    assert "没有可用的账号" not in _main_text(chair)

    # --- the chair adds a motion and opens its vote------------------------------------------------
    chair.fill("#id_title", MOTION)
    chair.select_option("#id_kind", "motion")
    chair.fill("#id_description", "经职工代表讨论修改后的集体合同草案，提请大会表决。")
    _submit(chair, chair.get_by_role("button", name="增加", exact=True))
    assert "已增加议程" in chair.locator(".messages").inner_text()
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    assert "未开始" in item_row.inner_text()
    item_id = int(item_row.get_attribute("data-item"))
    # An online vote is encrypted to the session's scrutineers: none recorded yet, so the row
    # offers the hall (paper) vote only and points to the scrutineers' form.
    assert item_row.locator("[data-needs-scrutineers]").count() == 1
    assert item_row.get_by_role("button", name="开始在线表决").count() == 0
    # The chair records the chief scrutineer and two scrutineers the session passed.
    chair.select_option("#id_chief_id", index=1)
    others = chair.locator("input[name=other_ids]")
    others.nth(1).check()
    others.nth(2).check()
    _submit(chair, chair.get_by_role("button", name="登记", exact=True))
    assert "已登记总监票人和监票人" in chair.locator(".messages").inner_text()
    assert chair.locator("[data-scrutineers] li").count() == 3
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    _submit_confirmed(chair, item_row.get_by_role("button", name="准备加密表决"))
    assert "加密表决已准备" in chair.locator(".messages").inner_text()
    # The three make the key on their phones (in the browser: test_voting_encrypted.py); here
    # their steps run in the server's process, their key files kept for the decryption.
    _manage(tmp_path_factory, "shell", "-c", SCRUTINEERS_MAKE_KEY % {"item": item_id})
    chair.goto(detail_url)
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    assert "密钥已就绪" in item_row.inner_text()
    # Asked first, with how many of those present can vote on a phone (all of them here).
    sentence = _submit_confirmed(chair, item_row.get_by_role("button", name="开始在线表决"))
    assert "名正式代表" in sentence and "手机上投票" in sentence
    assert "表决已开始：出席代表现在可以在手机上投票" in chair.locator(".messages").inner_text()
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    assert "投票中" in item_row.inner_text()
    screenshot(chair, "congress-session-open")

    # --- rep1 votes on his phone and is shown his tracker once-------------------------------------
    rep.reload()
    rep.get_by_role("link", name="去投票").click()
    rep.wait_for_load_state()
    assert rep.locator("h1").inner_text() == MOTION
    poll_match = re.search(r"/voting/(\d+)/$", rep.url)
    assert poll_match, rep.url
    poll_id = int(poll_match.group(1))
    assert [t.strip() for t in rep.locator("label.option").all_inner_texts()] == [
        "赞成",
        "反对",
        "弃权",
    ]
    rep.locator("label.option", has_text="赞成").click()
    _no_sideways_scrolling(rep)
    # His browser encrypts the ballot (ballot-crypto.js) before it is sent.
    _submit_confirmed(rep, rep.get_by_role("button", name="加密并投票"))
    assert rep.locator("h1").inner_text() == "投票成功"
    tracker = rep.locator("#tracker-code").inner_text().strip()
    assert TRACKER.fullmatch(tracker), tracker
    assert "它只显示这一次" in _main_text(rep)
    # The tracker card shows the code, never the choice.
    assert "赞成" not in rep.locator(".tracker-card").inner_text()
    rep.get_by_role("button", name="只保存在本机浏览器").click()
    expect(rep.locator("[data-tracker-status]")).to_contain_text("已保存在本机浏览器")
    _no_sideways_scrolling(rep)
    screenshot(rep, "congress-tracker")

    # Shown once: the vote page now says he has voted, and nothing shows the tracker again.
    rep.goto(reverse("voting:poll-detail", args=[poll_id]))
    assert "您已经投过票" in _main_text(rep)
    assert rep.get_by_role("button", name="确认投票").count() == 0
    assert tracker not in rep.content()
    rep.goto(reverse("congress:my-session", args=[demo_session]))
    assert rep.locator("li", has_text=MOTION).locator(".badge").inner_text() == "已投票"
    assert tracker not in rep.content()
    # No result to anyone while the vote is open: not to the voter ...
    response = rep.goto(reverse("voting:results", args=[poll_id]))
    assert response is not None and response.status == 409
    assert "表决正在进行，结束前不公布任何结果" in _main_text(rep)
    assert tracker not in rep.content()

    # ... nor to the chair.
    chair.goto(reverse("congress:session-results", args=[demo_session]))
    assert "表决正在进行，结束前不公布任何结果" in chair.locator(f"#item-{item_id}").inner_text()
    assert chair.locator(".outcome").count() == 0

    # --- the chair closes the vote and prints the result sheet-------------------------------------
    chair.goto(detail_url)
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    _submit_confirmed(chair, item_row.get_by_role("button", name="结束表决"))
    assert "请监票人在手机上解密票数" in chair.locator(".messages").inner_text()
    chair.goto(reverse("congress:session-results", args=[demo_session]))
    assert chair.locator(f"#item-{item_id} .outcome").count() == 0  # not decrypted yet
    # Two of the three scrutineers decrypt the totals (k = 2): the result is published.
    _manage(tmp_path_factory, "shell", "-c", SCRUTINEERS_DECRYPT % {"item": item_id})
    chair.goto(detail_url)
    item_row = chair.locator("tbody tr[data-item]", has_text=MOTION)
    assert "已结束" in item_row.inner_text()
    item_row.get_by_role("link", name="结果").click()
    chair.wait_for_load_state()
    assert chair.locator("h1").inner_text() == "表决结果"
    assert f"全体正式代表 {REPRESENTATIVES} 人，已签到 {QUORUM} 人。" in _main_text(chair)
    result = chair.locator(f"#item-{item_id}")
    assert result.locator("h2").inner_text() == f"1. {MOTION}"
    assert result.locator(".outcome").inner_text() == "未通过"
    assert result.locator(".outcome").get_attribute("data-passed") == "0"
    text = result.inner_text()
    assert "赞成 1 票，反对 0 票，弃权 0 票。" in text
    assert (
        f"全体正式代表 {REPRESENTATIVES} 人，通过须赞成票超过半数，即至少 {THRESHOLD} 票。" in text
    )
    # Every representative present takes part, with or without an account (79 have none).
    assert f"参加表决的出席代表 {QUORUM} 人，收回有效票 1 张。" in text
    screenshot(chair, "congress-results")

    # The print page: the same document as the PDF.
    chair.get_by_role("link", name="打印版").click()
    chair.wait_for_load_state()
    assert chair.locator("h1").inner_text() == SESSION
    assert chair.locator("p.sub").inner_text().startswith("表决结果汇总表")
    figures = {
        th.inner_text(): th.locator("xpath=following-sibling::td[1]").inner_text()
        for th in chair.locator("table").first.locator("th").all()
    }
    assert figures["全体正式代表"] == str(REPRESENTATIVES)
    assert figures["签到出席"] == str(QUORUM)
    assert figures["法定人数（三分之二）"] == str(QUORUM)
    assert figures["宣布开会时出席"] == str(QUORUM)
    assert chair.locator("h2").inner_text() == f"1. {MOTION}"
    votes = chair.locator("table").nth(1).locator("tr").nth(1).locator("td").all_inner_texts()
    assert votes == ["1", "0", "0", "1", str(THRESHOLD), "未通过"]
    for signature in ("计票人", "监票人", "大会主席团"):
        assert chair.locator(".sign", has_text=signature).count() == 1
    screenshot(chair, "congress-result-sheet")

    # The PDF (WeasyPrint, with the CJK font embedded), with the chair's session.
    pdf = chair.context.request.get(reverse("congress:session-results-pdf", args=[demo_session]))
    assert pdf.status == 200, pdf.text()[:500]
    assert pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF-") and len(body) > 5_000
    streams = _pdf_streams(body)
    fonts = re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", streams + body)
    assert any(re.search(rb"WenQuanYi|Noto|Source|AR", f) for f in fonts), fonts
    for text in ("表决结果汇总表", MOTION, "全体正式代表", "未通过", "计票人监票人大会主席团"):
        assert _pdf_has_characters(streams, text), f"the PDF does not render {text}"

    # --- rep1 finds his tracker in the published list----------------------------------------------
    rep.goto(reverse("congress:my-session", args=[demo_session]))
    rep.locator("li", has_text=MOTION).get_by_role("link", name="结果与核验").click()
    rep.wait_for_load_state()
    assert rep.url.endswith(reverse("voting:results", args=[poll_id]))
    assert rep.locator(".outcome").inner_text().strip() == "未通过"
    assert "共公布 1 个验证码，已投票 1 人。" in _main_text(rep)
    # The verify form is prefilled from this phone's browser, where he kept the tracker.
    expect(rep.locator("#tracker-input")).to_have_value(tracker)
    _submit(rep, rep.get_by_role("button", name="查找"))
    found = rep.locator("main p[role=status]")
    assert found.inner_text().strip() == "找到了：这个验证码在公布的列表中，您的选票已被计入。"
    assert "ok" in found.get_attribute("class")
    rep.locator("summary", has_text="全部验证码").click()
    assert rep.locator("ol.tracker-list li").all_inner_texts() == [tracker]
    _no_sideways_scrolling(rep)
    screenshot(rep, "congress-tracker-found")
    # A tracker that was not cast is not found.
    wrong = "0" * 64 if tracker != "0" * 64 else "1" * 64
    rep.fill("#tracker-input", wrong)
    _submit(rep, rep.get_by_role("button", name="查找"))
    assert "没有找到这个验证码" in rep.locator("main p[role=status]").inner_text()

    # The published record: the encrypted ballot box with its trackers, the proofs and the
    # decrypted totals, for anyone to recount with verifier/zhijia_verify.py; no choice in clear.
    trackers_csv = rep.context.request.get(reverse("voting:trackers-csv", args=[poll_id]))
    assert trackers_csv.status == 200 and tracker in trackers_csv.text()
    assert rep.context.request.get(reverse("voting:choices-csv", args=[poll_id])).status == 409
    record = rep.context.request.get(reverse("voting:record", args=[poll_id]))
    assert record.status == 200 and tracker in record.text()
    record_file = tmp_path_factory.mktemp("record") / f"poll-{poll_id}-record.json"
    record_file.write_text(record.text(), encoding="utf-8")
    recount = subprocess.run(  # noqa: S603 - the project's own verifier
        [sys.executable, str(VERIFIER), str(record_file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert recount.returncode == 0, recount.stdout + recount.stderr
    assert "\nyes\t1\n" in recount.stdout and "\nno\t0\n" in recount.stdout

    # --- a motion on paper: the hall's ballots, counted against those present -------------------
    chair.goto(detail_url)
    chair.fill("#id_title", PAPER_MOTION)
    chair.select_option("#id_kind", "motion")
    chair.check("#id_is_paper")
    _submit(chair, chair.get_by_role("button", name="增加", exact=True))
    item_row = chair.locator("tbody tr[data-item]", has_text=PAPER_MOTION)
    paper_item = int(item_row.get_attribute("data-item"))
    _submit_confirmed(chair, item_row.get_by_role("button", name="开始表决"))
    assert "请在会场发放纸质选票" in chair.locator(".messages").inner_text()
    chair.locator("tbody tr[data-item]", has_text=PAPER_MOTION).get_by_role(
        "link", name="录入现场票数"
    ).click()
    chair.wait_for_load_state()
    taking_part = chair.locator("dt", has_text="参加表决的人数")
    assert taking_part.locator("xpath=following-sibling::dd[1]").inner_text() == str(QUORUM)

    def enter(yes: int, no: int, abstain: int) -> None:
        chair.fill("#id_valid_ballots", str(yes + no + abstain))
        chair.fill("#id_invalid_ballots", "0")
        chair.fill("#id_count_yes", str(yes))
        chair.fill("#id_count_no", str(no))
        chair.fill("#id_count_abstain", str(abstain))
        _submit_confirmed(chair, chair.get_by_role("button", name="保存票数"))

    # 81 ballots from the 80 present: refused, next to the ballots field.
    enter(62, 11, 8)
    error = chair.locator("#id_valid_ballots_error")
    expect(error).to_contain_text(f"收回的选票（81 张）多于参加表决的人数（{QUORUM} 人）")
    # 60 / 12 / 8: accepted, not passed (60 is not more than half of all 120).
    enter(60, 12, 8)
    assert "现场表决票数已录入" in chair.locator(".messages").inner_text()
    chair.goto(reverse("congress:session-results", args=[demo_session]))
    paper_result = chair.locator(f"#item-{paper_item}")
    assert paper_result.locator(".outcome").get_attribute("data-passed") == "0"
    assert "纸质（现场）表决" in paper_result.inner_text()

    # Every vote is closed: the session closes.
    chair.goto(detail_url)
    _submit_confirmed(chair, chair.get_by_role("button", name="闭会"))
    assert chair.locator(".page-head .badge").inner_text() == "已闭会"
