"""API of mediation cases (劳动争议调解)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from zhijia.cases.actions import mediation as actions_mediation
from zhijia.cases.models import MediationCase
from zhijia.cases.queries import mediation as queries_mediation
from zhijia.cases.workflows import MEDIATION
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id, renamed_from
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["cases"])


class MediationIn(Schema):
    category: str
    respondent: str
    claim: str
    contact: str = ""


class MediationOut(Schema):
    id: int
    number: str
    category: str
    respondent: str
    claim: str
    state: str
    state_label: str
    requested_on: dt.date
    deadline_at: dt.datetime | None
    mediator: str | None
    agreement_text: str
    closing_reason: str
    arbitration_open: bool
    arbitration_notice: str | None


def _mediation_out(c: MediationCase) -> dict:
    open_ = queries_mediation.arbitration_open(c)
    return {
        "id": c.pk,
        "number": c.number or "",
        "category": c.category,
        "respondent": c.respondent,
        "claim": c.claim,
        "state": c.state,
        "state_label": c.state_label,
        "requested_on": c.requested_on,
        "deadline_at": c.deadline_at,
        "mediator": c.mediator.get_full_name() if c.mediator_id else None,  # type: ignore[union-attr]
        "agreement_text": c.agreement_text,
        "closing_reason": c.closing_reason,
        "arbitration_open": open_,
        "arbitration_notice": actions_mediation.arbitration_notice_text(c) if open_ else None,
    }


class AcceptIn(Schema):
    mediator_id: Id = renamed_from("mediator_id", "mediator")
    note: str = ""


class MediationSessionIn(Schema):
    held_at: dt.datetime
    place: str
    attendees: str
    minutes: str


class AgreementIn(Schema):
    text: str
    performance_deadline: Date | None = None


class CasesReasonIn(Schema):
    reason: str


class PartyIn(Schema):
    side: str
    name: str
    representative: str = ""
    contact: str = ""


MediationPage = page_schema(MediationOut, name="MediationPage")


@router.get("/mediations", response=MediationPage)
def list_mediations(request, paging: Query[PageParams], state: str = "open"):
    return api_page(
        queries_mediation.mediation_list(request.user, state=state),
        paging.page,
        paging.per_page,
        transform=_mediation_out,
    )


@router.get("/mediations/mine", response=MediationPage)
def my_mediations(request, paging: Query[PageParams]):
    return api_page(
        queries_mediation.my_mediations(request.user),
        paging.page,
        paging.per_page,
        transform=_mediation_out,
    )


@router.post("/mediations", response={201: MediationOut})
def request_mediation(request, payload: MediationIn):
    case = actions_mediation.do_request_mediation(actor=request.user, **payload.dict())
    return Status(201, _mediation_out(case))


@router.get("/mediations/{case_id}", response=MediationOut)
def get_mediation(request, case_id: Id):
    return _mediation_out(queries_mediation.access_mediation(request.user, case_id))


def _managed(user, case_id: int) -> MediationCase:
    """A case the caller reads (else 404) and mediates (else 403)."""
    case = queries_mediation.access_mediation(user, case_id)
    if not queries_mediation.may_manage_mediation(user, case):
        raise PermissionDenied("cases.manage_mediation")
    return case


@router.post("/mediations/{case_id}/parties", response={201: MediationOut})
def add_party(request, case_id: Id, payload: PartyIn):
    case = _managed(request.user, case_id)
    actions_mediation.do_add_party(actor=request.user, case=case, **payload.dict())
    return Status(201, _mediation_out(queries_mediation.access_mediation(request.user, case_id)))


@router.post("/mediations/{case_id}/sessions", response={201: MediationOut})
def record_session(request, case_id: Id, payload: MediationSessionIn):
    case = _managed(request.user, case_id)
    actions_mediation.do_record_session(actor=request.user, case=case, **payload.dict())
    return Status(201, _mediation_out(queries_mediation.access_mediation(request.user, case_id)))


# The workflow steps (MEDIATION declares each one's action and schema): the mediators' accept,
# agreement, failure and decline; the applicant's withdrawal.
add_step_routes(
    router,
    MEDIATION,
    path="/mediations/{case_id}",
    access=_managed,
    record_arg="case",
    response=MediationOut,
    result=lambda user, case: _mediation_out(case),
    names=["accept", "agree", "fail", "decline"],
    arguments={
        "accept": lambda case, payload: {
            "mediator": record_in_body(
                queries_mediation.mediator_choices(case), payload.mediator_id, "mediator_id"
            ),
            "note": payload.note,
        },
    },
    url_names={"agree": "agreement", "fail": "failure"},
    function_names={
        "accept": "accept_mediation",
        "agree": "record_agreement",
        "fail": "record_failure",
        "decline": "decline_mediation",
    },
)
add_step_routes(
    router,
    MEDIATION,
    path="/mediations/{case_id}",
    access=queries_mediation.access_mediation,
    record_arg="case",
    response=MediationOut,
    result=lambda user, case: _mediation_out(case),
    names=["withdraw"],
    function_names={"withdraw": "withdraw_mediation"},
)
