"""The whole life of a poll through the API and the pages, with verification and refusals."""

from __future__ import annotations

import csv
import io
import json

import pytest

from zhijia.core.models import AuditEvent
from zhijia.voting import actions, queries, rules
from zhijia.voting.errors import AlreadyVoted, NotOnRoll, PollNotOpen
from zhijia.voting.models import Ballot, Poll, Tracker, VoterRoll

pytestmark = pytest.mark.django_db

API = "/api/v1/voting"
MEMBERS_OF_U = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def _create_and_open(api_client, demo_units, **payload):
    chair = api_client("chair")
    body = {
        "title": "关于职工食堂改造方案的决议",
        "kind": "yes_no_abstain",
        "unit_id": demo_units["U"].pk,
    }
    body.update(payload)
    created = _post(chair, f"{API}/polls", body)
    assert created.status_code == 201, created.content
    poll_id = created.json()["id"]
    opened = _post(chair, f"{API}/polls/{poll_id}/open", {"source": "members"})
    assert opened.status_code == 200, opened.content
    assert opened.json()["state"] == "open"
    return poll_id


def test_eligible_members_helper(personas, demo_units):
    names = {u.username for u in queries.eligible_members_of_unit(demo_units["U"])}
    assert names == MEMBERS_OF_U
    names_b1 = {u.username for u in queries.eligible_members_of_unit(demo_units["B1"])}
    assert names_b1 == {"branch1", "rep1", "worker1"}
    reps = {u.username for u in queries.representatives_of_unit(demo_units["U"])}
    assert reps == {"rep1"}


