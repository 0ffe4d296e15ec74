"""Actions on a session's agenda (议程): items, and opening and closing their votes through
module voting."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.congress.actions.sessions import (
    MAX_CANDIDATES,
    BadInput,
    QuorumNotReached,
    StateError,
    _fail,
    _locked_session,
)
from zhijia.congress.models import (
    AgendaItem,
    Session,
)
from zhijia.congress.queries import sessions as q
from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.voting import actions as voting
from zhijia.voting import rules as voting_rules
from zhijia.voting.models import Poll


def _clean_candidates(candidates: Sequence[str]) -> list[str]:
    return [str(c).strip() for c in candidates if str(c).strip()]


@transaction.atomic
def do_add_item(
    *,
    actor,
    session: Session,
    title: str,
    kind: str = AgendaItem.Kind.MOTION,
    description: str = "",
    candidates: Sequence[str] = (),
    seats: int = 1,
    paper: bool = False,
) -> AgendaItem:
    require(actor, q.RUN, unit=session.term.unit)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写议题")
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = _("请选择议题类型")
    names = _clean_candidates(candidates)
    if kind == AgendaItem.Kind.ELECTION:
        if not names:
            errors["candidates"] = _("请填写候选人或选项，每行一个")
        elif len(set(names)) != len(names):
            errors["candidates"] = _("候选人或选项有重复")
        elif len(names) > MAX_CANDIDATES:
            errors["candidates"] = _("候选人或选项最多 %(n)s 个") % {"n": MAX_CANDIDATES}
        elif not 1 <= int(seats or 0) <= len(names):
            errors["seats"] = _("应选人数应在 1 到 %(n)s 之间") % {"n": len(names)}
    else:
        names, seats = [], 1
    if session.state == Session.State.CLOSED:
        errors["title"] = _("会议已闭会，不能再增加议程")
    _fail(errors)
    item = AgendaItem.objects.create(
        session=session,
        position=q.next_item_position(session),
        title=title[:200],
        description=description or "",
        kind=kind,
        candidates=names,
        seats=int(seats or 1),
        is_paper=bool(paper) and kind != AgendaItem.Kind.REPORT,
    )
    record(
        actor=actor,
        action="congress.add_item",
        target=item,
        unit=session.term.unit,
        data={"title": item.title, "kind": kind, "candidates": len(names), "seats": item.seats},
    )
    return item


@transaction.atomic
def do_delete_item(*, actor, item: AgendaItem) -> None:
    require(actor, q.RUN, unit=item.session.term.unit)
    if item.poll_id is not None:
        raise StateError(_("已经表决的议程不能删除"))
    record(
        actor=actor,
        action="congress.delete_item",
        target=item,
        unit=item.session.term.unit,
        data={"title": item.title},
    )
    item.delete()


@transaction.atomic
def do_open_item_vote(*, actor, item: AgendaItem) -> Poll:
    """Open the secret ballot on one agenda item.

    Refused without quorum (2/3 of ALL voting representatives checked in) and unless the
    session is open. The voters are the checked-in voting representatives, with or without
    an account (online: those with an active account vote on their phones; paper: the hall
    returns at most that many ballots); the base of "more than half" is ALL voting
    representatives of the term, fixed now.
    """
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    session = _locked_session(item.session)
    require(actor, q.RUN, unit=session.term.unit)
    if item.kind == AgendaItem.Kind.REPORT:
        raise StateError(_("报告事项不需要表决"))
    quorum = q.quorum_status(session)
    if not quorum.reached:
        raise QuorumNotReached(quorum, _("开始表决"))
    if session.state != Session.State.OPEN:
        raise StateError(_("会议尚未宣布开会，不能开始表决"))
    if item.poll_id is not None:
        raise StateError(_("该议程已经表决过"))
    unit = session.term.unit
    if item.kind == AgendaItem.Kind.MOTION:
        poll = voting.do_create_poll(
            actor=actor,
            title=item.title,
            description=item.description,
            kind=voting_rules.YES_NO_ABSTAIN,
            unit=unit,
            paper=item.is_paper,
            origin=item.origin,
        )
    else:
        poll = voting.do_create_poll(
            actor=actor,
            title=item.title,
            description=item.description,
            kind=voting_rules.APPROVAL,
            unit=unit,
            candidates=item.candidates,
            seats=item.seats,
            paper=item.is_paper,
            origin=item.origin,
        )
    # Who takes part: every checked-in voting representative, with or without an account
    # (quorum.present); the roll holds those who can vote online (active accounts). A hall
    # vote returns at most quorum.present ballots; the base is ALL voting representatives.
    voters = list(q.present_voters(session))
    if not voters and not item.is_paper:
        raise BadInput(
            _("出席代表中没有可以在线投票的账号，请改用纸质表决"),
            {"is_paper": _("出席代表中没有可以在线投票的账号，请改用纸质表决")},
        )
    voting.do_open_poll(
        actor=actor,
        poll=poll,
        voters=voters,
        majority_base=quorum.total,
        eligible=quorum.present,
    )
    item.poll = poll
    item.save(update_fields=["poll"])
    record(
        actor=actor,
        action="congress.open_item_vote",
        target=item,
        unit=unit,
        data={
            "poll": poll.pk,
            "present": quorum.present,
            "representatives": quorum.total,
            "roll": len(voters),
        },
    )
    return poll


@transaction.atomic
def do_close_item_vote(*, actor, item: AgendaItem) -> Poll:
    item = AgendaItem.objects.select_related("session__term__unit", "poll").get(pk=item.pk)
    require(actor, q.RUN, unit=item.session.term.unit)
    if item.poll is None or item.poll.state != Poll.State.OPEN:
        raise StateError(_("该议程没有正在进行的表决"))
    if item.poll.is_paper:
        raise StateError(_("纸质表决在录入现场票数后自动结束"))
    poll = voting.do_close_poll(actor=actor, poll=item.poll)
    record(
        actor=actor,
        action="congress.close_item_vote",
        target=item,
        unit=item.session.term.unit,
        data={"poll": poll.pk},
    )
    return poll
