"""The yearly figures per unit (subtree) equal a hand count on fixed data; the page, its Excel
export and the API say the same; a cadre sees the units of their scope only."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhijia.org.models import Department, OrgUnit
from zhijia.services.models import Suggestion

pytestmark = pytest.mark.django_db


def _row(author, unit_code: str, state: str, year: int, benefit: str | None = None):
    """Fixed data: a suggestion written straight into a state (no workflow)."""
    return Suggestion.objects.create(
        title=f"{unit_code}-{state}-{year}",
        category="rationalisation",
        problem="问题",
        proposal="建议",
        org_unit=OrgUnit.objects.get(code=unit_code),
        department=Department.objects.get(code="D-PROD"),
        author=author,
        submitted_at=timezone.now(),
        year=year,
        state=state,
        certified_benefit=Decimal(benefit) if benefit else None,
    )


@pytest.fixture
def fixed(personas):
    a = personas["rep1"]
    for unit, state, benefit in (
        ("B1", "closed", "10000"),
        ("B1", "certified", "2500.50"),
        ("B1", "adopted", None),
        ("B1", "rejected", None),
        ("B1", "submitted", None),
        ("B1-G1", "implemented", None),
        ("B1-G1", "rejected", None),
        ("B1-G1", "scoring", None),
        ("B2", "closed", "7000"),
        ("B2", "rejected", None),
    ):
        _row(a, unit, state, 2026, benefit)
    _row(a, "B1", "closed", 2025, "99999")  # another year
    return personas


# By hand, 2026. Members on the roll: branch1 (B1), rep1 and worker1 (B1-G1).
#   B1 subtree: 8 submitted; adopted = closed, certified, adopted, implemented = 4;
#   rejected 2 (decided 6); implemented = closed, certified, implemented = 3;
#   benefit 10,000 + 2,500.50 = 12,500.50; per 100 workers 8 / 3 = 266.7;
#   adoption 4 / 6 = 66.7 %; implementation 3 / 4 = 75.0 %.
#   B1-G1: 3 submitted, 1 adopted (implemented), 1 rejected, 2 workers: 150.0, 50.0 %, 100.0 %.
B1 = ("第一分工会", 3, 8, "266.7", 6, 4, "66.7", 3, "75.0", Decimal("12500.50"))
B1_G1 = ("发电一班组", 2, 3, "150.0", 2, 1, "50.0", 1, "100.0", Decimal("0"))


def _api_tuple(row) -> tuple:
    return (
        row["org_unit_name"],
        row["workers"],
        row["submitted"],
        row["per_100"],
        row["decided"],
        row["adopted"],
        row["adoption_rate"],
        row["implemented"],
        row["implementation_rate"],
        Decimal(row["certified_benefit"]),
    )


def test_the_yearly_figures_equal_a_hand_count(fixed, api_client, login):
    b1 = OrgUnit.objects.get(code="B1")
    body = (
        api_client("branch1")
        .get("/api/v1/services/suggestions/figures", {"year": 2026, "unit_id": b1.pk})
        .json()
    )
    rows = body["rows"]
    assert _api_tuple(rows[0]) == B1
    assert _api_tuple(rows[1]) == B1_G1
    assert [r["org_unit_name"] for r in rows[2:]] == ["发电二班组", "检修班组", "运行班组"]
    assert all(r["submitted"] == 0 and r["per_100"] is None for r in rows[2:])
    # the page shows the same, and the export carries the same numbers
    html = login("branch1").get(f"/services/suggestions/figures/?year=2026&unit_id={b1.pk}")
    assert html.status_code == 200 and "266.7" in html.content.decode()
    export = login("branch1").get(
        f"/services/suggestions/figures/export/?year=2026&unit_id={b1.pk}"
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "第一分工会"]
    assert len(values) == 1
    row = values[0]
    assert row[1:3] == (3, 8) and row[4:6] == (6, 4) and row[7] == 3
    assert [Decimal(str(v)) for v in (row[3], row[6], row[8], row[9])] == [
        Decimal("266.7"),
        Decimal("66.7"),
        Decimal("75.0"),
        Decimal("12500.50"),
    ]


def test_a_cadre_sees_only_the_figures_of_their_scope(fixed, api_client):
    b2 = OrgUnit.objects.get(code="B2")
    response = api_client("branch1").get(
        "/api/v1/services/suggestions/figures", {"year": 2026, "unit_id": b2.pk}
    )
    assert response.status_code == 404
    body = api_client("chair").get("/api/v1/services/suggestions/figures", {"year": 2026}).json()
    top = body["rows"][0]
    # the whole union in 2026: 10 suggestions, 5 adopted, 3 rejected; 6 members on the roll
    assert (top["workers"], top["submitted"], top["decided"], top["adopted"]) == (6, 10, 8, 5)
    assert Decimal(top["certified_benefit"]) == Decimal("19500.50")