def test_full_flow(api_client, login, personas, demo_units):
    poll_id = _create_and_open(api_client, demo_units)
    poll = Poll.objects.get(pk=poll_id)
    assert set(VoterRoll.objects.filter(poll=poll).values_list("user__username", flat=True)) == (
        MEMBERS_OF_U
    )
    assert poll.majority_base == 6

    # Listed for a voter on the roll, not yet voted.
    mine = api_client("worker1").get(f"{API}/polls").json()["items"]
    assert [(p["id"], p["has_voted"]) for p in mine] == [(poll_id, False)]

    # While open: no result, no trackers, no choices, for anyone (the manager included).
    for who in ("worker1", "chair"):
        c = api_client(who)
        for tail in ("results", "trackers", "choices"):
            r = c.get(f"{API}/polls/{poll_id}/{tail}")
            assert r.status_code == 409, (who, tail)
            assert "结束前不公布" in r.json()["detail"]
        page = login(who).get(f"/voting/{poll_id}/results/")
        assert page.status_code == 409
        assert "结束前不公布任何结果" in page.content.decode()
        assert login(who).get(f"/voting/{poll_id}/choices.csv").status_code == 409
        assert login(who).get(f"/voting/{poll_id}/trackers.csv").status_code == 409

    # Turnout is shown to the manager only.
    assert api_client("worker1").get(f"{API}/polls/{poll_id}").json()["turnout"] is None
    assert api_client("chair").get(f"{API}/polls/{poll_id}").json()["turnout"] == {
        "eligible": 6,
        "voted": 0,
    }

    # Voting: API for most, the page for rep1.
    plan = {
        "chair": "yes",
        "branch1": "yes",
        "branch2": "yes",
        "worker1": "yes",
        "worker2": "abstain",
    }
    trackers = {}
    for who, key in plan.items():
        r = _post(api_client(who), f"{API}/polls/{poll_id}/cast", {"choice": [key]})
        assert r.status_code == 200, r.content
        body = r.json()
        assert set(body) == {"tracker", "message"}  # the receipt never shows the choice
        assert "保存" in body["message"]
        trackers[who] = body["tracker"]
    rep = login("rep1")
    vote_page = rep.get(f"/voting/{poll_id}/")
    assert vote_page.status_code == 200
    html = vote_page.content.decode()
    assert 'type="radio" name="choice" value="no"' in html and "<legend>" in html
    cast_page = rep.post(f"/voting/{poll_id}/cast/", {"choice": "no"})
    assert cast_page.status_code == 200
    assert "no-store" in cast_page["Cache-Control"]
    page_html = cast_page.content.decode()
    code = next(
        c
        for c in Tracker.objects.filter(poll=poll).values_list("code", flat=True)
        if c in page_html and c not in trackers.values()
    )
    trackers["rep1"] = code
    assert "只显示这一次" in page_html
    assert "反对" not in page_html  # the tracker page does not repeat the choice
    assert code not in json.dumps(dict(rep.session.items()))  # nor is it kept in the session

    # Twice is refused, on the API and on the page.
    again = _post(api_client("worker1"), f"{API}/polls/{poll_id}/cast", {"choice": ["no"]})
    assert again.status_code == 409 and "只能投一次" in again.json()["detail"]
    assert rep.post(f"/voting/{poll_id}/cast/", {"choice": "yes"}).status_code == 409
    # Someone not on the roll does not even see the poll.
    assert (
        _post(api_client("admin"), f"{API}/polls/{poll_id}/cast", {"choice": ["yes"]}).status_code
        == 404
    )
    assert api_client("handler1").get(f"{API}/polls/{poll_id}").status_code == 404

    assert api_client("chair").get(f"{API}/polls/{poll_id}").json()["turnout"]["voted"] == 6
    closed = _post(api_client("chair"), f"{API}/polls/{poll_id}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"

    # After close: a vote is refused.
    late = _post(api_client("worker1"), f"{API}/polls/{poll_id}/cast", {"choice": ["yes"]})
    assert late.status_code == 409 and "已经结束" in late.json()["detail"]

    # Published trackers: every voter finds theirs; the count equals the number who voted.
    t = api_client("worker2").get(f"{API}/polls/{poll_id}/trackers").json()
    assert set(t) == {"poll_id", "count", "voted", "trackers"}
    assert t["count"] == t["voted"] == 6 == len(t["trackers"])
    assert t["trackers"] == sorted(t["trackers"])
    assert set(trackers.values()) == set(t["trackers"])
    check = _post(
        api_client("worker1"),
        f"{API}/polls/{poll_id}/trackers/check",
        {"tracker": trackers["worker1"].lower().replace("-", " ")},
    )
    assert check.json() == {"present": True}
    check = _post(
        api_client("worker1"),
        f"{API}/polls/{poll_id}/trackers/check",
        {"tracker": rules.new_tracker()},
    )
    assert check.json() == {"present": False}

    # Published choices: sorted, no tracker anywhere near them; the recount equals the result.
    ch = api_client("worker2").get(f"{API}/polls/{poll_id}/choices").json()
    assert ch["choices"] == ["abstain", "no", "yes", "yes", "yes", "yes"]
    assert "tracker" not in json.dumps(ch) and not any(
        c in json.dumps(ch) for c in trackers.values()
    )
    results = api_client("worker2").get(f"{API}/polls/{poll_id}/results").json()
    assert {o["key"]: o["votes"] for o in results["options"]} == {"yes": 4, "no": 1, "abstain": 1}
    assert results["outcome"]["passed"] is True  # 4 of 6 eligible: more than half
    recount = rules.recount(
        ch["kind"], ch["choices"], options=[o["key"] for o in ch["options"]], seats=ch["seats"]
    )
    assert recount.counts == {o["key"]: o["votes"] for o in results["options"]}
    assert results["consistent"] and results["voted"] == results["ballots"] == results["trackers"]
    assert not any(c in json.dumps(results) for c in trackers.values())

    # The pages: results with the verify section, the CSV for recounting.
    c = login("worker1")
    page = c.get(f"/voting/{poll_id}/results/")
    assert page.status_code == 200
    body = page.content.decode()
    assert all(code in body for code in trackers.values())
    assert "choices.csv" in body
    found = c.post(f"/voting/{poll_id}/results/", {"tracker": trackers["worker1"].lower()})
    assert "找到了" in found.content.decode()
    missing = c.post(f"/voting/{poll_id}/results/", {"tracker": rules.new_tracker()})
    assert "没有找到" in missing.content.decode()
    csv_response = c.get(f"/voting/{poll_id}/choices.csv")
    assert csv_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0] == ["选择代码", "选择"]
    published = [r[0] for r in rows[1:]]
    assert published == ch["choices"]
    csv_text = csv_response.content.decode("utf-8-sig")
    assert not any(code in csv_text for code in trackers.values())
    assert rules.recount(
        "yes_no_abstain", published, options=rules.YNA_OPTIONS, seats=1
    ).counts == (recount.counts)

    # The audit log has no event per cast (their order would pair voters with any order the
    # ballots keep), only the count at close; who voted is the roll marker. Never what, nor
    # the tracker.
    assert not AuditEvent.objects.filter(action="voting.cast_ballot").exists()
    events = AuditEvent.objects.filter(target_id=str(poll_id), action__startswith="voting.")
    assert set(events.values_list("action", flat=True)) == {
        "voting.create_poll",
        "voting.open_poll",
        "voting.close_poll",
    }
    assert events.get(action="voting.close_poll").data["ballots"] == 6
    assert VoterRoll.objects.filter(poll_id=poll_id, voted=True).count() == 6
    dump = json.dumps([[e.action, e.data] for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert not any(code in dump for code in trackers.values())
    assert '"yes"' not in dump and '"no"' not in dump


def test_outcome_uses_all_eligible_as_base(personas, demo_units, voters_factory, open_poll):
    voters = voters_factory(10)
    poll = open_poll(voters)
    for v in voters[:5]:
        actions.do_cast_ballot(voter=v, poll=poll, choice=["yes"])
    actions.do_close_poll(actor=personas["chair"], poll=poll)
    result = queries.results_for(poll)
    # 5 of 5 voting said yes, but 5 of 10 eligible is not more than half.
    assert result.motion is not None and not result.motion.passed
    assert result.motion.threshold == 6


def test_majority_base_given_by_caller(personas, demo_units, voters_factory):
    voters = voters_factory(10)
    poll = actions.do_create_poll(
        actor=personas["chair"], title="代表大会决议", kind="yes_no_abstain", unit=demo_units["U"]
    )
    # Congress: only those present are on the roll, the base is all 120 representatives.
    actions.do_open_poll(actor=personas["chair"], poll=poll, voters=voters, majority_base=120)
    for v in voters:
        actions.do_cast_ballot(voter=v, poll=poll, choice=["yes"])
    actions.do_close_poll(actor=personas["chair"], poll=poll)
    result = queries.results_for(poll)
    assert result.base == 120 and not result.motion.passed


def test_vote_after_close_refused(personas, voters_factory, open_poll):
    voters = voters_factory(3)
    poll = open_poll(voters)
    actions.do_cast_ballot(voter=voters[0], poll=poll, choice=["yes"])
    actions.do_close_poll(actor=personas["chair"], poll=poll)
    with pytest.raises(PollNotOpen):
        actions.do_cast_ballot(voter=voters[1], poll=poll, choice=["no"])
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert not VoterRoll.objects.get(poll=poll, user=voters[1]).voted


def test_cast_refusals(personas, voters_factory, open_poll):
    voters = voters_factory(2)
    poll = open_poll(voters[:1])
    with pytest.raises(NotOnRoll):
        actions.do_cast_ballot(voter=voters[1], poll=poll, choice=["yes"])
    actions.do_cast_ballot(voter=voters[0], poll=poll, choice=["yes"])
    with pytest.raises(AlreadyVoted):
        actions.do_cast_ballot(voter=voters[0], poll=poll, choice=["no"])
    assert (
        Ballot.objects.filter(poll=poll).count() == 1 == Tracker.objects.filter(poll=poll).count()
    )


def test_approval_invalid_choices_refused(api_client, login, personas, demo_units):
    poll_id = _create_and_open(
        api_client,
        demo_units,
        kind="approval",
        title="第一分工会职工代表选举",
        candidates=["张三", "李四", "王五", "赵六"],
        seats=2,
    )
    c = api_client("worker1")
    url = f"{API}/polls/{poll_id}/cast"
    for bad, words in [
        (["1", "2", "3"], "最多只能选择 2 项"),
        (["1", "1"], "不能重复"),
        (["9"], "没有的选项"),
        (["yes"], "没有的选项"),
    ]:
        r = _post(c, url, {"choice": bad})
        assert r.status_code == 400, bad
        assert words in r.json()["detail"]
    assert _post(c, url, {"choice": "1"}).status_code == 422  # not a list
    # Nothing was recorded by the refusals: the voter can still vote, once.
    assert not VoterRoll.objects.get(poll_id=poll_id, user=personas["worker1"]).voted
    assert Ballot.objects.filter(poll_id=poll_id).count() == 0
    page = login("worker1").post(f"/voting/{poll_id}/cast/", {"choice": ["1", "2", "3"]})
    assert page.status_code == 400 and "最多只能选择 2 项" in page.content.decode()
    assert _post(c, url, {"choice": ["3", "1"]}).status_code == 200
    assert Ballot.objects.get(poll_id=poll_id).choice == "1+3"
    assert _post(api_client("worker2"), url, {"choice": []}).status_code == 200  # blank ballot


def test_election_tie_reported(personas, voters_factory, open_poll):
    voters = voters_factory(9)
    poll = open_poll(voters, kind="approval", candidates=["甲", "乙", "丙"], seats=2)
    plan = [["1", "2"]] * 3 + [["1", "3"]] * 3 + [["1"]] * 2 + [["2", "3"]]
    for v, choice in zip(voters, plan, strict=True):
        actions.do_cast_ballot(voter=v, poll=poll, choice=choice)
    actions.do_close_poll(actor=personas["chair"], poll=poll)
    result = queries.results_for(poll)
    assert {o.label: o.votes for o in result.options} == {"甲": 8, "乙": 4, "丙": 4}
    # 乙 and 丙 have 4 of 9 votes: neither reaches a majority, so one seat stays unfilled.
    assert result.elected_labels == ["甲"] and result.election.unfilled == 1
    # With a survey rule the tie for the second place is reported, not resolved.
    survey = open_poll(voters, kind="approval", candidates=["甲", "乙", "丙"], seats=2, rule="none")
    for v, choice in zip(voters, plan, strict=True):
        actions.do_cast_ballot(voter=v, poll=survey, choice=choice)
    actions.do_close_poll(actor=personas["chair"], poll=survey)
    result = queries.results_for(survey)
    assert result.tied_labels == ["乙", "丙"] and result.election.unfilled == 1
    assert result.ties == [["乙", "丙"]]


def test_paper_poll(api_client, login, personas, demo_units):
    poll_id = _create_and_open(api_client, demo_units, paper=True, title="现场举手表决事项")
    r = _post(api_client("worker1"), f"{API}/polls/{poll_id}/cast", {"choice": ["yes"]})
    assert r.status_code == 409 and "纸质" in r.json()["detail"]
    chair = api_client("chair")
    bad = _post(
        chair,
        f"{API}/polls/{poll_id}/paper-result",
        {"counts": {"yes": 5, "no": 0, "abstain": 0}, "valid_ballots": 4},
    )
    assert bad.status_code == 400 and "有效票数" in bad.json()["detail"]
    too_many = _post(
        chair, f"{API}/polls/{poll_id}/paper-result", {"counts": {"yes": 7}, "valid_ballots": 7}
    )
    assert too_many.status_code == 400 and "参加表决的人数（6 人）" in too_many.json()["detail"]
    ok = _post(
        chair,
        f"{API}/polls/{poll_id}/paper-result",
        {"counts": {"yes": 4, "no": 1, "abstain": 0}, "valid_ballots": 5, "invalid_ballots": 1},
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["paper"] is True and body["outcome"]["passed"] is True
    assert body["invalid"] == 1 and body["ballots"] == 5
    page = login("worker1").get(f"/voting/{poll_id}/results/")
    assert page.status_code == 200 and "纸质（现场）表决" in page.content.decode()
    assert api_client("worker1").get(f"{API}/polls/{poll_id}/results").json()["paper"] is True
    # Not for an online poll.
    online = _create_and_open(api_client, demo_units)
    r = _post(chair, f"{API}/polls/{online}/paper-result", {"counts": {}, "valid_ballots": 0})
    assert r.status_code == 409


def test_scope_of_managers(api_client, login, personas, demo_units):
    b1 = api_client("branch1")
    created = _post(
        b1,
        f"{API}/polls",
        {"title": "分工会事项", "kind": "yes_no_abstain", "unit_id": demo_units["B1"].pk},
    )
    assert created.status_code == 201
    poll_id = created.json()["id"]
    # A sibling branch's cadre neither sees nor manages it; nor creates in another branch.
    b2 = api_client("branch2")
    assert b2.get(f"{API}/polls/{poll_id}").status_code == 404
    assert _post(b2, f"{API}/polls/{poll_id}/open", {}).status_code == 404
    assert (
        _post(
            b2,
            f"{API}/polls",
            {"title": "x", "kind": "yes_no_abstain", "unit_id": demo_units["B1"].pk},
        ).status_code
        == 404
    )
    assert login("branch2").get(f"/voting/manage/{poll_id}/").status_code == 404
    # A member is not a manager.
    assert (
        _post(
            api_client("worker1"),
            f"{API}/polls",
            {"title": "x", "kind": "yes_no_abstain", "unit_id": demo_units["B1"].pk},
        ).status_code
        == 404
    )
    assert login("worker1").get("/voting/manage/").status_code == 403
    # The draft is invisible to members of the unit until it opens.
    assert api_client("worker1").get(f"{API}/polls/{poll_id}").status_code == 404
    assert _post(b1, f"{API}/polls/{poll_id}/open", {"source": "members"}).status_code == 200
    assert api_client("worker1").get(f"{API}/polls/{poll_id}").status_code == 200
    assert api_client("worker2").get(f"{API}/polls/{poll_id}").status_code == 404  # B2
    # The enterprise chair manages the whole tree.
    assert _post(api_client("chair"), f"{API}/polls/{poll_id}/close").status_code == 200


def test_manager_pages(login, personas, demo_units):
    chair = login("chair")
    assert chair.get("/voting/manage/").status_code == 200
    bad = chair.post(
        "/voting/manage/",
        {
            "title": "",
            "kind": "approval",
            "unit": demo_units["U"].pk,
            "seats": 1,
            "rule": "majority",
            "candidates": "",
        },
    )
    assert bad.status_code == 200
    assert 'class="error"' in bad.content.decode() and "必填" in bad.content.decode()
    r = chair.post(
        "/voting/manage/",
        {
            "title": "评选先进班组",
            "kind": "approval",
            "unit": demo_units["B1"].pk,
            "seats": 3,
            "rule": "majority",
            "candidates": "甲\n乙",
        },
    )
    assert r.status_code == 200 and "应选人数应在 1 到 2 之间" in r.content.decode()
    r = chair.post(
        "/voting/manage/",
        {
            "title": "评选先进班组",
            "kind": "approval",
            "unit": demo_units["B1"].pk,
            "seats": 1,
            "rule": "majority",
            "candidates": "甲\n乙\n丙",
        },
    )
    assert r.status_code == 302
    poll = Poll.objects.get(title="评选先进班组")
    assert [o.label for o in poll.options.all()] == ["甲", "乙", "丙"]
    assert chair.get(f"/voting/manage/{poll.pk}/").status_code == 200
    r = chair.post(f"/voting/manage/{poll.pk}/open/", {"source": "members"})
    assert r.status_code == 302
    poll.refresh_from_db()
    assert poll.state == "open" and poll.roll.count() == 3
    page = chair.get(f"/voting/manage/{poll.pk}/").content.decode()
    assert "已投票人数" in page
    worker = login("worker1")
    assert "评选先进班组" in worker.get("/voting/").content.decode()
    assert worker.post(f"/voting/{poll.pk}/cast/", {"choice": "2"}).status_code == 200
    r = chair.post(f"/voting/manage/{poll.pk}/close/")
    assert r.status_code == 302 and r["Location"] == f"/voting/{poll.pk}/results/"
    results = worker.get(f"/voting/{poll.pk}/results/").content.decode()
    assert "当选" in results


def test_my_polls_page(login, personas, voters_factory, open_poll):
    open_poll([personas["worker1"]])
    page = login("worker1").get("/voting/")
    assert page.status_code == 200
    assert "去投票" in page.content.decode()


def test_openapi_lists_the_voting_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    for path in (
        "/api/v1/voting/polls",
        "/api/v1/voting/polls/{poll_id}",
        "/api/v1/voting/polls/{poll_id}/cast",
        "/api/v1/voting/polls/{poll_id}/trackers",
        "/api/v1/voting/polls/{poll_id}/choices",
        "/api/v1/voting/polls/{poll_id}/results",
    ):
        assert path in paths
    # No response schema pairs a tracker with a choice.
    schemas = doc["components"]["schemas"]
    for name, schema in schemas.items():
        props = set(schema.get("properties", {}))
        assert not ({"tracker", "trackers"} & props and {"choice", "choices"} & props), name


def test_anonymous_is_refused(client, personas, voters_factory, open_poll):
    poll = open_poll([personas["worker1"]])
    assert client.get(f"{API}/polls/{poll.pk}").status_code == 401
    assert client.get(f"/voting/{poll.pk}/").status_code == 302  # to the login page


def test_api_refusals_name_their_field(api_client, demo_units):
    """A unit outside the caller's management is not found (404 naming `unit_id`); voters that
    do not exist are refused (400 naming `voters`); nothing is written."""
    body = {"title": "越权表决", "kind": "yes_no_abstain", "unit_id": demo_units["B2"].pk}
    outside = _post(api_client("branch1"), f"{API}/polls", body)
    assert outside.status_code == 404 and "unit_id" in outside.json()["errors"]
    unknown = _post(api_client("chair"), f"{API}/polls", {**body, "unit_id": 999_999})
    assert unknown.status_code == 404 and "unit_id" in unknown.json()["errors"]
    assert not Poll.objects.filter(title="越权表决").exists()
    created = _post(api_client("chair"), f"{API}/polls", {**body, "unit_id": demo_units["U"].pk})
    poll_id = created.json()["id"]
    refused = _post(api_client("chair"), f"{API}/polls/{poll_id}/open", {"voters": [999_999]})
    assert refused.status_code == 400 and "voters" in refused.json()["errors"]
    assert refused.json()["detail"] == "投票人名单中有不存在或已停用的账号"
    assert Poll.objects.get(pk=poll_id).state == Poll.State.DRAFT
