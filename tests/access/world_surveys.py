"""The world of tests/access/test_surveys.py, built once per module.

Targets "b1" / "b2": an open named survey of branch1's union (audience: branch 1, where
branch1, rep1 and worker1 are members) and one of branch2's (audience: branch 2: branch2 and
worker2). Each has one single-choice question. Named, so that reminders and the responses
export apply; the anonymous side is tested in zhijia/services/tests/test_surveys_secrecy.py.
"""

from __future__ import annotations

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients

TARGETS = ("b1", "b2")
UNITS = {"b1": "B1", "b2": "B2"}
OWNERS = {"b1": "branch1", "b2": "branch2"}


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.services.tests.surveys_support import make_survey

    cache.clear()
    units = ensure_demo_structure()
    personas = ensure_demo_accounts()
    survey, question = {}, {}
    for t in TARGETS:
        made = make_survey(
            personas[OWNERS[t]],
            units[UNITS[t]],
            questions=[{"kind": "single", "text": "您是否满意", "options": ["满意", "不满意"]}],
            anonymous=False,
            title=f"问卷 {t}",
        )
        survey[t] = made.pk
        question[t] = made.questions.get().pk
    data = {
        "personas": personas,
        "survey": survey,
        "question": question,
    }
    cache.clear()

    def ids(persona: str, target) -> dict:
        return {"survey": survey[target]} if target in TARGETS else {}

    return World(
        data=data, ids=ids, fingerprint=surveys_fingerprint, clients=make_clients(personas)
    )


def surveys_fingerprint() -> tuple:
    from zhijia.services.models import (
        Survey,
        SurveyParticipation,
        SurveyQuestion,
        SurveyResponse,
    )

    return fingerprint(Survey, SurveyQuestion, SurveyParticipation, SurveyResponse)
