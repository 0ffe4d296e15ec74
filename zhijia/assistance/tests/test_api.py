"""The REST API end to end: a worker applies from a phone app, cadres review, publish, resolve
objections, approve, pay through a maker-checker run; the registry, calculator and visits.
Errors are JSON {"detail"} with the right status, in Chinese."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijia.assistance.models import Application, HardshipFile
from zhijia.assistance.tests.support import after_notice, make_campaign, member_of

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
BASE = "/api/v1/assistance"


def post(client, path, data):
    return client.post(f"{BASE}{path}", json.dumps(data), content_type="application/json")


def test_application_to_payment_through_the_api(personas, api_client):
    campaign = make_campaign(personas["chair"], name="大病互助", kind="illness")
    worker, branch1, chair = api_client("worker1"), api_client("branch1"), api_client("chair")
    campaigns = worker.get(f"{BASE}/campaigns").json()["items"]
    assert [c["name"] for c in campaigns] == ["大病互助"]
    assert campaigns[0]["required_documents"] == ["诊断证明", "医疗费用票据"]

    missing = worker.post(
        f"{BASE}/applications",
        {"campaign_id": campaign.pk, "amount": "12000", "situation": "住院手术"},
    )
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"answer_hospital": ["请填写就诊医院"]}
    assert missing.json()["detail"] == "请填写就诊医院"
    created = worker.post(
        f"{BASE}/applications",
        {
            "campaign_id": campaign.pk,
            "amount": "12000",
            "situation": "住院手术",
            "answers": json.dumps({"hospital": "市人民医院", "cost": "80000"}),
            "documents": [
                SimpleUploadedFile("诊断.png", PNG, content_type="image/png"),
                SimpleUploadedFile("票据.png", PNG, content_type="image/png"),
            ],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    app_id = body["id"]
    assert body["state"] == "submitted" and body["situation"] == "住院手术"
    assert [d["name"] for d in body["documents"]] == ["诊断证明", "医疗费用票据"]
    assert body["visits"] is None and body["actions"] == ["withdraw"]
    assert worker.get(f"{BASE}/applications/mine").json()["items"][0]["id"] == app_id

    bad = post(branch1, f"/applications/{app_id}/review", {"visited_on": "2026-01-01"})
    assert bad.status_code == 422
    reviewed = post(
        branch1,
        f"/applications/{app_id}/review",
        {
            "visited_on": dt.date.today().isoformat(),
            "visitors": "李春梅",
            "findings": "属实",
            "category": "accident",
        },
    )
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "reviewed"
    assert reviewed.json()["visits"][0]["findings"] == "属实"
    published = post(branch1, f"/applications/{app_id}/publish", {})
    assert published.json()["state"] == "notice"

    refused = post(chair, f"/applications/{app_id}/approve", {})
    assert refused.status_code == 400 and refused.json()["detail"].startswith("公示期未满")
    objection = post(
        api_client("rep1"), f"/notices/{app_id}/objections", {"text": "请核实", "anonymous": True}
    )
    assert objection.status_code == 201 and objection.json()["anonymous"] is True
    listed = branch1.get(f"{BASE}/objections").json()["items"]
    assert listed[0]["submitted_by"] is None and listed[0]["anonymous"] is True
    with after_notice(Application.objects.get(pk=app_id)):
        chair = api_client("chair")
        blocked = post(chair, f"/applications/{app_id}/approve", {})
        assert blocked.status_code == 400
        assert blocked.json()["detail"] == "尚有 1 条公示异议未处理，不能审批"
        resolved = post(
            api_client("branch1"),
            f"/objections/{listed[0]['id']}/resolve",
            {"resolution": "dismissed", "note": "经核实不影响"},
        )
        assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
        by_branch = post(api_client("branch1"), f"/applications/{app_id}/approve", {})
        assert by_branch.status_code == 403
        approved = post(chair, f"/applications/{app_id}/approve", {"amount": "10000"})
        assert approved.status_code == 200 and approved.json()["state"] == "approved"

    branch1 = api_client("branch1")
    payable = branch1.get(f"{BASE}/payable").json()["items"]
    assert [p["id"] for p in payable] == [app_id]
    run = post(branch1, "/payment-runs", {"fund_id": campaign.fund_id, "application_ids": [app_id]})
    assert run.status_code == 201 and run.json()["total"] == "10000.00"
    run_id = run.json()["id"]
    again = post(
        branch1, "/payment-runs", {"fund_id": campaign.fund_id, "application_ids": [app_id]}
    )
    assert again.status_code == 409
    assert post(branch1, f"/payment-runs/{run_id}/approve", {}).status_code == 403
    chair = api_client("chair")
    paid = post(chair, f"/payment-runs/{run_id}/approve", {"note": "同意"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert post(chair, f"/payment-runs/{run_id}/approve", {}).status_code == 409
    assert worker.get(f"{BASE}/applications/{app_id}").json()["state"] == "paid"
    fund = chair.get(f"{BASE}/funds/{campaign.fund_id}").json()
    assert fund["balance"] == "0.00"
    entries = chair.get(f"{BASE}/funds/{campaign.fund_id}/entries").json()["items"]
    assert [e["kind"] for e in entries] == ["payment", "allocation"]
    statement = chair.get(f"{BASE}/funds/{campaign.fund_id}/statement").json()
    assert statement["closing"] == "0.00" and statement["payments"] == "10000.00"
    assert chair.get(f"{BASE}/funds/{campaign.fund_id}/statement?month=13").status_code == 400
    # The worker never sees the cadres' notes and names on the timeline.
    history = worker.get(f"{BASE}/applications/{app_id}").json()["history"]
    assert all(step["actor"] == "" for step in history)


def test_insufficient_fund_is_a_conflict(personas, api_client):
    campaign = make_campaign(personas["chair"], income="500")
    from zhijia.assistance.tests.support import to_state

    application = to_state("approved", personas=personas, campaign=campaign)
    branch1 = api_client("branch1")
    run = post(
        branch1, "/payment-runs", {"fund_id": campaign.fund_id, "application_ids": [application.pk]}
    ).json()
    refused = post(api_client("chair"), f"/payment-runs/{run['id']}/approve", {})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "资金余额不足：余额 ¥500.00，本批次 ¥2,000.00"
    income = post(
        api_client("chair"),
        f"/funds/{campaign.fund_id}/income",
        {"kind": "allocation", "amount": "1500", "description": "追加拨款"},
    )
    assert income.status_code == 201 and income.json()["balance_after"] == "2000.00"
    assert post(api_client("chair"), f"/payment-runs/{run['id']}/approve", {}).status_code == 200
    payment = [
        e
        for e in api_client("chair").get(f"{BASE}/funds/{campaign.fund_id}/entries").json()["items"]
        if e["kind"] == "payment"
    ][0]
    reversal = post(api_client("chair"), f"/entries/{payment['id']}/reverse", {"reason": "退票"})
    assert reversal.status_code == 201 and reversal.json()["reverses_id"] == payment["id"]
    twice = post(api_client("chair"), f"/entries/{payment['id']}/reverse", {"reason": "退票"})
    assert twice.status_code == 409


def test_registry_and_calculator_through_the_api(personas, api_client):
    branch1 = api_client("branch1")
    member = member_of(personas["worker1"])
    created = post(
        branch1,
        "/files",
        {
            "member_id": member.pk,
            "causes": ["illness"],
            "applicant_monthly_income": "2500",
            "medical_details": "糖尿病并发症",
        },
    )
    assert created.status_code == 201
    file = created.json()
    assert file["category"] == "" and file["medical_details"] == "糖尿病并发症"  # 2,500 alone
    person = post(branch1, f"/files/{file['id']}/household", {"relation": "child", "age": 8})
    assert person.status_code == 201
    detail = branch1.get(f"{BASE}/files/{file['id']}").json()
    assert detail["household_size"] == 2 and detail["category"] == "relative"
    assert detail["assessment"]["per_capita_income"] == "1250.00"
    assert (
        post(
            branch1, f"/files/{file['id']}/expenses", {"kind": "medical", "monthly_amount": "600"}
        ).status_code
        == 201
    )
    assert branch1.get(f"{BASE}/files/{file['id']}").json()["category"] == "deep"
    assert api_client("branch2").get(f"{BASE}/files/{file['id']}").status_code == 404
    assert api_client("admin").get(f"{BASE}/files/{file['id']}").status_code == 403
    patched = branch1.patch(
        f"{BASE}/files/{file['id']}",
        json.dumps({"accident_loss": "-1"}),
        content_type="application/json",
    )
    assert patched.status_code == 422
    exited = post(branch1, f"/files/{file['id']}/exit", {"reason": "retired"})
    assert exited.status_code == 200 and exited.json()["status"] == "exited"
    assert HardshipFile.objects.get(pk=file["id"]).purge_after is not None

    calc = post(
        api_client("worker2"),
        "/eligibility",
        {"household_size": 3, "monthly_income": "2999.99", "monthly_rigid_spending": "0"},
    )
    assert calc.json()["category"] == "deep" and calc.json()["dibao_line"] == "1000.00"
    set_config = api_client("chair").put(
        f"{BASE}/config",
        json.dumps({"unit_id": member.org_unit.parent.parent_id, "dibao_line": "900"}),
        content_type="application/json",
    )
    assert set_config.status_code == 200 and set_config.json()["dibao_line"] == "900.00"
    calc = post(
        api_client("worker2"), "/eligibility", {"household_size": 3, "monthly_income": "2999.99"}
    )
    assert calc.json()["category"] == "relative"


def test_visits_through_the_api(personas, api_client):
    branch1 = api_client("branch1")
    member = member_of(personas["worker1"])
    planned = post(
        branch1,
        "/visits",
        {"member_id": member.pk, "kind": "festival", "planned_on": dt.date.today().isoformat()},
    )
    assert planned.status_code == 201 and planned.json()["status"] == "planned"
    visit_id = planned.json()["id"]
    done = post(
        branch1,
        f"/visits/{visit_id}/complete",
        {"visited_on": dt.date.today().isoformat(), "visitors": "李春梅", "money": "300"},
    )
    assert done.status_code == 200 and done.json()["money"] == "300.00"
    photo = branch1.post(
        f"{BASE}/visits/{visit_id}/photos",
        {"photo": SimpleUploadedFile("a.png", PNG, content_type="image/png")},
    )
    assert photo.status_code == 201
    assert len(branch1.get(f"{BASE}/visits/{visit_id}").json()["photos"]) == 1
    assert post(branch1, f"/visits/{visit_id}/cancel", {}).status_code == 409
    assert api_client("branch2").get(f"{BASE}/visits/{visit_id}").status_code == 404
