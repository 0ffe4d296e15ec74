"""API of collective contracts, mounted at /api/v1/bargaining. Same queries and actions, so
the same rules, as the pages.

Members:  GET /contracts (in force over their unit, Art. 48), GET /contracts/{id} (the text)
Cadres:   GET /desk/contracts, POST /desk/contracts (a draft with its clauses),
          GET /desk/contracts/{id} (versions, clauses, vote, dates),
          POST /desk/contracts/{id}/clauses, POST /desk/contracts/{id}/versions,
          GET /desk/contracts/{id}/diff?a=&b= (clause by clause),
          POST /desk/contracts/{id}/vote/prepare (an encrypted vote: trustees, key),
          POST /desk/contracts/{id}/vote/open, POST /desk/contracts/{id}/vote/close (Art. 36),
          the steps POST /desk/contracts/{id}/sign | file | object | revise
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status

from zhijia.bargaining.actions import contracts as actions
from zhijia.bargaining.models import Contract
from zhijia.bargaining.queries import contracts as queries
from zhijia.bargaining.queries.common import managed_units, may_manage
from zhijia.bargaining.queries.rounds import managed_rounds
from zhijia.bargaining.workflows import CONTRACT
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema

router = Router(tags=["bargaining-contracts"])


def _require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied


def _desk_contract(user, contract_id) -> Contract:
    _require_manager(user)
    return queries.access_managed_contract(user, contract_id)


class BargainingClauseOut(Schema):
    number: int
    title: str
    text: str
    measurable: bool


class BargainingContractOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    org_unit_id: int
    org_unit_name: str
    employer_name: str
    state: str
    state_label: str
    effective_on: dt.date | None
    expires_on: dt.date | None


class BargainingContractText(BargainingContractOut):
    version: int | None
    clauses: list[BargainingClauseOut]


class BargainingVersionOut(Schema):
    number: int
    note: str
    frozen: bool


class BargainingContractDetail(BargainingContractText):
    term_years: int
    vote_basis: str
    round_id: int | None
    poll_id: int | None
    vote_total: int | None
    vote_present: int | None
    vote_yes: int | None
    signed_on: dt.date | None
    union_signer: str
    employer_signer: str
    filing_due_on: dt.date | None
    bureau: str
    bureau_received_on: dt.date | None
    objection_until: dt.date | None
    versions: list[BargainingVersionOut]
    # a women's special contract: where it falls short of 女职工劳动保护特别规定
    women_findings: list[str]


class BargainingClauseChangeOut(Schema):
    number: str
    kind: str
    title: str
    old: str
    new: str


class BargainingDiffOut(Schema):
    a: int
    b: int
    changes: list[BargainingClauseChangeOut]


class BargainingDiffParams(Schema):
    a: Id
    b: Id


class BargainingVoteOut(Schema):
    # False: an encrypted poll was closed and waits for its trustees' decryption; the counts
    # are then empty and the same call, made again after it, decides.
    decided: bool
    total: int | None
    present: int | None
    yes: int | None
    quorum: bool | None
    majority: bool | None
    passed: bool | None
    message: str


class BargainingVoteIn(Schema):
    paper: bool = False  # a hall vote on paper: its totals are entered in module voting
    total: int | None = None  # all representatives or workers (default: the roll)


class BargainingPollOut(Schema):
    poll_id: int
    roll: int


class BargainingClauseIn(Schema):
    title: str
    text: str
    measurable: bool = False


class BargainingContractIn(Schema):
    org_unit_id: Id
    kind: str
    title: str
    employer_name: str
    term_years: int = 3
    vote_basis: str = Contract.VoteBasis.REPRESENTATIVES
    round_id: Id | None = None
    clauses: list[BargainingClauseIn] = []


class BargainingVersionIn(Schema):
    note: str = ""


class BargainingSignIn(Schema):
    signed_on: Date
    union_signer: str
    employer_signer: str


class BargainingFileIn(Schema):
    bureau: str
    bureau_received_on: Date


class BargainingObjectionIn(Schema):
    reason: str


def _contract(c: Contract) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "employer_name": c.employer_name,
        "state": c.state,
        "state_label": c.state_label,
        "effective_on": c.effective_on,
        "expires_on": c.expires_on,
    }


def _text(c: Contract) -> dict:
    version = c.current_version()
    return _contract(c) | {
        "version": version.number if version else None,
        "clauses": [
            {"number": x.number, "title": x.title, "text": x.text, "measurable": x.measurable}
            for x in queries.clauses_of(version)
        ],
    }


def _detail(user, c: Contract) -> dict:
    fields = (
        "term_years",
        "vote_basis",
        "round_id",
        "poll_id",
        "vote_total",
        "vote_present",
        "vote_yes",
        "signed_on",
        "union_signer",
        "employer_signer",
        "filing_due_on",
        "bureau",
        "bureau_received_on",
        "objection_until",
    )
    return (
        _text(c)
        | {f: getattr(c, f) for f in fields}
        | {
            "women_findings": queries.women_findings(c, c.current_version()),
            "versions": [
                {"number": v.number, "note": v.note, "frozen": v.frozen}
                for v in queries.versions_of(c)
            ],
        }
    )


@router.get(
    "/contracts", response=page_schema(BargainingContractOut, name="BargainingContractPage")
)
def list_published_contracts(request, paging: Query[PageParams]):
    """The contracts in force (or expired) over the caller's unit."""
    if not queries.may_read_home(request.user):
        raise PermissionDenied
    return api_page(
        queries.published_for(request.user), paging.page, paging.per_page, transform=_contract
    )


