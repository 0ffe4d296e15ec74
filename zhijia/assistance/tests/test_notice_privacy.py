"""The public notice (公示) shows the masked name, the unit, the campaign, the category and the
amount, and nothing sensitive: asserted on the rendered pages and on the API. It is shown to the
members of the notice unit's subtree only."""

from __future__ import annotations

import pytest

from zhijia.assistance.actions import registry
from zhijia.assistance.api.applications import NoticeOut
from zhijia.assistance.tests.support import FINDINGS, SITUATION, make_campaign, member_of, to_state

pytestmark = pytest.mark.django_db

MEDICAL = "慢性肾功能衰竭，血液透析"


@pytest.fixture
def noticed(personas):
    worker = personas["worker1"]
    file = registry.do_create_file(
        actor=personas["branch1"],
        member=member_of(worker),
        causes=["illness"],
        applicant_monthly_income="1500",
        medical_details=MEDICAL,
    )
    registry.do_add_household_member(
        actor=personas["branch1"],
        file=file,
        relation="spouse",
        age=52,
        health="serious",
        note="尿毒症病休",
    )
    campaign = make_campaign(personas["chair"], name="2026年大病互助", kind="illness")
    campaign.required_documents = []
    campaign.save()
    from zhijia.assistance.actions import applications as apps

    application = apps.do_submit_application(
        actor=worker,
        campaign=campaign,
        member=member_of(worker),
        amount="8000",
        situation=SITUATION,
        answers={"hospital": "山西省人民医院肾内科", "cost": "56000", "reviewed": "1"},
    )
    from zhijia.assistance.tests.support import publish, review

    review(personas["branch1"], application)
    publish(personas["branch1"], application)
    application.refresh_from_db()
    return application


def _sensitive(personas, application) -> list[str]:
    member = application.member
    return [
        member.name,  # 陈小红: only 陈*红 may appear
        member.employee_no,
        member.phone,
        member.id_number_masked,
        SITUATION[:12],
        "透析",
        MEDICAL[:6],
        FINDINGS[:10],
        "山西省人民医院",
        "56000",
        "尿毒症",
        "配偶",
        "家庭成员",
        "李春梅、赵卫东",  # who made the home visit
    ]


def test_notice_pages_show_no_sensitive_field(personas, login, noticed):
    client = login("rep1")  # a colleague in the same branch
    board = client.get("/assistance/notices/")
    detail = client.get(f"/assistance/notices/{noticed.pk}/")
    for response in (board, detail):
        assert response.status_code == 200
        html = response.content.decode()
        assert "陈*红" in html
        assert "8000" in html and "深度困难" in html and "2026年大病互助" in html
        assert "发电一班组" in html  # the applicant's union group
        for text in _sensitive(personas, noticed):
            assert text not in html, f"{text!r} shown on {response.wsgi_request.path}"


def test_notice_api_shows_no_sensitive_field(personas, api_client, noticed):
    client = api_client("rep1")
    board = client.get("/api/v1/assistance/notices")
    detail = client.get(f"/api/v1/assistance/notices/{noticed.pk}")
    assert board.status_code == 200 and detail.status_code == 200
    assert len(board.json()["items"]) == 1
    for body in (board.json()["items"][0], detail.json()):
        assert (
            set(body)
            == set(NoticeOut.model_fields)
            == {
                "id",
                "masked_name",
                "unit",
                "campaign",
                "category",
                "amount",
                "starts_at",
                "ends_at",
                "running",
            }
        )
        assert body["masked_name"] == "陈*红" and body["category"] == "深度困难"
        text = str(body)
        for sensitive in _sensitive(personas, noticed):
            assert sensitive not in text


def test_notice_visible_to_the_units_subtree_only(personas, login, api_client, noticed):
    # worker2 is in branch 2: the notice of branch 1 does not exist for them.
    assert login("worker2").get(f"/assistance/notices/{noticed.pk}/").status_code == 404
    assert api_client("worker2").get("/api/v1/assistance/notices").json()["items"] == []
    assert api_client("worker2").get(f"/api/v1/assistance/notices/{noticed.pk}").status_code == 404
    for name in ("worker1", "rep1", "branch1", "chair"):
        assert api_client(name).get(f"/api/v1/assistance/notices/{noticed.pk}").status_code == 200
    assert api_client("branch2").get(f"/api/v1/assistance/notices/{noticed.pk}").status_code == 404
    # An objection is only possible where the notice is visible.
    response = api_client("worker2").post(
        f"/api/v1/assistance/notices/{noticed.pk}/objections",
        {"text": "异议", "anonymous": True},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_anonymous_objection_through_the_page(personas, login, noticed):
    client = login("rep1")
    response = client.post(
        f"/assistance/notices/{noticed.pk}/", {"text": "她家条件不错", "anonymous": "on"}
    )
    assert response.status_code == 302
    objection = noticed.objections.get()
    assert objection.anonymous and objection.submitted_by_id is None
    # The branch cadre sees the objection without any identity.
    html = login("branch1").get(f"/assistance/applications/{noticed.pk}/").content.decode()
    section = html.split('id="obj-h"')[1]
    assert "她家条件不错" in section and "匿名" in section and "赵卫东" not in section


def test_to_state_helper_matches(personas):
    campaign = make_campaign(personas["chair"])
    assert to_state("reviewed", personas=personas, campaign=campaign).state == "reviewed"
