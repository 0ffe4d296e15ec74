"""API of module voting, mounted at /api/v1/voting.

Voters: GET /polls (mine), GET /polls/{id}, POST /polls/{id}/cast -> {"tracker"}.
After close, for everyone who may see the poll: GET /polls/{id}/trackers, POST
/polls/{id}/trackers/check, GET /polls/{id}/choices, GET /polls/{id}/results — each refused
with 409 while the poll is open. Trackers and choices are never in the same response.
Managers: GET /polls/managed, POST /polls, POST /polls/{id}/open|close|paper-result.
Encrypted polls (docs/voting.md): GET /polls/{id} gives `encryption` (manifest, joint key,
extended hash) to encrypt with on the device; POST /polls/{id}/cast-encrypted takes the
ballot (ciphertexts and proofs) -> {"tracker"}; GET /polls/{id}/record, the published
election record. Trustees (as on the page /voting/{id}/trustee/): the manager names them,
POST /polls/{id}/trustees; each trustee reads the poll document, GET /polls/{id}/trustee,
and posts what verifier/zhijia_trustee.py wrote, POST /polls/{id}/trustee.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import ErrorOut, record_in_body
from zhijia.core.api_types import Count, Id, Seats
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.errors import PollStateError

router = Router(tags=["voting"])


# --- schemas --------------------------------------------------------------------------------------


class OptionOut(Schema):
    key: str
    label: str


class PollSummary(Schema):
    id: int
    title: str
    kind: str
    rule: str
    state: str
    seats: int
    is_paper: bool
    unit_id: Id
    opened_at: datetime | None
    closed_at: datetime | None


class ClosedPollOut(PollSummary):
    # False: the SQLite write-ahead log could not be truncated after the close (it may still
    # hold casting-time pages; logged and audited as voting.storage_not_compacted).
    storage_compacted: bool | None


class MyPollOut(PollSummary):
    has_voted: bool


class TurnoutOut(Schema):
    eligible: int
    voted: int


class EncryptionManifestOut(Schema):
    kind: str
    options: list[str]
    votes_allowed: int


class EncryptionOut(Schema):
    """What a device encrypts a ballot with (ballot-crypto.js): hexadecimal numbers."""

    manifest: EncryptionManifestOut
    key: str
    qbar: str


class PollDetail(PollSummary):
    description: str
    options: list[OptionOut]
    on_roll: bool
    has_voted: bool
    can_manage: bool
    turnout: TurnoutOut | None = None
    encrypted: bool = False
    # Set once the trustees' key ceremony is complete (encrypted polls only).
    encryption: EncryptionOut | None = None


class CastIn(Schema):
    choice: list[str]


class CastOut(Schema):
    tracker: str
    message: str


class EncryptedCastIn(Schema):
    # The ballot as the election record writes it: {"id", "selections": [{"alpha", "beta",
    # "proof"}], "sum_proof"} (docs/voting.md); a "tracker" sent along is ignored.
    ballot: dict[str, Any]


class TrackersOut(Schema):
    poll_id: Id
    count: int
    voted: int
    trackers: list[str]


class TrackerCheckIn(Schema):
    tracker: str


class TrackerCheckOut(Schema):
    present: bool


class ChoicesOut(Schema):
    poll_id: Id
    kind: str
    seats: int
    count: int
    options: list[OptionOut]
    choices: list[str]


class OptionResultOut(Schema):
    key: str
    label: str
    votes: int


class OutcomeOut(Schema):
    passed: bool | None = None
    threshold: int | None = None
    yes_no_tie: bool | None = None
    elected: list[str] = []
    tied: list[str] = []
    unfilled: int = 0


class ResultsOut(Schema):
    poll_id: Id
    title: str
    kind: str
    rule: str
    paper: bool
    eligible: int
    voted: int
    ballots: int
    trackers: int
    blank: int
    invalid: int
    base: int
    options: list[OptionResultOut]
    outcome: OutcomeOut
    ties: list[list[str]]
    consistent: bool


class PollIn(Schema):
    title: str
    kind: Literal["yes_no_abstain", "approval"]
    unit_id: Id
    candidates: list[str] = []
    seats: Seats = 1
    rule: Literal["majority", "none"] = "majority"
    paper: bool = False
    description: str = ""
    origin: str = ""
    # Encrypted to the trustees' joint key (docs/voting.md): name them with POST
    # /polls/{id}/trustees; the poll opens once their key ceremony is complete.
    encrypted: bool = False


class OpenIn(Schema):
    # Either explicit user ids, or "members" / "representatives" of the poll's unit subtree.
    voters: list[int] | None = None
    source: Literal["members", "representatives"] | None = None
    majority_base: Count | None = None
    # How many take part, with or without an account (default: the roll size); a paper
    # result returns at most that many ballots.
    eligible: Count | None = None


class TrusteesIn(Schema):
    user_ids: list[Id] = Field(..., min_length=1, max_length=10, description="监票人，按编号顺序")
    quorum: int | None = Field(None, description="解密所需人数；省略为过半数")


class TrusteeOut(Schema):
    index: int
    user_id: Id
    name: str
    public_posted: bool
    shares_posted: bool
    # null: not checked yet; []: the shares sealed to her fit; else the trustees she complains
    # about (the ceremony must be restarted).
    complaints: list[int] | None
    decryption_posted: bool


class TrusteesOut(Schema):
    poll_id: Id
    quorum: int | None
    key_ready: bool = Field(
        ..., description="密钥仪式已完成（全体监票人生成密钥、分发份额并核对无异议）：可以开始表决"
    )
    trustees: list[TrusteeOut]


class TrusteeDocumentIn(Schema):
    # What verifier/zhijia_trustee.py (or the trustee page) wrote: its "format" says the step
    # (zhijia-trustee-public/1, -shares/1, -check/1, -decryption/1). The key file is refused.
    document: dict[str, Any]


class PaperIn(Schema):
    counts: dict[str, int]
    valid_ballots: Count
    invalid_ballots: Count = 0


def _summary(poll) -> dict:
    return {
        "id": poll.pk,
        "title": poll.title,
        "kind": poll.kind,
        "rule": poll.rule,
        "state": poll.state,
        "seats": poll.seats,
        "is_paper": poll.is_paper,
        "unit_id": poll.unit_id,
        "opened_at": poll.opened_at,
        "closed_at": poll.closed_at,
    }


# --- voters ---------------------------------------------------------------------------------------


@router.get("/polls", response=page_schema(MyPollOut, name="MyPollPage"))
def list_my_polls(request, paging: Query[PageParams]):
    """Polls the caller is on the roll of."""
    return api_page(
        queries.my_polls(request.user),
        paging.page,
        paging.per_page,
        transform=lambda p: {**_summary(p), "has_voted": p.has_voted},
    )


@router.get("/polls/managed", response=page_schema(PollSummary, name="ManagedPollPage"))
def list_managed_polls(request, paging: Query[PageParams]):
    return api_page(
        queries.managed_polls(request.user), paging.page, paging.per_page, transform=_summary
    )


@router.get("/polls/{poll_id}", response=PollDetail)
def poll_detail(request, poll_id: Id):
    poll = queries.access_poll(request.user, poll_id)
    entry = queries.roll_entry(poll, request.user)
    manager = queries.can_manage(request.user, poll)
    turnout = None
    if manager and poll.state != poll.State.DRAFT:
        t = queries.turnout(poll)
        turnout = {"eligible": t.eligible, "voted": t.voted}
    return {
        **_summary(poll),
        "description": poll.description,
        "options": [{"key": o.key, "label": o.label} for o in queries.options_of(poll)],
        "on_roll": entry is not None,
        "has_voted": bool(entry and entry.voted),
        "can_manage": manager,
        "turnout": turnout,
        "encrypted": poll.encrypted,
        "encryption": queries.ballot_context(poll),
    }


@router.post("/polls/{poll_id}/cast", response=CastOut)
def cast(request, poll_id: Id, payload: CastIn):
    """Cast the caller's ballot. The tracker is in this answer only: keep it."""
    poll = queries.access_poll(request.user, poll_id)
    tracker = actions.do_cast_ballot(voter=request.user, poll=poll, choice=payload.choice)
    return {
        "tracker": tracker,
        "message": _("投票成功。请保存这个验证码：它只显示这一次，系统不会记录它属于谁。"),
    }


