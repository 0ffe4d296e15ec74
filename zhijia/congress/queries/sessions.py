"""Reads of the congress pages and API: terms, sessions, representatives, check-in, quorum,
agenda items and representative elections.

Scopes (zhijia.core.permissions): a term, its sessions, representatives and items are in the
scope of the term's unit; an election in the scope of its electoral unit. `access_*` helpers
answer 404 for records outside the caller's scope. Representatives reach their own sessions
through their own representative record, never through a permission code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import rules
from zhijia.congress.models import (
    AgendaItem,
    Attendance,
    Representative,
    Scrutineer,
    Session,
    Term,
)
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import Member, OrgUnit
from zhijia.voting import queries as voting_queries
from zhijia.voting.errors import ResultsNotPublished
from zhijia.voting.models import Poll, Trustee

VIEW = "congress.view_term"
MANAGE = "congress.manage_term"
RUN = "congress.run_session"
ELECTIONS = "congress.manage_election"
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- terms ------------------------------------------------------------------------------------


def terms_visible_to(user, code: str = VIEW) -> QuerySet[Term]:
    if not _authenticated(user):
        return Term.objects.none()
    return Term.objects.filter(scope_q(user, code, path_field="unit__path")).select_related("unit")


def list_terms_for_user(user) -> QuerySet[Term]:
    return terms_visible_to(user).annotate(
        n_sessions=Count("sessions", distinct=True),
        n_reps=Count(
            "representatives",
            filter=Q(representatives__active=True, representatives__kind="voting"),
            distinct=True,
        ),
    )


def access_term(user, term_id: Any, code: str = VIEW) -> Term:
    pk = parse_id(term_id)
    term = terms_visible_to(user, code).filter(pk=pk).first() if pk else None
    if term is None:
        raise Http404
    return term


def can(user, code: str, term: Term) -> bool:
    return has_perm(user, code, unit=term.unit)


def units_for_terms(user) -> QuerySet[OrgUnit]:
    """Units in which the user may set up a term (the union committee, usually)."""
    return OrgUnit.objects.filter(scope_q(user, MANAGE, path_field="path")).order_by("path")


def next_term_number(unit: OrgUnit) -> int:
    last = Term.objects.filter(unit=unit).order_by("-number").values_list("number", flat=True)
    return (last.first() or 0) + 1


def workforce(term: Term) -> rules.Workforce:
    """The workforce the composition rules compare with: the figures entered on the term, or
    else the in-register members of the term's unit and its subtree."""
    counted = None
    if None in (term.workforce_total, term.workforce_women, term.workforce_dispatched):
        counted = Member.objects.filter(
            status=Member.Status.ACTIVE, org_unit__path__startswith=term.unit.path
        ).aggregate(
            total=Count("pk"),
            women=Count("pk", filter=Q(gender=Member.Gender.FEMALE)),
            dispatched=Count("pk", filter=Q(employment_type=Member.EmploymentType.DISPATCHED)),
        )

    def pick(entered, key):
        return entered if entered is not None else (counted or {}).get(key) or 0

    return rules.Workforce(
        total=pick(term.workforce_total, "total"),
        women=pick(term.workforce_women, "women"),
        dispatched=pick(term.workforce_dispatched, "dispatched"),
    )


def workforce_is_counted(term: Term) -> bool:
    return term.workforce_total is None


def slate(term: Term) -> rules.Slate:
    active = Representative.objects.filter(term=term, active=True)
    voting = Q(kind=Representative.Kind.VOTING)
    counts = active.aggregate(
        voting=Count("pk", filter=voting),
        managers=Count("pk", filter=voting & Q(is_manager=True)),
        frontline=Count("pk", filter=voting & Q(is_frontline=True)),
        women=Count("pk", filter=voting & Q(member__gender=Member.Gender.FEMALE)),
        dispatched=Count(
            "pk", filter=voting & Q(member__employment_type=Member.EmploymentType.DISPATCHED)
        ),
        attending=Count("pk", filter=Q(kind=Representative.Kind.ATTENDING)),
    )
    return rules.Slate(**{k: v or 0 for k, v in counts.items()})


