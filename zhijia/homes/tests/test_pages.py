"""The self-assessment page: a card per criterion with its evidence, a score over its maximum
refused in Chinese next to its field, the round's standings for the committee."""

from __future__ import annotations

import pytest

from zhijia.homes.models import Assessment
from zhijia.homes.tests.support import open_round


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def round_(module_personas):
    return open_round(module_personas["chair"])


def test_the_self_assessment_form_refuses_a_score_over_its_maximum(db, login, round_):
    b1 = Assessment.objects.get(round=round_, org_unit__code="B1")
    first = b1.scores.select_related("criterion").order_by("criterion__order").first()
    page = login("branch1").get(f"/homes/assessments/{b1.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "组织健全" in html and "职工认可" in html and "五个结合" in html
    assert "召开职工代表大会" in html  # a figure shown as evidence
    response = login("branch1").post(
        f"/homes/assessments/{b1.pk}/", {f"score_{first.criterion_id}": "11"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_score_{first.criterion_id}_error"' in html
    assert "分数不能超过满分 10 分" in html
    first.refresh_from_db()
    assert first.self_score is None


def test_the_committee_sees_every_branch_a_branch_only_its_own(db, login, round_):
    chair = login("chair").get(f"/homes/rounds/{round_.pk}/").content.decode()
    assert "第一分工会" in chair and "第二分工会" in chair and "结束评比" in chair
    branch = login("branch1").get(f"/homes/rounds/{round_.pk}/").content.decode()
    assert "第一分工会" in branch and "第二分工会" not in branch and "结束评比" not in branch
