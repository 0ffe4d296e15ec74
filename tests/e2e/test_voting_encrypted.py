"""An encrypted poll in the browser (docs/voting.md, "Encrypted polls"): rep1 on a phone
(390×844) marks 赞成, confirms, and her browser encrypts the ballot (ballot-crypto.js,
encrypt-form.js) before it is sent; the server checks the proofs, keeps the encrypted ballot
and shows her tracker. The poll and its key ceremony are set up in the server's database
beforehand (the trustees' steps are tested over HTTP in zhijia/voting/tests/
test_encrypted_poll.py)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from django.urls import reverse

from tests.e2e.browser import confirm_dialog, log_in, screenshot
from tests.e2e.conftest import _SERVER_LOG, ZHIJIA

pytestmark = pytest.mark.e2e

SETUP = """
from django.contrib.auth import get_user_model
from zhijia.org.models import OrgUnit
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.tests.encrypted_support import ceremony_in_process
users = {u.username: u for u in get_user_model().objects.filter(
    username__in=["chair", "branch1", "rep1", "worker1"])}
unit = OrgUnit.objects.get(code="B1")
poll = actions.do_create_poll(actor=users["chair"], title="浏览器加密表决",
    kind="yes_no_abstain", unit=unit, encrypted=True)
trustees = [users[n] for n in ("branch1", "rep1", "worker1")]
trustee_actions.do_name_trustees(actor=users["chair"], poll=poll, users=trustees)
ceremony_in_process(poll, trustees)
actions.do_open_poll(actor=users["chair"], poll=poll,
    voters=queries.eligible_members_of_unit(unit))
print("POLL", poll.pk)
"""


def _shell(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ZHIJIA_DATA_DIR"] = str(_SERVER_LOG[0].parent)  # the running server's database
    done = subprocess.run(
        [ZHIJIA, "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_representative_casts_an_encrypted_ballot_on_her_phone(phone_page):
    page = phone_page
    poll = int(re.search(r"POLL (\d+)", _shell(SETUP)).group(1))
    log_in(page, "rep1")
    page.goto(reverse("voting:poll-detail", args=[poll]))
    page.get_by_label("赞成").check()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
    page.get_by_role("button", name="加密并投票").click()
    assert "不能修改" in confirm_dialog(page)
    tracker = page.locator("#tracker-code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{1,64}", tracker), tracker
    screenshot(page, "phone-encrypted-ballot-rep1")
    # (the tracker page is shown only once the server has checked the proofs and stored it)
    page.goto(reverse("voting:poll-detail", args=[poll]))
    assert "您已经投过票" in page.locator("main").inner_text()


TRUSTEE_SETUP = """
import json
from django.contrib.auth import get_user_model
from zhijia.org.models import OrgUnit
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.crypto import trustee as ct
users = {u.username: u for u in get_user_model().objects.filter(
    username__in=["chair", "branch1", "rep1", "worker1"])}
poll = actions.do_create_poll(actor=users["chair"], title="浏览器密钥仪式",
    kind="yes_no_abstain", unit=OrgUnit.objects.get(code="B1"), encrypted=True)
trustee_actions.do_name_trustees(actor=users["chair"], poll=poll,
    users=[users[n] for n in ("branch1", "rep1", "worker1")])
base = queries.base_hash_of(poll)
keys = {}
for i, name in ((2, "rep1"), (3, "worker1")):  # the other two trustees, with the tool's code
    keys[name], public = ct.keygen(i, poll.quorum, base)
    trustee_actions.do_post_trustee_public(actor=users[name], poll=poll, document=public)
print("POLL", poll.pk)
print("KEYS", json.dumps(keys))
"""

# The other two trustees seal their shares (their key files given back to them).
OTHERS_SHARES = """
from django.contrib.auth import get_user_model
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.crypto import trustee as ct
from zhijia.voting.models import Poll
poll = Poll.objects.get(pk=POLL_ID)
publics = queries.trustee_publics(queries.trustees_of(poll))
for name, key in KEYS.items():
    secret, base = ct.key_from_dict(key)
    user = get_user_model().objects.get(username=name)
    shares = ct.seal_shares(secret, publics, base)
    trustee_actions.do_post_trustee_shares(actor=user, poll=poll, document=shares)
