"""Encrypted congress votes (issue 11, docs/voting.md): the session records the 总监票人 and
监票人 it passed; they are the trustees of its online votes. An item is prepared (its poll is
created encrypted, with them as trustees), they make its key with the trustee tool through the
voting API, the chair opens it once the key is made, representatives cast ballots encrypted on
their side, the chair closes it and two of the three scrutineers decrypt the totals: the item
passes on the decrypted count. Refusals: preparing without scrutineers, a plain online vote in a
session that has them, too few scrutineers or one without an account, changing them once a
prepared vote's key ceremony is done (before, the prepared vote follows the change), opening
before the key is made, opening it through voting's API."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from zhijia.accounts.models import ApiToken
from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import desk as actions_desk
from zhijia.congress.actions import sessions as actions
from zhijia.congress.tests.factory_sessions import make_members, make_term, seat
from zhijia.core.models import AuditEvent
from zhijia.voting.models import Poll
from zhijia.voting.queries import trustees_of
from zhijia.voting.tests.encrypted_support import (
    api_ballot_document,
    api_key_ceremony,
    api_trustee_step,
    encrypt_ballot_for,
    key_file,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/congress"
# Six representatives vote; more than half of all six (4) must say yes.
VOTES = ["yes", "yes", "yes", "yes", "no", "abstain"]


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def _post(client, url: str, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def congress(personas, demo_units):
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    reps = seat(chair, term, make_members(demo_units["B1-G1"], 6), is_frontline=True)
    no_account = seat(chair, term, make_members(demo_units["B1-G1"], 1, with_accounts=False))
    session = actions.do_schedule_session(
        actor=chair, term=term, date=dt.date(2025, 3, 20), place="职工活动中心大礼堂"
    )
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于职工食堂改造的决议")
    return chair, reps, no_account[0], session, item


def test_an_item_vote_encrypted_to_the_sessions_scrutineers(congress, tmp_path):
    chair, reps, no_account, session, item = congress
    api = _client(chair)
    scrutineers_url = f"{API}/sessions/{session.pk}/scrutineers"

    # Without scrutineers there is nobody to hold the key.
    assert _post(api, f"{API}/items/{item.pk}/prepare").status_code == 409

    too_few = _post(api, scrutineers_url, {"chief_id": reps[0].pk, "other_ids": [reps[1].pk]})
    assert too_few.status_code == 400 and "other_ids" in too_few.json()["errors"]
    without_account = _post(
        api, scrutineers_url, {"chief_id": reps[0].pk, "other_ids": [reps[1].pk, no_account.pk]}
    )
    assert without_account.status_code == 400
    assert no_account.member.name in without_account.json()["errors"]["other_ids"][0]
    chosen = [reps[0], reps[1], reps[2]]
    named = _post(
        api, scrutineers_url, {"chief_id": reps[0].pk, "other_ids": [reps[1].pk, reps[2].pk]}
    )
    assert named.status_code == 200, named.content.decode()
    body = named.json()
    assert [s["title"] for s in body["scrutineers"]] == ["总监票人", "监票人", "监票人"]
    assert [s["representative_id"] for s in body["scrutineers"]] == [r.pk for r in chosen]
    assert AuditEvent.objects.filter(action="congress.set_scrutineers").exists()

    prepared = _post(api, f"{API}/items/{item.pk}/prepare")
    assert prepared.status_code == 200, prepared.content.decode()
    assert prepared.json()["encrypted"] and prepared.json()["poll_state"] == "draft"
    poll = Poll.objects.get(pk=prepared.json()["poll_id"])
    assert poll.encrypted and poll.quorum == 2
    assert [t.user_id for t in trustees_of(poll)] == [r.member.user_id for r in chosen]
    # Its trustees are the session's scrutineers: not renamed on voting's side.
    renamed = _post(
        api,
        f"/api/v1/voting/polls/{poll.pk}/trustees",
        {"user_ids": [r.member.user_id for r in reps[3:6]]},
    )
    assert renamed.status_code == 409
    # Until its key ceremony begins, a prepared vote follows a change of the scrutineers.
    swap = {"chief_id": reps[3].pk, "other_ids": [reps[1].pk, reps[2].pk]}
    assert _post(api, scrutineers_url, swap).status_code == 200
    swapped = [reps[3], reps[1], reps[2]]
    assert [t.user_id for t in trustees_of(poll)] == [r.member.user_id for r in swapped]
    back = {"chief_id": reps[0].pk, "other_ids": [reps[1].pk, reps[2].pk]}
    assert _post(api, scrutineers_url, back).status_code == 200
    assert [t.user_id for t in trustees_of(poll)] == [r.member.user_id for r in chosen]
    # Congress opens its polls (quorum, the present representatives), never voting's API.
    bypass = _post(api, f"/api/v1/voting/polls/{poll.pk}/open", {"source": "members"})
    assert bypass.status_code == 409
    forged = _post(
        api,
        "/api/v1/voting/polls",
        {"title": "x", "kind": "yes_no_abstain", "unit_id": poll.unit_id, "origin": "congress.x"},
    )
    assert forged.status_code == 400 and "origin" in forged.json()["errors"]

    actions.do_start_checkin(actor=chair, session=session)
    actions_desk.do_mark_all_present_except(actor=chair, session=session)
    actions.do_open_session(actor=chair, session=session)
    early = _post(api, f"{API}/items/{item.pk}/open")
    assert early.status_code == 409 and "密钥" in early.json()["detail"]

    # Each scrutineer runs the trustee tool on her side and posts what it wrote.
    clients = {r.pk: _client(r.member.user) for r in reps}

    def run_step(rep, step: str) -> dict:
        key = key_file(tmp_path, f"rep{rep.pk}")
        return api_trustee_step(clients[rep.pk], poll.pk, step, key, tmp_path)

    status = api_key_ceremony({f"rep{r.pk}": clients[r.pk] for r in chosen}, poll.pk, tmp_path)
    assert status["key_ready"]
    again = _post(api, scrutineers_url, swap)
    assert again.status_code == 409  # its ceremony is done: the trustees stay

    opened = _post(api, f"{API}/items/{item.pk}/open")
    assert opened.status_code == 200, opened.content.decode()
    assert opened.json()["poll_state"] == "open"
    doc = api_ballot_document(clients[reps[0].pk], poll.pk)
    plain = _post(clients[reps[5].pk], f"/api/v1/voting/polls/{poll.pk}/cast", {"choice": ["no"]})
    assert plain.status_code == 400  # a choice in clear is refused
    for rep, choice in zip(reps, VOTES, strict=True):
        cast = _post(
            clients[rep.pk],
            f"/api/v1/voting/polls/{poll.pk}/cast-encrypted",
            {"ballot": encrypt_ballot_for(doc, (choice,))},
        )
        assert cast.status_code == 200, cast.content.decode()
    closed = _post(api, f"{API}/items/{item.pk}/close")
    assert closed.status_code == 200, closed.content.decode()
    assert closed.json()["result"] is None and closed.json()["refused"]

    run_step(reps[0], "decrypt")  # the chief scrutineer
    run_step(reps[2], "decrypt")  # and one scrutineer: k = 2
    final = api.get(f"{API}/items/{item.pk}").json()
    assert final["passed"] is True
    counts = {o["key"]: o["votes"] for o in final["result"]["options"]}
    expected = Counter(VOTES)
    assert counts == {k: expected.get(k, 0) for k in ("yes", "no", "abstain")}
    assert not AuditEvent.objects.filter(action__startswith="voting.cast").exists()


def test_a_session_with_scrutineers_votes_online_only_encrypted(congress, login):
    chair, reps, _no_account, session, item = congress
    actions_agenda.do_set_scrutineers(actor=chair, session=session, chief=reps[0], others=reps[1:3])
    actions.do_start_checkin(actor=chair, session=session)
    actions_desk.do_mark_all_present_except(actor=chair, session=session)
    actions.do_open_session(actor=chair, session=session)
    page = login("chair")
    refused = page.post(reverse("congress:item-action", args=[item.pk, "open"]))
    assert refused.status_code == 409
    assert "准备加密表决" in refused.content.decode()
    # A hall vote on paper stays possible, and is marked as such.
    paper = page.post(reverse("congress:item-open-paper", args=[item.pk]))
    assert paper.status_code == 302
    item.refresh_from_db()
    assert item.poll.is_paper and not item.poll.encrypted


def test_the_scrutineers_on_the_session_page(congress, login):
    chair, reps, no_account, session, item = congress
    page = login("chair")
    url = reverse("congress:session-detail", args=[session.pk])
    shown = page.get(url).content.decode()
    assert "尚未登记监票人" in shown
    form_url = reverse("congress:session-scrutineers", args=[session.pk])
    bad = page.post(form_url, {"chief_id": reps[0].pk, "other_ids": [reps[1].pk]})
    assert bad.status_code == 400
    assert "合计应为 3 到 5 人" in bad.content.decode()
    # A representative without an account is not offered.
    assert no_account.member.name not in bad.content.decode()
    ok = page.post(
        form_url,
        {"chief_id": reps[0].pk, "other_ids": [reps[1].pk, reps[2].pk, reps[3].pk]},
    )
    assert ok.status_code == 302
    shown = page.get(url).content.decode()
    assert f"总监票人：{reps[0].member.name}" in shown
    prepared = page.post(reverse("congress:item-action", args=[item.pk, "prepare"]))
    assert prepared.status_code == 302
    shown = page.get(url).content.decode()
    assert "监票人已生成密钥 0/4，已分发份额 0/4" in shown
    # No key made yet: the scrutineers may still change (the prepared vote follows them).
    assert reverse("congress:session-scrutineers", args=[session.pk]) in shown
    item.refresh_from_db()
    assert item.poll.quorum == 3  # a majority of four


def test_a_representative_election_encrypted_to_trustees(personas, demo_units, tmp_path):
    """Prepare (nominations close), trustees named with the voting API, the key made, the
    ballot opened through congress, eight members approve candidate A on their side, the
    close, nothing to seat before the decryption, then A seated."""
    from zhijia.congress.actions import elections as actions_elections
    from zhijia.congress.models import Representative

    branch1 = personas["branch1"]
    term = make_term(personas["chair"], demo_units["U"])
    extra = make_members(demo_units["B1-G2"], 9)
    election = actions_elections.do_create_election(
        actor=branch1, term=term, unit=demo_units["B1"], seats=1, competitive=True
    )
    for member in extra[:2]:
        actions_elections.do_nominate_candidate(actor=branch1, election=election, member=member)
    api = _client(branch1)
    url = f"{API}/elections/{election.pk}"
    prepared = _post(api, f"{url}/prepare")
    assert prepared.status_code == 200, prepared.content.decode()
    poll = Poll.objects.get(pk=prepared.json()["poll_id"])
    assert poll.encrypted and poll.state == Poll.State.DRAFT
    late = _post(api, f"{url}/candidates", {"member_id": extra[2].pk})
    assert late.status_code == 409  # nominations closed with the ballot's options
    assert _post(api, f"{url}/open").status_code == 409  # no key yet

    trustees = [m.user for m in extra[6:9]]
    named = _post(
        api, f"/api/v1/voting/polls/{poll.pk}/trustees", {"user_ids": [u.pk for u in trustees]}
    )
    assert named.status_code == 200, named.content.decode()
    clients = {m.user.pk: _client(m.user) for m in extra}

    def run_step(user, step: str) -> dict:
        key = key_file(tmp_path, user.username)
        return api_trustee_step(clients[user.pk], poll.pk, step, key, tmp_path)

    api_key_ceremony({u.username: clients[u.pk] for u in trustees}, poll.pk, tmp_path)
    opened = _post(api, f"{url}/open")
    assert opened.status_code == 200, opened.content.decode()
    doc = api_ballot_document(clients[extra[0].user.pk], poll.pk)
    a_key = next(c["poll_key"] for c in _candidates(api, url) if c["member_id"] == extra[0].pk)
    for member in extra[:8]:
        cast = _post(
            clients[member.user.pk],
            f"/api/v1/voting/polls/{poll.pk}/cast-encrypted",
            {"ballot": encrypt_ballot_for(doc, (a_key,))},
        )
        assert cast.status_code == 200, cast.content.decode()
    assert _post(api, f"{url}/close").status_code == 200
    assert _post(_client(personas["chair"]), f"{url}/seat").status_code == 409  # not decrypted
    run_step(trustees[0], "decrypt")
    run_step(trustees[1], "decrypt")
    seated = _post(_client(personas["chair"]), f"{url}/seat")
    assert seated.status_code == 200, seated.content.decode()
    assert Representative.objects.filter(term=term, member=extra[0]).exists()
    assert not Representative.objects.filter(term=term, member=extra[1]).exists()


def _candidates(api, url: str) -> list[dict]:
    from zhijia.congress.models import Candidate

    detail = api.get(url).json()
    keys = dict(Candidate.objects.values_list("pk", "poll_key"))
    return [{**c, "poll_key": keys[c["id"]]} for c in detail["candidates"]]
