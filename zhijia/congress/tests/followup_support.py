"""Helpers for the follow-up tests: a small congress whose session passed a resolution through
the real actions (roll call, an online vote, every representative voting yes)."""

from __future__ import annotations

import datetime as dt

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import desk as actions_desk
from zhijia.congress.actions import sessions as actions_sessions
from zhijia.congress.models import AgendaItem, Session
from zhijia.congress.tests.factory_sessions import make_members
from zhijia.org.models import OrgUnit
from zhijia.voting import actions as voting


def passed_resolution(
    chair,
    unit: OrgUnit,
    group: OrgUnit,
    *,
    prefix: str = "fu",
    title: str = "关于《职工福利费使用办法》的决议",
    date: dt.date = dt.date(2026, 3, 2),
    term=None,
    reps: int = 3,
) -> AgendaItem:
    """A motion of a closed hall vote that every one of `reps` representatives approved."""
    if term is None:
        term = actions_sessions.do_create_term(
            actor=chair, unit=unit, start_date=dt.date(2024, 3, 1), end_date=dt.date(2029, 2, 28)
        )
    members = make_members(group, reps, prefix=prefix)
    seats = [
        actions_sessions.do_add_representative(actor=chair, term=term, member=m) for m in members
    ]
    session = actions_sessions.do_schedule_session(
        actor=chair, term=term, date=date, notify_representatives=False
    )
    actions_sessions.do_start_checkin(actor=chair, session=session)
    for rep in seats:
        actions_sessions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    actions_sessions.do_open_session(actor=chair, session=session)
    item = actions_agenda.do_add_item(actor=chair, session=session, title=title)
    # A hall (paper) vote: the result is what follow-up needs; online votes are tested with
    # their encryption in test_sessions_flow and test_encrypted_votes.
    poll = actions_desk.do_open_item_vote_on_paper(actor=chair, item=item)
    voting.do_enter_paper_result(
        actor=chair, poll=poll, counts={"yes": reps, "no": 0, "abstain": 0}, valid_ballots=reps
    )
    return AgendaItem.objects.select_related("session__term__unit", "poll").get(pk=item.pk)


def next_session(chair, item: AgendaItem, date: dt.date = dt.date(2027, 3, 1)) -> Session:
    return actions_sessions.do_schedule_session(
        actor=chair, term=item.session.term, date=date, notify_representatives=False
    )