@router.get("/contracts/{int:contract_id}", response=BargainingContractText)
def get_published_contract(request, contract_id: Id):
    if not queries.may_read_home(request.user):
        raise PermissionDenied
    return _text(queries.access_published_contract(request.user, contract_id))


@router.get(
    "/desk/contracts",
    response=page_schema(BargainingContractOut, name="BargainingDeskContractPage"),
)
def desk_contracts(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_contracts(request.user), paging.page, paging.per_page, transform=_contract
    )


@router.post("/desk/contracts", response={201: BargainingContractDetail})
def create_contract(request, payload: BargainingContractIn):
    """A draft (version 1) with its clauses, of a unit of the caller's scope, optionally from
    one of its rounds."""
    _require_manager(request.user)
    unit = record_in_body(managed_units(request.user), payload.org_unit_id, "org_unit_id")
    round_ = None
    if payload.round_id is not None:
        round_ = record_in_body(managed_rounds(request.user), payload.round_id, "round_id")
    contract = actions.do_create_contract(
        actor=request.user,
        org_unit=unit,
        kind=payload.kind,
        title=payload.title,
        employer_name=payload.employer_name,
        term_years=payload.term_years,
        vote_basis=payload.vote_basis,
        round=round_,
        clauses=[(c.title, c.text, c.measurable) for c in payload.clauses],
    )
    return Status(201, _detail(request.user, _desk_contract(request.user, contract.pk)))


@router.post("/desk/contracts/{int:contract_id}/clauses", response={201: BargainingContractDetail})
def add_clause(request, contract_id: Id, payload: BargainingClauseIn):
    """A clause at the end of the draft's current version (refused once it is frozen)."""
    contract = _desk_contract(request.user, contract_id)
    actions.do_add_clause(
        actor=request.user,
        contract=contract,
        title=payload.title,
        text=payload.text,
        measurable=payload.measurable,
    )
    return Status(201, _detail(request.user, _desk_contract(request.user, contract_id)))


@router.post("/desk/contracts/{int:contract_id}/versions", response={201: BargainingContractDetail})
def new_version(request, contract_id: Id, payload: BargainingVersionIn):
    """A new version of the draft, copying the current version's clauses."""
    contract = _desk_contract(request.user, contract_id)
    actions.do_new_version(actor=request.user, contract=contract, note=payload.note)
    return Status(201, _detail(request.user, _desk_contract(request.user, contract_id)))


@router.get("/desk/contracts/{int:contract_id}", response=BargainingContractDetail)
def get_contract(request, contract_id: Id):
    return _detail(request.user, _desk_contract(request.user, contract_id))


@router.get("/desk/contracts/{int:contract_id}/diff", response=BargainingDiffOut)
def diff_versions(request, contract_id: Id, params: Query[BargainingDiffParams]):
    """Clause by clause: added, removed, changed (with the old and new text), same."""
    contract = _desk_contract(request.user, contract_id)
    a = queries.version_of(contract, params.a)
    b = queries.version_of(contract, params.b)
    return {
        "a": a.number,
        "b": b.number,
        "changes": [
            {"number": c.key, "kind": c.kind, "title": c.title, "old": c.old, "new": c.new}
            for c in queries.diff(a, b)
        ],
    }


@router.post("/desk/contracts/{int:contract_id}/vote/prepare", response=BargainingPollOut)
def prepare_vote(request, contract_id: Id):
    """Freeze the version and create its encrypted poll (draft): name its trustees with the
    voting API (`POST /voting/polls/{poll_id}/trustees`); once they have made the key,
    /vote/open opens it."""
    contract = _desk_contract(request.user, contract_id)
    poll = actions.do_prepare_contract_vote(actor=request.user, contract=contract)
    return {"poll_id": poll.pk, "roll": 0}


@router.post("/desk/contracts/{int:contract_id}/vote/open", response=BargainingPollOut)
def open_vote(request, contract_id: Id, payload: BargainingVoteIn):
    """Freeze the version and open the poll (online, or on paper with `total`)."""
    contract = _desk_contract(request.user, contract_id)
    poll = actions.do_open_contract_vote(
        actor=request.user, contract=contract, paper=payload.paper, total=payload.total
    )
    return {"poll_id": poll.pk, "roll": poll.eligible_count or 0}


@router.post("/desk/contracts/{int:contract_id}/vote/close", response=BargainingVoteOut)
def close_vote(request, contract_id: Id):
    """Close the poll; Art. 36 decides (2/3 present, more than half of all in favour). An
    encrypted poll is closed first (`decided` false) and decided by this call again once its
    trustees have decrypted the totals."""
    contract = _desk_contract(request.user, contract_id)
    outcome = actions.do_close_contract_vote(actor=request.user, contract=contract)
    if outcome is None:
        return {
            "decided": False,
            **dict.fromkeys(("total", "present", "yes", "quorum", "majority", "passed")),
            "message": str(actions.AWAITING_DECRYPTION),
        }
    return {
        "decided": True,
        "total": outcome.total,
        "present": outcome.present,
        "yes": outcome.yes,
        "quorum": outcome.quorum,
        "majority": outcome.majority,
        "passed": outcome.passed,
        "message": actions.vote_message(outcome),
    }


add_step_routes(
    router,
    CONTRACT,
    path="/desk/contracts/{int:contract_id}",
    access=_desk_contract,
    record_arg="contract",
    response=BargainingContractDetail,
    result=_detail,
    names=["sign", "file", "object", "revise"],
    schemas={"revise": None},
    function_names={
        "sign": "sign_contract",
        "file": "file_contract",
        "object": "record_objection",
        "revise": "revise_contract",
    },
)
