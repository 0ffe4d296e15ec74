"""API of the hardship registry and the eligibility calculator. Hardship files are read only by
the cadres holding assistance.view_hardship over the member's unit (403 / 404 otherwise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from zhijia.assistance import permissions as perms
from zhijia.assistance import privacy, rules
from zhijia.assistance.actions import config as actions_config
from zhijia.assistance.actions import registry as actions_registry
from zhijia.assistance.models import HardshipFile
from zhijia.assistance.queries import common as queries
from zhijia.assistance.queries import registry as queries_registry
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.org.queries.members import own_member

router = Router(tags=["assistance"])

Money = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)


class HouseholdOut(Schema):
    id: int
    relation: str
    relation_label: str
    age: int
    monthly_income: Decimal
    health: str
    health_label: str
    note: str

    @staticmethod
    def resolve_relation_label(obj) -> str:
        return str(obj.get_relation_display())

    @staticmethod
    def resolve_health_label(obj) -> str:
        return str(obj.get_health_display())


class ExpenseOut(Schema):
    id: int
    kind: str
    kind_label: str
    monthly_amount: Decimal
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class ReviewOut(Schema):
    id: int
    reviewed_on: dt.date
    outcome: str
    category: str
    per_capita_income: Decimal
    note: str
    reviewer: str

    @staticmethod
    def resolve_reviewer(obj) -> str:
        return str(obj.reviewer) if obj.reviewer_id else ""


class FileOut(Schema):
    id: int
    member_id: Id
    member_name: str
    employee_no: str
    unit: str
    status: str
    category: str
    category_label: str
    causes: list[str]
    per_capita_income: Decimal
    household_size: int
    next_review_on: dt.date | None
    last_reviewed_on: dt.date | None
    exited_on: dt.date | None
    exit_reason: str
    purge_after: dt.date | None

    @staticmethod
    def resolve_member_name(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_employee_no(obj) -> str:
        return obj.member.employee_no

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.member.org_unit.name

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display()) if obj.category else ""


class AssessmentOut(Schema):
    category: str
    categories: list[str]
    per_capita_income: Decimal
    annual_income: Decimal
    loss_ratio: Decimal | None
    dibao_line: Decimal


class FileDetailOut(FileOut):
    cause_note: str
    medical_details: str
    applicant_monthly_income: Decimal
    other_monthly_income: Decimal
    accident_loss: Decimal
    accident_description: str
    exit_note: str
    household: list[HouseholdOut]
    expenses: list[ExpenseOut]
    reviews: list[ReviewOut]
    assessment: AssessmentOut

    @staticmethod
    def resolve_household(obj):
        return list(queries_registry.household_of(obj))

    @staticmethod
    def resolve_expenses(obj):
        return list(queries_registry.expenses_of(obj))

    @staticmethod
    def resolve_reviews(obj):
        return list(queries_registry.reviews_of(obj))

    @staticmethod
    def resolve_assessment(obj):
        return _assessment_out(queries_registry.assess_file(obj), obj.member.org_unit)


def _assessment_out(a: rules.Assessment, unit) -> dict:
    return {
        "category": a.category,
        "categories": list(a.categories),
        "per_capita_income": a.per_capita_income,
        "annual_income": a.annual_income,
        "loss_ratio": a.loss_ratio,
        "dibao_line": queries.eligibility_config_for(unit).dibao_line,
    }


class FileFields(Schema):
    causes: list[str] | None = None
    cause_note: str | None = Field(None, max_length=200)
    medical_details: str | None = Field(None, max_length=4000)
    applicant_monthly_income: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    other_monthly_income: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    accident_loss: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    accident_description: str | None = Field(None, max_length=200)


class FileIn(FileFields):
    member_id: Id
    causes: list[str]


class HouseholdIn(Schema):
    relation: str = Field(..., max_length=16)
    age: int = Field(..., ge=0, le=130)
    monthly_income: Decimal = Money
    health: str = Field("healthy", max_length=16)
    note: str = Field("", max_length=100)


class ExpenseIn(Schema):
    kind: str = Field(..., max_length=16)
    monthly_amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=100)


class RegistryReviewIn(Schema):
    outcome: str = Field(..., max_length=16, description="continue / exit")
    note: str = Field("", max_length=300)
    exit_reason: str = Field("", max_length=32)
    reviewed_on: Date | None = None


class ExitIn(Schema):
    reason: str = Field(..., max_length=32)
    note: str = Field("", max_length=300)
    exited_on: Date | None = None


class FileQuery(Schema):
    q: str = Field("", max_length=64)
    status: str = Field("", max_length=16)
    category: str = Field("", max_length=16)
    due: bool = False


def _fields(payload: Schema) -> dict:
    return {k: v for k, v in payload.model_dump(exclude_unset=True).items() if k != "member_id"}


@router.get("/files", response=page_schema(FileOut, name="AssistanceFilePage"))
def list_files(request, filters: Query[FileQuery], paging: Query[PageParams]):
    """Hardship files in the caller's scope (newest first)."""
    if not has_perm(request.user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    f = queries_registry.FileFilters(**filters.model_dump())
    rows = queries_registry.list_files_for_user(request.user, f)
    return api_page(rows, paging.page, paging.per_page)


@router.get("/files/due-review", response=page_schema(FileOut, name="AssistanceFilePage"))
def files_due(request, paging: Query[PageParams]):
    """Active files whose yearly review is overdue or due within a month."""
    if not has_perm(request.user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    rows = queries_registry.files_due_for_review(request.user)
    return api_page(rows, paging.page, paging.per_page)


@router.post("/files", response={201: FileDetailOut})
def create_file(request, payload: FileIn):
    if not has_perm(request.user, perms.MANAGE_HARDSHIP):
        raise PermissionDenied
    member = record_in_body(
        queries_registry.members_for_filing(request.user), payload.member_id, "member_id"
    )
    file = actions_registry.do_create_file(actor=request.user, member=member, **_fields(payload))
    return Status(201, file)


@router.get("/files/{file_id}", response=FileDetailOut)
def get_file(request, file_id: Id):
    file = queries_registry.access_file(request.user, file_id)
    privacy.record_file_read(request.user, file)
    return file


def _managed(request, file_id: Id) -> HardshipFile:
    file = queries_registry.access_file(request.user, file_id)
    if not queries_registry.can_manage_file(request.user, file):
        raise PermissionDenied
    return file


@router.patch("/files/{file_id}", response=FileDetailOut)
def update_file(request, file_id: Id, payload: FileFields):
    file = _managed(request, file_id)
    actions_registry.do_update_file(actor=request.user, file=file, values=_fields(payload))
    return queries_registry.access_file(request.user, file_id)


@router.post("/files/{file_id}/household", response={201: HouseholdOut})
def add_household(request, file_id: Id, payload: HouseholdIn):
    file = _managed(request, file_id)
    person = actions_registry.do_add_household_member(
        actor=request.user, file=file, **payload.model_dump()
    )
    return Status(201, person)


@router.delete("/files/{file_id}/household/{person_id}", response={204: None})
def remove_household(request, file_id: Id, person_id: Id):
    file = _managed(request, file_id)
    actions_registry.do_remove_household_member(actor=request.user, file=file, person_id=person_id)
    return Status(204, None)


@router.post("/files/{file_id}/expenses", response={201: ExpenseOut})
def add_expense(request, file_id: Id, payload: ExpenseIn):
    file = _managed(request, file_id)
    expense = actions_registry.do_add_expense(actor=request.user, file=file, **payload.model_dump())
    return Status(201, expense)


@router.delete("/files/{file_id}/expenses/{expense_id}", response={204: None})
def remove_expense(request, file_id: Id, expense_id: Id):
    file = _managed(request, file_id)
    actions_registry.do_remove_expense(actor=request.user, file=file, expense_id=expense_id)
    return Status(204, None)


@router.post("/files/{file_id}/review", response={201: ReviewOut})
def review_file(request, file_id: Id, payload: RegistryReviewIn):
    file = _managed(request, file_id)
    review = actions_registry.do_review_file(actor=request.user, file=file, **payload.model_dump())
    return Status(201, review)


@router.post("/files/{file_id}/exit", response=FileDetailOut)
def exit_file(request, file_id: Id, payload: ExitIn):
    file = _managed(request, file_id)
    actions_registry.do_exit_file(actor=request.user, file=file, **payload.model_dump())
    return queries_registry.access_file(request.user, file_id)


# --- the calculator and the configuration ---------------------------------------------------------


class EligibilityIn(Schema):
    household_size: int = Field(..., ge=1, le=30)
    monthly_income: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    monthly_rigid_spending: Decimal = Money
    accident_loss: Decimal = Money
    unit_id: Id | None = Field(None, description="按该单位的低保标准测算；默认本人所在单位")


@router.post("/eligibility", response=AssessmentOut)
def eligibility(request, payload: EligibilityIn):
    """The eligibility calculator (any signed-in user: it reads no record)."""
    unit = (
        record_in_body(queries.all_units(), payload.unit_id, "unit_id")
        if payload.unit_id is not None
        else None
    )
    if unit is None:
        member = own_member(request.user)
        unit = member.org_unit if member else None
    household = rules.Household(
        size=payload.household_size,
        monthly_income=payload.monthly_income,
        monthly_rigid_spending=payload.monthly_rigid_spending,
        accident_loss=payload.accident_loss,
    )
    config = queries.eligibility_config_for(unit)
    assessment = rules.assess(household, config)
    out = _assessment_out(assessment, unit)
    out["dibao_line"] = config.dibao_line
    return out


class ConfigOut(Schema):
    unit_id: Id | None
    own_row: bool
    dibao_line: Decimal
    relative_factor: Decimal
    accident_loss_ratio: Decimal
    notice_workdays: int
    retention_years: int
    review_interval_months: int


class ConfigIn(Schema):
    unit_id: Id
    dibao_line: Decimal | None = Field(None, gt=0, max_digits=10, decimal_places=2)
    relative_factor: Decimal | None = Field(None, ge=1, max_digits=4, decimal_places=2)
    accident_loss_ratio: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=2)
    notice_workdays: int | None = Field(None, ge=1, le=30)
    retention_years: int | None = Field(None, ge=1, le=50)
    review_interval_months: int | None = Field(None, ge=1, le=36)


def _config_out(unit, row) -> dict:
    return {
        "unit_id": unit.pk if unit else None,
        "own_row": bool(row.pk and unit and row.org_unit_id == unit.pk),
        **{name: getattr(row, name) for name in actions_config.LIMITS},
    }


def _config_unit(request, unit_id: Id | None):
    units = queries.units_in_scope(request.user, perms.CONFIGURE)
    first = units.first()
    if first is None:
        raise PermissionDenied
    return first if unit_id is None else record_in_body(units, unit_id, "unit_id")


@router.get("/config", response=ConfigOut)
def get_config(request, unit_id: Id | None = None):
    unit = _config_unit(request, unit_id)
    return _config_out(unit, queries.config_for(unit))


@router.put("/config", response=ConfigOut)
def set_config(request, payload: ConfigIn, response: HttpResponse):
    unit = _config_unit(request, payload.unit_id)
    values = payload.model_dump(exclude_unset=True)
    values.pop("unit_id", None)
    row = actions_config.do_set_config(actor=request.user, unit=unit, values=values)
    return _config_out(unit, row)
