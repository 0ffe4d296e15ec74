"""The 建家 round from self-assessment to title: scores equal the hand computation, refusals
change nothing, the review is the committee's, a title reaches the honours registry."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core.errors import ActionRefused
from zhijia.homes.actions import assessments as actions
from zhijia.homes.actions import rounds as round_actions
from zhijia.homes.models import Assessment
from zhijia.homes.queries import rounds as round_queries
from zhijia.homes.tests.support import open_round


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def round_(module_personas):
    return open_round(module_personas["chair"])


def _assessment(round_, code: str) -> Assessment:
    return Assessment.objects.select_related("round").get(round=round_, org_unit__code=code)


def _full_marks_but(assessment, **less: D) -> dict[int, tuple[object, str]]:
    """Every criterion at its maximum, except those whose order is named (c<order>=score)."""
    scores = {}
    for s in assessment.scores.select_related("criterion"):
        value = less.get(f"c{s.criterion.order}", s.criterion.max_score)
        scores[s.criterion_id] = (str(value), "见附件")
    return scores


def test_the_self_assessment_total_equals_the_hand_computation(db, personas, round_):
    b1 = _assessment(round_, "B1")
    # Default set (100 points): criterion 1 (max 10) gets 8.5, criterion 10 (max 15) gets 12,
    # criterion 15 (max 2) gets 0. By hand: 100 - 1.5 - 3 - 2 = 93.5.
    saved = actions.do_save_self_assessment(
        actor=personas["branch1"],
        assessment=b1,
        scores=_full_marks_but(b1, c1=D("8.5"), c10=D("12"), c15=D("0")),
    )
    assert saved.self_total == D("93.50")


def test_a_score_over_its_maximum_is_refused_next_to_its_field(db, personas, round_):
    b1 = _assessment(round_, "B1")
    first = b1.scores.select_related("criterion").order_by("criterion__order").first()
    with pytest.raises(ActionRefused) as exc:
        actions.do_save_self_assessment(
            actor=personas["branch1"], assessment=b1, scores={first.criterion_id: ("10.5", "")}
        )
    assert exc.value.errors == {f"score_{first.criterion_id}": ["分数不能超过满分 10 分"]}
    first.refresh_from_db()
    assert first.self_score is None


def test_the_round_runs_to_a_title_in_the_honours_registry(db, personas, round_):
    from zhijia.core.models import Notification
    from zhijia.services.models import Honour

    chair, branch1, branch2 = personas["chair"], personas["branch1"], personas["branch2"]
    b1, b2 = _assessment(round_, "B1"), _assessment(round_, "B2")
    with pytest.raises(PermissionDenied):  # a sibling branch's cadre
        actions.do_save_self_assessment(actor=branch2, assessment=b1, scores={})
    with pytest.raises(ActionRefused):  # not every criterion scored
        actions.do_submit_assessment(actor=branch1, assessment=b1)
    for actor, record, less in ((branch1, b1, {"c1": D("8")}), (branch2, b2, {"c10": D("5")})):
        actions.do_save_self_assessment(
            actor=actor, assessment=record, scores=_full_marks_but(record, **less)
        )
        actions.do_submit_assessment(actor=actor, assessment=record)
    with pytest.raises(ActionRefused) as refused:  # a branch never reviews its own
        actions.do_review_assessment(actor=branch1, assessment=b1, reviews=_full_marks_but(b1))
    assert refused.value.status == 403
    with pytest.raises(ActionRefused):  # still waiting for a review
        round_actions.do_close_round(actor=chair, round_=round_, titles={})
    # The committee's scores differ from the self-scores: b1 98 -> 90, b2 90 -> 90 (a tie).
    actions.do_review_assessment(
        actor=chair, assessment=b1, reviews=_full_marks_but(b1, c1=D("0")), note="材料齐全"
    )
    actions.do_review_assessment(
        actor=chair, assessment=b2, reviews=_full_marks_but(b2, c10=D("5"))
    )
    b1.refresh_from_db()
    assert (b1.self_total, b1.review_total) == (D("98.00"), D("90.00"))
    told = set(Notification.objects.values_list("user__username", "kind"))
    assert {
        ("branch1", "homes.round_opened"),
        ("branch2", "homes.round_opened"),
        ("chair", "homes.assessment_submitted"),
        ("branch1", "homes.assessment_reviewed"),
    } <= told
    rows = round_queries.standings(chair, round_)
    assert [(r.assessment.org_unit.code, r.rank, r.suggested) for r in rows] == [
        ("B1", 1, "模范职工之家"),
        ("B2", 1, "模范职工之家"),
    ]
    with pytest.raises(ActionRefused):  # a title that is not one of the round's
        round_actions.do_close_round(actor=chair, round_=round_, titles={b1.pk: "全国五一"})
    round_actions.do_close_round(
        actor=chair, round_=round_, titles={b1.pk: "模范职工之家", b2.pk: "先进职工之家"}
    )
    b1.refresh_from_db()
    assert b1.in_state("closed") and b1.title == "模范职工之家" and b1.honour_url
    honour = Honour.objects.get(org_unit__code="B1", title="模范职工之家")
    assert honour.team_name == "第一分工会" and honour.year == round_.year
    assert Honour.objects.filter(org_unit__code="B2", title="先进职工之家").exists()
    table = round_queries.comparison(chair)
    assert table.years == [round_.year]
    assert [(line.unit_name, line.cells) for line in table.lines] == [
        ("第一分工会", [(D("90.00"), "模范职工之家")]),
        ("第二分工会", [(D("90.00"), "先进职工之家")]),
    ]
    # branch2 sees its own line only
    assert [line.unit_name for line in round_queries.comparison(branch2).lines] == ["第二分工会"]


def test_the_evidence_is_the_branch_subtree_figures_of_the_round_year(db, personas, round_):
    from zhijia.core.models import Rating
    from zhijia.homes.queries.assessments import evidence
    from zhijia.org.models import OrgUnit

    b1 = _assessment(round_, "B1")
    group = OrgUnit.objects.get(code="B1-G1")
    b2 = OrgUnit.objects.get(code="B2")
    # In B1's subtree this year: 满意, 基本满意, 不满意 -> 2/3 = 67%; B2's rating is not B1's.
    for path, rating in (
        (group.path, "satisfied"),
        (b1.org_unit.path, "basically"),
        (group.path, "dissatisfied"),
        (b2.path, "dissatisfied"),
    ):
        Rating.objects.create(service="test", unit_path=path, rating=rating)
    shown = evidence(b1, ["core.satisfaction_rate", "congress.sessions_held", "nobody.declares"])
    assert [(e.key, e.value, e.missing) for e in shown] == [
        ("core.satisfaction_rate", 67, False),
        ("congress.sessions_held", 0, False),
        ("nobody.declares", None, True),
    ]


def test_a_criterion_added_to_an_unused_set_links_declared_figures_only(db, personas, round_):
    from zhijia.homes.actions import criteria as criteria_actions

    chair = personas["chair"]
    spare = criteria_actions.do_copy_criteria_set(
        actor=chair, source=round_.criteria_set, unit=round_.org_unit, name="备用", weighted=True
    )
    added = criteria_actions.do_add_criterion(
        actor=chair,
        criteria_set=spare,
        heading="活动正常",
        title="志愿服务",
        max_score="5",
        weight="1.5",
        figure_keys=["services.events_held"],
    )
    assert added.keys() == ["services.events_held"] and added.weight == D("1.5")
    with pytest.raises(ActionRefused) as exc:
        criteria_actions.do_add_criterion(
            actor=chair,
            criteria_set=spare,
            heading="甲",
            title="乙",
            max_score="5",
            figure_keys=["nobody.declares"],
        )
    assert exc.value.field == "figure_keys"
    with pytest.raises(ActionRefused) as used:  # the round's set is frozen
        criteria_actions.do_add_criterion(
            actor=chair, criteria_set=round_.criteria_set, heading="甲", title="乙", max_score="5"
        )
    assert used.value.status == 409