print("KEY", bool(Poll.objects.get(pk=POLL_ID).joint_key))
"""


# The other two trustees check their shares, the poll opens to B1's members, rep1 votes yes
# and worker1 no (ballots encrypted as their devices do), the poll closes, and rep1 decrypts
# the tally with the trustee tool.
VOTE_AND_FIRST_DECRYPTION = """
from django.contrib.auth import get_user_model
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.models import Poll
from zhijia.voting.tests.encrypted_support import (
    ballot_in_process, check_in_process, trustee_tool)
users = {u.username: u for u in get_user_model().objects.filter(
    username__in=["chair", "rep1", "worker1"])}
poll = Poll.objects.get(pk=POLL_ID)
for name, key in KEYS.items():
    check_in_process(poll, users[name], key)
actions.do_open_poll(actor=users["chair"], poll=poll,
    voters=queries.eligible_members_of_unit(poll.unit))
yes, no = poll.option_keys()[:2]
for name, choice in (("rep1", yes), ("worker1", no)):
    actions.do_cast_encrypted_ballot(voter=users[name], poll=poll,
        ballot=ballot_in_process(poll, [choice]))
poll = actions.do_close_poll(actor=users["chair"], poll=Poll.objects.get(pk=POLL_ID))
me = next(t for t in queries.trustees_of(poll) if t.user_id == users["rep1"].pk)
decryption = trustee_tool().decrypt(queries.trustee_document(poll, me), KEYS["rep1"])
trustee_actions.do_post_trustee_decryption(actor=users["rep1"], poll=poll, document=decryption)
print("DECRYPTED", bool(Poll.objects.get(pk=POLL_ID).election_record))
"""

RESULT = """
from zhijia.voting import queries
from zhijia.voting.models import Poll
poll = Poll.objects.get(pk=POLL_ID)
print("RESULT", sorted((o.key, o.votes) for o in queries.results_for(poll).options))
"""


def _browser_step(page, key_path, button: str) -> None:
    """A trustee's step in her browser from her key file: pick it, press `button`, confirm;
    the page reloads with the step's outcome."""
    page.set_input_files("#key-file", key_path)
    page.get_by_role("button", name=button).click()
    with page.expect_navigation():
        page.locator("dialog.confirm .confirm-ok").click()


def test_a_trustee_makes_her_key_and_shares_in_the_browser(new_desktop_page):
    """branch1, trustee 1: her browser makes her key (the key file is downloaded, only the
    public document is uploaded and checked), then, from the key file she picks, her shares
    sealed to the two others; once theirs are in, it checks the shares sealed to her and
    uploads the check (no complaint). After the vote her browser decrypts the tally from the
    same key file: with rep1's decryption (k = 2) the result is published."""
    page = new_desktop_page()
    setup = _shell(TRUSTEE_SETUP)
    poll = int(re.search(r"POLL (\d+)", setup).group(1))
    keys = re.search(r"KEYS (.+)", setup).group(1)
    log_in(page, "branch1")
    page.goto(reverse("voting:trustee", args=[poll]))
    with page.expect_download() as made:
        page.get_by_role("button", name="生成我的密钥").click()
        page.locator("dialog.confirm .confirm-ok").click()
    key_path = made.value.path()
    page.wait_for_selector("button:has-text('生成并上传份额')")
    _browser_step(page, key_path, "生成并上传份额")
    assert "您的份额已上传" in page.locator("main").inner_text()
    screenshot(page, "desk-trustee-ceremony-branch1")

    others = OTHERS_SHARES.replace("POLL_ID", str(poll)).replace("KEYS", keys)
    assert "KEY True" in _shell(others)
    page.reload()
    _browser_step(page, key_path, "核对我收到的份额")
    assert "您收到的份额核对无误" in page.locator("main").inner_text()

    vote = VOTE_AND_FIRST_DECRYPTION.replace("POLL_ID", str(poll)).replace("KEYS", keys)
    assert "DECRYPTED False" in _shell(vote)  # one of two: nothing published yet
    page.reload()
    _browser_step(page, key_path, "解密并上传")
    assert "结果已经解密并公布" in page.locator("main").inner_text()
    result = _shell(RESULT.replace("POLL_ID", str(poll)))
    assert re.search(r"RESULT \[\('abstain', 0\), \('no', 1\), \('yes', 1\)\]", result), result
