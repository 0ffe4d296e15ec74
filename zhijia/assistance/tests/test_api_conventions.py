"""docs/api.md in module assistance: the renamed filter keeps its old name, a record named by
id in a body or a query is a 404 naming the field when it is unknown or out of scope, the
workflow's steps come from the route factory with their old operation ids."""

from __future__ import annotations

import json

import pytest

from zhijia.assistance.tests.support import make_campaign, member_of, to_state, unit

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assistance"
UNKNOWN = 999_999_999


def post(client, path, data):
    return client.post(f"{BASE}{path}", json.dumps(data), content_type="application/json")


def _ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["items"]]


def test_the_campaign_filter_is_campaign_id_and_the_old_name_still_works(personas, api_client):
    first = make_campaign(personas["chair"], name="送温暖")
    second = make_campaign(personas["chair"], name="助困")
    a = to_state("submitted", personas=personas, campaign=first)
    b = to_state("submitted", personas=personas, campaign=second, worker="worker2")
    chair = api_client("chair")
    assert sorted(_ids(chair.get(f"{BASE}/applications"))) == sorted([a.pk, b.pk])
    assert _ids(chair.get(f"{BASE}/applications?campaign_id={first.pk}")) == [a.pk]
    # the name clients used before the rename, deprecated in the document
    assert _ids(chair.get(f"{BASE}/applications?campaign={second.pk}")) == [b.pk]
    # the new name wins when a client sends both
    both = chair.get(f"{BASE}/applications?campaign_id={first.pk}&campaign={second.pk}")
    assert _ids(both) == [a.pk]


def test_the_document_shows_campaign_id_and_marks_the_old_name_deprecated():
    from zhijia.api import api

    operation = api.get_openapi_schema()["paths"][f"{BASE}/applications"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert "campaign_id" in params
    old = params["campaign"]["schema"]
    assert old.get("deprecated") or any(s.get("deprecated") for s in old.get("anyOf", []))


def test_the_steps_keep_their_operation_ids():
    from zhijia.api import api

    paths = api.get_openapi_schema()["paths"]
    ids = {
        step: paths[f"{BASE}/applications/{{application_id}}/{step}"]["post"]["operationId"]
        for step in ("review", "decline", "publish", "approve", "reject", "withdraw")
    }
    prefix = "zhijia_assistance_api_applications_"
    assert ids == {
        "review": prefix + "review_application",
        "decline": prefix + "decline_application",
        "publish": prefix + "publish_notice",
        "approve": prefix + "approve_application",
        "reject": prefix + "reject_application",
        "withdraw": prefix + "withdraw_application",
    }


def test_a_notice_unit_unknown_is_404_and_one_that_misses_the_applicant_is_refused(
    personas, api_client
):
    campaign = make_campaign(personas["chair"])
    application = to_state("reviewed", personas=personas, campaign=campaign)
    branch1 = api_client("branch1")
    unknown = post(branch1, f"/applications/{application.pk}/publish", {"notice_unit_id": UNKNOWN})
    assert unknown.status_code == 404
    assert list(unknown.json()["errors"]) == ["notice_unit_id"]
    sibling = post(
        branch1, f"/applications/{application.pk}/publish", {"notice_unit_id": unit("B2").pk}
    )
    assert sibling.status_code == 400
    assert sibling.json()["detail"] == "公示范围须包含申请人所在单位"
    application.refresh_from_db()
    assert application.state == "reviewed"  # nothing was written
    committee = post(
        branch1, f"/applications/{application.pk}/publish", {"notice_unit_id": unit("U").pk}
    )
    assert committee.status_code == 200 and committee.json()["state"] == "notice"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/visits", {"kind": "festival"}, "member_id"),
        ("/files", {"causes": []}, "member_id"),
    ],
)
def test_a_member_out_of_scope_in_a_body_is_404_naming_the_field(
    personas, api_client, path, body, field
):
    # worker2 is a member of the second branch: outside branch1's scope
    outside = member_of(personas["worker2"]).pk
    for member_id in (outside, UNKNOWN):
        answer = post(api_client("branch1"), path, {**body, field: member_id})
        assert answer.status_code == 404, answer.content
        assert list(answer.json()["errors"]) == [field]


def test_units_named_in_a_query_or_body_are_404_outside_the_scope(personas, api_client):
    branch1 = api_client("branch1")
    b2 = unit("B2").pk
    config = branch1.get(f"{BASE}/config?unit_id={b2}")
    assert config.status_code == 404 and list(config.json()["errors"]) == ["unit_id"]
    put = branch1.put(
        f"{BASE}/config",
        json.dumps({"unit_id": b2, "dibao_line": "950"}),
        content_type="application/json",
    )
    assert put.status_code == 404 and list(put.json()["errors"]) == ["unit_id"]
    campaign = post(branch1, "/campaigns", {"name": "助学", "kind": "education", "unit_id": b2})
    assert campaign.status_code == 404 and list(campaign.json()["errors"]) == ["unit_id"]
    calculator = post(
        branch1, "/eligibility", {"household_size": 3, "monthly_income": "2500", "unit_id": UNKNOWN}
    )
    assert calculator.status_code == 404 and list(calculator.json()["errors"]) == ["unit_id"]


def test_refusals_of_the_ledger_api_name_their_field(personas, api_client):
    campaign = make_campaign(personas["chair"])
    chair = api_client("chair")
    month = chair.get(f"{BASE}/funds/{campaign.fund_id}/statement?month=2026-13")
    assert month.status_code == 400 and month.json()["errors"] == {
        "month": ["月份格式应为 YYYY-MM"]
    }
    approved = to_state("approved", personas=personas, campaign=campaign)
    submitted = to_state("submitted", personas=personas, campaign=campaign, worker="worker2")
    run = post(
        api_client("branch1"),
        "/payment-runs",
        {"fund_id": campaign.fund_id, "application_ids": [approved.pk, submitted.pk]},
    )
    assert run.status_code == 409
    assert run.json()["errors"] == {
        "application_ids": [f"以下申请不是可发放状态或不在您的范围内：#{submitted.pk}"]
    }