@router.post("/polls/{poll_id}/cast-encrypted", response=CastOut)
def cast_encrypted(request, poll_id: Id, payload: EncryptedCastIn):
    """Cast a ballot encrypted on the caller's device to the poll's joint key. The proofs are
    checked (400 when one fails); the tracker is in this answer only: keep it."""
    poll = queries.access_poll(request.user, poll_id)
    tracker = actions.do_cast_encrypted_ballot(voter=request.user, poll=poll, ballot=payload.ballot)
    return {
        "tracker": tracker,
        "message": _("投票成功。请保存这个验证码：它只显示这一次，系统不会记录它属于谁。"),
    }


# --- publication (closed polls only) --------------------------------------------------------------


# 409 declared by hand: a GET is not a write, but a record exists only for an encrypted poll
# once decrypted (zhijia.core.api_errors declares 409 for writes only).
@router.get("/polls/{poll_id}/record", response={200: dict[str, Any], 409: ErrorOut})
def election_record(request, poll_id: Id):
    """The published election record of an encrypted poll (docs/voting.md, "The election
    record"), for verifier/zhijia_verify.py; 409 before k trustees have decrypted."""
    poll = queries.access_poll(request.user, poll_id)
    return json.loads(queries.published_record(poll))


@router.get("/polls/{poll_id}/trackers", response=TrackersOut)
def trackers(request, poll_id: Id):
    poll = queries.access_poll(request.user, poll_id)
    codes = queries.published_trackers(poll)
    return {
        "poll_id": poll.pk,
        "count": len(codes),
        "voted": queries.turnout(poll).voted,
        "trackers": codes,
    }