@dataclass(frozen=True)
class CheckRow:
    check: rules.Check
    title: str
    message: str

    @property
    def status(self) -> str:
        return self.check.status

    @property
    def basis(self) -> str:
        return self.check.basis


def describe(check: rules.Check) -> CheckRow:
    """The title and the plain-Chinese message of a composition check, from its figures."""
    f = check.figures
    code = check.code
    if code == "size_min":
        title = _("代表人数")
        message = (
            _(
                "正式代表 %(reps)s 人；应不少于职工总数 %(workforce)s 人的 %(share)s "
                "且不少于 %(minimum)s 人，即至少 %(required)s 人。"
            )
            % f
        )
    elif code == "size_provincial":
        title = _("代表人数（按职工规模）")
        if f["applies"]:
            message = (
                _("职工 %(workforce)s 人的企业，代表应不少于 %(required)s 人；现有 %(reps)s 人。")
                % f
            )
        else:
            message = _("职工 %(workforce)s 人，未达到规模下限的适用人数，不适用。") % f
    elif code == "managers_max":
        title = _("中层及以上管理人员比例")
        message = (
            _(
                "中层及以上管理人员 %(managers)s 人，占正式代表 %(reps)s 人；"
                "不得超过 %(share)s，即至多 %(allowed)s 人。"
            )
            % f
        )
    elif code == "frontline_min":
        title = _("一线职工比例")
        message = (
            _(
                "一线职工代表 %(frontline)s 人，占正式代表 %(reps)s 人；"
                "应不少于 %(share)s，即至少 %(required)s 人。"
            )
            % f
        )
    elif code in {"women_share", "dispatched_share"}:
        group = _("女职工") if code == "women_share" else _("劳务派遣职工")
        title = _("%(group)s代表比例") % {"group": group}
        if not f["workers_in_group"]:
            message = _("职工中没有%(group)s，不适用。") % {"group": group}
        else:
            message = _(
                "%(group)s代表 %(n)s 人（%(reps_share)s），%(group)s占职工总数的 "
                "%(workforce_share)s；按比例应至少 %(required)s 人。"
            ) % {"group": group, "n": f["reps_in_group"], **f}
    elif code == "attending_max":
        title = _("列席代表人数")
        message = (
            _(
                "列席代表 %(attending)s 人；不得超过正式代表 %(reps)s 人的 %(share)s，"
                "即至多 %(allowed)s 人。"
            )
            % f
        )
    elif code == "term_length":
        title = _("届期")
        message = (
            _(
                "每届任期 %(min_years)s 至 %(max_years)s 年：%(start)s 开始的届期应在 "
                "%(earliest_end)s 至 %(latest_end)s 之间结束。"
            )
            % f
        )
    else:
        title, message = code, ""
    return CheckRow(check, str(title), str(message))


def composition(term: Term) -> list[CheckRow]:
    """Every composition check of the term's current slate, with its legal basis."""
    checks = rules.composition_checks(workforce(term), slate(term), term.ruleset)
    checks.append(rules.check_term_length(term.start_date, term.end_date, term.ruleset))
    return [describe(c) for c in checks]


def term_years(term: Term, today: dt.date | None = None) -> list[rules.TermYear]:
    today = today or timezone.localdate()
    dates = list(term.sessions.values_list("date", flat=True))
    return rules.sessions_per_year(
        term.start_date, term.end_date, dates, today=today, rs=term.ruleset
    )


def years_without_session(term: Term, today: dt.date | None = None) -> list[rules.TermYear]:
    return [y for y in term_years(term, today) if y.status != rules.OK]


# --- representatives --------------------------------------------------------------------------


def representatives_of(term: Term, *, include_ended: bool = False) -> QuerySet[Representative]:
    qs = Representative.objects.filter(term=term).select_related("member", "unit", "member__user")
    if not include_ended:
        qs = qs.filter(active=True)
    return qs.order_by("unit__path", "kind", "member__employee_no")


