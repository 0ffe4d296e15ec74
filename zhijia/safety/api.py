"""API of module safety, mounted at /api/v1/safety. Same queries and actions as the pages.

Workers:     POST /hazards (multipart: place, description, category, level, org_unit_id,
             photo), GET /hazards?box=mine|verify, GET /hazards/{id},
             POST /hazards/{id}/verify, /hazards/{id}/reopen (reporter or supervisor)
Cadres:      GET /hazards?box=queue (filters), POST /hazards/{id}/assign, /reassign, /dismiss;
             GET/POST /supervisors, POST /supervisors/{id}/end; GET /tally?year=&unit_id=
Owners:      POST /hazards/{id}/begin, /hazards/{id}/fix (multipart: result, photo)
Errors {"detail"}: 400 bad input, 403 not allowed, 404 unknown or out of reach, 409 the state
does not allow it, 422 malformed body.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import DeprecatedId, Id, RenamedQuery, Workdays, Year, either
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.core.workflow import available_transitions, history_view
from zhijia.org.models import Department, OrgUnit
from zhijia.safety import actions, queries
from zhijia.safety.models import HazardReport
from zhijia.safety.permissions import VIEW_HAZARD
from zhijia.safety.workflows import HAZARD

router = Router(tags=["safety"])


# --- schemas --------------------------------------------------------------------------------------


class SafetyEventOut(Schema):
    transition: str
    label: str
    to_state: str
    actor: str
    at: dt.datetime
    note: str


class HazardSummary(Schema):
    id: int
    number: str
    place: str
    category: str
    level: str
    state: str
    state_label: str
    org_unit_id: Id
    org_unit: str
    owner: str
    deadline_at: dt.datetime | None
    reported_at: dt.datetime
    overdue: bool


class HazardDetail(HazardSummary):
    description: str
    reporter: str
    owner_department_id: Id | None
    owner_user_id: Id | None
    requirement: str
    due_at: dt.datetime | None
    result: str
    fixed_at: dt.datetime | None
    verified_at: dt.datetime | None
    reopen_count: int
    photo_url: str | None
    fix_photo_url: str | None
    actions: list[str]
    history: list[SafetyEventOut]


class ReportIn(Schema):
    place: str
    description: str
    category: str
    level: str = "general"
    org_unit_id: Id | None = None


class SafetyAssignIn(Schema):
    department_id: Id | None = None
    owner_id: Id | None = None
    workdays: Workdays | None = None
    requirement: str = ""


class SafetyReassignIn(SafetyAssignIn):
    reason: str


class SafetyReasonIn(Schema):
    reason: str


class FixIn(Schema):
    result: str


class VerifyIn(Schema):
    note: str = ""


class SupervisorIn(Schema):
    employee_no: str
    org_unit_id: Id
    note: str = ""


class SupervisorOut(Schema):
    id: int
    member_id: Id
    name: str
    employee_no: str
    org_unit_id: Id
    org_unit: str
    appointed_on: dt.date
    ended_on: dt.date | None


class TallyRowOut(Schema):
    unit_id: Id | None
    label: str
    reported: int
    dismissed: int
    major: int
    fixed: int
    verified: int
    on_time: int
    overdue_open: int
    fix_rate: float | None
    on_time_rate: float | None
    supervisors: int


class TallyOut(Schema):
    year: int
    unit_id: Id
    unit: str
    rows: list[TallyRowOut]
    total: TallyRowOut


class SafetyListFilters(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    box: str = "all"  # mine | verify | queue | all
    state: str = ""
    level: str = ""
    unit_id: Id | None = None
    unit: DeprecatedId = None
    overdue: bool = False
    q: str = ""


# --- shaping --------------------------------------------------------------------------------------


def _open_late(h: HazardReport) -> bool:
    return (
        h.deadline_at is not None
        and h.deadline_at < timezone.now()
        and not h.in_state("verified", "dismissed")
    )


def _summary(h: HazardReport) -> dict:
    return {
        "id": h.pk,
        "number": h.number or "",
        "place": h.place,
        "category": h.category,
        "level": h.level,
        "state": h.state,
        "state_label": HAZARD.state_label(h.state),
        "org_unit_id": h.org_unit_id,
        "org_unit": h.org_unit.name,
        "owner": h.owner_label,
        "deadline_at": h.deadline_at,
        "reported_at": h.reported_at,
        "overdue": _open_late(h),
    }


def _file_url(attachment_id) -> str | None:
    from django.urls import reverse

    return reverse("files:attachment-download", args=[attachment_id]) if attachment_id else None


def _detail(user, h: HazardReport) -> dict:
    return {
        **_summary(h),
        "description": h.description,
        "reporter": str(h.reporter),
        "owner_department_id": h.owner_department_id,
        "owner_user_id": h.owner_user_id,
        "requirement": h.requirement,
        "due_at": h.due_at,
        "result": h.result,
        "fixed_at": h.fixed_at,
        "verified_at": h.verified_at,
        "reopen_count": h.reopen_count,
        "photo_url": _file_url(h.photo_id),
        "fix_photo_url": _file_url(h.fix_photo_id),
        "actions": [t.name for t in available_transitions(HAZARD, h, user)],
        "history": [
            {
                "transition": row.transition,
                "label": row.label,
                "to_state": row.to_state,
                "actor": row.actor,
                "at": row.at,
                "note": row.note,
            }
            for row in history_view(h, user, workflow=HAZARD)
        ],
    }


def _fresh(user, hazard_id: Id) -> dict:
    return _detail(user, queries.access_hazard(user, hazard_id))


def _department(pk):
    """The owner department named in a body (404 naming `department_id` when unknown)."""
    return None if pk is None else record_in_body(Department, pk, "department_id")


def _owner(hazard, pk):
    """The owner cadre named in a body: a holder of safety.manage_hazard at the hazard's unit
    or above (anyone else: 404 naming `owner_id`)."""
    if pk is None:
        return None
    return record_in_body(
        queries.owner_cadres_for(hazard.org_unit),
        pk,
        "owner_id",
        _("责任人须为该单位或上级工会的干部"),
    )


def _assignment(hazard, payload) -> dict:
    return {
        "department": _department(payload.department_id),
        "owner": _owner(hazard, payload.owner_id),
        "workdays": payload.workdays,
        "requirement": payload.requirement,
    }


def _row(r) -> dict:
    return {
        "unit_id": r.unit.pk if r.unit else None,
        "label": r.label,
        "reported": r.reported,
        "dismissed": r.dismissed,
        "major": r.major,
        "fixed": r.fixed,
        "verified": r.verified,
        "on_time": r.on_time,
        "overdue_open": r.overdue_open,
        "fix_rate": r.fix_rate,
        "on_time_rate": r.on_time_rate,
        "supervisors": r.supervisors,
    }


def _supervisor(r) -> dict:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "name": r.member.name,
        "employee_no": r.member.employee_no,
        "org_unit_id": r.org_unit_id,
        "org_unit": r.org_unit.name,
        "appointed_on": r.appointed_on,
        "ended_on": r.ended_on,
    }


# --- hazards --------------------------------------------------------------------------------------


@router.get("/hazards", response=page_schema(HazardSummary, name="HazardPage"))
def list_hazards(request, filters: Query[SafetyListFilters]):
    """mine: reported by me; verify: fixed and waiting for my verification; queue: the desk
    (cadres, owners), overdue first; all: everything I may see."""
    user = request.user
    f = filters
    if f.box == "mine":
        qs = queries.my_reports(user)
    elif f.box == "verify":
        qs = queries.to_verify(user)
    elif f.box == "queue":
        if not queries.may_see_queue(user):
            raise PermissionDenied
        qs = queries.queue(
            user,
            queries.QueueFilters(
                state=f.state, unit_id=f.unit_id, level=f.level, overdue_only=f.overdue, q=f.q
            ),
        )
    else:
        qs = queries.late_first(queries.hazards_visible_to(user))
    if f.state and f.box != "queue":
        qs = qs.filter(state=f.state)
    return api_page(qs.select_related("org_unit"), f.page, f.per_page, transform=_summary)


@router.post("/hazards", response={201: HazardDetail})
def report(request, payload: Form[ReportIn], photo: File[UploadedFile] | None = None):
    """Report a hazard (multipart/form-data, `photo` an image). The unit defaults to the
    reporter's own."""
    user = request.user
    if not queries.is_member(user):
        raise PermissionDenied
    if payload.org_unit_id is not None:
        unit = record_in_body(OrgUnit, payload.org_unit_id, "org_unit_id")
    else:
        member = queries.own_member(user)
        assert member is not None  # is_member above
        unit = member.org_unit
    hazard = actions.do_report_hazard(
        actor=user,
        org_unit=unit,
        place=payload.place,
        description=payload.description,
        category=payload.category,
        level=payload.level,
        photo=photo,
    )
    return Status(201, _fresh(user, hazard.pk))


