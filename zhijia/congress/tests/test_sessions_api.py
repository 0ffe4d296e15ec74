"""The congress sessions through the REST API: a term, its representatives and composition,
a session with check-in by code, the quorum, item votes cast through the voting API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhijia.accounts.models import ApiToken
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import (
    decrypt,
    make_key,
    make_members,
    scrutineers_who_can_sign_in,
)
from zhijia.org.models import Member
from zhijia.voting.models import Poll
from zhijia.voting.tests.encrypted_support import api_ballot_document, encrypt_ballot_for

pytestmark = pytest.mark.django_db

API = "/api/v1/congress"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_session_through_the_api(api_client, personas, demo_units):
    chair = api_client("chair")
    bad = _post(
        chair,
        f"{API}/terms",
        {"unit_id": demo_units["U"].pk, "start_date": "2024-03-01", "end_date": "2025-03-01"},
    )
    assert bad.status_code == 400
    assert "每届任期为 3 至 5 年" in bad.json()["detail"]
    created = _post(
        chair,
        f"{API}/terms",
        {
            "unit_id": demo_units["U"].pk,
            "start_date": "2024-03-01",
            "end_date": "2029-02-28",
            "workforce_total": 600,
            "workforce_women": 180,
        },
    )
    assert created.status_code == 201, created.content
    term_id = created.json()["id"]
    # A branch cadre cannot set up the enterprise's term.
    assert (
        _post(
            api_client("branch1"),
            f"{API}/terms",
            {"unit_id": demo_units["U"].pk, "start_date": "2024-03-01", "end_date": "2029-02-28"},
        ).status_code
        == 404
    )

    members = make_members(demo_units["B2-G2"], 30)
    women = make_members(demo_units["B2-G3"], 6, gender=Member.Gender.FEMALE)
    for m in members + women:
        r = _post(
            chair,
            f"{API}/terms/{term_id}/representatives",
            {"member_id": m.pk, "is_frontline": True},
        )
        assert r.status_code == 201, r.content
    dup = _post(chair, f"{API}/terms/{term_id}/representatives", {"member_id": members[0].pk})
    assert dup.status_code == 400
    attending = _post(
        chair,
        f"{API}/terms/{term_id}/representatives",
        {"employee_no": "E0202", "kind": "attending"},
    )
    assert attending.status_code == 201 and attending.json()["kind"] == "attending"

    comp = chair.get(f"{API}/terms/{term_id}/composition").json()
    checks = {c["code"]: c for c in comp["checks"]}
    assert comp["slate"]["voting"] == 36
    assert checks["size_min"]["status"] == "ok"  # 36 >= max(5 % of 600, 30)
    assert checks["women_share"]["status"] == "warn"  # 6/36 < 180/600
    assert checks["women_share"]["figures"]["required"] == 11
    assert checks["managers_max"]["basis"] == "《企业民主管理规定》第十九条"
    assert comp["overall"] == "warn"

    session = _post(chair, f"{API}/terms/{term_id}/sessions", {"date": "2025-03-20"})
    assert session.status_code == 201
    sid = session.json()["id"]
    item = _post(chair, f"{API}/sessions/{sid}/items", {"title": "关于食堂改造的决议"})
    assert item.status_code == 201
    item_id = item.json()["id"]

    assert _post(chair, f"{API}/sessions/{sid}/start-checkin").json()["state"] == "checkin"
    reps = list(q.representatives_of(q.access_term(personas["chair"], term_id)))
    voting_reps = [r for r in reps if r.kind == "voting"]
    # 36 representatives: 24 make the quorum. Check in 23 at the door.
    for rep in voting_reps[:23]:
        r = _post(chair, f"{API}/sessions/{sid}/checkin", {"code": q.checkin_code(rep)})
        assert r.status_code == 200 and r.json()["created"]
    status = chair.get(f"{API}/sessions/{sid}/quorum").json()
    assert (status["present"], status["total"], status["required"], status["reached"]) == (
        23,
        36,
        24,
        False,
    )
    refused = _post(chair, f"{API}/items/{item_id}/open")
    assert refused.status_code == 409 and "不足全体代表" in refused.json()["detail"]
    assert _post(chair, f"{API}/sessions/{sid}/open").status_code == 409
    bad_code = _post(chair, f"{API}/sessions/{sid}/checkin", {"code": "forged"})
    assert bad_code.status_code == 400
    roll = _post(
        chair,
        f"{API}/sessions/{sid}/roll-call",
        {"representative_id": voting_reps[23].pk, "present": True},
    )
    assert roll.json()["reached"] is True
    assert _post(chair, f"{API}/sessions/{sid}/open").json()["state"] == "open"
    # An online vote is encrypted to the session's scrutineers: none yet, so refused.
    unprepared = _post(chair, f"{API}/items/{item_id}/open")
    assert unprepared.status_code == 409 and "监票人" in unprepared.json()["detail"]
    chief, *others = scrutineers_who_can_sign_in(q.access_term(personas["chair"], term_id))
    named = {"chief_id": chief.pk, "other_ids": [r.pk for r in others]}
    assert _post(chair, f"{API}/sessions/{sid}/scrutineers", named).status_code == 200
    prepared = _post(chair, f"{API}/items/{item_id}/prepare")
    assert prepared.status_code == 200, prepared.content
    poll_id = prepared.json()["poll_id"]
    make_key(Poll.objects.get(pk=poll_id))  # the scrutineers' key ceremony
    opened = _post(chair, f"{API}/items/{item_id}/open")
    assert opened.status_code == 200 and opened.json()["poll_id"] == poll_id
    assert opened.json()["result"] is None and opened.json()["refused"]

    # The representatives vote through the voting API; 18 yes of 36 is not more than half.
    doc = api_ballot_document(chair, poll_id)
    for i, rep in enumerate(voting_reps[:24]):
        client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(rep.member.user)}"})
        ballot = encrypt_ballot_for(doc, ["yes" if i < 18 else "no"])
        cast = _post(client, f"/api/v1/voting/polls/{poll_id}/cast-encrypted", {"ballot": ballot})
        assert cast.status_code == 200, cast.content
    # A representative who did not check in is not on the roll.
    late = Client(
        headers={"Authorization": f"Bearer {ApiToken.issue(voting_reps[30].member.user)}"}
    )
    ballot = encrypt_ballot_for(doc, ["yes"])
    refused = _post(late, f"/api/v1/voting/polls/{poll_id}/cast-encrypted", {"ballot": ballot})
    assert refused.status_code == 404
    still_open = chair.get(f"{API}/items/{item_id}").json()
    assert still_open["result"] is None and still_open["passed"] is None
    sealed = _post(chair, f"{API}/items/{item_id}/close").json()
    assert sealed["result"] is None  # until the scrutineers decrypt the totals
    decrypt(Poll.objects.get(pk=poll_id))
    closed = chair.get(f"{API}/items/{item_id}").json()
    assert closed["result"]["options"][0]["votes"] == 18
    assert closed["all_representatives"] == 36 and closed["threshold"] == 19
    assert closed["passed"] is False

    # The representative's own views.
    rep_client = Client(
        headers={"Authorization": f"Bearer {ApiToken.issue(voting_reps[0].member.user)}"}
    )
    mine = rep_client.get(f"{API}/my/representations").json()["items"]
    assert mine[0]["checkin_code"] == q.checkin_code(voting_reps[0])
    sessions = rep_client.get(f"{API}/my/sessions").json()["items"]
    assert sessions[0]["checked_in"] is True
    assert _post(chair, f"{API}/sessions/{sid}/close").json()["state"] == "closed"
