"""Demo content of module homes (`zhijia seed-demo`, idempotent: a round is recognised by its
unit, year and title):

  - the union committee's default criteria set (100 points);
  - last year's 建家 round for branches 1 and 2: both self-assessed and reviewed by the chair,
    closed, branch 1 awarded 模范职工之家 (recorded in the honours registry);
  - this year's round, open: branch 1 submitted its self-assessment, branch 2's is a draft.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhijia.homes.actions import assessments as actions
from zhijia.homes.actions import rounds as round_actions
from zhijia.homes.actions.criteria import ensure_default_set
from zhijia.homes.models import Assessment, Round
from zhijia.org.models import OrgUnit

TITLE = "%d年度职工之家建设评比"


def _scores(assessment: Assessment, less: Decimal) -> dict[int, tuple[object, str]]:
    """Full marks but the first criteria, `less` points short in all (at most 1 each)."""
    scores: dict[int, tuple[object, str]] = {}
    left = less
    for s in assessment.scores.select_related("criterion").order_by("criterion__order"):
        cut = min(left, Decimal("1"))
        left -= cut
        scores[s.criterion_id] = (s.criterion.max_score - cut, "见会议记录和活动台账")
    return scores


def _round(users, year: int, *, close: bool) -> int:
    top = OrgUnit.objects.get(code="U")
    title = TITLE % year
    if Round.objects.filter(org_unit=top, year=year, title=title).exists():
        return 0
    chair, b1, b2 = users["chair"], users["branch1"], users["branch2"]
    round_ = round_actions.do_open_round(
        actor=chair,
        unit=top,
        year=year,
        title=title,
        criteria_set=ensure_default_set(unit=top, actor=chair),
        due_on=dt.date(year, 12, 15),
        branches=[OrgUnit.objects.get(code="B1"), OrgUnit.objects.get(code="B2")],
    )
    first = Assessment.objects.get(round=round_, org_unit__code="B1")
    second = Assessment.objects.get(round=round_, org_unit__code="B2")
    actions.do_save_self_assessment(actor=b1, assessment=first, scores=_scores(first, Decimal(4)))
    actions.do_submit_assessment(actor=b1, assessment=first)
    actions.do_save_self_assessment(
        actor=b2, assessment=second, scores=_scores(second, Decimal(12))
    )
    if close:
        actions.do_submit_assessment(actor=b2, assessment=second)
        for record, less in ((first, Decimal(7)), (second, Decimal(15))):
            actions.do_review_assessment(
                actor=chair, assessment=record, reviews=_scores(record, less), note="材料齐全"
            )
        round_actions.do_close_round(actor=chair, round_=round_, titles={first.pk: "模范职工之家"})
    return 1


def seed_demo() -> str:
    names = ("chair", "branch1", "branch2")
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    if set(names) - set(users):
        return "homes: demo accounts missing, nothing seeded"
    year = timezone.localdate().year
    made = _round(users, year - 1, close=True) + _round(users, year, close=False)
    return f"homes: {made} rounds created"
