"""Hazard reports from the phone to verified closure: owner, deadline in working days,
verification by the reporter or a mass safety supervisor, reopening, escalation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from zhijia.core import workdays
from zhijia.core.models import Attachment, Notification, WorkflowEvent
from zhijia.core.workflow import TransitionError, sweep_overdue
from zhijia.safety import actions, queries
from zhijia.safety.actions import HazardError
from zhijia.safety.models import HazardReport
from zhijia.safety.tests.support import department, photo, report
from zhijia.safety.workflows import HAZARD

pytestmark = pytest.mark.django_db


def test_report_from_the_phone_with_a_camera_photo(personas, demo_units, login, private_storage):
    client = login("worker1")
    form = client.get("/safety/report/")
    body = form.content.decode()
    assert form.status_code == 200
    assert 'accept="image/*"' in body and 'capture="environment"' in body
    assert 'enctype="multipart/form-data"' in body
    response = client.post(
        "/safety/report/",
        {
            "photo": photo(),
            "place": "三号车间行车轨道",
            "description": "行车限位器失灵",
            "category": "machinery",
            "level": "major",
            "org_unit": demo_units["B1-G1"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    hazard = HazardReport.objects.get()
    assert hazard.state == "reported" and hazard.reporter == personas["worker1"]
    assert hazard.photo is not None and hazard.photo.kind == "image"
    # a deadline to assign it, in working days
    assert hazard.deadline_at == workdays.deadline_after(hazard.reported_at, 2)
    # branch1's cadre (the nearest level with cadres) is told; the chair is not
    told = Notification.objects.filter(kind="safety.hazard_reported")
    assert [n.user.username for n in told] == ["branch1"]
    # the photo is served to those who see the hazard, not to others
    url = f"/files/{hazard.photo_id}/"
    assert client.get(url).status_code == 200
    assert login("branch1").get(url).status_code == 200
    assert login("worker2").get(url).status_code == 404
    assert login("branch2").get(url).status_code == 404


def test_a_non_image_photo_is_refused_next_to_the_field(personas, demo_units, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login("worker1")
    response = client.post(
        "/safety/report/",
        {
            "photo": SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n", content_type="image/png"),
            "place": "食堂",
            "description": "地面湿滑",
            "category": "environment",
            "level": "general",
            "org_unit": demo_units["B1-G1"].pk,
        },
    )
    assert response.status_code == 400
    assert "id_photo_error" in response.content.decode()
    assert not HazardReport.objects.exists()
    assert not Attachment.objects.exists()


def test_full_path_with_department_owner_and_supervisor(personas, demo_units):
    hazard = report(personas, demo_units)
    branch1, handler1 = personas["branch1"], personas["handler1"]
    # branch2 neither sees it nor may assign it (the workflow's precheck: 403)
    with pytest.raises(TransitionError) as refused:
        actions.do_assign_hazard(
            actor=personas["branch2"], hazard=hazard, department=department(), workdays=5
        )
    assert refused.value.status == 403
    with pytest.raises(HazardError):
        actions.do_assign_hazard(actor=branch1, hazard=hazard, workdays=5)  # no owner
    actions.do_assign_hazard(
        actor=branch1,
        hazard=hazard,
        department=department("D-HR"),
        workdays=5,
        requirement="更换门锁，加装防护罩",
    )
    hazard.refresh_from_db()
    assert hazard.state == "assigned"
    assert hazard.due_at == hazard.deadline_at
    assert hazard.due_at == workdays.deadline_after(
        WorkflowEvent.objects.filter(transition="assign").get().at, 5
    )
    assert Notification.objects.filter(user=handler1, kind="safety.hazard_assigned").exists()
    assert hazard in queries.hazards_visible_to(handler1)
    # the reporter cannot fix it; the department's handler can
    with pytest.raises(TransitionError):
        actions.do_start_rectification(actor=personas["worker1"], hazard=hazard)
    actions.do_start_rectification(actor=handler1, hazard=hazard)
    with pytest.raises(HazardError):
        actions.do_fix_hazard(actor=handler1, hazard=hazard, result="")
    actions.do_fix_hazard(actor=handler1, hazard=hazard, result="已更换门锁并加装防护罩")
    hazard.refresh_from_db()
    assert hazard.state == "fixed" and hazard.fixed_by == handler1
    # verification: not the fixer, not a stranger; rep1 once designated supervisor of B1
    with pytest.raises(TransitionError):
        actions.do_verify_hazard(actor=handler1, hazard=hazard)
    with pytest.raises(TransitionError):
        actions.do_verify_hazard(actor=personas["rep1"], hazard=hazard)
    actions.do_designate_supervisor(
        actor=branch1, member=personas["rep1"].member_record, org_unit=demo_units["B1"]
    )
    rep1 = type(personas["rep1"]).objects.get(pk=personas["rep1"].pk)
    assert hazard in queries.to_verify(rep1)
    assert Notification.objects.filter(
        user=personas["worker1"], kind="safety.hazard_fixed"
    ).exists()
    actions.do_verify_hazard(actor=rep1, hazard=hazard, note="现场已核实")
    hazard.refresh_from_db()
    assert hazard.state == "verified" and hazard.verified_by == rep1
    assert hazard.deadline_at is None and hazard.fixed_on_time is True
    steps = [e.transition for e in WorkflowEvent.objects.filter(workflow="safety.hazard")]
    assert steps == ["start", "assign", "begin", "fix", "verify"]


def test_reopen_by_the_reporter_and_cadre_owner(personas, demo_units):
    hazard = report(personas, demo_units)
    branch1 = personas["branch1"]
    # the owner may be a cadre of the unit or above, not of a sibling branch
    with pytest.raises(HazardError):
        actions.do_assign_hazard(
            actor=branch1, hazard=hazard, owner=personas["branch2"], workdays=3
        )
    actions.do_assign_hazard(actor=branch1, hazard=hazard, owner=branch1, workdays=3)
    actions.do_fix_hazard(actor=branch1, hazard=hazard, result="已通知设备科更换")
    with pytest.raises(HazardError):
        actions.do_reopen_hazard(actor=personas["worker1"], hazard=hazard, reason="")
    with pytest.raises(TransitionError):  # the fixer never verifies or reopens their own fix
        actions.do_reopen_hazard(actor=branch1, hazard=hazard, reason="自查")
    actions.do_reopen_hazard(actor=personas["worker1"], hazard=hazard, reason="门锁仍未更换")
    hazard.refresh_from_db()
    assert hazard.state == "reopened" and hazard.reopen_count == 1
    assert Notification.objects.filter(user=branch1, kind="safety.hazard_reopened").exists()
    actions.do_fix_hazard(actor=branch1, hazard=hazard, result="已更换")
    actions.do_verify_hazard(actor=personas["worker1"], hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.state == "verified"


def test_dismiss_needs_a_reason_and_tells_the_reporter(personas, demo_units):
    hazard = report(personas, demo_units)
    with pytest.raises(HazardError):
        actions.do_dismiss_hazard(actor=personas["branch1"], hazard=hazard, reason=" ")
    actions.do_dismiss_hazard(actor=personas["branch1"], hazard=hazard, reason="重复报告")
    hazard.refresh_from_db()
    assert hazard.state == "dismissed"
    assert Notification.objects.filter(
        user=personas["worker1"], kind="safety.hazard_dismissed"
    ).exists()


def test_overdue_rectification_escalates(personas, demo_units, django_capture_on_commit_callbacks):
    with time_machine.travel("2026-09-28 09:00:00+08:00", tick=False):
        hazard = report(personas, demo_units)
        actions.do_assign_hazard(
            actor=personas["branch1"], hazard=hazard, department=department(), workdays=2
        )
        hazard.refresh_from_db()
    # two working days from Mon 28 Sep: Tue 29 and Wed 30 (then the National Day holiday)
    assert timezone.localtime(hazard.deadline_at).date() == dt.date(2026, 9, 30)
    with (
        time_machine.travel("2026-10-05 10:00:00+08:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_overdue(HAZARD) == 1
        assert sweep_overdue(HAZARD) == 0
    hazard.refresh_from_db()
    assert hazard.escalation_level == 1
    told = set(
        Notification.objects.filter(kind="safety.hazard_overdue").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"handler1", "branch1"}
    # on time is measured against the deadline given at assignment, not the extension
    with time_machine.travel("2026-10-08 10:00:00+08:00", tick=False):
        actions.do_fix_hazard(actor=personas["handler1"], hazard=hazard, result="已整改")
        actions.do_verify_hazard(actor=personas["worker1"], hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.fixed_on_time is False


def test_page_actions(personas, demo_units, login):
    hazard = report(personas, demo_units)
    cadre = login("branch1")
    page = cadre.get(f"/safety/hazards/{hazard.pk}/")
    assert page.status_code == 200 and "分派整改" in page.content.decode()
    bad = cadre.post(f"/safety/hazards/{hazard.pk}/assign/", {"workdays": "5"})
    assert bad.status_code == 400 and "二选一" in bad.content.decode()
    ok = cadre.post(
        f"/safety/hazards/{hazard.pk}/assign/",
        {"department": department().pk, "workdays": "5", "requirement": "立即整改"},
    )
    assert ok.status_code == 302
    handler = login("handler1")
    assert handler.post(f"/safety/hazards/{hazard.pk}/begin/").status_code == 302
    assert (
        handler.post(f"/safety/hazards/{hazard.pk}/fix/", {"result": "已整改"}).status_code == 302
    )
    # the reporter sees it waiting for verification on the phone home
    worker = login("worker1")
    home = worker.get("/safety/").content.decode()
    assert "待我验收" in home
    assert worker.post(f"/safety/hazards/{hazard.pk}/verify/", {"note": "好"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == "verified"
    # a transition not available to the caller is refused
    assert worker.post(f"/safety/hazards/{hazard.pk}/reopen/", {"reason": "x"}).status_code == 403
    assert login("worker2").get(f"/safety/hazards/{hazard.pk}/").status_code == 404


def test_queue_puts_overdue_first(personas, demo_units, login):
    with time_machine.travel("2026-03-02 09:00:00+08:00", tick=False):
        late = report(personas, demo_units, place="A 区")
    fresh = report(personas, demo_units, place="B 区")
    rows = list(queries.queue(personas["branch1"]))
    assert rows[0] == late and rows[1] == fresh
    page = login("branch1").get("/safety/queue/?overdue=1")
    body = page.content.decode()
    assert "A 区" in body and "B 区" not in body
    assert login("branch2").get("/safety/queue/").content.decode().count("区</td>") == 0
