"""Who takes part in a poll is not only who has an account: `eligible` counts everyone (a hall
vote counts people without an account too); the roll holds those who may vote online."""

from __future__ import annotations

import pytest

from zhijia.voting import actions, queries
from zhijia.voting.errors import BadInput
from zhijia.voting.models import Poll, VoterRoll

pytestmark = pytest.mark.django_db


def _draft(personas, demo_units, *, paper: bool) -> Poll:
    return actions.do_create_poll(
        actor=personas["chair"],
        title="现场表决",
        kind="yes_no_abstain",
        unit=demo_units["U"],
        paper=paper,
    )


def test_paper_poll_without_a_roll(personas, demo_units):
    chair = personas["chair"]
    poll = _draft(personas, demo_units, paper=True)
    actions.do_open_poll(actor=chair, poll=poll, voters=[], eligible=80, majority_base=120)
    assert (poll.state, poll.eligible_count, poll.majority_base) == ("open", 80, 120)
    assert not VoterRoll.objects.filter(poll=poll).exists()
    assert queries.turnout(poll) == queries.Turnout(eligible=80, voted=0, roll=0)
    assert queries.managed_polls(chair).get(pk=poll.pk).eligible == 80

    with pytest.raises(BadInput) as refused:
        actions.do_enter_paper_result(
            actor=chair,
            poll=poll,
            counts={"yes": 61, "no": 12, "abstain": 8},
            valid_ballots=81,
        )
    assert refused.value.errors == {
        "valid_ballots": ["收回的选票（81 张）多于参加表决的人数（80 人），请核对有效票和无效票"]
    }
    actions.do_enter_paper_result(
        actor=chair, poll=poll, counts={"yes": 60, "no": 12, "abstain": 8}, valid_ballots=80
    )
    result = queries.results_for(poll)
    assert result.eligible == 80 and result.base == 120
    assert result.motion is not None and not result.motion.passed  # 60 of 120


def test_online_poll_needs_a_roll_and_eligible_covers_it(personas, demo_units, voters_factory):
    chair = personas["chair"]
    with pytest.raises(BadInput):
        actions.do_open_poll(
            actor=chair, poll=_draft(personas, demo_units, paper=False), voters=[], eligible=5
        )
    voters = voters_factory(5)
    with pytest.raises(BadInput) as refused:
        actions.do_open_poll(
            actor=chair, poll=_draft(personas, demo_units, paper=False), voters=voters, eligible=4
        )
    assert "eligible" in refused.value.errors
    poll = _draft(personas, demo_units, paper=False)
    actions.do_open_poll(actor=chair, poll=poll, voters=voters, eligible=9)
    # The base follows the eligible count unless given: more than half of all 9.
    assert poll.majority_base == 9
    t = queries.turnout(poll)
    assert (t.eligible, t.roll, t.voted) == (9, 5, 0)


def test_default_eligible_is_the_roll(personas, demo_units, voters_factory):
    poll = _draft(personas, demo_units, paper=False)
    actions.do_open_poll(actor=personas["chair"], poll=poll, voters=voters_factory(7))
    assert poll.eligible_count == 7 and poll.majority_base == 7
