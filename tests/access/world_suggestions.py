"""The world of tests/access/test_suggestions.py, built once per module.

Targets "b1" / "b2": suggestions of rep1 (branch1's unit) / worker2 (branch2's unit), all
concerning 人力资源部 (handler1's department, where handler1 also certifies benefits: the
adopting cadre names it as the finance department). Per target, one suggestion in each of
these states, built through the real actions:
  sub  submitted (department review)
  sco  scoring, worker1 appointed as expert and has marked every criterion
  ado  adopted, with one open milestone ("ms")
  imp  implemented
  cer  benefit certified
  rej  rejected in review (its author may rate it)
worker1 is the expert of every suggestion that went through scoring.
"""

from __future__ import annotations

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")
STATES = ("sub", "sco", "ado", "imp", "cer", "rej")
MARKS = {"创新性": 80, "可行性": 90, "经济效益": 70, "推广价值": 60}


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, OrgUnit
    from zhijia.services.actions import suggestions as actions

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    author = {"b1": personas["rep1"], "b2": personas["worker2"]}
    handler, expert = personas["handler1"], personas["worker1"]
    hr = Department.objects.get(code="D-HR")
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    data: dict = {
        "personas": personas,
        "unit": {t: u.pk for t, u in units.items()},
        "dept": hr.pk,
        "ms": {},
        **{state: {} for state in STATES},
    }

    def submit(t, title):
        return actions.do_submit_suggestion(
            actor=author[t],
            title=title,
            category="rationalisation",
            problem=f"{title}：现有做法费时费力",
            proposal=f"{title}：建议改进流程",
            department=hr,
        )

    for t in REC:
        made = {state: submit(t, f"建议{state}{t}") for state in STATES}
        for state in ("sco", "ado", "imp", "cer"):
            s = made[state]
            actions.do_review_suggestion(actor=handler, suggestion=s, note="同意评审")
            actions.do_appoint_suggestion_experts(actor=cadre[t], suggestion=s, experts=[expert])
            actions.do_score_suggestion(actor=expert, suggestion=s, marks=MARKS)
        for state in ("ado", "imp", "cer"):
            s = made[state]
            actions.do_adopt_suggestion(actor=cadre[t], suggestion=s, finance_department=hr)
        data["ms"][t] = actions.do_add_suggestion_milestone(
            actor=cadre[t], suggestion=made["ado"], title="改造完成", workdays=10
        ).pk
        for state in ("imp", "cer"):
            actions.do_implement_suggestion(actor=cadre[t], suggestion=made[state])
        actions.do_certify_suggestion_benefit(
            actor=handler, suggestion=made["cer"], benefit="120000"
        )
        actions.do_reject_suggestion(actor=handler, suggestion=made["rej"], reason="已有类似措施")
        for state, s in made.items():
            data[state][t] = s.pk
    cache.clear()

    def ids(persona: str, target) -> dict:
        if target not in REC:
            return {}
        return {"ms": data["ms"][target], **{state: data[state][target] for state in STATES}}

    return World(
        data=data, ids=ids, fingerprint=suggestions_fingerprint, clients=make_clients(personas)
    )


def suggestions_fingerprint() -> tuple:
    from zhijia.core.models import Attachment, Rating
    from zhijia.services.models import (
        Suggestion,
        SuggestionCriterion,
        SuggestionExpert,
        SuggestionMilestone,
        SuggestionRewardTier,
        SuggestionScore,
    )

    return fingerprint(
        Suggestion,
        Suggestion.coauthors.through,
        SuggestionExpert,
        SuggestionScore,
        SuggestionMilestone,
        SuggestionCriterion,
        SuggestionRewardTier,
        Rating,
        Attachment,
    )
