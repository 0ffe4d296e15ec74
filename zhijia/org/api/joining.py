"""API of online joining, mounted at /api/v1/org/join.

    POST /org/join                              public: apply (201, the receipt code, once)
    GET  /org/join/status?code=&phone_last4=    public: the applicant's progress
    GET  /org/join/applications                 cadres: the queue in their scope, paginated
    POST /org/join/applications/{id}/approve    {"employee_no", "join_date"?}
    POST /org/join/applications/{id}/refuse     {"reason"}

Errors {"detail": ...}: 400 invalid values, 422 malformed input, 403 without the permission,
404 unknown or outside the caller's scope, 409 a duplicate or an application already decided,
429 too many submissions or wrong codes from one address.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhijia.core import receipts
from zhijia.core.api_errors import THROTTLED
from zhijia.core.api_types import Date, Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, page_schema
from zhijia.core.permissions import require
from zhijia.org.actions import joining as actions
from zhijia.org.queries import joining as queries
from zhijia.org.workflows import JOIN, REVIEW_JOIN

router = Router(tags=["org: joining"])


class JoinIn(Schema):
    name: str = Field(..., max_length=128)
    id_number: str = Field(..., max_length=40)
    phone: str = Field(..., max_length=32)
    org_unit_id: Id
    department_id: Id | None = None
    employment_type: str = Field(..., max_length=16, description="regular / dispatched / …")
    statement: str = Field("", max_length=2000)
    pledge: bool = Field(..., description="自愿加入工会、承认并遵守工会章程")
    consent: bool = Field(..., description="同意个人信息处理说明")


class JoinReceiptOut(Schema):
    code: str
    state: str
    state_label: str
    org_unit_name: str
    deadline_at: dt.datetime | None


class StatusOut(Schema):
    state: str
    state_label: str
    org_unit_name: str
    submitted_at: dt.datetime
    deadline_at: dt.datetime | None
    refusal_reason: str
    employee_no: str | None


class JoinApplicationOut(Schema):
    id: int
    name: str
    id_number_masked: str
    phone: str
    org_unit_id: Id
    org_unit_name: str
    department_id: Id | None
    department_name: str | None
    employment_type: str
    statement: str
    state: str
    state_label: str
    submitted_at: dt.datetime
    deadline_at: dt.datetime | None
    overdue: bool
    refusal_reason: str
    member_id: Id | None
    employee_no: str | None

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name

    @staticmethod
    def resolve_department_name(obj) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_state_label(obj) -> str:
        return JOIN.state_label(obj.state)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.state == queries.PENDING and obj.is_overdue

    @staticmethod
    def resolve_employee_no(obj) -> str | None:
        return obj.member.employee_no if obj.member_id else None


ApplicationPage = page_schema(JoinApplicationOut, name="JoinApplicationPage")


class ListQuery(PageParams):
    state: str = Field(
        queries.PENDING, description="submitted / overdue / approved / refused / all"
    )


class JoinApproveIn(Schema):
    employee_no: str = Field(..., max_length=64)
    join_date: Date | None = None


class RefuseIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.post("", auth=None, response={201: JoinReceiptOut, **THROTTLED})
def apply(request, payload: JoinIn):
    """Apply to join (no sign-in). The receipt `code` is returned once: keep it."""
    actions.count_submission(request)
    receipt = actions.do_submit_join_application(
        actor=None,
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        org_unit=queries.join_unit(payload.org_unit_id),
        department=(
            queries.join_department(payload.department_id) if payload.department_id else None
        ),
        employment_type=payload.employment_type,
        statement=payload.statement,
        pledge=payload.pledge,
        consent=payload.consent,
    )
    a = receipt.application
    return Status(
        201,
        {
            "code": receipt.code,
            "state": a.state,
            "state_label": JOIN.state_label(a.state),
            "org_unit_name": a.org_unit.name,
            "deadline_at": a.deadline_at,
        },
    )


@router.get("/status", auth=None, response={200: StatusOut, **THROTTLED})
def status(request, response: HttpResponse, code: str = "", phone_last4: str = ""):
    """The applicant's progress: the receipt code and the last four digits of the phone."""
    # RateLimited propagates: zhijia/api.py answers 429 with Retry-After.
    receipts.check_rate_limit(request, queries.RECEIPT_SCOPE, code)
    a = queries.find_by_receipt(code, phone_last4)
    if a is None:
        receipts.register_failure(request, queries.RECEIPT_SCOPE, code)
        raise HttpError(404, _("回执码或手机号后4位不正确"))
    response["Cache-Control"] = "no-store"
    return {
        "state": a.state,
        "state_label": JOIN.state_label(a.state),
        "org_unit_name": a.org_unit.name,
        "submitted_at": a.submitted_at,
        "deadline_at": a.deadline_at,
        "refusal_reason": a.refusal_reason,
        "employee_no": a.member.employee_no if a.member_id and a.member else None,
    }


@router.get("/applications", response=ApplicationPage)
def list_applications(request, filters: Query[ListQuery]):
    require(request.user, REVIEW_JOIN)
    state = filters.state if filters.state in queries.STATE_FILTERS else queries.PENDING
    page = queries.page_applications(
        request.user, state, filters.page, filters.per_page, clamp=False
    )
    return page.envelope()


@router.get("/applications/{application_id}", response=JoinApplicationOut)
def get_application(request, application_id: Id):
    return queries.access_join_application(request.user, application_id)


# approve {"employee_no", "join_date"?} and refuse {"reason"}: the declared actions and schemas.
add_step_routes(
    router,
    JOIN,
    path="/applications/{application_id}",
    access=queries.access_join_application,
    record_arg="application",
    response=JoinApplicationOut,
    result=lambda user, application: application,
    names=["approve", "refuse"],
)
