"""Writes of a bargaining round: demands, the request and the answer (Art. 32), the two
delegations (Art. 19), sessions and their minutes signed by both sides. Each in one
transaction with its audit event (the workflow's steps write theirs); notifications through
the outbox (zhijia.core.notify)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.bargaining import rules
from zhijia.bargaining.actions.common import cite, text_field
from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.models import BargainingSession, Contract, Delegate, Demand, Round
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.queries import rounds as queries
from zhijia.bargaining.workflows import ROUND
from zhijia.core import workdays
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, precheck, start


def _round_url(round_: Round) -> str:
    return reverse("bargaining:round", args=[round_.pk])


def _locked(round_: Round) -> Round:
    return Round.objects.select_for_update().select_related("org_unit").get(pk=round_.pk)


@transaction.atomic
def do_create_round(
    *,
    actor,
    org_unit,
    kind: str,
    title: str,
    employer_name: str,
    demands_until: dt.date | None = None,
    union_basis: str = Round.UnionBasis.ELECTED,
    max_delegates: int = rules.DEFAULT_MAX_DELEGATES,
) -> Round:
    """A cadre opens a round of their unit; workers' demands are collected first."""
    require(actor, MANAGE, unit=org_unit)
    if kind not in Contract.Kind.values:
        raise BargainingError(_("请选择协商事项"), field="kind")
    if union_basis not in Round.UnionBasis.values:
        raise BargainingError(_("请选择工会方代表的产生方式"), field="union_basis")
    if not rules.MIN_DELEGATES <= int(max_delegates) <= 30:
        raise BargainingError(_("每方代表最多人数应在 3 到 30 之间"), field="max_delegates")
    round_ = Round(
        org_unit=org_unit,
        kind=kind,
        title=text_field(title, "title", _("名称"), 200),
        employer_name=text_field(employer_name, "employer_name", _("用人单位"), 200),
        demands_until=demands_until,
        union_basis=union_basis,
        max_delegates=int(max_delegates),
        created_by=actor,
    )
    round_.save()
    start(ROUND, round_, actor=actor)
    return round_


@transaction.atomic
def do_submit_demand(*, actor, round: Round, topic: str, text: str) -> Demand:
    """A worker of the round's unit subtree says what the union should bargain for."""
    round_ = round
    if not queries.may_submit_demand(actor, round_):
        raise PermissionDenied
    if not round_.in_state(ROUND.states.collecting):
        raise BargainingError(_("意见征集已经结束"), status=409)
    if round_.demands_until and timezone.localdate() > round_.demands_until:
        raise BargainingError(_("意见征集已经截止"), status=409)
    if topic not in Demand.Topic.values:
        raise BargainingError(_("请选择议题"), field="topic")
    demand = Demand.objects.create(
        round=round_,
        submitter=actor,
        topic=topic,
        text=text_field(text, "text", _("意见建议"), 2000),
    )
    record(
        actor=actor,
        action="bargaining.submit_demand",
        target=demand,
        unit=round_.org_unit,
        data={"round": round_.pk, "topic": topic},
    )
    return demand


@transaction.atomic
def do_send_bargaining_request(
    *, actor, round: Round, request_text: str, received_on: dt.date
) -> Round:
    """The union's written request; the other side answers within 20 days of receiving it
    (Art. 32, calendar days: rules.answer_due)."""
    round_ = _locked(round)
    checked = precheck(ROUND, round_, "send_request", actor)
    if received_on > timezone.localdate():
        raise BargainingError(_("收到日期不能晚于今天"), field="received_on")
    round_.request_text = text_field(request_text, "request_text", _("协商要求"), 5000)
    round_.request_received_on = received_on
    round_.answer_due_on = rules.answer_due(received_on, workdays.is_workday)
    round_.save(update_fields=["request_text", "request_received_on", "answer_due_on"])
    do_transition(
        ROUND,
        round_,
        "send_request",
        actor=actor,
        prechecked=checked,
        data={"received_on": received_on.isoformat(), "due": round_.answer_due_on.isoformat()},
    )
    return round_


