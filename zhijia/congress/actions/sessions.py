"""Writes of the congress: terms, sessions, representatives, check-in, agenda votes and
representative elections. Each runs in one transaction and writes its audit event.

Every vote goes through the voting module (zhijia.voting.actions): an agenda item's poll is
created with origin "congress.item:<id>", its voters are the checked-in voting
representatives with or without an account (the roll: those with one, who may vote online)
and its base of "more than half" is ALL voting representatives of the term; an election's
base is the electoral unit's voters (in-register members, or those present at its meeting).
Nothing here sees a ballot.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.congress import rules
from zhijia.congress.models import (
    Attendance,
    RepElection,
    Representative,
    Session,
    Term,
)
from zhijia.congress.queries import sessions as q
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.org.models import Member, OrgUnit

MAX_CANDIDATES = 200


class CongressError(ActionRefused):
    """A refused congress action: a plain Chinese message, `errors` by form field, `status`."""

    status = 409

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message, errors=errors)


class BadInput(CongressError):
    status = 400


class StateError(CongressError):
    """The session, item or election is not in the state the action needs."""


class QuorumNotReached(CongressError):
    def __init__(self, quorum: rules.Quorum, what: str):
        super().__init__(
            _(
                "出席的正式代表 %(present)s 人，不足全体代表 %(total)s 人的三分之二"
                "（至少 %(required)s 人），不能%(what)s。"
            )
            % {
                "present": quorum.present,
                "total": quorum.total,
                "required": quorum.required,
                "what": what,
            }
        )
        self.quorum = quorum


class CheckinRefused(CongressError):
    status = 400


def _fail(errors: dict[str, str]) -> None:
    if errors:
        raise BadInput("；".join(errors.values()), errors)


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- terms ----------------------------------------------------------------------------------------


def _check_term_fields(
    start_date: dt.date | None, end_date: dt.date | None, rs: rules.RuleSet, errors: dict
) -> None:
    if start_date is None:
        errors["start_date"] = _("请填写开始日期")
    if end_date is None:
        errors["end_date"] = _("请填写结束日期")
    if start_date and end_date:
        if end_date <= start_date:
            errors["end_date"] = _("结束日期应晚于开始日期")
        else:
            check = rules.check_term_length(start_date, end_date, rs)
            if check.status != rules.OK:
                errors["end_date"] = _(
                    "每届任期为 %(min)s 至 %(max)s 年：结束日期应在 %(earliest)s 至 %(latest)s "
                    "之间（%(basis)s）"
                ) % {
                    "min": rs.term_years_min,
                    "max": rs.term_years_max,
                    "earliest": check.figures["earliest_end"],
                    "latest": check.figures["latest_end"],
                    "basis": check.basis,
                }


def _workforce_errors(total, women, dispatched, errors: dict) -> None:
    if total is not None:
        if women is not None and women > total:
            errors["workforce_women"] = _("女职工人数不能多于职工总数")
        if dispatched is not None and dispatched > total:
            errors["workforce_dispatched"] = _("劳务派遣职工人数不能多于职工总数")


@transaction.atomic
def do_create_term(
    *,
    actor,
    unit: OrgUnit,
    start_date: dt.date,
    end_date: dt.date,
    number: int | None = None,
    workforce_total: int | None = None,
    workforce_women: int | None = None,
    workforce_dispatched: int | None = None,
    rule_overrides: dict | None = None,
) -> Term:
    require(actor, q.MANAGE, unit=unit)
    errors: dict[str, str] = {}
    try:
        rs = rules.RuleSet.from_overrides(rule_overrides or {})
    except (TypeError, ValueError, ZeroDivisionError):
        errors["rule_overrides"] = _("规则设置格式不正确")
        rs = rules.RuleSet()
    _check_term_fields(start_date, end_date, rs, errors)
    _workforce_errors(workforce_total, workforce_women, workforce_dispatched, errors)
    number = number or q.next_term_number(unit)
    if Term.objects.filter(unit=unit, number=number).exists():
        errors["number"] = _("第%(n)s届已经存在") % {"n": number}
    _fail(errors)
    term = Term.objects.create(
        unit=unit,
        number=number,
        start_date=start_date,
        end_date=end_date,
        workforce_total=workforce_total,
        workforce_women=workforce_women,
        workforce_dispatched=workforce_dispatched,
        rule_overrides=rule_overrides or {},
        created_by=actor,
    )
    # Overlapping terms of the same union are allowed (a re-run, a correction) but warned
    # about: queries_sessions.term_warnings, shown on the term page and in the API.
    overlaps = list(
        q.overlapping_terms(unit, start_date, end_date, exclude=term).values_list("pk", flat=True)
    )
    record(
        actor=actor,
        action="congress.create_term",
        target=term,
        unit=unit,
        data={
            "number": number,
            "start": str(start_date),
            "end": str(end_date),
            "overlaps": overlaps,
        },
    )
    return term


TERM_FIELDS = (
    "start_date",
    "end_date",
    "workforce_total",
    "workforce_women",
    "workforce_dispatched",
)


@transaction.atomic
def do_update_term(*, actor, term: Term, changes: dict) -> list[str]:
    term = _lock(Term, term)
    require(actor, q.MANAGE, unit=term.unit)
    values = {f: changes.get(f, getattr(term, f)) for f in TERM_FIELDS}
    errors: dict[str, str] = {}
    _check_term_fields(values["start_date"], values["end_date"], term.ruleset, errors)
    _workforce_errors(
        values["workforce_total"], values["workforce_women"], values["workforce_dispatched"],
        errors,
    )  # fmt: skip
    _fail(errors)
    changed = [f for f in TERM_FIELDS if getattr(term, f) != values[f]]
    if changed:
        before = {f: str(getattr(term, f)) for f in changed}
        for f in changed:
            setattr(term, f, values[f])
        term.save(update_fields=changed)
        record(
            actor=actor,
            action="congress.update_term",
            target=term,
            unit=term.unit,
            data={"changed": {f: [before[f], str(values[f])] for f in changed}},
        )
    return changed


# --- representatives ------------------------------------------------------------------------------


def _grant_role(member: Member, unit: OrgUnit) -> None:
    if member.user_id:
        RoleAssignment.objects.get_or_create(
            user_id=member.user_id, role=Role.REPRESENTATIVE, org_unit=unit, department=None
        )


def _revoke_role_if_unused(member: Member, unit: OrgUnit) -> None:
    if not member.user_id:
        return
    still = Representative.objects.filter(member=member, unit=unit, active=True).exists()
    if not still:
        RoleAssignment.objects.filter(
            user_id=member.user_id, role=Role.REPRESENTATIVE, org_unit=unit
        ).delete()


@transaction.atomic
def do_add_representative(
    *,
    actor,
    term: Term,
    member: Member,
    unit: OrgUnit | None = None,
    kind: str = Representative.Kind.VOTING,
    is_manager: bool = False,
    is_frontline: bool = False,
    source: str = Representative.Source.ENTERED,
    election: RepElection | None = None,
) -> Representative:
    """Give a member a seat in the term, for an electoral unit (default: the member's unit).

    Also grants the member's account the representative role over the electoral unit (the
    role the proposal pages check)."""
    require(actor, q.MANAGE, unit=term.unit)
    unit = unit or member.org_unit
    errors: dict[str, str] = {}
    if member.status != Member.Status.ACTIVE:
        errors["member"] = _("只有在册会员可以担任职工代表")
    if not member.org_unit.path.startswith(term.unit.path):
        errors["member"] = _("该会员不属于本届职代会的组织范围")
    if not unit.path.startswith(term.unit.path):
        errors["unit"] = _("选举单位不属于本届职代会的组织范围")
    elif not member.org_unit.path.startswith(unit.path):
        errors["unit"] = _("代表应属于其选举单位")
    if kind not in Representative.Kind.values:
        errors["kind"] = _("请选择代表类别")
    if is_manager and is_frontline:
        errors["is_frontline"] = _("中层及以上管理人员不计为一线职工")
    if Representative.objects.filter(term=term, member=member).exists():
        errors["member"] = _("%(name)s 已经是本届职工代表") % {"name": member.name}
    _fail(errors)
    try:
        with transaction.atomic():
            rep = Representative.objects.create(
                term=term,
                member=member,
                unit=unit,
                kind=kind,
                is_manager=is_manager,
                is_frontline=is_frontline,
                source=source,
                election=election,
            )
    except IntegrityError:
        raise BadInput(
            _("%(name)s 已经是本届职工代表") % {"name": member.name},
            {"member": _("已经是本届职工代表")},
        ) from None
    _grant_role(member, unit)
    record(
        actor=actor,
        action="congress.add_representative",
        target=rep,
        unit=term.unit,
        data={
            "term": term.pk,
            "member": member.pk,
            "unit": unit.pk,
            "kind": kind,
            "manager": is_manager,
            "frontline": is_frontline,
            "source": source,
        },
    )
    return rep


@transaction.atomic
def do_update_representative(
    *, actor, rep: Representative, kind: str, is_manager: bool, is_frontline: bool
) -> list[str]:
    rep = Representative.objects.select_for_update().select_related("term__unit").get(pk=rep.pk)
    require(actor, q.MANAGE, unit=rep.term.unit)
    errors: dict[str, str] = {}
    if kind not in Representative.Kind.values:
        errors["kind"] = _("请选择代表类别")
    if is_manager and is_frontline:
        errors["is_frontline"] = _("中层及以上管理人员不计为一线职工")
    _fail(errors)
    values = {"kind": kind, "is_manager": is_manager, "is_frontline": is_frontline}
    changed = [f for f, v in values.items() if getattr(rep, f) != v]
    if changed:
        before = {f: getattr(rep, f) for f in changed}
        for f in changed:
            setattr(rep, f, values[f])
        rep.save(update_fields=changed)
        record(
            actor=actor,
            action="congress.update_representative",
            target=rep,
            unit=rep.term.unit,
            data={"changed": {f: [before[f], values[f]] for f in changed}},
        )
    return changed


@transaction.atomic
def do_end_representative(*, actor, rep: Representative, reason: str) -> Representative:
    """End a representative's seat (调离、解除劳动关系、罢免…); the record is kept."""
    rep = Representative.objects.select_for_update().select_related("term__unit").get(pk=rep.pk)
    require(actor, q.MANAGE, unit=rep.term.unit)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("请填写资格终止原因"), {"reason": _("请填写资格终止原因")})
    if not rep.active:
        raise StateError(_("该代表资格已经终止"))
    rep.active = False
    rep.ended_at = timezone.now()
    rep.end_reason = reason[:200]
    rep.save(update_fields=["active", "ended_at", "end_reason"])
    _revoke_role_if_unused(rep.member, rep.unit)
    record(
        actor=actor,
        action="congress.end_representative",
        target=rep,
        unit=rep.term.unit,
        data={"reason": rep.end_reason},
    )
    return rep


