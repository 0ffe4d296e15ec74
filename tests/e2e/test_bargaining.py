"""Collective bargaining in the browser, on the seeded demo union.

The chair (desktop) starts a bargaining round for 第一分工会; worker1 (390×844) gives her demand
for it on her phone and reads the committee's contract in force. The chair records that the
employer received the request today (the page shows the answer's due date with
《集体合同规定》第三十二条) and the written answer, drafts the contract from the round, adds a
clause and prepares the draft's encrypted vote (the page asks first); its three trustees (监票人)
make the key (their steps run in the server's process here; in the browser in
test_voting_encrypted.py) and the chair opens it. The roll is the representatives of 第一分工会's
subtree, rep1 among them. rep1 (390×844) opens the poll on his phone and his browser encrypts his
赞成; the other representatives cast encrypted ballots through the voting module's action (three
against). The chair closes the vote; two trustees decrypt the totals; the chair closes it again
and Art. 36 decides (two thirds present, more than half of all in favour): the draft is voted.
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

ROUND = "第一分工会 2027 年工资集体协商（浏览器）"
GENERAL = "示例能源集团综合性集体合同（2025—2028）"  # the demo's contract in force
ZHIJIA = str(Path(sys.executable).with_name("zhijia"))
# Run by `zhijia manage shell` against the e2e server's data directory. The trustees of the
# prepared vote: rep1, worker1 and worker2 make its key, their key files kept for the decryption.
MAKE_KEY = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from zhijia.voting import trustee_actions
from zhijia.voting.models import Poll
from zhijia.voting.tests.encrypted_support import ceremony_in_process
users = {{u.username: u for u in get_user_model().objects.all()}}
poll = Poll.objects.get(pk={poll})
trustees = [users[n] for n in ("rep1", "worker1", "worker2")]
trustee_actions.do_name_trustees(actor=users["chair"], poll=poll, users=trustees)
keys = ceremony_in_process(poll, trustees)
(settings.DATA_DIR / "trustee-keys-{poll}.json").write_text(
    json.dumps([[user.pk, key] for user, key in keys]))
print("ok")
"""
# The other representatives on the roll cast encrypted ballots through the voting module's own
# action: three against, the rest for.
CAST_OTHERS = """
from zhijia.voting.actions import do_cast_encrypted_ballot
from zhijia.voting.models import Poll, VoterRoll
from zhijia.voting.tests.encrypted_support import ballot_in_process
poll = Poll.objects.get(pk={poll})
rest = VoterRoll.objects.filter(poll=poll, voted=False).select_related("user").order_by("user_id")
users = [entry.user for entry in rest]
for i, user in enumerate(users):
    ballot = ballot_in_process(poll, ["no" if i < 3 else "yes"])
    do_cast_encrypted_ballot(voter=user, poll=poll, ballot=ballot)
print(len(users))
"""
# After the close, two of the three trustees decrypt the totals.
DECRYPT = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from zhijia.voting.models import Poll
from zhijia.voting.tests.encrypted_support import decrypt_in_process
users = get_user_model().objects.in_bulk()
keys = json.loads((settings.DATA_DIR / "trustee-keys-{poll}.json").read_text())
decrypt_in_process(Poll.objects.get(pk={poll}), [(users[pk], key) for pk, key in keys])
print("ok")
"""


def _no_sideways_scrolling(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"


def _shell(tmp_path_factory, code: str) -> str:
    """Run `code` with `zhijia manage shell` on the e2e server's data; the last line printed."""
    found = sorted(tmp_path_factory.getbasetemp().glob("e2e-data*"))
    assert found, "the e2e server's data directory was not found"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIJIA_DATA_DIR": str(found[-1]), "PYTHONUNBUFFERED": "1"})
    result = subprocess.run(  # noqa: S603 - our own command line
        [ZHIJIA, "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout.strip().splitlines()[-1]


def test_chair_starts_a_round_and_the_representatives_vote_the_draft(
    desktop_page, phone_page, tmp_path_factory
):
    chair = desktop_page
    log_in(chair, "chair")
    chair.goto(reverse("bargaining:desk"))
    with chair.expect_navigation():
        chair.get_by_role("link", name="发起集体协商").click()
    chair.get_by_label("所属工会").select_option(label="第一分工会")
    chair.get_by_label("协商事项").select_option("wage")
    chair.get_by_label("名称").fill(ROUND)
    chair.get_by_label("用人单位").fill("示例能源集团第一分公司")
    with chair.expect_navigation():
        chair.get_by_role("button", name="保存").click()
    assert "协商轮次已建立" in chair.locator("body").inner_text()
    assert chair.locator("h1").inner_text() == ROUND

    # worker1 (390×844) gives her demand for the round, and reads the contract in force.
    worker = phone_page
    log_in(worker, "worker1")
    worker.locator("main ul.entrances").get_by_role("link", name="集体合同").tap()
    worker.wait_for_url("**" + reverse("bargaining:home"))
    assert GENERAL in worker.locator("main").inner_text()
    with worker.expect_navigation():
        worker.get_by_role("link", name=ROUND).tap()
    worker.get_by_label("议题").select_option(label="工资调整")
    worker.get_by_label("意见建议").fill("一线岗位工资增长应高于管理岗位。")
    with worker.expect_navigation():
        worker.get_by_role("button", name="提交意见").click()
    assert "您的意见已提交" in worker.locator("body").inner_text()
    _no_sideways_scrolling(worker)
    worker.goto(reverse("bargaining:home"))
    with worker.expect_navigation():
        worker.get_by_role("link", name=GENERAL).tap()
    assert "第1条 劳动报酬" in worker.locator("main").inner_text()
    _no_sideways_scrolling(worker)
    screenshot(worker, "phone-bargaining-contract-worker1")
    worker.context.clear_cookies()
    chair.reload()
    assert "工资调整" in chair.locator("main table").first.inner_text()

    # The request: received today; the answer is due 20 days later (Art. 32).
    request = chair.locator("form", has=chair.get_by_role("button", name="提出协商要求"))
    request.get_by_label("协商要求").fill("请求就 2027 年度工资调整进行集体协商。")
    request.get_by_label("对方收到日期").fill(chair.evaluate("new Date().toLocaleDateString('sv')"))
    request.get_by_role("button", name="提出协商要求").click()
    assert "20 日" in confirm_dialog(chair)
    assert "《集体合同规定》第三十二条" in chair.locator("main").inner_text()
    answer = chair.locator("form", has=chair.get_by_role("button", name="登记对方书面回应"))
    answer.get_by_label("回应日期").fill(chair.evaluate("new Date().toLocaleDateString('sv')"))
    answer.get_by_label("对方书面回应").fill("同意协商。")
    answer.get_by_role("button", name="登记对方书面回应").click()
    confirm_dialog(chair)
    screenshot(chair, "bargaining-round-chair")

    # The draft, from the round.
    with chair.expect_navigation():
        chair.get_by_role("link", name="起草合同").click()
    assert chair.get_by_label("合同名称").input_value() == ROUND
    with chair.expect_navigation():
        chair.get_by_role("button", name="保存").click()
    clause = chair.locator("form", has=chair.get_by_role("button", name="添加条款"))
    clause.get_by_label("条款标题").fill("工资增长")
    clause.get_by_label("条款内容").fill("2027 年度职工月平均工资增长不低于 5%。")
    clause.get_by_label("可量化承诺（履约期间安排检查）").check()
    with chair.expect_navigation():
        clause.get_by_role("button", name="添加条款").click()
    assert "条款已添加" in chair.locator("body").inner_text()
    # An online vote is encrypted: prepared first, its three trustees make the key.
    contract_url = chair.url
    chair.get_by_role("button", name="准备加密表决").click()
    assert "监票人" in confirm_dialog(chair)
    # The page that follows is the poll's, where the trustees are named.
    assert "请在本页指定 3 至 5 名监票人" in chair.locator("body").inner_text()
    poll_match = re.search(r"/voting/manage/(\d+)/", chair.url)
    assert poll_match, chair.url
    poll_id = int(poll_match.group(1))
    assert _shell(tmp_path_factory, MAKE_KEY.format(poll=poll_id)) == "ok"
    chair.goto(contract_url)
    assert "监票人已生成密钥" in chair.locator("main").inner_text()
    chair.get_by_role("button", name="开始表决").click()
    assert "加密" in confirm_dialog(chair)
    assert "表决已开始" in chair.locator("body").inner_text()
    poll_href = chair.get_by_role("link", name="查看表决").get_attribute("href") or ""
    assert poll_href.endswith(f"/voting/{poll_id}/"), poll_href

    # rep1 votes on his phone.
    rep = phone_page
    log_in(rep, "rep1")
    rep.goto(poll_href)
    assert ROUND in rep.locator("h1").inner_text()
    rep.locator("label.option", has_text="赞成").click()
    _no_sideways_scrolling(rep)
    rep.get_by_role("button", name="加密并投票").click()  # his browser encrypts it
    confirm_dialog(rep)
    assert rep.locator("h1").inner_text() == "投票成功"
    _no_sideways_scrolling(rep)
    screenshot(rep, "phone-bargaining-vote-rep1")

    others = int(_shell(tmp_path_factory, CAST_OTHERS.format(poll=poll_id)))
    roll = others + 1

    # The chair closes the vote: Art. 36 decides.
    chair.goto(contract_url)
    assert f"已投票 {roll} / {roll} 人" in chair.locator("main").inner_text()
    chair.get_by_role("button", name="结束表决并计票").click()
    assert "不能再投票" in confirm_dialog(chair)
    assert "须由监票人解密票数" in chair.locator("body").inner_text()  # nothing decided yet
    assert _shell(tmp_path_factory, DECRYPT.format(poll=poll_id)) == "ok"
    chair.goto(contract_url)
    chair.get_by_role("button", name="结束表决并计票").click()
    confirm_dialog(chair)
    body = chair.locator("body").inner_text()
    assert "草案获得通过" in body and "《集体合同规定》第三十六条" in body
    assert f"应到 {roll} 人，出席 {roll} 人，赞成 {roll - 3} 人" in body
    assert "已审议通过" in chair.locator("main").inner_text()
    screenshot(chair, "bargaining-contract-voted-chair")