@router.get("/hazards/{int:hazard_id}", response=HazardDetail)
def get_hazard(request, hazard_id: Id):
    return _fresh(request.user, hazard_id)


# Hand-written, not a step route: a multipart body (the result and a photo), which the step
# route factory (core.api_workflow.add_step_routes) does not take.
@router.post("/hazards/{int:hazard_id}/fix", response=HazardDetail)
def fix(request, hazard_id: Id, payload: Form[FixIn], photo: File[UploadedFile] | None = None):
    hazard = queries.access_hazard(request.user, hazard_id)
    actions.do_fix_hazard(actor=request.user, hazard=hazard, result=payload.result, photo=photo)
    return _fresh(request.user, hazard_id)


# assign, reassign, dismiss, begin, verify, reopen: the declared actions, with the body each
# takes (fix is multipart with a photo: hand-written above).
add_step_routes(
    router,
    HAZARD,
    path="/hazards/{int:hazard_id}",
    access=queries.access_hazard,
    record_arg="hazard",
    response=HazardDetail,
    result=_detail,
    names=["assign", "reassign", "dismiss", "begin", "verify", "reopen"],
    schemas={
        "assign": SafetyAssignIn,
        "reassign": SafetyReassignIn,
        "dismiss": SafetyReasonIn,
        "begin": None,
        "verify": VerifyIn,
        "reopen": SafetyReasonIn,
    },
    arguments={
        "assign": _assignment,
        "reassign": lambda hazard, payload: {
            **_assignment(hazard, payload),
            "reason": payload.reason,
        },
    },
    function_names={"begin": "start_rectification"},
)


