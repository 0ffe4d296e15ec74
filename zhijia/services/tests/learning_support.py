"""Helpers for learning tests: a course with a bank and a test, members."""

from __future__ import annotations

from zhijia.org.models import OrgUnit
from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def bank_rows(n: int) -> list[list]:
    """n single-choice questions whose answer is A."""
    return [["单选", f"第{i}题", "甲", "乙", "丙", "", "", "", "A", f"解析{i}"] for i in range(n)]


def published_course(
    cadre, *, unit_code: str = "B1", bank: int = 10, draw: int = 5, minutes=10, rows=None, **kw
):
    """A published online course of `unit_code` with a bank of `bank` questions (all "A")
    and a test drawing `draw` of them."""
    course = actions.do_create_learning_course(
        actor=cadre,
        title="工会法知识",
        org_unit=unit(unit_code),
        kind="online",
        hours="2",
        test_questions=draw,
        test_minutes=minutes,
        **kw,
    )
    test_actions.do_import_learning_questions(
        actor=cadre, course=course, rows=rows or bank_rows(bank)
    )
    actions.do_publish_learning_course(actor=cadre, course=course)
    course.refresh_from_db()
    return course