@transaction.atomic
def do_record_answer(*, actor, round: Round, answered_on: dt.date, answer_text: str) -> Round:
    round_ = _locked(round)
    checked = precheck(ROUND, round_, "record_answer", actor)
    if round_.request_received_on and answered_on < round_.request_received_on:
        raise BargainingError(_("回应日期不能早于对方收到协商要求的日期"), field="answered_on")
    round_.answered_on = answered_on
    round_.answer_text = text_field(answer_text, "answer_text", _("对方书面回应"), 5000)
    round_.save(update_fields=["answered_on", "answer_text"])
    late = bool(round_.answer_due_on and answered_on > round_.answer_due_on)
    do_transition(
        ROUND,
        round_,
        "record_answer",
        actor=actor,
        prechecked=checked,
        data={"answered_on": answered_on.isoformat(), "late": late},
    )
    return round_


@transaction.atomic
def do_conclude_round(*, actor, round: Round) -> Round:
    do_transition(ROUND, round, "conclude", actor=actor)
    return round


@transaction.atomic
def do_abandon_round(*, actor, round: Round, reason: str) -> Round:
    do_transition(ROUND, round, "abandon", actor=actor, note=(reason or "").strip()[:500])
    return round


# --- the delegations (Art. 19) --------------------------------------------------------------------


def delegation_message(problem: rules.DelegationProblem) -> str:
    side = {"union": _("职工方"), "employer": _("企业方")}.get(problem.params.get("side", ""), "")
    p = problem.params
    if problem.code == "unequal":
        text = _("双方代表人数应当对等（职工方 %(union)d 人，企业方 %(employer)d 人）") % p
    elif problem.code == "too_few":
        text = _("%(side)s代表至少 %(min)d 人（现为 %(n)d 人）") % {**p, "side": side}
    elif problem.code == "too_many":
        text = _("%(side)s代表最多 %(max)d 人（现为 %(n)d 人）") % {**p, "side": side}
    else:
        text = _("%(side)s应确定 1 名首席代表（现为 %(n)d 名）") % {**p, "side": side}
    return _("%(text)s，见%(article)s。") % {"text": text, "article": cite(rules.ART_DELEGATION)}


@transaction.atomic
def do_set_delegations(
    *,
    actor,
    round: Round,
    union: list[tuple[str, str, bool]],
    employer: list[tuple[str, str, bool]],
    union_basis: str | None = None,
) -> list[Delegate]:
    """Replace both delegations: (name, position, is_chief) each. Refused, with the article
    cited, unless equal in number, 3 to the round's maximum a side, one chief each (Art. 19)."""
    round_ = _locked(round)
    require(actor, MANAGE, unit=round_.org_unit)
    if round_.in_state(ROUND.states.concluded, ROUND.states.abandoned):
        raise BargainingError(_("协商已经结束，不能再修改代表"), status=409)
    union = [(str(n).strip(), str(p).strip(), bool(c)) for n, p, c in union if str(n).strip()]
    employer = [(str(n).strip(), str(p).strip(), bool(c)) for n, p, c in employer if str(n).strip()]
    problems = rules.check_delegations(
        [c for _n, _p, c in union], [c for _n, _p, c in employer], max_per_side=round_.max_delegates
    )
    if problems:
        messages = [delegation_message(p) for p in problems]
        raise BargainingError(messages[0], errors={"__all__": messages})
    if any(len(n) > 64 or len(p) > 64 for n, p, _c in [*union, *employer]):
        raise BargainingError(_("姓名和职务各不超过 64 个字"))
    if union_basis is not None:
        if union_basis not in Round.UnionBasis.values:
            raise BargainingError(_("请选择工会方代表的产生方式"), field="union_basis")
        round_.union_basis = union_basis
        round_.save(update_fields=["union_basis"])
    Delegate.objects.filter(round=round_).delete()
    created = Delegate.objects.bulk_create(
        [
            Delegate(round=round_, side=side, name=n, position=p, is_chief=c)
            for side, people in ((Delegate.Side.UNION, union), (Delegate.Side.EMPLOYER, employer))
            for n, p, c in people
        ]
    )
    record(
        actor=actor,
        action="bargaining.set_delegations",
        target=round_,
        unit=round_.org_unit,
        data={"union": len(union), "employer": len(employer), "union_basis": round_.union_basis},
    )
    return created


