"""Inspection tours (代表巡视): plan, participants, findings, rectification items to closure."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhijia.congress.actions import inspections as actions
from zhijia.congress.actions.inspections import InspectionError
from zhijia.congress.models import RectificationItem
from zhijia.congress.queries import inspections as queries
from zhijia.congress.tests.proposals_support import (
    department,
    make_handler,
    make_representative,
    unit,
)
from zhijia.congress.workflows import RECTIFICATION
from zhijia.core.models import AuditEvent, Notification
from zhijia.core.workflow import TransitionError, history, sweep_overdue

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def end_of(y, m, d) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=SH)


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B2", "钱进")


@pytest.fixture
def tour(personas, rep2):
    return actions.do_create_tour(
        actor=personas["chair"],
        org_unit=unit("U"),
        title="安全生产专项巡视",
        scope="发电车间、检修车间的劳动保护用品发放与使用情况",
        start_date=dt.date(2026, 9, 21),
        end_date=dt.date(2026, 9, 23),
        participants=[personas["rep1"], rep2],
        leader=personas["rep1"],
    )


def kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_plan_with_participants(personas, tour, rep2):
    assert tour.status == "planned"
    people = {(p.name, p.is_leader) for p in queries.participants_of(tour)}
    assert people == {("赵卫东", True), ("钱进", False)}
    assert "congress.inspection_invited" in kinds(rep2)
    assert AuditEvent.objects.filter(action="congress.create_inspection").exists()
    # participants and cadres of the unit see it; others do not
    assert queries.tours_visible_to(personas["rep1"]).filter(pk=tour.pk).exists()
    assert queries.tours_visible_to(personas["chair"]).filter(pk=tour.pk).exists()
    for outsider in ("branch1", "branch2", "worker1", "handler1", "admin"):
        assert not queries.tours_visible_to(personas[outsider]).filter(pk=tour.pk).exists()


def test_plan_is_checked(personas):
    chair = personas["chair"]
    base = {
        "actor": chair,
        "org_unit": unit("U"),
        "title": "巡视",
        "scope": "范围",
        "start_date": dt.date(2026, 9, 21),
        "end_date": dt.date(2026, 9, 20),
    }
    with pytest.raises(InspectionError, match="结束日期不能早于开始日期"):
        actions.do_create_tour(**base)
    base["end_date"] = dt.date(2026, 9, 22)
    with pytest.raises(InspectionError, match="不是本组织的职工代表"):
        actions.do_create_tour(**base, participants=[personas["worker1"]])
    with pytest.raises(PermissionDenied):
        actions.do_create_tour(**{**base, "actor": personas["branch1"]})
    # a branch cadre plans tours of their branch, with its representatives only
    b1 = actions.do_create_tour(
        **{**base, "actor": personas["branch1"], "org_unit": unit("B1")},
        participants=[personas["rep1"]],
    )
    assert b1.org_unit.code == "B1"
    rep_b2 = make_representative("rep3", "B2")
    with pytest.raises(InspectionError, match="不是本组织的职工代表"):
        actions.do_add_participants(actor=personas["branch1"], tour=b1, users=[rep_b2])


def test_rectification_item_flow_to_verified(
    personas, tour, rep2, django_capture_on_commit_callbacks
):
    chair, rep1, handler1 = personas["chair"], personas["rep1"], personas["handler1"]
    # A participant records what they found; an outsider cannot.
    finding = actions.do_add_finding(
        actor=rep1,
        tour=tour,
        title="检修班组安全帽超期使用",
        description="抽查 20 顶安全帽中 6 顶超过报废期限",
        location="检修车间",
    )
    with pytest.raises(PermissionDenied):
        actions.do_add_finding(actor=personas["worker1"], tour=tour, title="x", description="y")
    # Only the organiser turns it into an item, owned by a department, due in working days.
    with pytest.raises(PermissionDenied):
        actions.do_create_rectification(
            actor=rep1, finding=finding, department=department("D-HR"), requirement="更换"
        )
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        item = actions.do_create_rectification(
            actor=chair,
            finding=finding,
            department=department("D-HR"),
            requirement="一周内更换全部超期安全帽并建立台账",
            workdays=3,
        )
    assert item.state == "open" and item.deadline_at == end_of(2026, 10, 10)
    assert "congress.rectification_assigned" in kinds(handler1)
    with pytest.raises(InspectionError) as twice:
        actions.do_create_rectification(
            actor=chair, finding=finding, department=department("D-HR"), requirement="再来"
        )
    assert twice.value.status == 409

    # The department works it; nobody else may.
    with pytest.raises(TransitionError) as refused:
        actions.do_start_rectification(actor=chair, item=item)
    assert refused.value.status == 403
    actions.do_start_rectification(actor=handler1, item=item)
    with pytest.raises(TransitionError, match="请填写整改结果"):
        actions.do_complete_rectification(actor=handler1, item=item, result=" ")
    actions.do_complete_rectification(actor=handler1, item=item, result="已更换 6 顶安全帽")
    assert "congress.rectification_done" in kinds(rep1)

    # Verification: a participant sends it back once (with a reason), then accepts it.
    with pytest.raises(TransitionError) as not_them:
        actions.do_verify_rectification(actor=handler1, item=item)
    assert not_them.value.status == 403
    with pytest.raises(TransitionError, match="请填写理由"):
        actions.do_send_back_rectification(actor=rep2, item=item, reason="")
    actions.do_send_back_rectification(actor=rep2, item=item, reason="台账没有建立")
    item.refresh_from_db()
    assert item.state == "rectifying" and item.deadline_at is not None
    actions.do_complete_rectification(actor=handler1, item=item, result="已更换并建立台账")
    actions.do_verify_rectification(actor=rep1, item=item, note="现场核实")
    item.refresh_from_db()
    assert item.state == "verified" and item.deadline_at is None
    assert [e.transition for e in history(item)] == [
        "start", "begin", "complete", "send_back", "complete", "verify",
    ]  # fmt: skip
    assert "congress.rectification_verified" in kinds(handler1)

    # Once the tour is finished, no more findings.
    actions.do_finish_tour(actor=chair, tour=tour, summary="共发现问题 1 项，已整改")
    with pytest.raises(InspectionError) as closed:
        actions.do_add_finding(actor=rep1, tour=tour, title="x", description="y")
    assert closed.value.status == 409


def test_overdue_item_escalates(personas, tour, django_capture_on_commit_callbacks):
    chair, handler1 = personas["chair"], personas["handler1"]
    finding = actions.do_add_finding(
        actor=chair, tour=tour, title="消防通道堵塞", description="堆放杂物"
    )
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        item = actions.do_create_rectification(
            actor=chair,
            finding=finding,
            department=department("D-HR"),
            requirement="清理",
            workdays=3,
        )
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        assert list(queries.items_for(handler1, mine_only=True)) == [item]
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_overdue(RECTIFICATION) == 1
    item.refresh_from_db()
    assert item.escalation_level == 1 and item.state == "open"
    assert item.deadline_at == end_of(2026, 10, 19)
    assert "congress.rectification_overdue" in kinds(handler1)
    assert "congress.rectification_overdue" in kinds(chair)


def test_items_are_seen_by_their_department_only(personas, tour):
    chair = personas["chair"]
    finding = actions.do_add_finding(actor=chair, tour=tour, title="问题", description="描述")
    item = actions.do_create_rectification(
        actor=chair, finding=finding, department=department("D-HR"), requirement="整改"
    )
    finance = make_handler("fin1", "D-FIN")
    assert queries.items_visible_to(personas["handler1"]).filter(pk=item.pk).exists()
    assert not queries.items_visible_to(finance).filter(pk=item.pk).exists()
    assert not queries.items_visible_to(personas["branch2"]).filter(pk=item.pk).exists()
    assert RectificationItem.objects.count() == 1


def test_pages(login, personas, tour):
    chair = login("chair")
    assert chair.get("/congress/inspections/new/").status_code == 200
    bad_dates = chair.post(
        "/congress/inspections/new/",
        {
            "org_unit": unit("U").pk,
            "title": "食堂巡视",
            "scope": "食品安全",
            "start_date": "2026-10-09",
            "end_date": "2026-10-08",
        },
    )
    assert bad_dates.status_code == 400 and "结束日期不能早于开始日期" in bad_dates.content.decode()
    created = chair.post(
        "/congress/inspections/new/",
        {
            "org_unit": unit("U").pk,
            "title": "食堂巡视",
            "scope": "食品安全",
            "start_date": "2026-10-08",
            "end_date": "2026-10-09",
        },
    )
    assert created.status_code == 302
    assert (
        login("branch1").post("/congress/inspections/new/", {"org_unit": unit("U").pk}).status_code
        == 400
    )
    assert login("rep1").get("/congress/inspections/new/").status_code == 403
    listing = chair.get("/congress/inspections/")
    assert listing.status_code == 200 and "安全生产专项巡视" in listing.content.decode()
    detail = chair.get(f"/congress/inspections/{tour.pk}/")
    assert detail.status_code == 200 and "赵卫东" in detail.content.decode()
    # a participant records a finding from the phone
    rep1 = login("rep1")
    assert rep1.get("/congress/inspections/").status_code == 200
    bad = rep1.post(f"/congress/inspections/{tour.pk}/findings/", {"title": ""})
    assert bad.status_code == 400
    ok = rep1.post(
        f"/congress/inspections/{tour.pk}/findings/",
        {"title": "更衣室漏水", "description": "屋顶漏水", "location": "二号更衣室"},
    )
    assert ok.status_code == 302
    finding = tour.findings.get()
    made = chair.post(
        f"/congress/inspections/{tour.pk}/findings/{finding.pk}/rectify/",
        {
            f"f{finding.pk}-department": department("D-HR").pk,
            f"f{finding.pk}-requirement": "维修屋顶",
            f"f{finding.pk}-workdays": 10,
        },
    )
    assert made.status_code == 302
    item = RectificationItem.objects.get()
    handler = login("handler1")
    assert "更衣室漏水" in handler.get("/congress/inspections/rectifications/").content.decode()
    assert handler.post(f"/congress/inspections/rectifications/{item.pk}/begin/").status_code == 302
    empty = handler.post(
        f"/congress/inspections/rectifications/{item.pk}/complete/", {"result": ""}
    )
    assert empty.status_code == 400
    handler.post(f"/congress/inspections/rectifications/{item.pk}/complete/", {"result": "已修好"})
    assert rep1.post(f"/congress/inspections/rectifications/{item.pk}/verify/").status_code == 302
    item.refresh_from_db()
    assert item.state == "verified"
    # out of scope: 404
    assert login("branch2").get(f"/congress/inspections/{tour.pk}/").status_code == 404
    assert (
        login("branch2").get(f"/congress/inspections/rectifications/{item.pk}/").status_code == 404
    )
    assert login("worker1").get("/congress/inspections/").status_code == 403


def test_api_tour_for_a_unit_outside_the_scope_is_404(api_client, personas):
    """A unit named in the body that the caller plans no tours for: 404 naming the field (its
    existence is not revealed), like an unknown one; a caller who plans none anywhere: 403."""
    body = {
        "title": "安全生产巡视",
        "scope": "车间",
        "start_date": "2026-10-08",
        "end_date": "2026-10-09",
    }
    url = "/api/v1/congress/inspections"
    branch1 = api_client("branch1")
    for unit_id in (unit("B2").pk, 999999):
        refused = branch1.post(
            url, {**body, "org_unit_id": unit_id}, content_type="application/json"
        )
        assert refused.status_code == 404
        assert list(refused.json()["errors"]) == ["org_unit_id"]
    assert not queries.tours_visible_to(personas["branch1"]).exists()
    worker = api_client("worker1")
    assert (
        worker.post(url, {**body, "org_unit_id": unit("B1").pk}, content_type="application/json")
    ).status_code == 403
    made = branch1.post(
        url, {**body, "org_unit_id": unit("B1").pk}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["org_unit_id"] == unit("B1").pk
