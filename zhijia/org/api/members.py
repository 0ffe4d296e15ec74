"""API of module org: the caller's own record, the member directory, changes, transfers and
dues (the month's records, generating a month, recording payments, arrears: /api/v1/org/dues).

Thin: the same queries and actions as the pages, hence the same permission layer. Errors:
400 invalid values ({"detail": {field: [messages]}}), 422 malformed input, 403 a role without
the permission, 404 a record outside the caller's scope, 409 a duplicate 工号 or 身份证号, or a
payment for a month whose dues were not generated.
身份证号 only ever leave masked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from zhijia.core.api_aliases import RouterWithAliases
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, DeprecatedId, Id, RenamedQuery, Year
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import require
from zhijia.org.actions import members as actions
from zhijia.org.api.dues import DuesLedger
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.org.queries import dues as dues_queries
from zhijia.org.queries import members as queries

# Mounted at /api/v1/org; `router.aliases` serves the same endpoints at the API root, where
# clients called them before (DESIGN.md names GET /me, /members and /members/{id}).
router = RouterWithAliases(tags=["org"], new_prefix="/org")


class MemberOut(Schema):
    id: int
    employee_no: str
    name: str
    gender: str
    id_number_masked: str
    phone: str
    org_unit_id: Id
    org_unit_name: str
    department_id: Id | None
    department_name: str | None
    job: str
    employment_type: str
    join_date: dt.date | None
    status: str

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name

    @staticmethod
    def resolve_department_name(obj) -> str | None:
        return obj.department.name if obj.department_id else None


MemberPage = page_schema(MemberOut, name="MemberPage")


class MemberListQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    q: str = Field("", max_length=64)
    unit_id: Id | None = None
    unit: DeprecatedId = None
    status: str = ""


class MemberIn(Schema):
    employee_no: str = Field(..., max_length=64)
    name: str = Field(..., max_length=128)
    gender: str = Field(..., max_length=8, description="M / F（或 男 / 女）")
    id_number: str = Field(..., max_length=40)
    org_unit_id: Id
    phone: str = Field("", max_length=32)
    department_id: Id | None = None
    job: str = Field("", max_length=128)
    employment_type: str = Field("regular", max_length=16)
    join_date: Date | None = None
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class MemberPatch(Schema):
    employee_no: str | None = Field(None, max_length=64)
    name: str | None = Field(None, max_length=128)
    gender: str | None = Field(None, max_length=8)
    id_number: str | None = Field(None, max_length=40)
    phone: str | None = Field(None, max_length=32)
    department_id: Id | None = None
    job: str | None = Field(None, max_length=128)
    employment_type: str | None = Field(None, max_length=16)
    join_date: Date | None = None
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class MemberTransferIn(Schema):
    to_unit_id: Id | None = Field(None, description="目标工会；为空表示转出本会")
    effective_date: Date
    reason: str = Field("", max_length=200)


class TransferOut(Schema):
    id: int
    from_unit_id: Id
    from_unit_name: str
    to_unit_id: Id | None
    to_unit_name: str | None
    effective_date: dt.date
    reason: str

    @staticmethod
    def resolve_from_unit_name(obj) -> str:
        return obj.from_unit.name

    @staticmethod
    def resolve_to_unit_name(obj) -> str | None:
        return obj.to_unit.name if obj.to_unit_id else None


_GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F"}
_EMPLOYMENT = {str(label): value for value, label in Member.EmploymentType.choices}


def _fields_from(payload: dict) -> dict:
    """API field names and labels to the actions' keyword arguments."""
    data = dict(payload)
    if "gender" in data and data["gender"] is not None:
        data["gender"] = _GENDERS.get(data["gender"], data["gender"])
    if data.get("employment_type") in _EMPLOYMENT:
        data["employment_type"] = _EMPLOYMENT[data["employment_type"]]
    if "department_id" in data:
        dept_id = data.pop("department_id")
        data["department"] = (
            record_in_body(Department, dept_id, "department_id") if dept_id is not None else None
        )
    for key in ("phone", "job"):
        if key in data and data[key] is None:
            data[key] = ""
    return data


