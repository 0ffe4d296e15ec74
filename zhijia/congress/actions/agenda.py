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
    Representative,
    Scrutineer,
    Session,
)
from zhijia.congress.queries import sessions as q
from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.voting import actions as voting
from zhijia.voting import rules as voting_rules
from zhijia.voting import trustee_actions
from zhijia.voting.models import Poll

# The source of the trustees of the item votes (voting.Poll.trustees_source): the session's
# scrutineers, renamed here only (do_set_scrutineers), never on voting's page.
SCRUTINEERS = "congress.scrutineers"


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
        raise StateError(_("已经准备或进行过表决的议程不能删除"))
    record(
        actor=actor,
        action="congress.delete_item",
        target=item,
        unit=item.session.term.unit,
        data={"title": item.title},
    )
    item.delete()


@transaction.atomic
def do_set_scrutineers(
    *,
    actor,
    session: Session,
    chief: Representative | None,
    others: Sequence[Representative],
    quorum: int | None = None,
) -> list[Scrutineer]:
    """Record the chief scrutineer (总监票人) and the scrutineers (监票人) the session passed:
    3 to 5 representatives of the term with an account, who will be the trustees of the
    session's encrypted votes, and k, how many of them decrypt a tally (default a majority).

    The votes of the session prepared but not opened become theirs too (their trustees are
    named again). Refused while one of those has a key ceremony under way: its manager
    restarts the ceremony first (module voting). Votes already opened keep the trustees
    they were opened with, who decrypt them."""
    session = _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    if session.state == Session.State.CLOSED:
        raise StateError(_("会议已闭会"))
    waiting = list(q.waiting_polls(session))
    if q.ceremonies_under_way(waiting):
        raise StateError(
            _(
                "本次会议有表决的密钥仪式已经开始，不能更换监票人；如需更换，请先在表决页面重新开始密钥仪式"
            )
        )
    errors: dict[str, str] = {}
    if chief is None:
        errors["chief_id"] = _("请选择总监票人")
    chosen = list({r.pk: r for r in [*([chief] if chief else []), *others]}.values())
    if chief is not None and any(r.pk == chief.pk for r in others):
        errors["other_ids"] = _("总监票人不必再选为监票人")
    usable = set(q.scrutineer_choices(session.term).filter(pk__in=[r.pk for r in chosen]))
    strangers = [r for r in chosen if r not in usable]
    if strangers:
        errors["other_ids"] = _("%(names)s 不是本届在任的代表或没有可以登录的账号") % {
            "names": "、".join(r.member.name for r in strangers)
        }
    k = int(quorum) if quorum else voting_rules.default_quorum(len(chosen))
    problem = voting_rules.trustee_problem(len(chosen), k)
    if problem == "trustee_count":
        errors.setdefault(
            "other_ids",
            _("总监票人和监票人合计应为 %(min)d 到 %(max)d 人")
            % {"min": voting_rules.MIN_TRUSTEES, "max": voting_rules.MAX_TRUSTEES},
        )
    elif problem == "quorum":
        errors["decrypt_quorum"] = _("解密所需人数应在 2 到 %(n)d 之间") % {"n": len(chosen)}
    _fail(errors)
    Scrutineer.objects.filter(session=session).delete()
    made = Scrutineer.objects.bulk_create(
        Scrutineer(session=session, representative=r, position=i)
        for i, r in enumerate(chosen, start=1)
    )
    session.decrypt_quorum = int(quorum) if quorum else None
    session.save(update_fields=["decrypt_quorum"])
    users = [r.member.user for r in chosen]
    for poll in waiting:
        trustee_actions.do_name_trustees(
            actor=actor,
            poll=poll,
            users=users,
            quorum=session.decrypt_quorum,
            source=SCRUTINEERS,
        )
    record(
        actor=actor,
        action="congress.set_scrutineers",
        target=session,
        unit=session.term.unit,
        data={
            "representatives": [r.pk for r in chosen],
            "decrypt_quorum": k,
            "polls_renamed": [p.pk for p in waiting],
        },
    )
    return made