@transaction.atomic
def do_reset_checkin_code(*, actor, rep: Representative) -> Representative:
    """A new personal check-in code (the old one stops working): the representative or a
    manager of the term."""
    rep = Representative.objects.select_for_update().select_related("term__unit").get(pk=rep.pk)
    if rep.member.user_id != getattr(actor, "pk", None):
        require(actor, q.MANAGE, unit=rep.term.unit)
    rep.checkin_nonce = secrets.token_urlsafe(12)
    rep.save(update_fields=["checkin_nonce"])
    record(actor=actor, action="congress.reset_checkin_code", target=rep, unit=rep.term.unit)
    return rep


# --- sessions -------------------------------------------------------------------------------------


def _notify_session(session_id: int) -> None:
    session = Session.objects.select_related("term", "term__unit").get(pk=session_id)
    users = get_user_model().objects.filter(
        pk__in=Representative.objects.filter(term=session.term, active=True).values(
            "member__user_id"
        )
    )
    place = _("，地点：%(place)s") % {"place": session.place} if session.place else ""
    notify(
        recipients=users,
        kind="congress.session_scheduled",
        title=_("会议通知：%(session)s") % {"session": session},
        body=_("%(session)s 定于 %(date)s 召开%(place)s。请按时出席，凭个人签到码签到。")
        % {"session": session, "date": f"{session.date:%Y-%m-%d}", "place": place},
        url=reverse("congress:my-session", args=[session.pk]),
        unit=session.term.unit,
    )


