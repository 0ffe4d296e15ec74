"""The grievance, mediation and box API beyond the access matrix: the workflow steps answer the
record as it is after the step, also when the step takes it out of the caller's scope; records
named by id in a body are `<thing>_id` (the old names still work) and an unknown or
out-of-scope one is a 404 naming the field."""

from __future__ import annotations

import pytest

from zhijia.cases.actions import grievances as actions
from zhijia.cases.actions import mediation as actions_mediation
from zhijia.cases.tests.support import TEXT, department, unit

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_transfer_out_of_the_callers_scope_answers_the_transferred_record(api_client, personas):
    # A branch2 worker's grievance, handed by the committee to branch1 ...
    g = actions.do_submit_grievance(
        actor=personas["worker2"], kind="grievance", category="wages", text=TEXT
    )
    committee = unit("B1").parent
    actions.do_transfer_grievance(
        actor=personas["chair"], grievance=g, unit=unit("B1"), note="由第一分工会办理"
    )
    branch1 = api_client("branch1")
    assert branch1.get(f"/api/v1/cases/grievances/{g.pk}").status_code == 200
    # ... which hands it back up: done, and answered, although branch1 no longer sees it.
    answer = post(
        branch1,
        f"/api/v1/cases/grievances/{g.pk}/transfer",
        {"unit_id": committee.pk, "note": "涉及第二分工会，请委员会办理"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["handling_unit"] == committee.name
    assert answer.json()["state"] == "submitted"
    assert branch1.get(f"/api/v1/cases/grievances/{g.pk}").status_code == 404


def test_the_step_routes_answer_the_record_after_the_step(api_client, personas):
    g = actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    answered = post(
        api_client("branch1"), f"/api/v1/cases/grievances/{g.pk}/answer", {"text": "已补发。"}
    )
    assert answered.status_code == 200
    assert (answered.json()["state"], answered.json()["answer"]) == ("answered", "已补发。")
    # A refused step is the one error body, and changes nothing.
    again = post(
        api_client("branch1"), f"/api/v1/cases/grievances/{g.pk}/answer", {"text": "再答一次"}
    )
    assert again.status_code == 409 and again.json()["detail"]
    rated = post(
        api_client("worker1"), f"/api/v1/cases/grievances/{g.pk}/rate", {"rating": "satisfied"}
    )
    assert rated.status_code == 200 and rated.json()["state"] == "closed"


def test_the_old_input_names_still_work(api_client, personas):
    """department, unit, mediator and org_unit were renamed `<thing>_id`; clients written
    against the old names are still served (docs/api.md, "Renamed inputs")."""
    branch1 = api_client("branch1")
    g = actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    assigned = post(
        branch1,
        f"/api/v1/cases/grievances/{g.pk}/assign",
        {"department": department("D-HR").pk, "note": ""},
    )
    assert assigned.status_code == 200 and assigned.json()["department"] == "人力资源部"
    transferred = post(
        branch1,
        f"/api/v1/cases/grievances/{g.pk}/transfer",
        {"unit": unit("B1").parent.pk, "note": "请委员会办理"},
    )
    assert transferred.status_code == 200
    assert transferred.json()["handling_unit"] == unit("B1").parent.name

    case = actions_mediation.do_request_mediation(
        actor=personas["worker1"], category="wages", respondent="示例能源集团有限公司", claim=TEXT
    )
    accepted = post(
        api_client("mediator1"),
        f"/api/v1/cases/mediations/{case.pk}/accept",
        {"mediator": personas["mediator1"].pk},
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "mediating"

    boxed = post(
        api_client("worker2"),
        "/api/v1/cases/box",
        {"category": "safety", "org_unit": unit("B2").pk, "text": "配电柜漏电。"},
    )
    assert boxed.status_code == 201


def test_an_unknown_or_out_of_scope_record_in_a_body_is_a_404_naming_the_field(
    api_client, personas
):
    branch1 = api_client("branch1")
    g = actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    for url, body, field in (
        (f"/api/v1/cases/grievances/{g.pk}/assign", {"department_id": 10**9}, "department_id"),
        (
            f"/api/v1/cases/grievances/{g.pk}/transfer",
            {"unit_id": 10**9, "note": "转交"},
            "unit_id",
        ),
    ):
        answer = post(branch1, url, body)
        assert answer.status_code == 404, answer.content
        assert field in answer.json()["errors"]
    g.refresh_from_db()
    assert g.state == "submitted" and g.department_id is None

    # A mediator is one of those who mediate for the case's unit: anybody else is not revealed.
    case = actions_mediation.do_request_mediation(
        actor=personas["worker1"], category="wages", respondent="示例能源集团有限公司", claim=TEXT
    )
    for mediator_id in (personas["worker1"].pk, 10**9):
        answer = post(
            api_client("mediator1"),
            f"/api/v1/cases/mediations/{case.pk}/accept",
            {"mediator_id": mediator_id},
        )
        assert answer.status_code == 404 and "mediator_id" in answer.json()["errors"]
    case.refresh_from_db()
    assert case.state == "requested"

    boxed = post(
        api_client("worker2"),
        "/api/v1/cases/box",
        {"category": "safety", "org_unit_id": 10**9, "text": "配电柜漏电。"},
    )
    assert boxed.status_code == 404 and "org_unit_id" in boxed.json()["errors"]


def test_following_up_a_sealed_box_item_is_a_conflict(api_client):
    """Until the box is opened there is no grievance to add to or rate: the action refuses
    (409), the one error body, nothing stored."""
    from zhijia.cases.models import BoxItem

    anonymous = api_client("worker2")
    made = post(
        anonymous,
        "/api/v1/cases/box",
        {"category": "safety", "org_unit_id": unit("B2").pk, "text": "配电柜漏电。"},
    )
    code = made.json()["receipt_code"]
    for url, body in (
        ("/api/v1/cases/box/message", {"code": code, "text": "补充：在二号车间"}),
        ("/api/v1/cases/box/rate", {"code": code, "rating": "satisfied"}),
    ):
        answer = post(anonymous, url, body)
        assert (
            answer.status_code == 409 and answer.json()["detail"] == "信箱开启后才能补充信息或评价"
        )
    assert BoxItem.objects.count() == 1