@router.post("/polls/{poll_id}/trackers/check", response=TrackerCheckOut)
def check_tracker(request, poll_id: Id, payload: TrackerCheckIn):
    """Whether a tracker is in the published list (POST: the code stays out of access logs)."""
    poll = queries.access_poll(request.user, poll_id)
    return {"present": queries.tracker_is_published(poll, payload.tracker)}


@router.get("/polls/{poll_id}/choices", response=ChoicesOut)
def choices(request, poll_id: Id):
    poll = queries.access_poll(request.user, poll_id)
    published = queries.published_choices(poll)
    return {
        "poll_id": poll.pk,
        "kind": poll.kind,
        "seats": poll.seats,
        "count": len(published),
        "options": [{"key": o.key, "label": o.label} for o in queries.options_of(poll)],
        "choices": published,
    }


@router.get("/polls/{poll_id}/results", response=ResultsOut)
def results(request, poll_id: Id):
    poll = queries.access_poll(request.user, poll_id)
    return results_payload(queries.results_for(poll))


def results_payload(r: queries.PollResult) -> dict:
    outcome: dict = {}
    if r.motion is not None:
        outcome = {
            "passed": r.motion.passed,
            "threshold": r.motion.threshold,
            "yes_no_tie": r.motion.yes_no_tie,
        }
    elif r.election is not None:
        outcome = {
            "threshold": r.election.threshold,
            "elected": list(r.election.elected),
            "tied": list(r.election.tied),
            "unfilled": r.election.unfilled,
        }
    return {
        "poll_id": r.poll.pk,
        "title": r.poll.title,
        "kind": r.poll.kind,
        "rule": r.poll.rule,
        "paper": r.paper,
        "eligible": r.eligible,
        "voted": r.voted,
        "ballots": r.ballots,
        "trackers": r.trackers,
        "blank": r.tally.blank,
        "invalid": r.tally.invalid,
        "base": r.base,
        "options": [{"key": o.key, "label": o.label, "votes": o.votes} for o in r.options],
        "outcome": outcome,
        "ties": r.ties,
        "consistent": r.consistent,
    }


# --- managers -------------------------------------------------------------------------------------


@router.post("/polls", response={201: PollSummary})
def create_poll(request, payload: PollIn):
    unit = record_in_body(queries.units_managed_by(request.user), payload.unit_id, "unit_id")
    if queries.origin_module(payload.origin):
        raise ActionRefused(_("这个来源属于其他业务模块，不能在这里使用"), field="origin")
    poll = actions.do_create_poll(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        unit=unit,
        candidates=payload.candidates,
        seats=payload.seats,
        rule=payload.rule,
        paper=payload.paper,
        description=payload.description,
        origin=payload.origin,
        encrypted=payload.encrypted,
    )
    return Status(201, _summary(poll))


@router.post("/polls/{poll_id}/open", response=PollSummary)
def open_poll(request, poll_id: Id, payload: OpenIn):
    """Open a draft poll with its roll. 409 for a poll another module made for one of its
    records (congress items and elections, bargaining votes): that module opens it."""
    poll = queries.access_managed_poll(request.user, poll_id)
    if queries.origin_module(poll.origin):
        raise PollStateError(_("这项表决由其他业务模块管理，请在该模块的页面上开始表决。"))
    if payload.voters is not None:
        voters = queries.users_by_ids(payload.voters)
        if len(voters) != len(set(payload.voters)):
            raise ActionRefused(_("投票人名单中有不存在或已停用的账号"), field="voters")
    elif payload.source == "representatives":
        voters = list(queries.representatives_of_unit(poll.unit))
    else:
        voters = list(queries.eligible_members_of_unit(poll.unit))
    poll = actions.do_open_poll(
        actor=request.user,
        poll=poll,
        voters=voters,
        majority_base=payload.majority_base,
        eligible=payload.eligible,
    )
    return _summary(poll)


