"""The world of tests/access/test_learning.py, built once per module.

Targets "b1" / "b2": records of branch1's / branch2's unit (open to that branch's subtree).
Each has, published:
  - an online course with a test (bank of 6, 2 drawn): worker1 / worker2 enrolled, with an
    attempt running;
  - an online course without a test: worker1 / worker2 enrolled (not completed), rep1 /
    branch2 completed it (certificate);
  - a classroom course with a session starting within the hour: worker1 / worker2 on it;
and a training plan of the unit.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")
KEYS = (
    "course",
    "mcourse",
    "ccourse",
    "session",
    "enrolment",
    "attempt",
    "question",
    "certificate",
    "token",
    "checkin",
)


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import OrgUnit
    from zhijia.services.actions import learning as actions
    from zhijia.services.actions import learning_tests as test_actions
    from zhijia.services.models import LearningSession

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    worker = {"b1": personas["worker1"], "b2": personas["worker2"]}
    served = {"b1": personas["rep1"], "b2": personas["branch2"]}
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    now = timezone.now()
    data: dict = {"personas": personas, "unit": {t: u.pk for t, u in units.items()}}
    data |= {k: {} for k in KEYS}
    rows = [["单选", f"题目{i}", "甲", "乙", "丙", "", "", "", "A", ""] for i in range(4)] + [
        ["判断", "判断题", "", "", "", "", "", "", "对", ""],
        ["填空", "填空题", *[""] * 6, "工会", ""],
    ]
    for t in REC:
        course = actions.do_create_learning_course(
            actor=cadre[t],
            title=f"测试课程{t}",
            org_unit=units[t],
            kind="online",
            hours="2",
            test_questions=2,
            test_minutes=30,
        )
        test_actions.do_import_learning_questions(actor=cadre[t], course=course, rows=rows)
        actions.do_publish_learning_course(actor=cadre[t], course=course)
        enrolment = actions.do_enrol_learning(actor=worker[t], course=course)
        attempt = test_actions.do_start_learning_attempt(actor=worker[t], enrolment=enrolment)

        mcourse = actions.do_create_learning_course(
            actor=cadre[t],
            title=f"资料课程{t}",
            org_unit=units[t],
            kind="online",
            hours="1.5",
            material="学习内容",
        )
        actions.do_publish_learning_course(actor=cadre[t], course=mcourse)
        actions.do_enrol_learning(actor=worker[t], course=mcourse)
        done = actions.do_enrol_learning(actor=served[t], course=mcourse)
        actions.do_finish_learning_material(actor=served[t], enrolment=done)

        ccourse = actions.do_create_learning_course(
            actor=cadre[t], title=f"课堂课程{t}", org_unit=units[t], kind="classroom", hours="3"
        )
        session = actions.do_add_learning_session(
            actor=cadre[t],
            course=ccourse,
            starts_at=now + dt.timedelta(days=3),
            ends_at=now + dt.timedelta(days=3, hours=2),
            place="职工之家",
            capacity=30,
        )
        actions.do_publish_learning_course(actor=cadre[t], course=ccourse)
        seat = actions.do_enrol_learning(actor=worker[t], course=ccourse, session=session)
        # the session begins within the hour: check-in is open
        LearningSession.objects.filter(pk=session.pk).update(
            starts_at=now + dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2)
        )
        actions.do_create_learning_plan(
            actor=cadre[t],
            org_unit=units[t],
            year=now.year,
            title="全员培训",
            audience="all",
            hours_target="8",
        )
        done.refresh_from_db()
        data["course"][t] = course.pk
        data["mcourse"][t] = mcourse.pk
        data["ccourse"][t] = ccourse.pk
        data["session"][t] = session.pk
        data["enrolment"][t] = seat.pk
        data["attempt"][t] = attempt.pk
        data["question"][t] = attempt.question_ids[0]
        data["certificate"][t] = done.certificate.pk
        data["token"][t] = done.certificate.token
        data["checkin"][t] = actions.checkin_token(seat)
    start = timezone.localtime(now + dt.timedelta(days=20)).replace(second=0, microsecond=0)
    data["new_session"] = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "会议室",
        "capacity": 20,
    }
    data["new_session_api"] = {
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
        "place": "会议室",
        "capacity": 20,
    }
    cache.clear()

    def ids(persona: str, target) -> dict:
        if target not in REC:
            return {}
        return {key: data[key][target] for key in KEYS}

    return World(
        data=data, ids=ids, fingerprint=learning_fingerprint, clients=make_clients(personas)
    )


def learning_fingerprint() -> tuple:
    from zhijia.core.models import Rating
    from zhijia.services.models import (
        LearningAttempt,
        LearningAttendance,
        LearningCertificate,
        LearningCourse,
        LearningEnrolment,
        LearningPlan,
        LearningQuestion,
        LearningSession,
    )

    return fingerprint(
        LearningCourse,
        LearningSession,
        LearningEnrolment,
        LearningAttendance,
        LearningQuestion,
        LearningAttempt,
        LearningCertificate,
        LearningPlan,
        Rating,
    )
