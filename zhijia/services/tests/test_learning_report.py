"""The completion report equals a hand count on fixed data; plans by audience (all workers,
cadres, representatives); the Excel export carries the same lines; assignment to a unit."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhijia.services.actions import learning as actions
from zhijia.services.models import LearningEnrolment
from zhijia.services.queries import learning as queries
from zhijia.services.tests.learning_support import unit

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def _course(cadre, title, hours):
    course = actions.do_create_learning_course(
        actor=cadre, title=title, org_unit=unit("B1"), kind="online", hours=hours
    )
    actions.do_publish_learning_course(actor=cadre, course=course)
    return course


def test_completion_report_equals_a_hand_count(personas, login):
    cadre = personas["branch1"]
    worker1, rep1 = personas["worker1"], personas["rep1"]
    with time_machine.travel(dt.datetime(2025, 12, 20, 10, tzinfo=TZ), tick=False):
        old = _course(cadre, "去年的课", "5")
        e = actions.do_enrol_learning(actor=worker1, course=old)
        actions.do_finish_learning_material(actor=worker1, enrolment=e)  # 2025: not counted
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=TZ), tick=False):
        a = _course(cadre, "工会法", "4")
        b = _course(cadre, "安全生产", "3.5")
        actions.do_create_learning_plan(
            actor=cadre,
            org_unit=unit("B1"),
            year=2026,
            title="全员",
            audience="all",
            hours_target="6",
        )
        actions.do_create_learning_plan(
            actor=personas["chair"],
            org_unit=unit("U"),
            year=2026,
            title="职工代表培训",
            audience="representatives",
            hours_target="10",
        )
        created = actions.do_assign_learning(
            actor=cadre, course=a, workers=queries.member_users(cadre, unit=unit("B1"))
        )
        assert {worker1.pk, rep1.pk} <= {e.worker_id for e in created}
        for worker in (worker1, rep1):
            actions.do_finish_learning_material(
                actor=worker, enrolment=LearningEnrolment.objects.get(course=a, worker=worker)
            )
        e = actions.do_enrol_learning(actor=worker1, course=b)
        actions.do_finish_learning_material(actor=worker1, enrolment=e)
        rows = {
            r.employee_no: r for r in queries.report_rows(queries.report_members(cadre, None), 2026)
        }
    # by hand: worker1 enrolled on a and b in 2026 (old in 2025), completed both, 7.5 hours,
    # target 6 (all workers) -> met; rep1: a only, 4 hours, target 10 (representatives) -> not
    w = rows[worker1.member_record.employee_no]
    r = rows[rep1.member_record.employee_no]
    assert (w.enrolled, w.completed, w.hours, w.target, w.met) == (2, 2, Decimal("7.5"), 6, True)
    assert (r.enrolled, r.completed, r.hours, r.target, r.met) == (1, 1, Decimal("4"), 10, False)
    # the other members of B1's subtree: assigned course a (those with an account), none done
    others = [x for k, x in rows.items() if k not in (w.employee_no, r.employee_no)]
    assert others and all((x.completed, x.hours) == (0, 0) for x in others)
    assert sum(x.enrolled for x in others) == len(created) - 2
    response = login("branch1").get(reverse("services:learning-desk-report-export") + "?year=2026")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data)).active
    lines = {str(row[0]): row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    line = lines[worker1.member_record.employee_no]
    assert (line[3], line[4], float(line[5]), float(line[6]), line[7]) == (2, 2, 7.5, 6.0, "是")
    assert lines[rep1.member_record.employee_no][7] == "否"


def test_home_todos_an_assigned_course_and_a_session_tomorrow(personas):
    from zhijia.core.home import todos_for

    cadre, worker = personas["branch1"], personas["worker1"]
    course = _course(cadre, "工会法", "2")
    actions.do_assign_learning(actor=cadre, course=course, workers=[worker])
    room = actions.do_create_learning_course(
        actor=cadre, title="安全生产", org_unit=unit("B1"), kind="classroom", hours="3"
    )
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    session = actions.do_add_learning_session(
        actor=cadre,
        course=room,
        starts_at=tomorrow,
        ends_at=tomorrow + dt.timedelta(hours=2),
        place="一车间会议室",
        capacity=10,
    )
    actions.do_publish_learning_course(actor=cadre, course=room)
    actions.do_enrol_learning(actor=worker, course=room, session=session)
    labels = {(t.label, t.detail) for t in todos_for(worker)}
    assert ("待学习的培训课程", "工会法") in labels
    assert any(label == "培训课堂：安全生产" and "一车间会议室" in d for label, d in labels)
    # completed: the assigned course leaves the to-dos
    enrolment = LearningEnrolment.objects.get(course=course, worker=worker)
    actions.do_finish_learning_material(actor=worker, enrolment=enrolment)
    assert ("待学习的培训课程", "工会法") not in {(t.label, t.detail) for t in todos_for(worker)}