def voting_representatives(term: Term) -> QuerySet[Representative]:
    return Representative.objects.filter(term=term, active=True, kind=Representative.Kind.VOTING)


def access_representative(user, rep_id: Any, code: str = VIEW) -> Representative:
    pk = parse_id(rep_id)
    rep = (
        Representative.objects.filter(pk=pk, term__in=terms_visible_to(user, code))
        .select_related("term", "term__unit", "member", "unit")
        .first()
        if pk
        else None
    )
    if rep is None:
        raise Http404
    return rep


def members_for_representatives(term: Term, q: str = "") -> QuerySet[Member]:
    """In-register members of the term's unit subtree who are not yet representatives."""
    qs = Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=term.unit.path
    ).exclude(pk__in=Representative.objects.filter(term=term).values("member_id"))
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(employee_no=q) | Q(name__startswith=q) | Q(name_pinyin__startswith=q))
    return qs.select_related("org_unit").order_by("employee_no")


def members_in_unit(unit: OrgUnit) -> QuerySet[Member]:
    """The in-register members of `unit`'s subtree."""
    return Member.objects.filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=unit.path
    ).select_related("org_unit", "user")


def member_by_employee_no(unit: OrgUnit, employee_no: str) -> Member | None:
    return members_in_unit(unit).filter(employee_no=(employee_no or "").strip()).first()


def electoral_units(term: Term) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=term.unit.path).order_by("path")


def my_representations(user) -> QuerySet[Representative]:
    if not _authenticated(user):
        return Representative.objects.none()
    return (
        Representative.objects.filter(member__user=user, active=True)
        .select_related("term", "term__unit", "unit", "member")
        .order_by("-term__start_date")
    )


def access_my_representation(user, rep_id: Any) -> Representative:
    pk = parse_id(rep_id)
    rep = my_representations(user).filter(pk=pk).first() if pk else None
    if rep is None:
        raise Http404
    return rep


# --- personal check-in codes ------------------------------------------------------------------

CODE_SALT = "zhijia.congress.checkin"
CODE_PREFIX = "ZJDB"


def checkin_code(rep: Representative) -> str:
    """The representative's personal check-in code (signed; valid for every session of the
    term until reset). It names the representative, nothing else."""
    return signing.Signer(salt=CODE_SALT).sign(f"{CODE_PREFIX}.{rep.pk}.{rep.checkin_nonce}")


def representative_for_code(code: str) -> Representative | None:
    """The representative a scanned code belongs to, or None (bad signature, reset code)."""
    text = "".join((code or "").split())
    try:
        value = signing.Signer(salt=CODE_SALT).unsign(text)
    except signing.BadSignature:
        return None
    prefix, _sep, rest = value.partition(".")
    rep_id, _sep, nonce = rest.partition(".")
    pk = parse_id(rep_id)
    if prefix != CODE_PREFIX or pk is None:
        return None
    rep = Representative.objects.filter(pk=pk).select_related("member", "term", "unit").first()
    if rep is None or rep.checkin_nonce != nonce:
        return None
    return rep


# --- sessions -----------------------------------------------------------------------------------


def sessions_of(term: Term) -> QuerySet[Session]:
    return term.sessions.order_by("number")


def access_session(user, session_id: Any, code: str = VIEW) -> Session:
    pk = parse_id(session_id)
    session = (
        Session.objects.filter(pk=pk, term__in=terms_visible_to(user, code))
        .select_related("term", "term__unit")
        .first()
        if pk
        else None
    )
    if session is None:
        raise Http404
    return session


def my_sessions(user) -> QuerySet[Session]:
    """Sessions of the terms in which the user is an active representative."""
    if not _authenticated(user):
        return Session.objects.none()
    terms = my_representations(user).values("term_id")
    return (
        Session.objects.filter(term_id__in=terms)
        .select_related("term", "term__unit")
        .order_by("-date", "-number")
    )


def access_my_session(user, session_id: Any) -> tuple[Session, Representative]:
    """A session of one of the user's terms and the user's representative record in it."""
    pk = parse_id(session_id)
    session = my_sessions(user).filter(pk=pk).first() if pk else None
    if session is None:
        raise Http404
    rep = my_representations(user).get(term=session.term)
    return session, rep