# --- supervisors ----------------------------------------------------------------------------------


@router.get("/supervisors", response=page_schema(SupervisorOut, name="SafetySupervisorPage"))
def list_supervisors(request, paging: Query[PageParams], active: bool = True):
    if (
        not has_perm(request.user, VIEW_HAZARD)
        and not queries.units_managed_by(request.user).exists()
    ):
        raise PermissionDenied
    qs = queries.supervisors_visible_to(request.user)
    if active:
        qs = qs.filter(ended_on__isnull=True)
    return api_page(qs, paging.page, paging.per_page, transform=_supervisor)


@router.post("/supervisors", response={201: SupervisorOut})
def designate(request, payload: SupervisorIn):
    units = queries.units_managed_by(request.user)
    if not units.exists():
        raise PermissionDenied
    unit = record_in_body(OrgUnit, payload.org_unit_id, "org_unit_id")
    member = queries.member_by_employee_no(payload.employee_no)
    if member is None:
        raise ActionRefused(_("没有这个工号的会员"), field="employee_no")
    row = actions.do_designate_supervisor(
        actor=request.user, member=member, org_unit=unit, note=payload.note
    )
    return Status(201, _supervisor(row))


@router.post("/supervisors/{int:supervisor_id}/end", response=SupervisorOut)
def end_supervisor(request, supervisor_id: Id):
    row = queries.access_supervisor(request.user, supervisor_id)
    return _supervisor(actions.do_end_supervisor(actor=request.user, supervisor=row))


# --- 安康杯 ---------------------------------------------------------------------------------------


@router.get("/tally", response=TallyOut)
def tally(request, year: Year | None = None, unit_id: Id | None = None, unit: DeprecatedId = None):
    """The 安康杯 tally of a year by unit (`unit_id`; `unit` is its deprecated old name)."""
    user = request.user
    if not has_perm(user, VIEW_HAZARD):
        raise PermissionDenied
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ActionRefused(_("年份不正确"), field="year")
    unit_id = either(unit_id, unit)
    if unit_id is not None:
        root = queries.access_tally_unit(user, unit_id)
    else:
        roots = queries.tally_roots(user)
        if not roots:
            raise PermissionDenied
        root = roots[0]
    result = queries.tally(root, year)
    return {
        "year": year,
        "unit_id": root.pk,
        "unit": root.name,
        "rows": [_row(r) for r in result.rows],
        "total": _row(result.total),
    }
