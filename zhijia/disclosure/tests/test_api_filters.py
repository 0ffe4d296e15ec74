"""The API's unit filters are named `unit_id`; `unit`, their name before the API conventions
(docs/api.md, "Renamed inputs"), still works."""

from __future__ import annotations

import pytest

from zhijia.disclosure.actions import questions as actions_questions

pytestmark = pytest.mark.django_db


def test_unit_filters_take_unit_id_and_the_old_name(publish, personas, demo_units, api_client):
    b1, b2 = demo_units["B1"], demo_units["B2"]
    one = publish("B1", by="chair", title="一分会的公开")
    two = publish("B2", by="chair", title="二分会的公开")
    actions_questions.do_ask_question(actor=personas["worker1"], item=one, text="何时发放？")
    actions_questions.do_ask_question(actor=personas["worker2"], item=two, text="标准是什么？")
    chair = api_client("chair")
    for name in ("unit_id", "unit"):
        items = chair.get("/api/v1/disclosure/manage/items", {name: b1.pk}).json()["items"]
        assert [i["id"] for i in items] == [one.pk], name
        questions = chair.get("/api/v1/disclosure/questions", {name: b2.pk}).json()["items"]
        assert [q["item_id"] for q in questions] == [two.pk], name
        board = chair.get("/api/v1/disclosure/board", {name: b1.pk, "per_page": 200})
        assert board.status_code == 200, name
        assert {row["unit_id"] for row in board.json()["items"]} >= {b1.pk}
        assert b2.pk not in {row["unit_id"] for row in board.json()["items"]}
    # outside the caller's scope: not found, by either name
    branch1 = api_client("branch1")
    for name in ("unit_id", "unit"):
        response = branch1.get("/api/v1/disclosure/manage/items", {name: b2.pk})
        assert response.status_code == 404, name


def test_unknown_ids_in_a_body_are_404_naming_the_field(catalogue, demo_units, api_client):
    chair = api_client("chair")
    body = {"unit_id": demo_units["B1"].pk, "title": "标题", "body": "正文"}
    for field in ("entry_id", "audience_unit_id"):
        response = chair.post(
            "/api/v1/disclosure/items", {**body, field: 999_999}, content_type="application/json"
        )
        assert response.status_code == 404, response.content
        assert field in response.json()["errors"]
