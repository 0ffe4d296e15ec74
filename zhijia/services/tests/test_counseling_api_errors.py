"""The counseling API's refusals in the one error body (docs/api.md): a sentence for the user
and the field at fault."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/services/counseling"


def test_a_note_names_its_booking_or_its_slot(personas, api_client):
    answer = api_client("counselor1").post(
        f"{BASE}/desk/notes", data={"body": "记录"}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "请指定 booking_id 或 slot_id 之一",
        "errors": {"booking_id": ["请指定 booking_id 或 slot_id 之一"]},
    }


def test_a_wrong_receipt_code_is_404_on_the_code(personas, api_client):
    answer = api_client("worker1").post(
        f"{BASE}/questions/lookup",
        data={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert answer.json() == {"detail": "收据码不正确", "errors": {"code": ["收据码不正确"]}}