def session_by_hall_token(session_id: Any, token: str) -> Session | None:
    import hmac

    pk = parse_id(session_id)
    session = (
        Session.objects.filter(pk=pk).select_related("term", "term__unit").first() if pk else None
    )
    if session is None or not hmac.compare_digest(session.hall_token, str(token or "")):
        return None
    return session


def is_checked_in(session: Session, rep: Representative) -> Attendance | None:
    return Attendance.objects.filter(session=session, representative=rep).first()


def quorum_status(session: Session) -> rules.Quorum:
    """Checked-in voting representatives against 2/3 of ALL active voting representatives."""
    total = voting_representatives(session.term).count()
    present = Attendance.objects.filter(
        session=session,
        representative__active=True,
        representative__kind=Representative.Kind.VOTING,
    ).count()
    return rules.quorum(present, total, session.term.ruleset)


def attending_present(session: Session) -> int:
    return Attendance.objects.filter(
        session=session, representative__kind=Representative.Kind.ATTENDING
    ).count()


# --- scrutineers (总监票人, 监票人): the trustees of the session's encrypted votes ----------


def scrutineers_of(session: Session) -> QuerySet[Scrutineer]:
    """The session's scrutineers, the chief first (their order is their trustee index)."""
    return (
        Scrutineer.objects.filter(session=session)
        .select_related("representative__member__user")
        .order_by("position")
    )


def representatives_of_term(term: Term) -> QuerySet[Representative]:
    """Every representative of the term, serving or not (a body naming one by id)."""
    return Representative.objects.filter(term=term).select_related("member", "unit")


def scrutineer_choices(term: Term) -> QuerySet[Representative]:
    """Who may be a scrutineer: serving representatives of the term (voting or attending)
    whose member record has an active account, for they take part in the key ceremony."""
    return (
        Representative.objects.filter(
            term=term, active=True, member__user__isnull=False, member__user__is_active=True
        )
        .select_related("member", "member__user", "unit")
        .order_by("member__employee_no")
    )


def prepared_polls(session: Session) -> QuerySet[Poll]:
    """The encrypted polls of the session's items (prepared with its scrutineers)."""
    return Poll.objects.filter(
        pk__in=AgendaItem.objects.filter(session=session).values("poll"), encrypted=True
    )


def ceremonies_under_way(polls) -> bool:
    """Has a trustee of one of these (draft) polls posted a key already?"""
    return Trustee.objects.filter(poll__in=polls, public__isnull=False).exists()


def waiting_polls(session: Session) -> QuerySet[Poll]:
    """The session's encrypted votes prepared but not opened yet."""
    return prepared_polls(session).filter(state=Poll.State.DRAFT)


def scrutineers_locked(session: Session) -> bool:
    """May the scrutineers no longer be changed: a waiting vote's key ceremony has begun."""
    return ceremonies_under_way(waiting_polls(session))


@dataclass(frozen=True)
class Ceremony:
    """Where the key ceremony of an item's encrypted vote stands (for the chair's page)."""

    trustees: int
    public_posted: int
    shares_posted: int
    checked: int  # checked the shares sealed to them without a complaint
    complaints: int  # complained about a share: the ceremony must be restarted
    key_ready: bool


def ceremony_of(poll: Poll | None) -> Ceremony | None:
    if poll is None or not poll.encrypted:
        return None
    rows = voting_queries.trustees_of(poll)
    return Ceremony(
        trustees=len(rows),
        public_posted=sum(1 for t in rows if t.public is not None),
        shares_posted=sum(1 for t in rows if t.shares is not None),
        checked=sum(1 for t in rows if t.complaints == []),
        complaints=sum(1 for t in rows if t.complaints),
        key_ready=voting_queries.ceremony_complete(poll),
    )


