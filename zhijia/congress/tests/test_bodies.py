"""The congress bodies between sessions: the 提案 working group reviews proposals, group tasks
supervised on the next working day, duty reports rated once by constituents, supervisors'
observations answered and escalated. One world per module (bodies_support)."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from zhijia.accounts.models import ApiToken
from zhijia.congress.actions import bodies as actions
from zhijia.congress.actions import proposals as proposal_actions
from zhijia.congress.actions.bodies import BodiesError
from zhijia.congress.models import DutyRating
from zhijia.congress.queries import bodies as queries
from zhijia.congress.queries import proposals as proposal_queries
from zhijia.congress.tests.bodies_support import build_world
from zhijia.congress.tests.proposals_support import department, draft
from zhijia.congress.workflows import GROUP_TASK, OBSERVATION
from zhijia.core.models import Notification
from zhijia.core.satisfaction_index import Rating
from zhijia.core.workflow import TransitionError, sweep_overdue

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas):
    return build_world(personas)


def client_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def _submitted(world):
    p = draft(world.proposer, world.session, [world.outsider])
    proposal_actions.do_cosign_proposal(actor=world.outsider, proposal=p)
    return proposal_actions.do_submit_proposal(actor=world.proposer, proposal=p)


def test_the_proposal_group_reviews_and_a_representative_outside_it_is_refused(db, personas, world):
    proposal = _submitted(world)
    base = f"/api/v1/congress/proposals/{proposal.pk}"
    body = {"lead_department_id": department("D-HR").pk, "workdays": 30, "note": "立案"}
    # The co-signer sees the proposal but is not in the 提案 group: 403.
    outsider = client_for(world.outsider)
    assert outsider.get(base).status_code == 200
    refused = outsider.post(f"{base}/accept", body, content_type="application/json")
    assert refused.status_code == 403, refused.content
    # rep1 holds no review code but sits in the term's 提案 group.
    rep1 = personas["rep1"]
    assert queries.may_review_proposals(rep1, world.term)
    assert not queries.may_review_proposals(world.outsider, world.term)
    assert proposal_queries.may_use_queue(rep1)
    c = client_for(rep1)
    assert "accept" in c.get(base).json()["actions"]
    accepted = c.post(f"{base}/accept", body, content_type="application/json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "handling"
    # A cadre of the congress's unit still reviews (alongside the group).
    assert queries.may_review_proposals(personas["chair"], world.term)
    assert not queries.may_review_proposals(personas["branch1"], world.term)


def test_leaving_the_group_ends_the_review(db, personas, world):
    actions.do_remove_group_member(
        actor=personas["chair"], group=world.group, representative_id=world.rep1_seat.pk
    )
    assert not queries.may_review_proposals(personas["rep1"], world.term)
    proposal = _submitted(world)
    with pytest.raises(Http404):
        proposal_queries.access_proposal(personas["rep1"], proposal.pk)


def test_group_task_supervised_on_the_next_working_day_and_done_by_a_member(db, personas, world):
    chair = personas["chair"]
    task = actions.do_add_group_task(
        actor=chair,
        group=world.group,
        title="汇总本年度提案办理情况",
        due_date=dt.date(2026, 12, 4),
    )  # a Friday
    with time_machine.travel(datetime(2026, 12, 5, 12, 0, tzinfo=SH), tick=False):
        assert sweep_overdue(GROUP_TASK) == 0
    with time_machine.travel(datetime(2026, 12, 7, 0, 1, tzinfo=SH), tick=False):
        assert sweep_overdue(GROUP_TASK) == 1
    task.refresh_from_db()
    assert task.escalation_level == 1
    assert Notification.objects.filter(
        user=personas["rep1"], kind="congress.group_task_overdue"
    ).exists()
    with pytest.raises(TransitionError) as refused:
        actions.do_complete_group_task(actor=world.outsider, task=task, result="已汇总")
    assert refused.value.status == 403
    done = actions.do_complete_group_task(actor=personas["rep1"], task=task, result="已汇总")
    assert done.in_state(GROUP_TASK.states.done)
    minutes = actions.do_add_minutes(
        actor=personas["rep1"],
        group=world.group,
        held_on=dt.date(2026, 12, 1),
        title="提案委员会第三次会议",
        text="审议本年度提案办理情况。",
    )
    assert list(queries.minutes_of(world.group)) == [minutes]
    with pytest.raises(PermissionDenied):
        actions.do_add_minutes(
            actor=world.outsider,
            group=world.group,
            held_on=dt.date(2026, 12, 1),
            title="x",
            text="y",
        )


def test_duty_report_rated_once_by_constituents_and_the_office_overview(db, personas, world):
    rep1 = personas["rep1"]
    with pytest.raises(PermissionDenied):  # only the representative files her report
        actions.do_file_duty_report(
            actor=world.outsider,
            representative=world.rep1_seat,
            text="x",
            today=dt.date(2026, 12, 4),
        )
    report = actions.do_file_duty_report(
        actor=rep1,
        representative=world.rep1_seat,
        text="一年来参加巡视两次，提交提案三件。",
        today=dt.date(2026, 12, 4),
    )
    assert report.year_start == dt.date(2026, 3, 1)
    with pytest.raises(BodiesError) as again:
        actions.do_file_duty_report(
            actor=rep1, representative=world.rep1_seat, text="再交一次", today=dt.date(2027, 1, 5)
        )
    assert again.value.status == 409
    # worker1 (B1-G1) is a constituent of rep1 (electoral unit B1); worker2 (B2) is not.
    worker1 = personas["worker1"]
    assert list(queries.reports_to_rate(worker1)) == [report]
    actions.do_rate_duty_report(actor=worker1, report=report, rating="basically")
    with pytest.raises(BodiesError) as twice:
        actions.do_rate_duty_report(actor=worker1, report=report, rating="satisfied")
    assert twice.value.status == 409
    with pytest.raises(PermissionDenied):
        actions.do_rate_duty_report(actor=personas["worker2"], report=report, rating="satisfied")
    with pytest.raises(PermissionDenied):  # not her own
        actions.do_rate_duty_report(actor=rep1, report=report, rating="satisfied")
    with pytest.raises(Http404):
        queries.access_report(personas["worker2"], report.pk)
    assert DutyRating.objects.filter(report=report).count() == 1
    assert (
        Rating.objects.filter(service=actions.SATISFACTION_SERVICE, rating="basically").count() == 1
    )
    lines = {
        line.representative.pk: line for line in queries.overview(world.term, report.year_start)
    }
    assert (lines[world.rep1_seat.pk].ratings, lines[world.rep1_seat.pk].score) == (1, 2.0)
    assert lines[world.outsider_seat.pk].report is None  # has not reported this year


def test_supervisor_observation_answered_closed_and_escalated(db, personas, world):
    observation = world.observation
    assert observation.in_state(OBSERVATION.states.open)
    assert observation.deadline_at is not None
    # The cadre of the supervised unit answers; a sibling branch's cadre does not see it.
    with pytest.raises(Http404):
        queries.access_observation(personas["branch1"], observation.pk)
    with time_machine.travel(datetime(2027, 1, 15, 9, 0, tzinfo=SH), tick=False):
        assert sweep_overdue(OBSERVATION) >= 1
    assert Notification.objects.filter(
        user=personas["branch2"], kind="congress.observation_overdue"
    ).exists()
    with pytest.raises(TransitionError):
        actions.do_answer_observation(
            actor=personas["branch1"], observation=observation, answer="x"
        )
    answered = actions.do_answer_observation(
        actor=personas["branch2"], observation=observation, answer="已报修，本周内更换。"
    )
    assert answered.in_state(OBSERVATION.states.answered)
    worker2 = personas["worker2"]
    assert list(queries.my_observations(worker2)) == [answered]
    closed = actions.do_close_observation(actor=worker2, observation=answered)
    assert closed.in_state(OBSERVATION.states.closed)
    # her personal-data export lists her appointment and her observation
    from zhijia.congress.privacy import personal_data

    sheets = {str(s.title): len(list(s.rows)) for s in personal_data(worker2)}
    assert sheets["我担任基层职工监督员"] == 1 and sheets["我反映的情况（监督员）"] == 1


def test_appointment_and_observation_refusals(db, personas, world):
    chair = personas["chair"]
    with pytest.raises(PermissionDenied):
        actions.do_appoint_supervisor(
            actor=personas["branch1"],
            unit=world.appointment.org_unit,
            member=world.appointment.member,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    with pytest.raises(BodiesError):
        actions.do_appoint_supervisor(
            actor=chair,
            unit=world.appointment.org_unit,
            member=world.appointment.member,
            starts_on=dt.date(2026, 12, 31),
            ends_on=dt.date(2026, 1, 1),
        )
    with pytest.raises(BodiesError) as expired:
        actions.do_file_observation(
            actor=personas["worker2"],
            appointment=world.appointment,
            subject="x",
            text="y",
            observed_on=dt.date(2028, 1, 1),
            today=dt.date(2028, 1, 2),
        )
    assert expired.value.status == 409
    with pytest.raises(PermissionDenied):
        actions.do_file_observation(
            actor=personas["worker1"],
            appointment=world.appointment,
            subject="x",
            text="y",
            observed_on=dt.date(2026, 6, 1),
            today=dt.date(2026, 6, 2),
        )


def test_pages_on_the_phone_and_for_the_office(db, personas, world, login):
    worker2 = login("worker2")
    mine = worker2.get("/congress/bodies/mine/")
    assert mine.status_code == 200 and "反映情况" in mine.content.decode()
    filed = worker2.post(
        "/congress/bodies/observations/new/",
        {
            "appointment": world.appointment.pk,
            "subject": "食堂排队时间长",
            "text": "午饭排队超过二十分钟。",
            "observed_on": "2026-12-01",
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    assert worker2.get(filed["Location"]).status_code == 200
    rep1 = login("rep1")
    page = rep1.get("/congress/bodies/mine/")
    assert "提交述职报告" in page.content.decode()
    chair = login("chair")
    for url in (
        "/congress/bodies/",
        f"/congress/bodies/groups/{world.group.pk}/",
        f"/congress/bodies/terms/{world.term.pk}/reports/",
        "/congress/bodies/supervisors/",
        "/congress/bodies/observations/",
    ):
        assert chair.get(url).status_code == 200, url
    export = chair.get(f"/congress/bodies/terms/{world.term.pk}/reports/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    assert login("worker1").get("/congress/bodies/").status_code == 403
    assert (
        login("branch1").get(f"/congress/bodies/observations/{world.observation.pk}/").status_code
        == 404
    )


def test_api_supervisor_files_and_the_office_answers(db, personas, world):
    base = "/api/v1/congress/bodies"
    worker2 = client_for(personas["worker2"])
    filed = worker2.post(
        f"{base}/observations",
        {
            "appointment_id": world.appointment.pk,
            "subject": "更衣室灯坏了",
            "text": "女更衣室两盏灯不亮。",
            "observed_on": "2026-12-01",
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    oid = filed.json()["id"]
    assert filed.json()["state"] == "open"
    branch2 = client_for(personas["branch2"])
    assert "answer" in branch2.get(f"{base}/observations/{oid}").json()["actions"]
    answered = branch2.post(
        f"{base}/observations/{oid}/answer", {"answer": "已更换"}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    assert client_for(personas["branch1"]).get(f"{base}/observations/{oid}").status_code == 404
    groups = client_for(personas["rep1"]).get(f"{base}/groups").json()
    assert [g["id"] for g in groups["items"]] == [world.group.pk]