@transaction.atomic
def do_schedule_session(
    *,
    actor,
    term: Term,
    date: dt.date,
    place: str = "",
    title: str = "",
    number: int | None = None,
    notify_representatives: bool = True,
) -> Session:
    require(actor, q.MANAGE, unit=term.unit)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("请填写会议日期")
    elif not term.start_date <= date <= term.end_date:
        errors["date"] = _("会议日期应在本届任期内（%(start)s 至 %(end)s）") % {
            "start": term.start_date,
            "end": term.end_date,
        }
    if number is None:
        last = term.sessions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    elif term.sessions.filter(number=number).exists():
        errors["number"] = _("第%(n)s次会议已经存在") % {"n": number}
    _fail(errors)
    session = Session.objects.create(
        term=term, number=number, date=date, place=(place or "")[:200], title=(title or "")[:200]
    )
    record(
        actor=actor,
        action="congress.schedule_session",
        target=session,
        unit=term.unit,
        data={"number": number, "date": str(date), "place": session.place},
    )
    if notify_representatives:
        transaction.on_commit(partial(_notify_session, session.pk))
    return session


def _set_state(actor, session: Session, state: str, action: str, **data) -> None:
    now = timezone.now()
    session.state = state
    fields = ["state"]
    stamps: dict[str, str] = {
        Session.State.CHECKIN: "checkin_started_at",
        Session.State.OPEN: "opened_at",
        Session.State.CLOSED: "closed_at",
    }
    stamp = stamps[state]
    setattr(session, stamp, now)
    fields.append(stamp)
    for key, value in data.items():
        if hasattr(session, key):
            setattr(session, key, value)
            fields.append(key)
    session.save(update_fields=fields)
    record(actor=actor, action=action, target=session, unit=session.term.unit, data=data)


