"""An inspection tour's checklist: facts gathered through core's hook from the modules that own
the records (counted over the tour unit's subtree), kept as a snapshot, findings per subject
(a problem becomes a finding and, with a department, a rectification item), pages and API."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.congress.actions import checklist as actions
from zhijia.congress.actions.inspections import InspectionError
from zhijia.congress.models import ChecklistEntry, InspectionFinding, RectificationItem
from zhijia.congress.queries import checklist as queries
from zhijia.congress.tests.checklist_support import hazard, plan_tour
from zhijia.congress.tests.proposals_support import department, make_handler
from zhijia.core import hooks
from zhijia.core.models import AuditEvent
from zhijia.safety.models import HazardReport


@pytest.fixture
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def hazards(module_personas):
    """In branch 1's subtree: two open hazards (one at the branch, one in a group; the group's
    is overdue) and a verified one; in branch 2: one open hazard (not branch 1's)."""
    worker = module_personas["worker1"]
    return [
        hazard(worker, "B1", "assigned"),
        hazard(worker, "B1-G1", "rectifying", late=True),
        hazard(worker, "B1-G2", "verified"),
        hazard(module_personas["worker2"], "B2", "reported"),
    ]


def safety_facts(tour) -> dict[str, object]:
    entry = ChecklistEntry.objects.get(tour=tour, subject="safety")
    return {f["label"]: f["value"] for f in entry.facts}


def test_planning_takes_the_checklist_with_the_facts_of_the_subtree(db, personas, hazards):
    tour = plan_tour(personas["branch1"], [personas["rep1"]])
    entries = queries.entries_of(tour)
    assert [e.subject for e in entries] == list(ChecklistEntry.Subject.values)
    # An independent count of the open hazards in branch 1's subtree.
    independent = HazardReport.objects.filter(
        org_unit__path__startswith=tour.org_unit.path,
        state__in=["reported", "assigned", "rectifying", "reopened", "fixed"],
    ).count()
    facts = safety_facts(tour)
    assert facts["未闭环的安全隐患"] == independent == 2
    assert facts["超期未整改的隐患"] == 1
    assert facts["其中重大隐患"] == 0
    # Every subject has its providers' facts, each with a link.
    sections = queries.sections_of(tour)
    assert all(s.facts for s in sections)
    assert all(f["url"].startswith("/") for s in sections for f in s.facts)
    assert AuditEvent.objects.filter(
        action="congress.take_inspection_checklist", target_id=str(tour.pk)
    ).exists()


def test_the_snapshot_keeps_what_was_known_when_the_tour_started(db, personas, hazards):
    tour = plan_tour(personas["branch1"])
    taken = ChecklistEntry.objects.get(tour=tour, subject="safety").facts_taken_at
    hazard(personas["worker1"], "B1-G1", "reported")
    HazardReport.objects.filter(pk=hazards[1].pk).update(state="verified")
    assert safety_facts(tour)["未闭环的安全隐患"] == 2
    assert safety_facts(tour)["超期未整改的隐患"] == 1
    # 刷新事实: on request, the cadre takes them again (today's numbers, a new time).
    actions.do_take_checklist(actor=personas["branch1"], tour=tour)
    assert safety_facts(tour)["未闭环的安全隐患"] == 2  # one closed, one new
    assert safety_facts(tour)["超期未整改的隐患"] == 0
    assert ChecklistEntry.objects.get(tour=tour, subject="safety").facts_taken_at >= taken
    with pytest.raises(PermissionDenied):
        actions.do_take_checklist(actor=personas["rep1"], tour=tour)


def test_a_problem_becomes_a_rectification_item(db, personas, hazards):
    tour = plan_tour(personas["branch1"], [personas["rep1"]])
    make_handler("h-safe", "D-SAFE")
    entry = actions.do_record_checklist_finding(
        actor=personas["branch1"],
        tour=tour,
        subject="safety",
        verdict="problem",
        note="检修班组灭火器过期未更换\n共三处",
        department=department("D-SAFE"),
        workdays=10,
    )
    finding = InspectionFinding.objects.get(tour=tour)
    assert entry.finding == finding
    assert finding.title == "安全生产管理：检修班组灭火器过期未更换"
    item = RectificationItem.objects.get(finding=finding)
    assert item.department.code == "D-SAFE" and item.state == "open"
    assert item.requirement == "检修班组灭火器过期未更换\n共三处"
    # A problem stays a problem; recorded again, it updates the same finding.
    with pytest.raises(InspectionError) as kept:
        actions.do_record_checklist_finding(
            actor=personas["branch1"], tour=tour, subject="safety", verdict="ok"
        )
    assert kept.value.status == 409
    actions.do_record_checklist_finding(
        actor=personas["rep1"], tour=tour, subject="safety", verdict="problem", note="已更换两处"
    )
    assert InspectionFinding.objects.filter(tour=tour).count() == 1
    assert RectificationItem.objects.filter(finding__tour=tour).count() == 1


def test_participants_record_findings_and_others_may_not(db, personas, hazards):
    tour = plan_tour(personas["branch1"], [personas["rep1"]])
    ok = actions.do_record_checklist_finding(
        actor=personas["rep1"], tour=tour, subject="disclosure", verdict="ok"
    )
    assert (ok.verdict, ok.finding, ok.recorder_name) == ("ok", None, "赵卫东")
    # A participant's problem is a finding; only the cadre hands it to a department.
    problem = actions.do_record_checklist_finding(
        actor=personas["rep1"], tour=tour, subject="contract", verdict="problem", note="未公示"
    )
    assert problem.finding is not None
    assert not RectificationItem.objects.filter(finding__tour=tour).exists()
    with pytest.raises(PermissionDenied):
        actions.do_record_checklist_finding(
            actor=personas["rep1"],
            tour=tour,
            subject="progress",
            verdict="problem",
            note="提案超期",
            department=department("D-HR"),
        )
    with pytest.raises(InspectionError) as missing:
        actions.do_record_checklist_finding(
            actor=personas["rep1"], tour=tour, subject="progress", verdict="problem", note=" "
        )
    assert missing.value.field == "note"
    with pytest.raises(InspectionError) as too_long:
        actions.do_record_checklist_finding(
            actor=personas["rep1"], tour=tour, subject="progress", verdict="ok", note="长" * 2001
        )
    assert too_long.value.field == "note"
    with pytest.raises(PermissionDenied):
        actions.do_record_checklist_finding(
            actor=personas["worker1"], tour=tour, subject="progress", verdict="ok"
        )


def test_a_failing_provider_is_left_out(db, personas, hazards, caplog, monkeypatch):
    def broken(unit):
        raise RuntimeError("boom")

    monkeypatch.setitem(hooks._inspection_providers, "contract", [broken])
    with caplog.at_level(logging.ERROR, logger="zhijia.core.hooks"):
        tour = plan_tour(personas["branch1"])
    assert ChecklistEntry.objects.get(tour=tour, subject="contract").facts == []
    assert "boom" in caplog.text


def test_pages_pdf_excel_and_api(db, personas, hazards, login, api_client):
    tour = plan_tour(personas["branch1"], [personas["rep1"]])
    page = login("rep1").get(f"/congress/inspections/{tour.pk}/checklist/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "未闭环的安全隐患" in html and "会议决议的落实情况" in html
    assert login("worker1").get(f"/congress/inspections/{tour.pk}/checklist/").status_code == 404
    cadre = login("branch1")
    posted = cadre.post(
        f"/congress/inspections/{tour.pk}/checklist/safety/",
        {"safety-verdict": "problem", "safety-note": ""},
    )
    assert posted.status_code == 400 and "请填写检查情况" in posted.content.decode()
    assert cadre.get(f"/congress/inspections/{tour.pk}/checklist/export.xlsx").status_code == 200
    api = api_client("rep1")
    got = api.get(f"/api/v1/congress/inspections/{tour.pk}/checklist").json()
    assert [s["subject"] for s in got["sections"]] == list(ChecklistEntry.Subject.values)
    safety = next(s for s in got["sections"] if s["subject"] == "safety")
    assert {"label": "未闭环的安全隐患", "value": 2} in [
        {"label": f["label"], "value": f["value"]} for f in safety["facts"]
    ]
    answer = api.post(
        f"/api/v1/congress/inspections/{tour.pk}/checklist",
        {"subject": "safety", "verdict": "problem", "note": "灭火器过期"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["finding_id"] == InspectionFinding.objects.get(tour=tour).pk


def test_her_findings_are_in_her_personal_data(db, personas, hazards):
    from zhijia.congress.privacy import personal_data

    tour = plan_tour(personas["branch1"], [personas["rep1"]])
    actions.do_record_checklist_finding(
        actor=personas["rep1"], tour=tour, subject="safety", verdict="problem", note="灭火器过期"
    )
    sheet = next(s for s in personal_data(personas["rep1"]) if "巡视检查" in str(s.title))
    rows = list(sheet.rows)
    assert len(rows) == 1 and rows[0][0] == tour.title and rows[0][3] == "灭火器过期"
