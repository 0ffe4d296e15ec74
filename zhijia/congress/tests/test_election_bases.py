"""The base of a representative election is the electoral unit's voters: its in-register
members (default), or the members present at its meeting as entered by the cadre — never the
members who happen to have an account. Elected only with more than half of that base."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhijia.congress.actions import elections as actions
from zhijia.congress.models import RepElection
from zhijia.congress.queries import elections as eq
from zhijia.congress.tests.factory_sessions import make_members, make_term
from zhijia.org.models import Member
from zhijia.voting import actions as voting
from zhijia.voting.errors import BadInput
from zhijia.voting.models import VoterRoll

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_setup(personas, demo_units):
    """第一分工会 with 9 more members with accounts and 20 without one."""
    term = make_term(personas["chair"], demo_units["U"])
    with_accounts = make_members(demo_units["B1-G2"], 9)
    without = make_members(demo_units["B1-G1"], 20, with_accounts=False)
    b1 = demo_units["B1"]
    members = Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=b1.path
    ).count()
    return term, b1, with_accounts, without, members


def _election(personas, term, unit, **kwargs) -> tuple[RepElection, list]:
    election = actions.do_create_election(
        actor=personas["branch1"], term=term, unit=unit, seats=1, competitive=True, **kwargs
    )
    candidates = [
        actions.do_nominate_candidate(actor=personas["branch1"], election=election, member=m)
        for m in Member.objects.filter(
            org_unit__path__startswith=unit.path, user__isnull=True
        ).order_by("employee_no")[:2]
    ]
    return election, candidates


def test_base_is_the_units_members_not_the_accounts(personas, unit_setup):
    term, b1, with_accounts, without, members = unit_setup
    branch1 = personas["branch1"]
    election, (a, b) = _election(personas, term, b1)
    assert election.base == RepElection.Base.MEMBERS
    assert eq.election_base(election) == eq.unit_member_count(b1) == members
    poll = actions.do_open_election(actor=branch1, election=election)
    online = VoterRoll.objects.filter(poll=poll).count()
    assert online == eq.unit_voters(election).count() < members  # accounts only on the roll
    assert poll.majority_base == members and poll.eligible_count == members

    # Everyone with an account votes for a: still not more than half of the unit's voters.
    keys = {c.pk: c.poll_key for c in eq.candidates_of(election)}
    for user in eq.unit_voters(election):
        voting.do_cast_ballot(voter=user, poll=poll, choice=[keys[a.pk]])
    actions.do_close_election(actor=branch1, election=election)
    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert outcome.base == members and outcome.threshold == members // 2 + 1
    assert outcome.votes[a.pk] == online and online * 2 <= members
    assert outcome.elected == [] and outcome.unfilled == 1


def test_paper_election_against_the_member_base(personas, unit_setup, login):
    term, b1, with_accounts, without, members = unit_setup
    branch1 = personas["branch1"]
    election, (a, b) = _election(personas, term, b1, paper=True)
    poll = actions.do_open_election(actor=branch1, election=election)
    assert poll.majority_base == members == poll.eligible_count
    keys = {c.pk: c.poll_key for c in eq.candidates_of(election)}
    half = members // 2
    # More ballots than the unit has voters: refused next to the ballots field.
    with pytest.raises(BadInput) as refused:
        voting.do_enter_paper_result(
            actor=branch1,
            poll=poll,
            counts={keys[a.pk]: 1, keys[b.pk]: 1},
            valid_ballots=members + 1,
        )
    assert "valid_ballots" in refused.value.errors
    # a: exactly half of the unit's voters: not elected.
    voting.do_enter_paper_result(
        actor=branch1,
        poll=poll,
        counts={keys[a.pk]: half, keys[b.pk]: half - 1},
        valid_ballots=members,
    )
    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert outcome.elected == [] and outcome.unfilled == 1 and outcome.threshold == half + 1
    # Corrected count: a has half + 1, elected.
    voting.do_enter_paper_result(
        actor=branch1,
        poll=poll,
        counts={keys[a.pk]: half + 1, keys[b.pk]: half - 1},
        valid_ballots=members,
    )
    actions.do_close_election(actor=branch1, election=election)
    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert [c.pk for c in outcome.elected] == [a.pk]
    assert outcome.base == members

    page = login("branch1").get(reverse("congress:election-detail", args=[election.pk]))
    assert f'data-base="{members}"' in page.content.decode()


def test_present_at_meeting_base(personas, unit_setup, login):
    term, b1, with_accounts, without, members = unit_setup
    branch1 = personas["branch1"]
    # The present count is bounded by the member count.
    with pytest.raises(actions.BadInput) as refused:
        actions.do_create_election(
            actor=branch1,
            term=term,
            unit=b1,
            seats=1,
            base=RepElection.Base.PRESENT,
            present_count=members + 1,
        )
    assert "present_count" in refused.value.errors
    election, (a, b) = _election(personas, term, b1, paper=True, base=RepElection.Base.PRESENT)
    assert election.present_count is None

    # Opening asks for the count of those present, next to its field on the page.
    c = login("branch1")
    url = reverse("congress:election-action", args=[election.pk, "open"])
    page = c.post(url, {})
    assert page.status_code == 400
    assert page.context["open_form"].errors["present_count"]
    page = c.post(url, {"present_count": members + 1})
    assert page.status_code == 400
    assert str(members) in page.context["open_form"].errors["present_count"][0]
    assert c.post(url, {"present_count": 20}).status_code == 302

    election.refresh_from_db()
    assert election.state == RepElection.State.VOTING and election.present_count == 20
    assert eq.election_base(election) == 20
    poll = election.poll
    assert poll.majority_base == 20 and poll.eligible_count == 20
    keys = {cand.pk: cand.poll_key for cand in eq.candidates_of(election)}
    with pytest.raises(BadInput):  # 21 ballots from a meeting of 20
        voting.do_enter_paper_result(
            actor=branch1, poll=poll, counts={keys[a.pk]: 11}, valid_ballots=21
        )
    voting.do_enter_paper_result(
        actor=branch1,
        poll=poll,
        counts={keys[a.pk]: 11, keys[b.pk]: 9},
        valid_ballots=20,
    )
    actions.do_close_election(actor=branch1, election=election)
    outcome = eq.election_result(RepElection.objects.get(pk=election.pk))
    assert outcome.base == 20 and outcome.threshold == 11
    assert [cand.pk for cand in outcome.elected] == [a.pk]


def test_present_base_through_the_api(personas, unit_setup, api_client):
    term, b1, with_accounts, without, members = unit_setup
    api = api_client("branch1")
    created = api.post(
        "/api/v1/congress/elections",
        {
            "term_id": term.pk,
            "unit_id": b1.pk,
            "seats": 1,
            "paper": True,
            "base": "present",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["base"] == "present" and body["present_count"] is None
    election = RepElection.objects.get(pk=body["id"])
    for m in without[:2]:
        actions.do_nominate_candidate(actor=personas["branch1"], election=election, member=m)
    refused = api.post(f"/api/v1/congress/elections/{election.pk}/open")
    assert refused.status_code == 400
    opened = api.post(f"/api/v1/congress/elections/{election.pk}/open?present_count=15")
    assert opened.status_code == 200, opened.content
    assert opened.json()["present_count"] == 15
    election.refresh_from_db()
    assert election.poll.majority_base == 15
