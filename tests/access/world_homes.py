"""The world of tests/access/test_homes.py, built once per module.

The union committee (chair, unit U) runs three rounds for branch1's and branch2's units:
"open" (both assessments drafts, every criterion self-scored, ready to submit), "submitted"
(both waiting for the committee's review) and "reviewed" (both reviewed, ready to close).
Targets "b1" / "b2": the assessment of branch1's / branch2's unit in a round. The default
criteria set of U is used by the rounds; a copy of it ("spare") is used by none (its
criteria may still be changed).
"""

from __future__ import annotations

from django.core.cache import cache

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")


def build_world() -> World:
    from zhijia.homes.actions import assessments as actions
    from zhijia.homes.actions.criteria import do_copy_criteria_set, ensure_default_set
    from zhijia.homes.models import Assessment
    from zhijia.homes.tests.support import open_round, unit
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    chair = personas["chair"]
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    code = {"b1": "B1", "b2": "B2"}
    top = unit("U")
    default = ensure_default_set(unit=top, actor=chair)
    spare = do_copy_criteria_set(actor=chair, source=default, unit=top, name="备用标准")
    rounds = {k: open_round(chair) for k in ("open", "submitted", "reviewed")}
    criteria = list(default.criteria.order_by("order").values_list("pk", "max_score"))
    full = {pk: (str(m), "") for pk, m in criteria}
    data: dict = {
        "personas": personas,
        "unit": {"u": top.pk, "b1": unit("B1").pk, "b2": unit("B2").pk},
        "criteria": [pk for pk, _m in criteria],
        "set": default.pk,
        "spare": spare.pk,
        "spare_criterion": spare.criteria.order_by("order").first().pk,
        "round": {k: r.pk for k, r in rounds.items()},
        "assessment": {k: {} for k in rounds},
    }
    for key, round_ in rounds.items():
        for t in REC:
            a = Assessment.objects.get(round=round_, org_unit__code=code[t])
            data["assessment"][key][t] = a.pk
            actions.do_save_self_assessment(actor=cadre[t], assessment=a, scores=full)
            if key != "open":
                actions.do_submit_assessment(actor=cadre[t], assessment=a)
            if key == "reviewed":
                actions.do_review_assessment(actor=chair, assessment=a, reviews=full)
    cache.clear()

    def ids(persona: str, target) -> dict:
        base = {
            "set": data["set"],
            "spare": data["spare"],
            "criterion": data["spare_criterion"],
            "round_open": data["round"]["open"],
            "round_reviewed": data["round"]["reviewed"],
        }
        if target not in REC:
            return base
        return {
            **base,
            "draft": data["assessment"]["open"][target],
            "submitted": data["assessment"]["submitted"][target],
        }

    return World(data=data, ids=ids, fingerprint=homes_fingerprint, clients=make_clients(personas))


def homes_fingerprint() -> tuple:
    from zhijia.homes.models import Assessment, CriteriaSet, Criterion, Round, Score

    return fingerprint(CriteriaSet, Criterion, Round, Assessment, Score)
