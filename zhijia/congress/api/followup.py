"""API of the resolution follow-up (决议落实跟踪), mounted at /api/v1/congress/followup.

Plans: GET "" (visible; ?mine=true: my departments'), POST "" (the congress office),
GET /{plan_id}, POST /{plan_id}/milestones (the office), POST /{plan_id}/reports (the
responsible department's handler or the office).
Milestones: POST /milestones/{milestone_id}/complete|verify|send-back.
The report to the next session: GET /sessions/{session_id}/report,
POST /sessions/{session_id}/publish (the office: to affairs disclosure).
Out-of-scope records are 404; errors are {"detail": ...}.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhijia.congress import followup_rules as rules
from zhijia.congress.actions import followup as actions
from zhijia.congress.queries import followup as queries
from zhijia.congress.workflows import MILESTONE
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.workflow import available_transitions

router = Router(tags=["congress-followup"])


class CongressFollowupSummary(Schema):
    id: int
    title: str
    kind: str  # "resolution" | "proposal"
    agenda_item_id: Id | None
    proposal_id: Id | None
    session_id: Id
    session_name: str
    department_id: Id
    department_name: str
    responsible: str
    state: str  # not_started | on_track | overdue | done
    state_label: str
    milestones_done: int
    milestones_total: int


class CongressMilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    state: str
    state_label: str
    result: str
    late: bool
    escalation_level: int
    actions: list[str]


class CongressFollowupReportOut(Schema):
    id: int
    period: str
    progress: str
    changes: str
    problems: str
    author_name: str
    created_at: datetime


class CongressFollowupDetail(CongressFollowupSummary):
    measures: str
    milestones: list[CongressMilestoneOut]
    reports: list[CongressFollowupReportOut]
    can_manage: bool
    can_report: bool


class CongressFollowupIn(Schema):
    agenda_item_id: Id | None = None
    proposal_id: Id | None = None
    department_id: Id
    responsible: str
    measures: str


class CongressMilestoneIn(Schema):
    title: str
    due_date: Date


class CongressFollowupReportIn(Schema):
    period: str = ""
    progress: str
    changes: str
    problems: str


class CongressMilestoneResultIn(Schema):
    result: str


class CongressMilestoneNoteIn(Schema):
    note: str = ""


class CongressMilestoneReasonIn(Schema):
    reason: str


class CongressReportRowOut(Schema):
    plan_id: Id
    title: str
    department_name: str
    state: str
    state_label: str
    milestones: list[str]
    latest_progress: str
    latest_changes: str
    latest_problems: str


class CongressResolutionsReportOut(Schema):
    session_id: Id
    session_name: str
    rows: list[CongressReportRowOut]
    unplanned: list[str]  # resolutions passed before the session that have no plan yet
    resolutions: int
    done: int


# --- serialisation -------------------------------------------------------------------------------


def _summary(plan, today=None) -> dict:
    today = today or timezone.localdate()
    facts = queries.facts(plan.milestones.all())
    state = rules.resolution_state(facts, today)
    done, total = rules.progress(facts)
    return {
        "id": plan.pk,
        "title": plan.title,
        "kind": "resolution" if plan.is_resolution else "proposal",
        "agenda_item_id": plan.agenda_item_id,
        "proposal_id": plan.proposal_id,
        "session_id": plan.session_id,
        "session_name": str(plan.session),
        "department_id": plan.department_id,
        "department_name": plan.department.name,
        "responsible": plan.responsible,
        "state": state,
        "state_label": queries.state_label(state),
        "milestones_done": done,
        "milestones_total": total,
    }


def _milestone(m, user, today) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "due_date": m.due_date,
        "state": m.state,
        "state_label": MILESTONE.state_label(m.state),
        "result": m.result,
        "late": m.in_state(MILESTONE.states.open) and m.due_date < today,
        "escalation_level": m.escalation_level,
        "actions": [t.name for t in available_transitions(MILESTONE, m, user)],
    }


def _detail(user, plan) -> dict:
    plan = queries.access_plan(user, plan.pk)
    today = timezone.localdate()
    return {
        **_summary(plan, today),
        "measures": plan.measures,
        "milestones": [_milestone(m, user, today) for m in queries.milestones_of(plan)],
        "reports": [
            {
                "id": r.pk,
                "period": r.period,
                "progress": r.progress,
                "changes": r.changes,
                "problems": r.problems,
                "author_name": r.author_name,
                "created_at": r.created_at,
            }
            for r in queries.reports_of(plan)
        ],
        "can_manage": queries.can_manage(user, plan.org_unit),
        "can_report": queries.can_report(user, plan),
    }


def _milestone_plan(user, milestone) -> dict:
    return _detail(user, milestone.plan)


def _report(session) -> dict:
    rows = queries.report_rows(session)
    return {
        "session_id": session.pk,
        "session_name": str(session),
        "rows": [
            {
                "plan_id": r.plan.pk,
                "title": r.plan.title,
                "department_name": r.plan.department.name,
                "state": r.state,
                "state_label": r.state_label,
                "milestones": [f"{m.title}（{m.due_date}，{m.state_label}）" for m in r.milestones],
                "latest_progress": r.latest.progress if r.latest else "",
                "latest_changes": r.latest.changes if r.latest else "",
                "latest_problems": r.latest.problems if r.latest else "",
            }
            for r in rows
        ],
        "unplanned": [i.title for i in queries.unplanned_resolutions(session)],
        "resolutions": len(rows),
        "done": sum(1 for r in rows if r.state == rules.DONE),
    }


# --- plans ---------------------------------------------------------------------------------------


@router.get("", response=page_schema(CongressFollowupSummary, name="CongressFollowupPage"))
def list_followup_plans(request, paging: Query[PageParams], mine: bool = False):
    if not queries.may_see_followup(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return api_page(
        queries.plans_for(request.user, mine_only=mine),
        paging.page,
        paging.per_page,
        transform=lambda p: _summary(p, today),
    )


@router.post("", response={201: CongressFollowupDetail})
def create_followup_plan(request, payload: CongressFollowupIn):
    user = request.user
    if not queries.units_managed(user).exists():
        raise PermissionDenied  # the caller runs no congress office anywhere
    item = proposal = None
    if payload.agenda_item_id is not None:
        item = record_in_body(
            queries.items_in_scope(user), payload.agenda_item_id, "agenda_item_id", _("议程不存在")
        )
    if payload.proposal_id is not None:
        proposal = record_in_body(
            queries.proposals_in_scope(user), payload.proposal_id, "proposal_id", _("提案不存在")
        )
    department = record_in_body(queries.departments(), payload.department_id, "department_id")
    plan = actions.do_create_plan(
        actor=user,
        agenda_item=item,
        proposal=proposal,
        department=department,
        responsible=payload.responsible,
        measures=payload.measures,
    )
    return Status(201, _detail(user, plan))


@router.get("/{int:plan_id}", response=CongressFollowupDetail)
def get_followup_plan(request, plan_id: Id):
    return _detail(request.user, queries.access_plan(request.user, plan_id))


@router.post("/{int:plan_id}/milestones", response={201: CongressFollowupDetail})
def add_followup_milestone(request, plan_id: Id, payload: CongressMilestoneIn):
    plan = queries.access_plan(request.user, plan_id)
    actions.do_add_milestone(
        actor=request.user, plan=plan, title=payload.title, due_date=payload.due_date
    )
    return Status(201, _detail(request.user, plan))


@router.post("/{int:plan_id}/reports", response={201: CongressFollowupDetail})
def add_followup_report(request, plan_id: Id, payload: CongressFollowupReportIn):
    plan = queries.access_plan(request.user, plan_id)
    actions.do_add_report(actor=request.user, plan=plan, **payload.dict())
    return Status(201, _detail(request.user, plan))


# The milestone's workflow steps (core.api_workflow): complete, verify, send-back.
add_step_routes(
    router,
    MILESTONE,
    path="/milestones/{int:milestone_id}",
    access=queries.access_milestone,
    record_arg="milestone",
    response=CongressFollowupDetail,
    result=_milestone_plan,
    names=["complete", "verify", "send_back"],
    schemas={
        "complete": CongressMilestoneResultIn,
        "verify": CongressMilestoneNoteIn,
        "send_back": CongressMilestoneReasonIn,
    },
    url_names={"send_back": "send-back"},
    function_names={
        "complete": "complete_followup_milestone",
        "verify": "verify_followup_milestone",
        "send_back": "send_back_followup_milestone",
    },
)


# --- the report to the next session ----------------------------------


@router.get("/sessions/{int:session_id}/report", response=CongressResolutionsReportOut)
def get_followup_report(request, session_id: Id):
    return _report(queries.access_report_session(request.user, session_id))


@router.post("/sessions/{int:session_id}/publish", response=CongressResolutionsReportOut)
def publish_followup_report(request, session_id: Id):
    session = queries.access_report_session(request.user, session_id)
    actions.do_publish_followup_report(actor=request.user, session=session)
    return _report(session)
