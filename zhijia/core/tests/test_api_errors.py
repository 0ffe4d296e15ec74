"""The API's one error body: every refusal, schema error, unknown URL and busy database."""

from __future__ import annotations

import pytest

from zhijia.core.api_errors import error_body, field_name, message_for, schema_errors


def test_field_names_drop_the_location_and_the_parameter_name():
    assert field_name(("body", "payload", "employee_no")) == "employee_no"
    assert field_name(("body", "payload", "items", 0, "name")) == "items.0.name"
    assert field_name(("query", "page")) == "page"
    assert field_name(("path", "member_id")) == "member_id"
    assert field_name(("body", "payload")) == "payload"
    assert field_name(()) == "__all__"


def test_pydantic_errors_in_chinese():
    assert message_for({"type": "missing"}) == "此项为必填项"
    assert (
        message_for({"type": "string_too_long", "ctx": {"max_length": 64}}) == "不能超过 64 个字符"
    )
    assert message_for({"type": "less_than_equal", "ctx": {"le": 100}}) == "不能大于 100"
    assert message_for({"type": "value_error", "msg": "Value error, 工号无效"}) == "工号无效"
    assert message_for({"type": "something_new"}) == "输入无效"


def test_schema_errors_body_names_the_first_field():
    body = schema_errors(
        [
            {"type": "missing", "loc": ("body", "payload", "name")},
            {"type": "int_parsing", "loc": ("body", "payload", "org_unit_id")},
        ]
    )
    assert body["errors"] == {"name": ["此项为必填项"], "org_unit_id": ["应为整数"]}
    assert "name" in body["detail"] and "必填" in body["detail"]


def test_error_body_shape():
    assert error_body("未找到") == {"detail": "未找到", "errors": {}}
    assert error_body("x", {"a": ["b"]}) == {"detail": "x", "errors": {"a": ["b"]}}


@pytest.mark.django_db
def test_unmatched_api_url_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/42")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("没有这个接口")


def test_api_root_answers_json_where_the_document_is(client):
    """/api/v1/ itself (ninja answers it with an HTML 404) points to the document and docs."""
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}
    refused = client.post("/api/v1/")
    assert refused.status_code == 405
    assert refused.json()["detail"] == "不支持该请求方法"


def test_schema_violation_is_422_in_chinese(api_client):
    response = api_client("branch1").get("/api/v1/members?page=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"page": ["应为整数"]}


def test_integer_beyond_the_database_range_is_400_not_500(api_client):
    response = api_client("chair").get(f"/api/v1/members/{2**70}")
    assert response.status_code in (400, 404, 422)
