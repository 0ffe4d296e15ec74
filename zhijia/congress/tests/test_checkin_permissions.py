"""Permissions of the congress sessions at the level of the actions: a branch cadre cannot
manage the enterprise's session, a representative cannot check in someone else, whatever the
caller sends. Pages and API operations (records outside the caller's scope are 404, refused
writes change nothing, the hall code checks in the caller only) are in the generated access
matrix: tests/access/test_congress.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import Attendance
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import make_members, make_term, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(personas, demo_units):
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    rep1 = actions.do_add_representative(
        actor=chair, term=term, member=personas["rep1"].member_record
    )
    others = seat(chair, term, make_members(demo_units["B1-G2"], 5))
    session = actions.do_schedule_session(actor=chair, term=term, date=dt.date(2025, 3, 20))
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    actions.do_start_checkin(actor=chair, session=session)
    return term, session, item, rep1, others


def test_branch_cadre_cannot_manage_the_enterprise_session(personas, enterprise):
    term, session, item, rep1, others = enterprise
    branch1 = personas["branch1"]
    for call in (
        lambda: actions.do_open_session(actor=branch1, session=session),
        lambda: actions.do_checkin_by_code(
            actor=branch1, session=session, code=q.checkin_code(rep1)
        ),
        lambda: actions.do_roll_call(actor=branch1, session=session, rep=rep1, present=True),
        lambda: actions_agenda.do_add_item(actor=branch1, session=session, title="x"),
        lambda: actions_agenda.do_open_item_vote(actor=branch1, item=item),
        lambda: actions.do_schedule_session(actor=branch1, term=term, date=dt.date(2025, 6, 1)),
        lambda: actions.do_add_representative(
            actor=branch1, term=term, member=personas["worker1"].member_record
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not Attendance.objects.exists()


def test_representative_cannot_check_in_someone_else(personas, enterprise):
    term, session, item, rep1, others = enterprise
    with pytest.raises(PermissionDenied):
        actions.do_checkin_by_code(
            actor=personas["rep1"], session=session, code=q.checkin_code(others[0])
        )
    with pytest.raises(PermissionDenied):
        actions.do_roll_call(actor=personas["rep1"], session=session, rep=others[0], present=True)
    assert not Attendance.objects.exists()
