"""Implementation milestones: due in working days; an overdue one is escalated by the workflow
sweep on the next working day (the cadres and the department's handlers are told), once per
deadline."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhijia.core import workdays
from zhijia.core.models import Notification
from zhijia.core.workflow import sweep_overdue
from zhijia.services.actions import suggestions as actions
from zhijia.services.tests.suggestions_support import adopted
from zhijia.services.workflows import SUGGESTION_MILESTONE

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ)  # no holiday from 6 to 10 March 2026


def _late(user) -> int:
    return Notification.objects.filter(user=user, kind="services.suggestion_milestone_late").count()


def test_an_overdue_milestone_is_escalated_on_the_next_working_day(personas):
    with time_machine.travel(FRIDAY, tick=False):
        s = adopted(personas)
        milestone = actions.do_add_suggestion_milestone(
            actor=personas["branch1"], suggestion=s, title="工装制作", workdays=1
        )
    milestone.refresh_from_db()
    # one working day after a Friday morning: the end of Monday
    assert workdays.local_date(milestone.deadline_at) == dt.date(2026, 3, 9)
    assert milestone.deadline_at == workdays.deadline_after(FRIDAY, 1)
    with time_machine.travel(dt.datetime(2026, 3, 9, 20, 0, tzinfo=TZ), tick=False):
        assert sweep_overdue(SUGGESTION_MILESTONE) == 0  # Monday evening: not yet late
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 30, tzinfo=TZ), tick=False):
        assert sweep_overdue(SUGGESTION_MILESTONE) == 1  # Tuesday morning: escalated
        assert sweep_overdue(SUGGESTION_MILESTONE) == 0  # once per deadline
    milestone.refresh_from_db()
    assert milestone.escalation_level == 1 and milestone.in_state("open")
    # the next deadline: two more working days (Thursday's end)
    assert workdays.local_date(milestone.deadline_at) == dt.date(2026, 3, 12)
    assert _late(personas["branch1"]) == 1 and _late(personas["handler1"]) == 1
    assert _late(personas["rep1"]) == 0


def test_a_milestone_done_in_time_is_never_escalated(personas):
    with time_machine.travel(FRIDAY, tick=False):
        s = adopted(personas)
        milestone = actions.do_add_suggestion_milestone(
            actor=personas["handler1"], suggestion=s, title="工装制作", workdays=1
        )
        actions.do_complete_suggestion_milestone(actor=personas["handler1"], milestone=milestone)
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=TZ), tick=False):
        assert sweep_overdue(SUGGESTION_MILESTONE) == 0
    milestone.refresh_from_db()
    assert milestone.in_state("done") and milestone.escalation_level == 0


def test_a_late_department_review_is_escalated_to_the_branch_cadres(personas):
    from zhijia.services.tests.suggestions_support import submit
    from zhijia.services.workflows import SUGGESTION

    with time_machine.travel(FRIDAY, tick=False):
        s = submit(personas["rep1"], "班前会记录简化")
    s.refresh_from_db()
    # five working days from Friday morning: the end of the next Friday
    assert workdays.local_date(s.deadline_at) == dt.date(2026, 3, 13)
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=TZ), tick=False):
        assert sweep_overdue(SUGGESTION) == 1
    s.refresh_from_db()
    assert s.escalation_level == 1 and s.in_state("submitted")
    late = Notification.objects.filter(kind="services.suggestion_review_late")
    assert list(late.values_list("user__username", flat=True)) == ["branch1"]
