"""Representative elections per electoral unit: nomination and self-nomination, competitive
(差额) or not, one approval ballot per voter of the unit, elected with more than half of the
unit's voters and within the seats; ties and unfilled seats reported, never resolved."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from zhijia.congress.actions import elections as actions
from zhijia.congress.models import Candidate, RepElection, Representative
from zhijia.congress.queries import elections as eq
from zhijia.congress.tests.factory_sessions import make_members, make_term
from zhijia.voting import actions as voting
from zhijia.voting.models import VoterRoll

pytestmark = pytest.mark.django_db


@pytest.fixture
def election_setup(personas, demo_units):
    """Term of U; 9 more members in B1 (12 voters in B1 with branch1, rep1, worker1)."""
    term = make_term(personas["chair"], demo_units["U"])
    extra = make_members(demo_units["B1-G2"], 9)
    election = actions.do_create_election(
        actor=personas["branch1"], term=term, unit=demo_units["B1"], seats=2, competitive=True
    )
    return term, extra, election


def _cast(poll, voters, choice):
    for user in voters:
        voting.do_cast_ballot(voter=user, poll=poll, choice=choice)


def test_competitive_election_with_a_tie(personas, election_setup, demo_units):
    term, extra, election = election_setup
    branch1 = personas["branch1"]
    worker1 = personas["worker1"]
    # worker1 stands on her own with a statement; branch1 nominates two more.
    with pytest.raises(actions.BadInput):
        actions.do_self_nominate(actor=worker1, election=election, statement="  ")
    own = actions.do_self_nominate(
        actor=worker1, election=election, statement="我想为一线女职工说话。", is_frontline=True
    )
    a = actions.do_nominate_candidate(
        actor=branch1, election=election, member=extra[0], is_frontline=True
    )
    b = actions.do_nominate_candidate(actor=branch1, election=election, member=extra[1])
    assert own.nomination == Candidate.Nomination.SELF
    # Someone of another branch can neither stand nor be nominated here.
    with pytest.raises(actions.BadInput):
        actions.do_self_nominate(actor=personas["worker2"], election=election, statement="参选")
    with pytest.raises(actions.BadInput):
        actions.do_nominate_candidate(
            actor=branch1, election=election, member=personas["worker2"].member_record
        )

    poll = actions.do_open_election(actor=branch1, election=election)
    election.refresh_from_db()
    assert election.state == RepElection.State.VOTING
    voters = list(eq.unit_voters(election))
    assert len(voters) == 12
    assert VoterRoll.objects.filter(poll=poll).count() == 12
    assert poll.majority_base == 12 and poll.seats == 2
    with pytest.raises(actions.StateError):  # the list of candidates is fixed now
        actions.do_nominate_candidate(actor=branch1, election=election, member=extra[2])

    # a: 8 votes; worker1 and b: 7 each — both above half of 12, tied for the last seat.
    keys = {c.pk: c.poll_key for c in eq.candidates_of(election)}
    _cast(poll, voters[0:5], [keys[a.pk], keys[own.pk]])
    _cast(poll, voters[5:8], [keys[a.pk], keys[b.pk]])
    _cast(poll, voters[8:10], [keys[own.pk], keys[b.pk]])
    _cast(poll, voters[10:12], [keys[b.pk]])
    actions.do_close_election(actor=branch1, election=election)

    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert outcome.votes == {own.pk: 7, a.pk: 8, b.pk: 7}
    assert [c.pk for c in outcome.elected] == [a.pk]
    assert {c.pk for c in outcome.tied} == {own.pk, b.pk}
    assert outcome.unfilled == 1
    assert outcome.threshold == 7

    # Seating: only the elected candidate (the tie is decided by the body, not here); a
    # branch cadre may not change the enterprise's slate, the chair may.
    with pytest.raises(Exception) as denied:
        actions.do_add_elected_representatives(actor=branch1, election=election)
    assert type(denied.value).__name__ == "PermissionDenied"
    added = actions.do_add_elected_representatives(actor=personas["chair"], election=election)
    assert [r.member_id for r in added] == [extra[0].pk]
    rep = added[0]
    assert (rep.source, rep.unit, rep.is_frontline, rep.kind) == (
        Representative.Source.ELECTED,
        demo_units["B1"],
        True,
        Representative.Kind.VOTING,
    )
    # Idempotent.
    assert actions.do_add_elected_representatives(actor=personas["chair"], election=election) == []


def test_unfilled_seat_without_a_majority(personas, election_setup):
    term, extra, election = election_setup
    branch1 = personas["branch1"]
    election.competitive = False
    election.save()
    a = actions.do_nominate_candidate(actor=branch1, election=election, member=extra[0])
    with pytest.raises(actions.BadInput) as short:
        actions.do_open_election(actor=branch1, election=election)
    assert "等额选举" in short.value.message
    b = actions.do_nominate_candidate(actor=branch1, election=election, member=extra[1])
    poll = actions.do_open_election(actor=branch1, election=election)
    voters = list(eq.unit_voters(election))
    keys = {c.pk: c.poll_key for c in eq.candidates_of(election)}
    # a: 7 of 12 (elected); b: 6 of 12 (exactly half: not more than half).
    _cast(poll, voters[0:6], [keys[a.pk], keys[b.pk]])
    _cast(poll, voters[6:7], [keys[a.pk]])
    _cast(poll, voters[7:9], [])  # blank ballots still count as voters of the unit
    actions.do_close_election(actor=branch1, election=election)
    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert [c.pk for c in outcome.elected] == [a.pk]
    assert outcome.tied == [] and outcome.unfilled == 1


def test_competitive_needs_more_candidates_than_seats(personas, election_setup):
    term, extra, election = election_setup
    for m in extra[:2]:
        actions.do_nominate_candidate(actor=personas["branch1"], election=election, member=m)
    with pytest.raises(actions.BadInput) as refused:
        actions.do_open_election(actor=personas["branch1"], election=election)
    assert "差额选举" in refused.value.message


def test_election_scope(personas, election_setup, demo_units):
    term, extra, election = election_setup
    # branch2 runs neither this election nor one in branch1.
    with pytest.raises(Exception) as denied:
        actions.do_create_election(
            actor=personas["branch2"], term=term, unit=demo_units["B1"], seats=1
        )
    assert type(denied.value).__name__ == "PermissionDenied"
    assert not eq.elections_visible_to(personas["branch2"]).filter(pk=election.pk).exists()
    assert not eq.elections_visible_to(personas["worker2"]).filter(pk=election.pk).exists()
    # Members of branch1 see it (to stand and to vote); the chair above sees it too.
    assert eq.elections_visible_to(personas["worker1"]).filter(pk=election.pk).exists()
    assert eq.elections_visible_to(personas["chair"]).filter(pk=election.pk).exists()


def test_election_pages(login, personas, election_setup):
    term, extra, election = election_setup
    url = reverse("congress:election-detail", args=[election.pk])
    worker = login("worker1")
    page = worker.get(url).content.decode()
    assert "自荐参选" in page
    missing = worker.post(reverse("congress:election-self-nominate", args=[election.pk]), {})
    assert missing.status_code == 400
    ok = worker.post(
        reverse("congress:election-self-nominate", args=[election.pk]),
        {"statement": "愿意为大家服务。"},
    )
    assert ok.status_code == 302
    assert "愿意为大家服务。" in worker.get(url).content.decode()
    assert login("worker2").get(url).status_code == 404
    assert login("branch2").get(url).status_code == 404

    cadre = login("branch1")
    for m in extra[:2]:
        r = cadre.post(
            reverse("congress:election-nominate", args=[election.pk]),
            {"employee_no": m.employee_no},
        )
        assert r.status_code == 302
    unknown = cadre.post(
        reverse("congress:election-nominate", args=[election.pk]), {"employee_no": "E0202"}
    )
    assert unknown.status_code == 400 and "本选举单位没有这个工号" in unknown.content.decode()
    opened = cadre.post(reverse("congress:election-action", args=[election.pk, "open"]))
    assert opened.status_code == 302
    election.refresh_from_db()
    assert election.state == RepElection.State.VOTING
    # A member of the unit votes through the voting module's page.
    poll = election.poll
    key = eq.candidates_of(election).get(member=extra[0]).poll_key
    cast = login("worker1").post(reverse("voting:cast", args=[poll.pk]), {"choice": [key]})
    assert cast.status_code == 200
    cadre.post(reverse("congress:election-action", args=[election.pk, "close"]))
    page = cadre.get(url).content.decode()
    assert "选举结果" in page and 'data-votes="1"' in page
    # 1 vote of 12 voters: nobody elected, both seats unfilled.
    assert 'data-unfilled="2"' in page


def test_election_api(api_client, personas, election_setup):
    term, extra, election = election_setup
    cadre = api_client("branch1")
    base = f"/api/v1/congress/elections/{election.pk}"
    for m in extra[:3]:
        r = cadre.post(
            f"{base}/candidates",
            data=json.dumps({"member_id": m.pk, "statement": "简介"}),
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    opened = cadre.post(f"{base}/open")
    assert opened.status_code == 200 and opened.json()["state"] == "voting"
    detail = api_client("worker1").get(base).json()
    assert detail["elected"] == [] and detail["refused"]
    assert api_client("worker2").get(base).status_code == 404
    closed = cadre.post(f"{base}/close").json()
    assert closed["state"] == "closed" and closed["unfilled"] == 2