# --- sessions and minutes ----------------------------------------------------------------------


@transaction.atomic
def do_add_session(
    *, actor, round: Round, held_on: dt.date, minutes: str, place: str = ""
) -> BargainingSession:
    round_ = _locked(round)
    require(actor, MANAGE, unit=round_.org_unit)
    if not round_.in_state(ROUND.states.bargaining):
        raise BargainingError(_("对方书面回应后才能开始协商会议"), status=409)
    if not queries.delegations_complete(round_):
        raise BargainingError(
            _("请先确定双方协商代表（%(article)s）") % {"article": cite(rules.ART_DELEGATION)},
            status=409,
        )
    session = BargainingSession.objects.create(
        round=round_,
        held_on=held_on,
        place=text_field(place, "place", _("地点"), 100, required=False),
        minutes=text_field(minutes, "minutes", _("协商记录"), 20000),
    )
    record(
        actor=actor,
        action="bargaining.add_session",
        target=session,
        unit=round_.org_unit,
        data={"round": round_.pk, "held_on": held_on.isoformat()},
    )
    return session


@transaction.atomic
def do_sign_minutes(*, actor, session: BargainingSession, side: str) -> BargainingSession:
    """Record that a side's chief representative signed the minutes, and when. A side signs
    once; the minutes are then fixed."""
    session = BargainingSession.objects.select_for_update().get(pk=session.pk)
    round_ = session.round
    require(actor, MANAGE, unit=round_.org_unit)
    if side not in Delegate.Side.values:
        raise BargainingError(_("请选择签字的一方"), field="side")
    if getattr(session, f"{side}_signed_at") is not None:
        raise BargainingError(_("这一方已经签字"), status=409)
    chief = round_.delegates.filter(side=side, is_chief=True).first()
    if chief is None:
        raise BargainingError(_("这一方还没有首席代表"), status=409)
    setattr(session, f"{side}_signed_by", chief.name)
    setattr(session, f"{side}_signed_at", timezone.now())
    session.save(update_fields=[f"{side}_signed_by", f"{side}_signed_at"])
    record(
        actor=actor,
        action="bargaining.sign_minutes",
        target=session,
        unit=round_.org_unit,
        data={"side": side, "signer": chief.name},
    )
    return session


# --- reminders and the escalation of a lapsed answer (workflow hooks) --------------------------


def _cadres(round_: Round, *, above: bool = False) -> list:
    users = holders(MANAGE, round_.org_unit, include_global=False)
    if above and round_.org_unit.parent_id:
        users += holders(MANAGE, round_.org_unit.parent, include_global=False)
    return users


def notify_round_reminder(round_: Round) -> None:
    notify(
        recipients=_cadres(round_),
        kind="bargaining.answer_due",
        title=_("协商要求的书面回应将于 %(day)s 到期") % {"day": round_.answer_due_on},
        body=_("对方应在收到协商要求之日起 20 日内书面回应（%(article)s）。")
        % {"article": cite(rules.ART_ANSWER)},
        url=_round_url(round_),
        unit=round_.org_unit,
    )


def notify_round_lapsed(round_: Round, event) -> None:
    """The escalation's effect (inside the sweep's transaction): the round's cadres and those
    of the unit above are told that the other side did not answer in time."""
    notify(
        recipients=_cadres(round_, above=True),
        kind="bargaining.answer_lapsed",
        title=_("对方未在期限内书面回应协商要求：%(title)s") % {"title": round_.title},
        body=_(
            "对方应在收到协商要求之日起 20 日内书面回应（%(article)s），期限 %(day)s 已过。"
            "可提请上级工会或劳动保障行政部门协调处理。"
        )
        % {"article": cite(rules.ART_ANSWER), "day": round_.answer_due_on},
        url=_round_url(round_),
        unit=round_.org_unit,
    )