@router.get("/me", response=MemberOut)
def me(request):
    """The caller's own member record (404 when the account has none)."""
    member = queries.own_member(request.user)
    if member is None:
        raise Http404
    return member


@router.get("/members", response=MemberPage)
def member_list(request, filters: Query[MemberListQuery]):
    """Members in the caller's scope; `q` searches name, 工号, pinyin, initials, phone tail."""
    require(request.user, "org.view_member")
    if filters.status and filters.status not in Member.Status.values:
        raise ActionRefused(
            _("状态应为 %(values)s 之一") % {"values": ", ".join(Member.Status.values)},
            field="status",
        )
    unit = None
    if filters.unit_id is not None:
        visible = {
            u.pk: u for u in queries.list_units_visible_to(request.user, include_closed=True)
        }
        unit = visible.get(filters.unit_id)
        if unit is None:
            raise Http404
    f = queries.MemberFilters(q=filters.q.strip(), unit=unit, status=filters.status)
    page = queries.page_members(request.user, f, filters.page, filters.per_page, clamp=False)
    return page.envelope()


@router.post("/members", response={201: MemberOut})
def member_create(request, payload: MemberIn):
    data = _fields_from(payload.dict())
    unit = record_in_body(OrgUnit, data.pop("org_unit_id"), "org_unit_id")
    member = actions.do_create_member(actor=request.user, org_unit=unit, **data)
    return queries.access_member(request.user, member.pk)


@router.get("/members/{member_id}", response=MemberOut)
def member_detail(request, member_id: Id):
    return queries.access_member(request.user, member_id)


@router.patch("/members/{member_id}", response=MemberOut)
def member_update(request, member_id: Id, payload: MemberPatch):
    member = queries.access_member(request.user, member_id)
    changes = _fields_from(payload.dict(exclude_unset=True))
    actions.do_update_member(actor=request.user, member=member, changes=changes)
    return queries.access_member(request.user, member_id)


@router.post("/members/{member_id}/transfer", response={201: TransferOut})
def member_transfer(request, member_id: Id, payload: MemberTransferIn):
    member = queries.access_member(request.user, member_id)
    to_unit = None
    if payload.to_unit_id is not None:
        to_unit = record_in_body(OrgUnit, payload.to_unit_id, "to_unit_id")
    transfer = actions.do_transfer_member(
        actor=request.user,
        member=member,
        to_unit=to_unit,
        effective_date=payload.effective_date,
        reason=payload.reason,
    )
    return transfer


@router.get(
    "/members/{member_id}/transfers", response=page_schema(TransferOut, "MemberTransferPage")
)
def member_transfers(request, member_id: Id, paging: Query[PageParams]):
    member = queries.access_member(request.user, member_id)
    return api_page(queries.transfers_of(member), paging.page, paging.per_page)


@router.get("/members/{member_id}/dues", response=DuesLedger)
def member_dues(request, member_id: Id, year: Year | None = None):
    """The member's monthly dues: their own, or any in the caller's org.manage_dues scope."""
    member = dues_queries.access_member_dues(request.user, member_id)
    records = dues_queries.dues_of(member, year)
    summary = dues_queries.summarize_dues(records)
    status = dues_queries.member_dues_status(member)
    return {
        "dues_mode": status.mode,
        "payment_note": status.payment_note,
        "unpaid_months": status.unpaid_months,
        "paid_through": status.paid_through.strftime("%Y-%m") if status.paid_through else None,
        "member_id": member.pk,
        "items": list(records),
        "amount_due": summary.amount_due,
        "amount_paid": summary.amount_paid,
        "amount_unpaid": summary.amount_unpaid,
    }