def _locked_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update().select_related("term", "term__unit").get(pk=session.pk)
    )


def _fresh_session(session: Session) -> Session:
    """The session as it is now (its state may have changed since the caller read it)."""
    return Session.objects.select_related("term", "term__unit").get(pk=session.pk)


_SYNCED = (
    "state",
    "hall_token",
    "checkin_started_at",
    "opened_at",
    "closed_at",
    "representatives_at_open",
    "present_at_open",
)


def _sync(caller: Session, current: Session) -> Session:
    """Reflect the new state on the caller's instance too, so it is not left stale."""
    for name in _SYNCED:
        setattr(caller, name, getattr(current, name))
    return current


@transaction.atomic
def do_start_checkin(*, actor, session: Session) -> Session:
    caller, session = session, _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    if session.state != Session.State.PLANNED:
        raise StateError(_("只有筹备中的会议可以开始签到"))
    _set_state(actor, session, Session.State.CHECKIN, "congress.start_checkin")
    return _sync(caller, session)


@transaction.atomic
def do_open_session(*, actor, session: Session) -> Session:
    """Declare the session open: at least 2/3 of ALL voting representatives checked in."""
    caller, session = session, _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    if session.state != Session.State.CHECKIN:
        raise StateError(_("只有签到中的会议可以宣布开会"))
    quorum = q.quorum_status(session)
    if not quorum.reached:
        raise QuorumNotReached(quorum, _("宣布开会"))
    _set_state(
        actor,
        session,
        Session.State.OPEN,
        "congress.open_session",
        representatives_at_open=quorum.total,
        present_at_open=quorum.present,
    )
    return _sync(caller, session)


