"""Input bounds live in the schemas (core.api_types): absurd values answer 422 with the field
at fault, before any record is looked up or written."""

from __future__ import annotations

import pytest

CASES = [
    ("/api/v1/congress/elections", {"seats": 10**12}, "seats"),
    ("/api/v1/congress/terms", {"number": 0}, "number"),
    ("/api/v1/congress/terms", {"workforce_dispatched": -1}, "workforce_dispatched"),
    ("/api/v1/congress/terms/1/sessions", {"number": 0}, "number"),
    ("/api/v1/org/members/1/transfer", {"effective_date": "1900-01-01"}, "effective_date"),
    ("/api/v1/org/members/1/transfer", {"to_unit_id": 2**70}, "to_unit_id"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body", "field"), CASES)
def test_absurd_values_are_refused_by_the_schema(api_client, path, body, field):
    response = api_client("chair").post(path, body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_an_id_beyond_the_bounds_in_a_path_is_422(api_client):
    response = api_client("chair").get(f"/api/v1/org/members/{2**70}")
    assert response.status_code == 422
    assert "member_id" in response.json()["errors"]
