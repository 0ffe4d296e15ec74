"""A union unit's criteria and tiers: units below without their own follow the nearest above;
a suggestion keeps the criteria it was given when scoring opened; the reward follows the
unit's tiers. And the desk's text search stays within the viewer's scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.org.models import OrgUnit
from zhijia.services import suggestion_rules as rules
from zhijia.services.actions import suggestions as actions
from zhijia.services.queries import suggestions as queries
from zhijia.services.tests.suggestions_support import finance_handler, submit

pytestmark = pytest.mark.django_db


def test_the_nearest_configuration_applies_and_a_suggestion_keeps_its_criteria(personas):
    b1, group = OrgUnit.objects.get(code="B1"), OrgUnit.objects.get(code="B1-G1")
    assert queries.criteria_for(group) == list(rules.DEFAULT_CRITERIA)
    with pytest.raises(PermissionDenied):  # not branch2's unit
        actions.do_set_suggestion_config(
            actor=personas["branch2"],
            org_unit=b1,
            criteria=list(rules.DEFAULT_CRITERIA),
            tiers=list(rules.DEFAULT_TIERS),
        )
    with pytest.raises(actions.SuggestionError) as refused:
        actions.do_set_suggestion_config(
            actor=personas["branch1"],
            org_unit=b1,
            criteria=[rules.Criterion("创新性", 90)],
            tiers=[],
        )
    assert set(refused.value.errors) == {"criteria", "tiers"}
    actions.do_set_suggestion_config(
        actor=personas["branch1"],
        org_unit=b1,
        criteria=[rules.Criterion("创新性", 50), rules.Criterion("实用性", 50)],
        tiers=[rules.Tier("优秀奖", Decimal("1000"), Decimal("50"), Decimal("666"))],
    )
    assert [c.name for c in queries.criteria_for(group)] == ["创新性", "实用性"]
    assert [c.name for c in queries.criteria_for(OrgUnit.objects.get(code="B2"))] == [
        c.name for c in rules.DEFAULT_CRITERIA
    ]
    s = submit(personas["rep1"], "焊接烟尘收集罩")
    actions.do_review_suggestion(actor=personas["handler1"], suggestion=s)
    # a later change does not move the suggestion already in scoring
    actions.do_set_suggestion_config(
        actor=personas["branch1"],
        org_unit=b1,
        criteria=[rules.Criterion("可行性", 100)],
        tiers=[rules.Tier("优秀奖", Decimal("1000"), Decimal("50"), Decimal("666"))],
    )
    s.refresh_from_db()
    assert [c["name"] for c in s.criteria] == ["创新性", "实用性"]
    actions.do_appoint_suggestion_experts(
        actor=personas["branch1"], suggestion=s, experts=[personas["chair"]]
    )
    actions.do_score_suggestion(
        actor=personas["chair"], suggestion=s, marks={"创新性": 60, "实用性": 80}
    )
    finance = finance_handler()
    fin = finance.role_assignments.get().department
    actions.do_adopt_suggestion(actor=personas["branch1"], suggestion=s, finance_department=fin)
    actions.do_implement_suggestion(actor=personas["branch1"], suggestion=s)
    actions.do_certify_suggestion_benefit(actor=finance, suggestion=s, benefit="5000")
    actions.do_reward_suggestion(actor=personas["branch1"], suggestion=s)
    s.refresh_from_db()
    assert (s.score, s.reward_tier, s.reward_amount) == (
        Decimal("70.0"),
        "优秀奖",
        Decimal("666.00"),
    )


def test_a_config_that_does_not_add_up_is_refused_next_to_its_field(personas, login):
    b1 = OrgUnit.objects.get(code="B1")
    response = login("branch1").post(
        "/services/suggestions/config/",
        {"org_unit": b1.pk, "criteria": "创新性 40\n可行性 40", "tiers": "鼓励奖 0 0 100"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_criteria_error"' in html and "各项权重之和应为 100（现为 80）" in html
    assert queries.has_own_config(b1) == (False, False)


def test_the_desk_search_stays_in_scope(personas, api_client):
    submit(personas["rep1"], "输煤皮带跑偏纠正装置")
    submit(personas["worker2"], "输煤皮带清扫器改进")
    titles = [
        item["title"]
        for item in api_client("branch1")
        .get("/api/v1/services/suggestions/desk", {"q": "皮带"})
        .json()["items"]
    ]
    assert titles == ["输煤皮带跑偏纠正装置"]
    both = api_client("chair").get("/api/v1/services/suggestions/desk", {"q": "皮带"}).json()
    assert both["count"] == 2