@transaction.atomic
def do_close_session(*, actor, session: Session) -> Session:
    caller, session = session, _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    if session.state != Session.State.OPEN:
        raise StateError(_("只有进行中的会议可以闭会"))
    waiting = list(q.open_items(session))
    paper = [i for i in waiting if i.poll is not None and i.poll.is_paper]
    if paper:
        raise StateError(
            _("纸质表决「%(item)s」尚未录入现场票数，请先录入票数再闭会") % {"item": paper[0].title}
        )
    if waiting:
        raise StateError(_("还有正在进行的表决，请先结束表决再闭会"))
    _set_state(actor, session, Session.State.CLOSED, "congress.close_session")
    return _sync(caller, session)


@transaction.atomic
def do_rotate_hall_code(*, actor, session: Session) -> Session:
    caller, session = session, _locked_session(session)
    require(actor, q.RUN, unit=session.term.unit)
    session.hall_token = secrets.token_urlsafe(12)
    session.save(update_fields=["hall_token"])
    record(actor=actor, action="congress.rotate_hall_code", target=session, unit=session.term.unit)
    return _sync(caller, session)


# --- check-in -------------------------------------------------------------------------------------


def _check_in(actor, session: Session, rep: Representative, method: str) -> tuple[Attendance, bool]:
    """The attendance row (created, or the existing one with False)."""
    if not session.accepts_checkin:
        if session.state == Session.State.PLANNED:
            raise CheckinRefused(_("会议尚未开始签到"))
        raise CheckinRefused(_("会议已闭会，不能签到"))
    if rep.term_id != session.term_id:
        raise CheckinRefused(_("%(name)s 不是本届职工代表") % {"name": rep.member.name})
    if not rep.active:
        raise CheckinRefused(_("%(name)s 的代表资格已经终止") % {"name": rep.member.name})
    existing = Attendance.objects.filter(session=session, representative=rep).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                representative=rep,
                method=method,
                checked_in_at=timezone.now(),
                recorded_by=actor,
            )
    except IntegrityError:  # checked in by a concurrent request a moment ago
        return Attendance.objects.get(session=session, representative=rep), False
    record(
        actor=actor,
        action="congress.check_in",
        target=session,
        unit=session.term.unit,
        data={"representative": rep.pk, "method": method},
    )
    return attendance, True


@transaction.atomic
def do_checkin_by_code(*, actor, session: Session, code: str) -> tuple[Attendance, bool]:
    """The check-in desk: a cadre scans a representative's personal code."""
    require(actor, q.RUN, unit=session.term.unit)
    session = _fresh_session(session)
    rep = q.representative_for_code(code)
    if rep is None:
        raise CheckinRefused(_("签到码无效（可能已重置），请核对后重试或改用点名签到"))
    return _check_in(actor, session, rep, Attendance.Method.DESK)


@transaction.atomic
def do_self_checkin(*, actor, session: Session, hall_token: str) -> tuple[Attendance, bool]:
    """Self check-in: the signed-in representative scanned the hall's code. Only ever checks
    in the caller's own representative record."""
    found = q.session_by_hall_token(session.pk, hall_token)
    if found is None:
        raise CheckinRefused(_("会场签到码无效或已更换，请重新扫描会场二维码"))
    rep = q.my_representations(actor).filter(term=session.term).first()
    if rep is None:
        raise CheckinRefused(_("您不是本届职工代表，无需签到"))
    return _check_in(actor, found, rep, Attendance.Method.HALL)


@transaction.atomic
def do_roll_call(*, actor, session: Session, rep: Representative, present: bool) -> bool:
    """Roll call by a cadre: tick (present) or untick. Returns whether anything changed."""
    require(actor, q.RUN, unit=session.term.unit)
    session = _fresh_session(session)
    if present:
        _attendance, created = _check_in(actor, session, rep, Attendance.Method.ROLL_CALL)
        return created
    if session.state == Session.State.CLOSED:
        raise CheckinRefused(_("会议已闭会，不能修改签到"))
    deleted, _detail = Attendance.objects.filter(session=session, representative=rep).delete()
    if deleted:
        record(
            actor=actor,
            action="congress.cancel_check_in",
            target=session,
            unit=session.term.unit,
            data={"representative": rep.pk},
        )
    return bool(deleted)


# --- agenda items and their votes ----------------------------------------------------------------
