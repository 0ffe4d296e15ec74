"""API of the congress desk on session day, mounted at /api/v1/congress (the mini-program's
desk; the same permissions as the pages: 404 outside the caller's scope):

  POST /sessions/{id}/roll-call/all-present   every representative not checked in yet is
                                              marked present except `absent` (check-in only)
  GET  /sessions/{id}/vote-readiness          who of the present voting representatives can
                                              vote online (ask before opening an online vote)
  GET  /sessions/{id}/live                    ballots cast against present, per open vote
                                              (never a choice's tally)
  POST /items/{id}/open-paper                 switch the item to a hall (paper) vote, open it
"""

from __future__ import annotations

from ninja import Router, Schema

from zhijia.congress.actions import desk as actions
from zhijia.congress.api.sessions import ItemDetailOut, QuorumOut, _item_detail, _quorum
from zhijia.congress.queries import desk as dq
from zhijia.congress.queries import sessions as q
from zhijia.core.api_types import Id

router = Router(tags=["congress"])


class AllPresentIn(Schema):
    absent: list[Id] = []


class AllPresentOut(Schema):
    marked: list[int]
    quorum: QuorumOut


class ReadinessOut(Schema):
    present: int
    online: int
    offline: int
    no_account: int
    disabled: int
    not_activated: int


class LiveOut(Schema):
    """One open vote of the session: ballots cast against the representatives present."""

    item_id: int
    title: str
    paper: bool
    cast: int
    present: int
    roll: int


@router.post("/sessions/{session_id}/roll-call/all-present", response=AllPresentOut)
def all_present(request, session_id: Id, payload: AllPresentIn):
    """Roll call in one step: 409 unless the session is in check-in; idempotent."""
    session = q.access_session(request.user, session_id, q.RUN)
    marked = actions.do_mark_all_present_except(
        actor=request.user, session=session, except_ids=payload.absent
    )
    return {"marked": marked, "quorum": _quorum(session)}


@router.get("/sessions/{session_id}/vote-readiness", response=ReadinessOut)
def vote_readiness(request, session_id: Id):
    session = q.access_session(request.user, session_id, q.RUN)
    r = dq.online_readiness(session)
    return {
        "present": r.present,
        "online": r.online,
        "offline": r.offline,
        "no_account": r.no_account,
        "disabled": r.disabled,
        "not_activated": r.not_activated,
    }


class SessionLiveOut(Schema):
    """The session's open votes (a handful at most: the record's own parts, not a list)."""

    session_id: int
    votes: list[LiveOut]


@router.get("/sessions/{session_id}/live", response=SessionLiveOut)
def live(request, session_id: Id):
    session = q.access_session(request.user, session_id, q.RUN)
    votes = [
        {
            "item_id": row.item.pk,
            "title": row.item.title,
            "paper": row.paper,
            "cast": row.cast,
            "present": row.present,
            "roll": row.roll,
        }
        for row in dq.live_counts(session)
    ]
    return {"session_id": session.pk, "votes": votes}


@router.post("/items/{item_id}/open-paper", response=ItemDetailOut)
def open_paper(request, item_id: Id):
    """Open the item's vote as a hall (paper) vote: 409 without quorum or once voted."""
    item = q.access_item(request.user, item_id, q.RUN)
    actions.do_open_item_vote_on_paper(actor=request.user, item=item)
    return _item_detail(q.access_item(request.user, item_id))
