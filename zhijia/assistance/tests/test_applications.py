"""Applications on the workflow: submitted -> branch review with a home visit -> public notice
of 5 working days -> objections -> committee approval. The guards say why, in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijia.assistance.actions import applications as apps
from zhijia.assistance.errors import AssistanceError
from zhijia.assistance.models import Application, Objection, Visit
from zhijia.assistance.queries.common import config_for
from zhijia.assistance.tests.support import (
    SITUATION,
    after_notice,
    make_campaign,
    member_of,
    publish,
    review,
    submit,
    to_state,
    unit,
)
from zhijia.assistance.workflows import APPLICATION
from zhijia.core import workdays
from zhijia.core.models import AuditEvent
from zhijia.core.workflow import TransitionError, available_transitions

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def campaign(personas):
    return make_campaign(personas["chair"])


def test_the_whole_way_with_deadlines(personas, campaign):
    # Late September 2026: the 5 working days are counted by zhijia.core.workdays, around the
    # weekend and its 调休 days.
    start = dt.datetime(2026, 9, 23, 10, 0, tzinfo=workdays.CHINA_TZ)
    with time_machine.travel(start, tick=False):
        application = submit(personas["worker1"], campaign)
        assert application.state == "submitted"
        assert application.on_behalf is False
        review(personas["branch1"], application)
        assert application.state == "reviewed"
        publish(personas["branch1"], application)
    application.refresh_from_db()
    assert application.state == "notice"
    assert application.notice_unit == unit("B1")  # the applicant's branch by default
    assert application.notice_masked_name == "陈*红"
    expected_end = workdays.deadline_after(start, 5)
    assert application.notice_ends_at == expected_end
    assert workdays.workdays_between(start, application.notice_ends_at) == 5
    with after_notice(application):
        apps.do_approve_application(actor=personas["chair"], application=application)
    application.refresh_from_db()
    assert application.state == "approved"
    assert application.amount_approved == Decimal("2000.00")
    assert application.decided_at is not None


def test_cannot_approve_during_the_notice_period(personas, campaign):
    application = to_state("notice", personas=personas, campaign=campaign)
    with pytest.raises(TransitionError) as exc:
        apps.do_approve_application(actor=personas["chair"], application=application)
    assert "公示期未满" in exc.value.message
    assert exc.value.status == 400
    # One minute before the end it is still refused; one minute after it passes.
    just_before = application.notice_ends_at - dt.timedelta(minutes=1)
    with (
        time_machine.travel(just_before, tick=False),
        pytest.raises(TransitionError, match="公示期未满"),
    ):
        apps.do_approve_application(actor=personas["chair"], application=application)
    with after_notice(application):
        apps.do_approve_application(actor=personas["chair"], application=application)
    assert Application.objects.get(pk=application.pk).state == "approved"


def test_cannot_approve_with_an_open_objection(personas, campaign):
    application = to_state("notice", personas=personas, campaign=campaign)
    objection = apps.do_submit_objection(
        actor=personas["rep1"], application=application, text="她家上月刚买了新车", anonymous=False
    )
    with after_notice(application):
        with pytest.raises(TransitionError) as exc:
            apps.do_approve_application(actor=personas["chair"], application=application)
        assert exc.value.message == "尚有 1 条公示异议未处理，不能审批"
        # Objections are no longer accepted once the notice is over...
        with pytest.raises(AssistanceError, match="公示期已结束"):
            apps.do_submit_objection(
                actor=personas["rep1"], application=application, text="再补充一句", anonymous=True
            )
        # ...the open one is resolved, then the approval goes through.
        apps.do_resolve_objection(
            actor=personas["branch1"],
            objection=objection,
            resolution="dismissed",
            note="经核实，车辆为亲属所有，不影响认定",
        )
        apps.do_approve_application(actor=personas["chair"], application=application)
    assert Application.objects.get(pk=application.pk).state == "approved"


def test_an_upheld_objection_blocks_approval_and_the_committee_rejects(personas, campaign):
    application = to_state("notice", personas=personas, campaign=campaign)
    objection = apps.do_submit_objection(
        actor=personas["rep1"], application=application, text="家庭收入未如实填报", anonymous=True
    )
    apps.do_resolve_objection(
        actor=personas["branch1"], objection=objection, resolution="upheld", note="核实属实"
    )
    with after_notice(application):
        with pytest.raises(TransitionError, match="异议已认定成立"):
            apps.do_approve_application(actor=personas["chair"], application=application)
        with pytest.raises(TransitionError, match="请填写理由"):
            apps.do_reject_application(actor=personas["chair"], application=application, reason=" ")
        apps.do_reject_application(
            actor=personas["chair"], application=application, reason="异议成立，不符合条件"
        )
    assert Application.objects.get(pk=application.pk).state == "rejected"


def test_anonymous_objection_keeps_no_identity(personas, campaign):
    application = to_state("notice", personas=personas, campaign=campaign)
    before = AuditEvent.objects.count()
    objection = apps.do_submit_objection(
        actor=personas["rep1"], application=application, text="情况不实", anonymous=True
    )
    row = Objection.objects.get(pk=objection.pk)
    assert row.anonymous is True
    assert row.submitted_by_id is None
    assert isinstance(row.received_on, dt.date) and not isinstance(row.received_on, dt.datetime)
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [e.action for e in events] == ["assistance.submit_objection"]
    assert events[0].actor_id is None and events[0].actor_label == "system"
    assert "rep1" not in str(events[0].data) and str(personas["rep1"].pk) not in str(events[0].data)
    # A named one keeps its author.
    named = apps.do_submit_objection(
        actor=personas["rep1"], application=application, text="请核实", anonymous=False
    )
    assert Objection.objects.get(pk=named.pk).submitted_by == personas["rep1"]


def test_only_committee_level_cadres_approve(personas, campaign):
    application = to_state("notice", personas=personas, campaign=campaign)
    with after_notice(application):
        # branch1 holds assistance.approve_application over branch 1 only: not the committee.
        with pytest.raises(TransitionError) as exc:
            apps.do_approve_application(actor=personas["branch1"], application=application)
        assert exc.value.status == 403
        names = {
            t.name for t in available_transitions(APPLICATION, application, personas["branch1"])
        }
        assert "approve" not in names
        names = {t.name for t in available_transitions(APPLICATION, application, personas["chair"])}
        assert {"approve", "reject"} <= names


def test_review_needs_the_home_visit_and_the_right_scope(personas, campaign):
    application = submit(personas["worker1"], campaign)
    with pytest.raises(PermissionDenied):
        review(personas["branch2"], application)  # a sibling branch's cadre
    with pytest.raises(AssistanceError) as exc:
        apps.do_review_application(
            actor=personas["branch1"],
            application=application,
            visited_on=dt.date.today(),
            visitors="李春梅",
            findings="",
            category="deep",
        )
    assert exc.value.field == "findings"
    review(personas["branch1"], application, amount="1800")
    application.refresh_from_db()
    visit = Visit.objects.get(application=application)
    assert visit.kind == "home_check" and visit.status == "done"
    assert application.amount_approved == Decimal("1800.00")


def test_home_visit_guard_of_the_workflow(personas, campaign):
    application = submit(personas["worker1"], campaign)
    from zhijia.core.workflow import do_transition

    with pytest.raises(TransitionError, match="初审须附入户核查记录"):
        do_transition(APPLICATION, application, "review", actor=personas["branch1"])


def test_notice_period_is_configurable(personas, campaign):
    from zhijia.assistance.actions.config import do_set_config

    do_set_config(actor=personas["chair"], unit=unit("U"), values={"notice_workdays": "7"})
    assert config_for(unit("B1-G1")).notice_workdays == 7
    application = to_state("reviewed", personas=personas, campaign=campaign)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=workdays.CHINA_TZ)  # a Monday
    with time_machine.travel(start, tick=False):
        publish(personas["branch1"], application)
    assert application.notice_ends_at == workdays.deadline_after(start, 7)
    # A campaign's own period wins over the unit's.
    other = make_campaign(personas["chair"], name="大病互助", kind="illness", notice_workdays=3)
    other.required_documents = []
    other.save()
    app2 = submit(personas["worker2"], other, answers={"hospital": "市一院", "cost": "30000"})
    review(personas["branch2"], app2)
    with time_machine.travel(start, tick=False):
        publish(personas["branch2"], app2)
    assert app2.notice_ends_at == workdays.deadline_after(start, 3)


def test_submission_rules(personas, campaign):
    worker = personas["worker1"]
    with pytest.raises(AssistanceError, match="单笔上限"):
        submit(worker, campaign, amount="2000.01")
    with pytest.raises(AssistanceError) as exc:
        submit(worker, campaign, situation=" ")
    assert exc.value.field == "situation"
    submit(worker, campaign)
    with pytest.raises(AssistanceError, match="未办结的申请") as exc:
        submit(worker, campaign)
    assert exc.value.status == 409
    # Someone else's record: only a cadre holding apply_on_behalf over the member may.
    with pytest.raises(PermissionDenied):
        apps.do_submit_application(
            actor=personas["worker2"],
            campaign=campaign,
            member=member_of(personas["worker1"]),
            amount="100",
            situation=SITUATION,
        )
    closed = make_campaign(
        personas["chair"], name="已截止", closes_on=dt.date(2020, 1, 1), income="0"
    )
    with pytest.raises(AssistanceError, match="不接受申请"):
        submit(worker, closed)


def test_cadre_applies_on_behalf(personas, campaign):
    application = apps.do_submit_application(
        actor=personas["branch1"],
        campaign=campaign,
        member=member_of(personas["worker1"]),
        amount="1500",
        situation=SITUATION,
    )
    assert application.on_behalf is True
    assert application.submitted_by == personas["branch1"]
    with pytest.raises(PermissionDenied):
        apps.do_submit_application(
            actor=personas["branch2"],
            campaign=campaign,
            member=member_of(personas["rep1"]),
            amount="1500",
            situation=SITUATION,
        )


def test_campaign_rules_documents_and_form(personas):
    chair = personas["chair"]
    campaign = make_campaign(chair, name="2026年金秋助学", kind="education")
    assert campaign.amount_cap == Decimal("5000")
    assert campaign.required_documents == ["录取通知书", "学费缴纳凭证"]
    assert campaign.eligible_categories == ["deep", "relative"]
    worker = personas["worker1"]
    answers = {"student": "王小明", "school": "太原理工大学", "tuition": "5600"}
    with pytest.raises(AssistanceError) as exc:
        submit(worker, campaign, answers=answers)
    assert exc.value.field == "doc_0" and "录取通知书" in exc.value.message
    with pytest.raises(AssistanceError) as exc:
        submit(worker, campaign, answers={"student": "王小明"}, documents=[])
    assert exc.value.field == "answer_school"
    docs = [SimpleUploadedFile("通知书.png", PNG), SimpleUploadedFile("收据.png", PNG)]
    application = submit(worker, campaign, answers=answers, documents=docs)
    assert application.answers == answers
    assert [d.name for d in application.documents.all()] == ["录取通知书", "学费缴纳凭证"]
    # The category must be one the campaign helps: an accident case is refused at review.
    with pytest.raises(TransitionError, match="困难类别不符合"):
        review(personas["branch1"], application, category="accident")


def test_sensitive_text_is_encrypted_at_rest(personas, campaign):
    application = submit(personas["worker1"], campaign)
    raw = Application.objects.filter(pk=application.pk).values("situation_encrypted").get()
    assert "透析" not in raw["situation_encrypted"]
    assert Application.objects.get(pk=application.pk).situation == SITUATION
    review(personas["branch1"], application)
    raw_visit = Visit.objects.filter(application=application).values("findings_encrypted").get()
    assert "透析" not in raw_visit["findings_encrypted"]
    assert Visit.objects.get(application=application).findings.startswith("入户核实")


def test_withdraw_by_the_applicant_only(personas, campaign):
    application = submit(personas["worker1"], campaign)
    with pytest.raises(TransitionError):
        apps.do_withdraw_application(actor=personas["worker2"], application=application)
    apps.do_withdraw_application(actor=personas["worker1"], application=application)
    assert Application.objects.get(pk=application.pk).state == "withdrawn"
    # A new application in the same campaign is then possible.
    submit(personas["worker1"], campaign)


def test_applicant_is_notified_with_safe_text(
    personas, campaign, django_capture_on_commit_callbacks
):
    from zhijia.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        application = to_state("notice", personas=personas, campaign=campaign)
    notes = Notification.objects.filter(user=personas["worker1"], kind="assistance.application")
    titles = [n.title for n in notes]
    assert "您的帮扶申请已通过初审" in titles and "您的帮扶申请正在公示" in titles
    for n in notes:
        assert "透析" not in n.title + n.body and "深度" not in n.title + n.body
    assert application.pk


def test_member_home_items(personas, campaign):
    from zhijia.assistance.queries.applications import member_home_items

    assert member_home_items(personas["worker1"]) == []
    application = to_state("notice", personas=personas, campaign=campaign)
    items = member_home_items(personas["worker1"])
    assert [i["label"] for i in items] == ["帮扶申请：2026年送温暖", "帮扶公示"]
    assert items[0]["detail"] == "公示中"
    assert items[0]["url"] == f"/assistance/applications/{application.pk}/"
    assert [i["label"] for i in member_home_items(personas["rep1"])] == ["帮扶公示"]
    assert member_home_items(personas["worker2"]) == []
