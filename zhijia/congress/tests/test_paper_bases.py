"""Congress bases that do not depend on logins: an item's voters are the checked-in voting
representatives with or without an account, a hall (paper) result returns at most that many
ballots and passes with more than half of ALL representatives; a session can run entirely on
paper, or mixed; a term overlapping another term of the same union is warned about."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import Session
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import (
    cast,
    close_online_vote,
    make_members,
    make_term,
    open_online_vote,
    seat,
)
from zhijia.voting import actions as voting
from zhijia.voting.errors import BadInput
from zhijia.voting.models import Poll, VoterRoll
from zhijia.voting.queries import turnout

pytestmark = pytest.mark.django_db


def _open_session(chair, term, present):
    session = actions.do_schedule_session(
        actor=chair, term=term, date=dt.date(2025, 3, 20), place="大礼堂"
    )
    actions.do_start_checkin(actor=chair, session=session)
    session.refresh_from_db()
    for rep in present:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    actions.do_open_session(actor=chair, session=session)
    return session


@pytest.fixture
def paper_congress(personas, demo_units):
    """120 voting representatives, none of them with an account; 80 checked in by roll call."""
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    reps = seat(chair, term, make_members(demo_units["B1-G1"], 120, with_accounts=False))
    session = _open_session(chair, term, reps[:80])
    return chair, term, reps, session


def _paper_form(poll: Poll, yes: int, no: int, abstain: int, invalid: int = 0) -> dict:
    return {
        "valid_ballots": yes + no + abstain,
        "invalid_ballots": invalid,
        "count_yes": yes,
        "count_no": no,
        "count_abstain": abstain,
    }


def test_paper_session_without_any_account(login, paper_congress):
    chair, term, reps, session = paper_congress
    assert q.quorum_status(session).present == 80
    assert not q.present_voters(session).exists()
    fails = actions_agenda.do_add_item(actor=chair, session=session, title="第一项决议", paper=True)
    passes = actions_agenda.do_add_item(
        actor=chair, session=session, title="第二项决议", paper=True
    )

    poll = actions_agenda.do_open_item_vote(actor=chair, item=fails)
    assert poll.is_paper and poll.eligible_count == 80 and poll.majority_base == 120
    assert not VoterRoll.objects.filter(poll=poll).exists()  # nobody votes online
    assert turnout(poll).eligible == 80

    # A paper item still open keeps the session from closing, with a message saying why.
    with pytest.raises(actions.StateError) as refused:
        actions.do_close_session(actor=chair, session=session)
    assert "纸质表决" in refused.value.message and "录入" in refused.value.message

    # 81 ballots, more than the 80 present: refused next to the ballots field, in Chinese.
    c = login("chair")
    url = reverse("voting:paper-result", args=[poll.pk])
    page = c.post(url, _paper_form(poll, 61, 12, 8))
    assert page.status_code == 400
    form = page.context["paper_form"]
    assert "收回的选票（81 张）多于参加表决的人数（80 人）" in form.errors["valid_ballots"][0]
    assert not form.non_field_errors()
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN

    # 60 yes / 12 no / 8 abstain: accepted, and fails (60 is not more than half of 120).
    page = c.post(url, _paper_form(poll, 60, 12, 8))
    assert page.status_code == 302
    fails.refresh_from_db()
    result = q.item_result(fails)
    assert result.result is not None and result.result.paper
    assert result.all_representatives == 120 and result.threshold == 61
    assert result.result.eligible == 80 and result.result.ballots == 80
    assert result.passed is False

    # 61 / 11 / 8 on the second item passes; through the action this time.
    poll_b = actions_agenda.do_open_item_vote(actor=chair, item=passes)
    with pytest.raises(BadInput) as too_many:
        voting.do_enter_paper_result(
            actor=chair,
            poll=poll_b,
            counts={"yes": 61, "no": 11, "abstain": 8},
            valid_ballots=80,
            invalid_ballots=1,
        )
    assert "valid_ballots" in too_many.value.errors
    voting.do_enter_paper_result(
        actor=chair,
        poll=poll_b,
        counts={"yes": 61, "no": 11, "abstain": 8},
        valid_ballots=80,
    )
    passes.refresh_from_db()
    assert q.item_result(passes).passed is True

    # The results page of the session and the resolution show the hall figures.
    sheet = c.get(reverse("congress:session-results", args=[session.pk]))
    assert sheet.status_code == 200
    assert "参加表决的出席代表 80 人" in sheet.content.decode()

    actions.do_close_session(actor=chair, session=session)
    session.refresh_from_db()
    assert session.state == Session.State.CLOSED


def test_mixed_session(personas, demo_units):
    """Half of those present have accounts: one item online, one on paper; the session
    closes. The online item's eligible count is everyone present, its roll those with an
    account."""
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    with_accounts = make_members(demo_units["B1-G1"], 60)
    without = make_members(demo_units["B1-G2"], 60, with_accounts=False)
    reps = seat(chair, term, with_accounts + without)
    present = reps[:50] + reps[60:100]  # 50 with an account, 40 without
    session = _open_session(chair, term, present)
    online = actions_agenda.do_add_item(actor=chair, session=session, title="在线表决的决议")
    paper = actions_agenda.do_add_item(
        actor=chair, session=session, title="纸质表决的决议", paper=True
    )

    poll = open_online_vote(chair, online)
    assert (poll.eligible_count, poll.majority_base) == (90, 120)
    assert VoterRoll.objects.filter(poll=poll).count() == 50
    for rep in reps[:50]:
        cast(rep.member.user, poll, ["yes"])
    with pytest.raises(actions.StateError):  # the online vote is still open
        actions.do_close_session(actor=chair, session=session)
    close_online_vote(chair, online)
    online.refresh_from_db()
    outcome = q.item_result(online)
    assert outcome.result is not None and outcome.result.eligible == 90
    assert outcome.result.ballots == 50 and outcome.passed is False  # 50 of 120

    paper_poll = actions_agenda.do_open_item_vote(actor=chair, item=paper)
    assert paper_poll.eligible_count == 90
    assert VoterRoll.objects.filter(poll=paper_poll).count() == 50  # they see the item
    voting.do_enter_paper_result(
        actor=chair, poll=paper_poll, counts={"yes": 85, "no": 3, "abstain": 2}, valid_ballots=90
    )
    paper.refresh_from_db()
    assert q.item_result(paper).passed is True

    actions.do_close_session(actor=chair, session=session)
    session.refresh_from_db()
    assert session.state == Session.State.CLOSED


def test_online_item_needs_scrutineers_who_can_sign_in(paper_congress):
    """Nobody has an account: nobody can hold the key of an encrypted online vote, so the
    session votes on paper; the refusal says so."""
    chair, term, reps, session = paper_congress
    item = actions_agenda.do_add_item(actor=chair, session=session, title="在线表决")
    with pytest.raises(actions.StateError) as refused:
        actions_agenda.do_open_item_vote(actor=chair, item=item)
    assert "监票人" in refused.value.message and "纸质表决" in refused.value.message
    with pytest.raises(actions.StateError):
        actions_agenda.do_prepare_item_vote(actor=chair, item=item)
    assert not q.scrutineer_choices(term).exists()
    item.refresh_from_db()
    assert item.poll is None


def test_term_overlap_warning(login, api_client, personas, demo_units):
    chair = personas["chair"]
    first = make_term(chair, demo_units["U"])  # 2024-03-01 .. 2029-02-28
    assert q.term_warnings(first) == []
    later = make_term(
        chair, demo_units["U"], start_date=dt.date(2029, 3, 1), end_date=dt.date(2034, 2, 28)
    )
    assert q.term_warnings(later) == []  # back to back: no overlap
    # Another union's term on the same dates is not an overlap either.
    make_term(chair, demo_units["B1"])
    assert q.term_warnings(first) == []

    # Through the page: created, with a visible warning, also on the term page.
    c = login("chair")
    created = c.post(
        reverse("congress:term-list"),
        {"unit": demo_units["U"].pk, "start_date": "2026-01-01", "end_date": "2030-12-31"},
        follow=True,
    )
    assert created.status_code == 200
    body = created.content.decode()
    assert "任期重叠" in body and str(first) in body
    overlapping = created.context["term"]
    assert len(q.term_warnings(overlapping)) == 2  # both the first and the later term
    detail = c.get(reverse("congress:term-detail", args=[first.pk])).content.decode()
    assert "data-term-warning" in detail and str(overlapping) in detail

    # Through the API: the answer carries the warning.
    api = api_client("chair")
    answer = api.post(
        "/api/v1/congress/terms",
        {"unit_id": demo_units["U"].pk, "start_date": "2027-06-01", "end_date": "2031-05-31"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert any("任期重叠" in w for w in answer.json()["warnings"])
    listed = api.get("/api/v1/congress/terms").json()["items"]
    assert all(t["warnings"] for t in listed if t["unit_id"] == demo_units["U"].pk)