@router.post("/polls/{poll_id}/close", response=ClosedPollOut)
def close_poll(request, poll_id: Id):
    poll = queries.access_managed_poll(request.user, poll_id)
    actions.do_close_poll(actor=request.user, poll=poll)
    return {**_summary(poll), "storage_compacted": poll.storage_compacted}


@router.post("/polls/{poll_id}/paper-result", response=ResultsOut)
def enter_paper_result(request, poll_id: Id, payload: PaperIn):
    poll = queries.access_managed_poll(request.user, poll_id)
    actions.do_enter_paper_result(
        actor=request.user,
        poll=poll,
        counts=payload.counts,
        valid_ballots=payload.valid_ballots,
        invalid_ballots=payload.invalid_ballots,
    )
    poll.refresh_from_db()
    return results_payload(queries.results_for(poll))


# --- trustees of an encrypted poll (监票人, docs/voting.md "Encrypted polls") ---------------------


def _trustees_payload(poll) -> dict:
    return {
        "poll_id": poll.pk,
        "quorum": poll.quorum,
        "key_ready": queries.ceremony_complete(poll),
        "trustees": [
            {
                "index": t.index,
                "user_id": t.user_id,
                "name": t.user.get_full_name(),
                "public_posted": t.public is not None,
                "shares_posted": t.shares is not None,
                "complaints": t.complaints,
                "decryption_posted": t.decryption is not None,
            }
            for t in queries.trustees_of(poll)
        ],
    }


@router.post("/polls/{poll_id}/trustees", response=TrusteesOut)
def name_trustees(request, poll_id: Id, payload: TrusteesIn):
    """The manager names the trustees of a draft encrypted poll: 3 to 5 accounts of in-register
    members of the poll's unit subtree, and how many are needed to decrypt (2..n, default a
    majority). Allowed until the first trustee has posted a key."""
    poll = queries.access_managed_poll(request.user, poll_id)
    members = queries.eligible_members_of_unit(poll.unit).filter(pk__in=payload.user_ids)
    found = {u.pk: u for u in members}
    missing = [i for i in payload.user_ids if i not in found]
    if missing:
        message = _("不是本组织及下级的会员：%(names)s") % {"names": "、".join(map(str, missing))}
        raise ActionRefused(message, field="user_ids")
    trustee_actions.do_name_trustees(
        actor=request.user,
        poll=poll,
        users=[found[i] for i in payload.user_ids],
        quorum=payload.quorum,
    )
    return _trustees_payload(poll)


@router.post("/polls/{poll_id}/trustees/restart", response=TrusteesOut)
def restart_ceremony(request, poll_id: Id):
    """The manager starts the key ceremony of a draft encrypted poll again (after a trustee's
    complaint about a share, or a lost key file): every key, share and check is dropped; the
    trustees may then be renamed and make new keys."""
    poll = queries.access_managed_poll(request.user, poll_id)
    trustee_actions.do_restart_ceremony(actor=request.user, poll=poll)
    return _trustees_payload(poll)


@router.get("/polls/{poll_id}/trustee", response=dict[str, Any])
def trustee_document(request, poll_id: Id):
    """The trustee's poll document (poll.json of the trustee page) for
    verifier/zhijia_trustee.py: public values only. 404 for anyone but the poll's trustees."""
    poll, me = queries.access_trustee_poll(request.user, poll_id)
    return queries.trustee_document(poll, me)


@router.post("/polls/{poll_id}/trustee", response=TrusteesOut)
def post_trustee_document(request, poll_id: Id, payload: TrusteeDocumentIn):
    """The trustee posts what the tool wrote: the public document, then the sealed shares, then
    the check of the shares sealed to her (a complaint fails the ceremony), and after the
    close the decryption, each checked (400 next to `document` when it does not
    fit). 404 for anyone but the poll's trustees."""
    poll, _me = queries.access_trustee_poll(request.user, poll_id)
    trustee_actions.do_post_trustee_document(
        actor=request.user, poll=poll, document=payload.document
    )
    poll.refresh_from_db()
    return _trustees_payload(poll)