def present_voters(session: Session):
    """Active accounts of the checked-in voting representatives: who may vote ONLINE on an
    item. The item's voters are all checked-in voting representatives, with or without an
    account (quorum_status(session).present); those without one vote on paper."""
    from django.contrib.auth import get_user_model

    reps = Attendance.objects.filter(
        session=session,
        representative__active=True,
        representative__kind=Representative.Kind.VOTING,
    ).values("representative__member__user_id")
    return get_user_model().objects.filter(pk__in=reps, is_active=True).order_by("pk")


def present_without_account(session: Session) -> int:
    """Checked-in voting representatives without an active account (they vote on paper)."""
    return (
        Attendance.objects.filter(
            session=session,
            representative__active=True,
            representative__kind=Representative.Kind.VOTING,
        )
        .filter(
            Q(representative__member__user__isnull=True)
            | Q(representative__member__user__is_active=False)
        )
        .count()
    )


def roll_call_list(session: Session) -> QuerySet[Representative]:
    """Every active representative of the term with `present` and the check-in time."""
    attendance = Attendance.objects.filter(session=session, representative=OuterRef("pk"))
    return (
        representatives_of(session.term)
        .annotate(present=Exists(attendance))
        .order_by("unit__path", "-kind", "member__employee_no")
    )


def attendance_of(session: Session) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(session=session)
        .select_related("representative", "representative__member", "representative__unit")
        .order_by("-checked_in_at")
    )


# --- agenda items -------------------------------------------------------------------------------


def items_of(session: Session) -> QuerySet[AgendaItem]:
    return session.items.select_related("poll").order_by("position", "id")


def access_item(user, item_id: Any, code: str = VIEW) -> AgendaItem:
    pk = parse_id(item_id)
    item = (
        AgendaItem.objects.filter(pk=pk, session__term__in=terms_visible_to(user, code))
        .select_related("session", "session__term", "session__term__unit", "poll")
        .first()
        if pk
        else None
    )
    if item is None:
        raise Http404
    return item


def next_item_position(session: Session) -> int:
    last = session.items.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@dataclass(frozen=True)
class ItemResult:
    item: AgendaItem
    result: voting_queries.PollResult | None  # None: not voted yet, or refused while open
    refused: str  # why there is no result yet
    all_representatives: int  # the base of "more than half" fixed when the vote opened
    threshold: int
    passed: bool | None  # motions: more than half of ALL representatives voted yes


def item_result(item: AgendaItem) -> ItemResult:
    """The published result of an item's vote (only once its poll is closed)."""
    poll = item.poll
    if poll is None:
        return ItemResult(item, None, _("尚未表决"), 0, 0, None)
    base = poll.majority_base or 0
    threshold = rules.pass_threshold(base) if base else 0
    try:
        result = voting_queries.results_for(poll)
    except ResultsNotPublished as exc:
        return ItemResult(item, None, exc.message, base, threshold, None)
    passed = None
    if result.motion is not None:
        passed = rules.resolution_passes(result.motion.yes, base)
    return ItemResult(item, result, "", base, threshold, passed)


def session_results(session: Session) -> list[ItemResult]:
    return [item_result(i) for i in items_of(session) if i.is_voted]


def open_items(session: Session) -> QuerySet[AgendaItem]:
    return items_of(session).filter(poll__state=Poll.State.OPEN)


def overlapping_terms(
    unit: OrgUnit, start: dt.date, end: dt.date, exclude: Term | None = None
) -> QuerySet[Term]:
    """Other terms of the same union whose dates overlap [start, end]."""
    qs = Term.objects.filter(unit=unit, start_date__lte=end, end_date__gte=start)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("number")


def term_warnings(term: Term) -> list[str]:
    """Warnings about the term that do not block it: overlapping terms of the same union."""
    return [
        _(
            "本届任期（%(start)s 至 %(end)s）与%(other)s（%(ostart)s 至 %(oend)s）"
            "的任期重叠，请核对日期。"
        )
        % {
            "start": term.start_date,
            "end": term.end_date,
            "other": other,
            "ostart": other.start_date,
            "oend": other.end_date,
        }
        for other in overlapping_terms(term.unit, term.start_date, term.end_date, exclude=term)
    ]
