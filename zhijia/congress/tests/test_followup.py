"""The follow-up of resolutions (决议落实跟踪): plans, milestones supervised on the next working
day, reports on the three points, the report to the next session and its publication, the
yearly minimum of inspection tours."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhijia.congress.actions import followup as actions
from zhijia.congress.actions import inspections as actions_inspections
from zhijia.congress.actions.followup import FollowupError
from zhijia.congress.models import TourYearReminder
from zhijia.congress.queries import followup as queries
from zhijia.congress.tests.followup_support import next_session, passed_resolution
from zhijia.congress.tests.proposals_support import department, make_representative, unit
from zhijia.congress.workflows import MILESTONE
from zhijia.core import hooks
from zhijia.core.models import AuditEvent, Notification
from zhijia.core.workflow import sweep_overdue

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


@pytest.fixture
def item(personas):
    return passed_resolution(personas["chair"], unit("U"), unit("B1-G1"))


@pytest.fixture
def plan(personas, item):
    return actions.do_create_plan(
        actor=personas["chair"],
        agenda_item=item,
        department=department("D-HR"),
        responsible="人力资源部 王经理",
        measures="修订福利费使用办法，按季度公开使用情况。",
    )


def test_plan_for_a_passed_resolution(personas, plan):
    assert plan.org_unit == unit("U") and plan.is_resolution
    assert "congress.followup_assigned" in kinds(personas["handler1"])
    assert AuditEvent.objects.filter(action="congress.create_followup_plan").exists()
    # the office, the department's handler and the unit's representatives see it
    for who in ("chair", "handler1", "rep1"):
        assert queries.access_plan(personas[who], plan.pk) == plan
    for outsider in ("branch1", "worker1", "admin", "counselor1"):
        with pytest.raises(Http404):
            queries.access_plan(personas[outsider], plan.pk)
    with pytest.raises(FollowupError):  # one plan per resolution
        actions.do_create_plan(
            actor=personas["chair"],
            agenda_item=plan.agenda_item,
            department=department("D-HR"),
            responsible="张三",
            measures="再来一次",
        )


def test_only_passed_resolutions_and_adopted_proposals(personas, item):
    from zhijia.congress.actions import agenda

    chair = personas["chair"]
    report = agenda.do_add_item(actor=chair, session=item.session, title="报告", kind="report")
    with pytest.raises(FollowupError) as refused:
        actions.do_create_plan(
            actor=chair,
            agenda_item=report,
            department=department("D-HR"),
            responsible="张三",
            measures="无",
        )
    assert refused.value.field == "source"
    assert queries.item_choices(chair) == [item]
    with pytest.raises(PermissionDenied):  # a branch chair is not the enterprise congress office
        actions.do_create_plan(
            actor=personas["branch1"],
            agenda_item=item,
            department=department("D-HR"),
            responsible="张三",
            measures="无",
        )


def test_overdue_milestone_supervised_on_the_next_working_day_across_a_holiday(
    personas, plan, django_capture_on_commit_callbacks
):
    chair, handler1 = personas["chair"], personas["handler1"]
    # Due on Wednesday 2026-09-30, the eve of the National Day holiday (10-01 to 10-07).
    milestone = actions.do_add_milestone(
        actor=chair, plan=plan, title="办法修订稿提交审议", due_date=dt.date(2026, 9, 30)
    )
    assert milestone.in_state(MILESTONE.states.open)
    for moment in (at(2026, 9, 30, 23, 0), at(2026, 10, 3, 10, 0), at(2026, 10, 7, 23, 59)):
        with time_machine.travel(moment, tick=False):
            assert sweep_overdue(MILESTONE) == 0, moment
            assert queries.state_of(plan) in {"on_track", "overdue", "not_started"}
    with (
        time_machine.travel(at(2026, 10, 8, 8, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_overdue(MILESTONE) == 1
        assert queries.state_of(plan) == "overdue"
    milestone.refresh_from_db()
    assert milestone.escalation_level == 1
    assert "congress.milestone_overdue" in kinds(handler1)
    assert "congress.milestone_overdue" in kinds(chair)
    with time_machine.travel(at(2026, 10, 8, 9, 30), tick=False):
        assert sweep_overdue(MILESTONE) == 0  # once per deadline


def test_friday_milestone_supervised_on_monday_not_saturday(personas, plan):
    milestone = actions.do_add_milestone(
        actor=personas["chair"],
        plan=plan,
        title="公布第一季度使用情况",
        due_date=dt.date(2026, 12, 4),
    )
    with time_machine.travel(at(2026, 12, 5, 10, 0), tick=False):
        assert sweep_overdue(MILESTONE) == 0
    with time_machine.travel(at(2026, 12, 7, 0, 1), tick=False):
        assert sweep_overdue(MILESTONE) == 1
    milestone.refresh_from_db()
    assert milestone.escalation_level == 1


def test_milestone_done_by_the_department_and_verified_by_the_office(personas, plan):
    chair, handler1 = personas["chair"], personas["handler1"]
    milestone = actions.do_add_milestone(
        actor=chair, plan=plan, title="办法印发", due_date=dt.date(2026, 12, 31)
    )
    with pytest.raises(PermissionDenied):  # a representative reads, never writes
        actions.do_add_milestone(
            actor=personas["rep1"], plan=plan, title="x", due_date=dt.date(2026, 12, 31)
        )
    actions.do_complete_milestone(actor=handler1, milestone=milestone, result="已印发")
    milestone.refresh_from_db()
    assert milestone.in_state("done") and milestone.deadline_at is None
    actions.do_verify_milestone(actor=chair, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.in_state("verified")
    assert queries.state_of(plan) == "done"


def test_report_needs_the_three_points(personas, plan):
    handler1 = personas["handler1"]
    full = {"progress": "已完成修订", "changes": "无变化", "problems": "无", "period": "第三季度"}
    for missing in ("progress", "changes", "problems"):
        with pytest.raises(FollowupError) as refused:
            actions.do_add_report(actor=handler1, plan=plan, **{**full, missing: "  "})
        assert refused.value.field == missing
    with pytest.raises(PermissionDenied):
        actions.do_add_report(actor=personas["rep1"], plan=plan, **full)
    report = actions.do_add_report(actor=handler1, plan=plan, **full)
    assert report.author_name and queries.reports_of(plan) == [report]
    # her personal-data export lists it (zhijia.core.privacy)
    from zhijia.congress.privacy import personal_data

    sheets = {str(sheet.title): sheet for sheet in personal_data(handler1)}
    assert len(list(sheets["我提交的决议落实跟踪报告"].rows)) == 1


def test_the_report_to_the_next_session_is_published_through_the_hook(
    personas, plan, django_capture_on_commit_callbacks
):
    from zhijia.disclosure.catalogue import ensure_default_catalogue
    from zhijia.disclosure.models import Item

    ensure_default_catalogue()
    chair = personas["chair"]
    actions.do_add_milestone(
        actor=chair, plan=plan, title="办法印发", due_date=dt.date(2026, 6, 30)
    )
    actions.do_add_report(
        actor=personas["handler1"], plan=plan, progress="已印发", changes="无", problems="无"
    )
    from zhijia.congress.actions import agenda, desk
    from zhijia.congress.models import AgendaItem
    from zhijia.voting import actions as voting

    # a second resolution of the same session, passed (a hall vote), without a plan: the
    # report names it
    second = agenda.do_add_item(actor=chair, session=plan.session, title="关于夜班补贴的决议")
    poll = desk.do_open_item_vote_on_paper(actor=chair, item=second)
    n = poll.eligible_count
    counts = {"yes": n, "no": 0, "abstain": 0}
    voting.do_enter_paper_result(actor=chair, poll=poll, counts=counts, valid_ballots=n)
    later = next_session(chair, plan.agenda_item)
    rows = queries.report_rows(later)
    assert [r.plan for r in rows] == [plan] and rows[0].latest is not None
    assert queries.unplanned_resolutions(later) == [AgendaItem.objects.get(pk=second.pk)]
    received = []

    def receiver(sender, report, **kwargs):
        received.append(report)

    hooks.resolutions_reported.connect(receiver, weak=False, dispatch_uid="test-followup")
    try:
        with pytest.raises(PermissionDenied):
            actions.do_publish_followup_report(actor=personas["branch1"], session=later)
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_publish_followup_report(actor=chair, session=later)
    finally:
        hooks.resolutions_reported.disconnect(dispatch_uid="test-followup")
    assert [r.session_id for r in received] == [later.pk]
    assert received[0].resolutions == 1 and "办法印发" in received[0].body
    item = Item.objects.get(source_ref=f"congress.resolutions:{later.pk}")
    assert item.source == Item.Source.RESOLUTIONS
    assert item.entry is not None and item.entry.code == "congress-resolutions"
    assert plan.title in item.body and "实施进度：已印发" in item.body
    assert "尚未制定落实方案的决议" in item.body and "关于夜班补贴的决议" in item.body


@pytest.fixture
def short_term(personas):
    from zhijia.congress.tests.factory_sessions import make_term

    return make_term(
        personas["chair"],
        unit("B2"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )


def test_tour_reminder_in_the_last_month_of_a_year_without_a_tour_once(personas, short_term):
    chair = personas["chair"]
    assert actions.sweep_tour_minimum(dt.date(2026, 11, 30)) == 0  # not the last month yet
    assert actions.sweep_tour_minimum(dt.date(2026, 12, 1)) == 1
    assert actions.sweep_tour_minimum(dt.date(2026, 12, 20)) == 0  # once per year
    assert "congress.tour_minimum" in kinds(chair)
    assert TourYearReminder.objects.filter(term=short_term).count() == 1
    assert actions.sweep_tour_minimum(dt.date(2027, 12, 2)) == 1  # the next year again


def test_no_tour_reminder_when_the_year_had_its_tour(personas, short_term):
    make_representative("tourrep", "B2-G1", "巡视代表")
    actions_inspections.do_create_tour(
        actor=personas["chair"],
        org_unit=unit("B2"),
        title="安全生产巡视",
        scope="车间",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 6, 2),
    )
    assert actions.sweep_tour_minimum(dt.date(2026, 12, 15)) == 0
    assert not TourYearReminder.objects.exists()


def test_pages(login, personas, item):
    chair = login("chair")
    new = chair.get("/congress/followup/new/")
    assert new.status_code == 200 and item.title in new.content.decode()
    refused = chair.post(
        "/congress/followup/new/",
        {"source": f"item:{item.pk}", "department": department("D-HR").pk, "responsible": "王"},
    )
    assert refused.status_code == 400  # 落实措施 missing, said next to the field
    done = chair.post(
        "/congress/followup/new/",
        {
            "source": f"item:{item.pk}",
            "department": department("D-HR").pk,
            "responsible": "王经理",
            "measures": "修订办法",
        },
    )
    assert done.status_code == 302
    plan = queries.plans_for(personas["chair"]).get()
    assert (
        chair.post(
            f"/congress/followup/{plan.pk}/milestones/", {"title": "印发", "due_date": "2026-12-31"}
        ).status_code
        == 302
    )
    handler = login("handler1")
    page = handler.get(f"/congress/followup/{plan.pk}/")
    assert page.status_code == 200 and "报告完成" in page.content.decode()
    short = handler.post(f"/congress/followup/{plan.pk}/reports/", {"progress": "进行中"})
    assert short.status_code == 400
    milestone = plan.milestones.get()
    assert (
        handler.post(
            f"/congress/followup/milestones/{milestone.pk}/complete/", {"result": "已印发"}
        ).status_code
        == 302
    )
    rep = login("rep1")
    listing = rep.get("/congress/followup/")
    assert listing.status_code == 200 and plan.title in listing.content.decode()
    assert "确认完成" not in rep.get(f"/congress/followup/{plan.pk}/").content.decode()
    assert rep.post(f"/congress/followup/{plan.pk}/milestones/", {}).status_code == 403
    assert login("branch1").get(f"/congress/followup/{plan.pk}/").status_code == 404
    later = next_session(personas["chair"], item)
    report = chair.get(f"/congress/followup/sessions/{later.pk}/report/")
    assert report.status_code == 200 and plan.title in report.content.decode()
    assert "data-confirm" in report.content.decode()
    export = chair.get("/congress/followup/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_api(api_client, personas, item):
    chair, handler = api_client("chair"), api_client("handler1")
    base = "/api/v1/congress/followup"
    body = {
        "agenda_item_id": item.pk,
        "department_id": department("D-HR").pk,
        "responsible": "王经理",
        "measures": "修订办法",
    }
    assert api_client("branch1").post(base, body, content_type="application/json").status_code in (
        403,
        404,
    )
    created = chair.post(base, body, content_type="application/json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert chair.post(base, body, content_type="application/json").status_code == 409
    added = chair.post(
        f"{base}/{plan_id}/milestones",
        {"title": "印发", "due_date": "2026-12-31"},
        content_type="application/json",
    )
    assert added.status_code == 201
    milestone_id = added.json()["milestones"][0]["id"]
    missing = handler.post(
        f"{base}/{plan_id}/reports",
        {"progress": "进行中", "changes": "", "problems": "无"},
        content_type="application/json",
    )
    assert missing.status_code == 400 and "changes" in missing.json()["errors"]
    done = handler.post(
        f"{base}/milestones/{milestone_id}/complete",
        {"result": "已印发"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["milestones"][0]["state"] == "done"
    listing = api_client("rep1").get(base).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == plan_id
    assert api_client("worker1").get(f"{base}/{plan_id}").status_code == 404
    later = next_session(personas["chair"], item)
    report = chair.get(f"{base}/sessions/{later.pk}/report").json()
    assert report["resolutions"] == 1 and report["rows"][0]["plan_id"] == plan_id


def test_plan_for_an_adopted_proposal(personas):
    from zhijia.congress.tests.proposals_support import handling, make_session, submitted

    chair, rep1 = personas["chair"], personas["rep1"]
    session = make_session()
    cosigner = make_representative("fucosigner", "B1", "附议人")
    adopted = handling(rep1, session, cosigner, chair)
    waiting = submitted(rep1, session, cosigner, title="尚未立案的提案")
    assert list(queries.proposal_choices(chair)) == [adopted]
    with pytest.raises(FollowupError):  # not adopted yet
        actions.do_create_plan(
            actor=chair,
            proposal=waiting,
            department=department("D-HR"),
            responsible="张",
            measures="无",
        )
    plan = actions.do_create_plan(
        actor=chair,
        proposal=adopted,
        department=department("D-HR"),
        responsible="后勤 张主任",
        measures="增设夜班餐窗口",
    )
    assert not plan.is_resolution and plan.org_unit == adopted.org_unit
    assert queries.access_plan(rep1, plan.pk) == plan
