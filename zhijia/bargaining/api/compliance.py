"""API of compliance checks, mounted at /api/v1/bargaining.

Representatives and cadres: GET /contracts/{id}/checks (the contract's performance)
Cadres: POST /desk/contracts/{id}/checks, POST /desk/checks/{id}/result (a breach opens a
grievance in module cases; evidence files are added on the page)
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from zhijia.bargaining.actions import compliance as actions
from zhijia.bargaining.models import ComplianceCheck
from zhijia.bargaining.queries import compliance as queries
from zhijia.bargaining.queries import contracts as contract_queries
from zhijia.bargaining.queries.common import may_manage
from zhijia.core.api_types import Date, Id
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["bargaining-compliance"])


class BargainingCheckOut(Schema):
    id: int
    contract_id: int
    clause_number: int
    clause_title: str
    due_on: dt.date
    responsible: str
    result: str
    finding: str
    checked_on: dt.date | None
    grievance_id: int | None


class BargainingCheckIn(Schema):
    clause_number: int
    due_on: Date
    responsible: str


class BargainingCheckResultIn(Schema):
    result: str
    finding: str = ""


def _check(c: ComplianceCheck) -> dict:
    return {
        "id": c.pk,
        "contract_id": c.contract_id,
        "clause_number": c.clause.number,
        "clause_title": c.clause.title,
        "due_on": c.due_on,
        "responsible": c.responsible,
        "result": c.result,
        "finding": c.finding,
        "checked_on": c.checked_on,
        "grievance_id": c.grievance_id,
    }


@router.get(
    "/contracts/{int:contract_id}/checks",
    response=page_schema(BargainingCheckOut, name="BargainingCheckPage"),
)
def list_checks(request, contract_id: Id, paging: Query[PageParams]):
    contract = queries.access_compliance(request.user, contract_id)
    return api_page(queries.checks_of(contract), paging.page, paging.per_page, transform=_check)


@router.post("/desk/contracts/{int:contract_id}/checks", response={201: BargainingCheckOut})
def schedule_check(request, contract_id: Id, payload: BargainingCheckIn):
    if not may_manage(request.user):
        raise PermissionDenied
    contract = contract_queries.access_managed_contract(request.user, contract_id)
    check = actions.do_schedule_check(
        actor=request.user,
        contract=contract,
        clause_number=payload.clause_number,
        due_on=payload.due_on,
        responsible=payload.responsible,
    )
    return Status(201, _check(check))


@router.post("/desk/checks/{int:check_id}/result", response=BargainingCheckOut)
def record_result(request, check_id: Id, payload: BargainingCheckResultIn):
    if not may_manage(request.user):
        raise PermissionDenied
    check = queries.access_managed_check(request.user, check_id)
    check = actions.do_record_check_result(
        actor=request.user, check=check, result=payload.result, finding=payload.finding
    )
    return _check(check)