def _create_item_poll(*, actor, item: AgendaItem, encrypted: bool) -> Poll:
    """The item's poll (module voting), a draft: yes/no/abstain for a motion, k of n for an
    election."""
    unit = item.session.term.unit
    if item.kind == AgendaItem.Kind.MOTION:
        return voting.do_create_poll(
            actor=actor,
            title=item.title,
            description=item.description,
            kind=voting_rules.YES_NO_ABSTAIN,
            unit=unit,
            paper=item.is_paper,
            origin=item.origin,
            encrypted=encrypted,
        )
    return voting.do_create_poll(
        actor=actor,
        title=item.title,
        description=item.description,
        kind=voting_rules.APPROVAL,
        unit=unit,
        candidates=item.candidates,
        seats=item.seats,
        paper=item.is_paper,
        origin=item.origin,
        encrypted=encrypted,
    )


@transaction.atomic
def do_prepare_item_vote(*, actor, item: AgendaItem) -> Poll:
    """Prepare the encrypted online vote of an item: its poll is created with the session's
    scrutineers as trustees (the chief first), who then make its election key (the key
    ceremony of module voting, on their phones or with the trustee tool). The vote opens
    (do_open_item_vote) once the key is made; quorum is checked then."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    session = _locked_session(item.session)
    require(actor, q.RUN, unit=session.term.unit)
    if item.kind == AgendaItem.Kind.REPORT:
        raise StateError(_("报告事项不需要表决"))
    if item.is_paper:
        raise StateError(_("纸质（现场）表决不加密，不需要准备"))
    if session.state == Session.State.CLOSED:
        raise StateError(_("会议已闭会"))
    if item.poll_id is not None:
        raise StateError(_("该议程的表决已经准备或进行过"))
    scrutineers = list(q.scrutineers_of(session))
    if not scrutineers:
        raise StateError(_("请先登记本次会议通过的总监票人和监票人"))
    item.session = session
    poll = _create_item_poll(actor=actor, item=item, encrypted=True)
    trustee_actions.do_name_trustees(
        actor=actor,
        poll=poll,
        users=[s.representative.member.user for s in scrutineers],
        quorum=session.decrypt_quorum,
        source=SCRUTINEERS,
    )
    item.poll = poll
    item.save(update_fields=["poll"])
    record(
        actor=actor,
        action="congress.prepare_item_vote",
        target=item,
        unit=session.term.unit,
        data={"poll": poll.pk, "trustees": len(scrutineers), "quorum": poll.quorum},
    )
    return poll


@transaction.atomic
def do_open_item_vote(*, actor, item: AgendaItem) -> Poll:
    """Open the secret ballot on one agenda item.

    Refused without quorum (2/3 of ALL voting representatives checked in) and unless the
    session is open. The voters are the checked-in voting representatives, with or without
    an account (online: those with an active account vote on their phones; paper: the hall
    returns at most that many ballots); the base of "more than half" is ALL voting
    representatives of the term, fixed now.

    An online vote is always encrypted (docs/voting.md): it must have been prepared
    (do_prepare_item_vote) and its key made by the session's scrutineers. Without them the
    session votes on paper only; the server never holds a congress ballot in the clear.
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
        poll = Poll.objects.get(pk=item.poll_id)
        if not (poll.encrypted and poll.state == Poll.State.DRAFT):
            raise StateError(_("该议程已经表决过"))
        if not poll.joint_key:
            raise StateError(
                _("监票人还没有完成密钥生成，请等全部监票人生成并分发密钥份额后再开始")
            )
    elif not item.is_paper:
        raise StateError(
            _(
                "网上表决须加密：请先登记本次会议通过的总监票人和监票人并准备加密表决，"
                "由监票人生成密钥后再开始；也可以改为纸质表决"
            )
        )
    else:
        item.session = session
        poll = _create_item_poll(actor=actor, item=item, encrypted=False)
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
        unit=session.term.unit,
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
