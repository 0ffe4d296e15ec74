"""Writes of the representative elections (职工代表选举) of the congress: nomination and
self-nomination, the unit's secret ballot through the voting module, closing, and seating the
elected as representatives of the term. Each runs in one transaction and writes its audit
event. Errors are the congress errors of actions_sessions.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.congress.actions.sessions import (
    MAX_CANDIDATES,
    BadInput,
    CongressError,
    StateError,
    _fail,
    _lock,
    do_add_representative,
)
from zhijia.congress.models import Candidate, RepElection, Representative, Term
from zhijia.congress.queries import elections as eq
from zhijia.congress.queries import sessions as q
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.org.models import Member, OrgUnit
from zhijia.voting import actions as voting
from zhijia.voting import rules as voting_rules
from zhijia.voting.models import Poll

__all__ = [
    "BadInput",
    "CongressError",
    "StateError",
    "do_add_elected_representatives",
    "do_close_election",
    "do_create_election",
    "do_nominate_candidate",
    "do_open_election",
    "do_self_nominate",
    "do_withdraw_candidate",
]


@transaction.atomic
def do_create_election(
    *,
    actor,
    term: Term,
    unit: OrgUnit,
    seats: int,
    competitive: bool = True,
    paper: bool = False,
    base: str = RepElection.Base.MEMBERS,
    present_count: int | None = None,
) -> RepElection:
    """An election in `unit`. `base` says who the unit's voters are (the base of "more than
    half"): its in-register members, or those present at its meeting (`present_count`, which
    may also be entered when the ballot opens)."""
    require(actor, q.ELECTIONS, unit=unit)
    errors: dict[str, str] = {}
    if not unit.path.startswith(term.unit.path):
        errors["unit"] = _("选举单位不属于本届职代会的组织范围")
    if not seats or int(seats) < 1:
        errors["seats"] = _("应选名额至少为 1")
    if base not in RepElection.Base.values:
        errors["base"] = _("请选择选民基数")
    elif present_count is not None:
        _check_present(unit, base, present_count, errors)
    if RepElection.objects.filter(
        term=term, unit=unit, state__in=[RepElection.State.NOMINATING, RepElection.State.VOTING]
    ).exists():
        errors["unit"] = _("该选举单位已有一场进行中的选举")
    _fail(errors)
    election = RepElection.objects.create(
        term=term,
        unit=unit,
        seats=int(seats),
        competitive=bool(competitive),
        is_paper=bool(paper),
        base=base,
        present_count=present_count if base == RepElection.Base.PRESENT else None,
        created_by=actor,
    )
    record(
        actor=actor,
        action="congress.create_election",
        target=election,
        unit=unit,
        data={
            "term": term.pk,
            "seats": election.seats,
            "competitive": election.competitive,
            "base": base,
            "present": election.present_count,
        },
    )
    return election


def _check_present(unit: OrgUnit, base: str, present_count: int | None, errors: dict) -> None:
    """The present count of a "present at the meeting" base: 1 to the unit's member count."""
    if base != RepElection.Base.PRESENT:
        return
    members = eq.unit_member_count(unit)
    if present_count is None:
        errors["present_count"] = _("请填写出席选举大会的会员人数")
    elif not 1 <= int(present_count) <= members:
        errors["present_count"] = _("出席人数应在 1 到本选举单位在册会员人数（%(n)s 人）之间") % {
            "n": members
        }


def _add_candidate(actor, election, member, nomination, statement, is_manager, is_frontline):
    errors: dict[str, str] = {}
    if election.state != RepElection.State.NOMINATING or election.poll_id is not None:
        raise StateError(_("提名已经截止"))
    if member.status != Member.Status.ACTIVE or not member.org_unit.path.startswith(
        election.unit.path
    ):
        errors["member"] = _("候选人应为本选举单位的在册会员")
    if election.candidates.filter(member=member).exists():
        errors["member"] = _("%(name)s 已经是候选人") % {"name": member.name}
    if election.candidates.count() >= MAX_CANDIDATES:
        errors["member"] = _("候选人最多 %(n)s 名") % {"n": MAX_CANDIDATES}
    if is_manager and is_frontline:
        errors["is_frontline"] = _("中层及以上管理人员不计为一线职工")
    statement = (statement or "").strip()
    if nomination == Candidate.Nomination.SELF and not statement:
        errors["statement"] = _("自荐请填写竞选陈述")
    if len(statement) > 2000:
        errors["statement"] = _("竞选陈述不超过 2000 字")
    _fail(errors)
    last = election.candidates.order_by("-position").values_list("position", flat=True).first()
    candidate = Candidate.objects.create(
        election=election,
        member=member,
        nomination=nomination,
        statement=statement,
        is_manager=is_manager,
        is_frontline=is_frontline,
        nominated_by=actor,
        position=(last or 0) + 1,
    )
    record(
        actor=actor,
        action="congress.nominate_candidate",
        target=election,
        unit=election.unit,
        data={"member": member.pk, "nomination": nomination},
    )
    return candidate


@transaction.atomic
def do_nominate_candidate(
    *,
    actor,
    election: RepElection,
    member: Member,
    statement: str = "",
    is_manager: bool = False,
    is_frontline: bool = False,
) -> Candidate:
    election = _lock(RepElection, election)
    require(actor, q.ELECTIONS, unit=election.unit)
    return _add_candidate(
        actor, election, member, Candidate.Nomination.NOMINATED, statement, is_manager,
        is_frontline,
    )  # fmt: skip


@transaction.atomic
def do_self_nominate(
    *, actor, election: RepElection, statement: str, is_frontline: bool = False
) -> Candidate:
    """A member of the electoral unit stands for election with a statement (自荐竞选)."""
    election = _lock(RepElection, election)
    member = Member.objects.select_related("org_unit").filter(user=actor).first()
    if member is None:
        raise BadInput(_("只有会员可以自荐"), {"statement": _("只有会员可以自荐")})
    return _add_candidate(
        actor, election, member, Candidate.Nomination.SELF, statement, False, is_frontline
    )


@transaction.atomic
def do_withdraw_candidate(*, actor, candidate: Candidate) -> None:
    election = _lock(RepElection, candidate.election)
    own = candidate.member.user_id == getattr(actor, "pk", None)
    if not own:
        require(actor, q.ELECTIONS, unit=election.unit)
    if election.state != RepElection.State.NOMINATING or election.poll_id is not None:
        raise StateError(_("投票已经开始或已准备，候选人名单不能再改"))
    record(
        actor=actor,
        action="congress.withdraw_candidate",
        target=election,
        unit=election.unit,
        data={"member": candidate.member_id},
    )
    candidate.delete()


def _notify_election(election_id: int) -> None:
    election = RepElection.objects.select_related("unit", "term", "poll").get(pk=election_id)
    if election.poll is None:
        return
    notify(
        recipients=eq.unit_voters(election),
        kind="congress.election_open",
        title=_("请投票：%(election)s") % {"election": election},
        body=_("%(election)s 已开始投票，应选 %(seats)s 名，请在投票截止前投票。")
        % {"election": election, "seats": election.seats},
        url=reverse("voting:poll-detail", args=[election.poll_id]),
        unit=election.unit,
    )


def _create_election_poll(*, actor, election: RepElection, encrypted: bool) -> Poll:
    """The election's poll (a draft): approval of at most `seats` among the candidates, each
    candidate given its option key."""
    candidates = list(eq.candidates_of(election))
    n = len(candidates)
    if election.competitive and n <= election.seats:
        raise BadInput(
            _("差额选举的候选人（%(n)s 名）应多于应选名额（%(seats)s 名）")
            % {"n": n, "seats": election.seats},
            {"candidates": _("候选人应多于应选名额")},
        )
    if not election.competitive and n != election.seats:
        raise BadInput(
            _("等额选举的候选人（%(n)s 名）应等于应选名额（%(seats)s 名）")
            % {"n": n, "seats": election.seats},
            {"candidates": _("候选人应等于应选名额")},
        )
    labels = [f"{c.member.name}（{c.member.employee_no}）" for c in candidates]
    poll = voting.do_create_poll(
        actor=actor,
        title=str(election),
        description=_("%(term)s · 应选 %(seats)s 名")
        % {"term": election.term, "seats": election.seats},
        kind=voting_rules.APPROVAL,
        unit=election.unit,
        candidates=labels,
        seats=election.seats,
        paper=election.is_paper,
        origin=election.origin,
        encrypted=encrypted,
    )
    for key, candidate in zip(poll.option_keys(), candidates, strict=True):
        candidate.poll_key = key
        candidate.save(update_fields=["poll_key"])
    return poll


@transaction.atomic
def do_prepare_election(*, actor, election: RepElection) -> Poll:
    """Close nominations and prepare the election's encrypted online ballot (module voting):
    the manager names its 3 to 5 trustees (监票人) on the poll's page of module voting, they
    make its key, and do_open_election then opens it. Ballots are encrypted on the voters'
    phones and only k trustees together decrypt the totals (docs/voting.md)."""
    election = _lock(RepElection, election)
    require(actor, q.ELECTIONS, unit=election.unit)
    if election.state != RepElection.State.NOMINATING:
        raise StateError(_("只有提名中的选举可以准备投票"))
    if election.is_paper:
        raise StateError(_("纸质（现场）投票不加密，不需要准备"))
    if election.poll_id is not None:
        raise StateError(_("已经准备了加密投票"))
    poll = _create_election_poll(actor=actor, election=election, encrypted=True)
    election.poll = poll
    election.save(update_fields=["poll"])
    record(
        actor=actor,
        action="congress.prepare_election",
        target=election,
        unit=election.unit,
        data={"poll": poll.pk, "candidates": len(poll.option_keys())},
    )
    return poll


@transaction.atomic
def do_open_election(*, actor, election: RepElection, present_count: int | None = None) -> Poll:
    """Close nominations and open the unit's secret ballot (approval of at most `seats`).

    Competitive (差额): more candidates than seats; otherwise exactly as many. The base of
    "more than half" is the unit's voters (eq.election_base): its in-register members, or,
    for a "present at the meeting" election, the present count (given here or at creation,
    at most the member count). Members with an active account are on the roll and may vote
    online; a paper result returns at most `base` ballots. An election prepared encrypted
    (do_prepare_election) opens once its trustees have made the key."""
    election = _lock(RepElection, election)
    require(actor, q.ELECTIONS, unit=election.unit)
    if election.state != RepElection.State.NOMINATING:
        raise StateError(_("只有提名中的选举可以开始投票"))
    if present_count is None:
        present_count = election.present_count
    errors: dict[str, str] = {}
    _check_present(election.unit, election.base, present_count, errors)
    _fail(errors)
    base = eq.election_base(election, present_count)
    if election.poll_id is not None:
        # Prepared encrypted: do_open_poll refuses it until the trustees have made the key.
        poll = Poll.objects.get(pk=election.poll_id)
    else:
        poll = _create_election_poll(actor=actor, election=election, encrypted=False)
    n = len(poll.option_keys())
    voters = list(eq.unit_voters(election))
    if not voters and not election.is_paper:
        message = _("本选举单位没有可以在线投票的会员账号，请改用纸质（现场）投票")
        raise BadInput(message, {"is_paper": message})
    voting.do_open_poll(
        actor=actor,
        poll=poll,
        voters=voters,
        majority_base=base,
        # Online, everyone on the roll may vote even when fewer were at the meeting.
        eligible=base if election.is_paper else max(base, len(voters)),
    )
    election.poll = poll
    election.state = RepElection.State.VOTING
    fields = ["poll", "state"]
    if election.base == RepElection.Base.PRESENT:
        election.present_count = present_count
        fields.append("present_count")
    election.save(update_fields=fields)
    record(
        actor=actor,
        action="congress.open_election",
        target=election,
        unit=election.unit,
        data={"poll": poll.pk, "candidates": n, "voters": len(voters), "base": base},
    )
    transaction.on_commit(partial(_notify_election, election.pk))
    return poll


@transaction.atomic
def do_close_election(*, actor, election: RepElection) -> RepElection:
    election = _lock(RepElection, election)
    require(actor, q.ELECTIONS, unit=election.unit)
    if election.state != RepElection.State.VOTING or election.poll is None:
        raise StateError(_("只有投票中的选举可以结束"))
    poll = election.poll
    if poll.state == Poll.State.OPEN:
        if poll.is_paper:
            raise StateError(_("请先录入现场投票的票数"))
        voting.do_close_poll(actor=actor, poll=poll)
    election.state = RepElection.State.CLOSED
    election.save(update_fields=["state"])
    record(actor=actor, action="congress.close_election", target=election, unit=election.unit)
    return election


@transaction.atomic
def do_add_elected_representatives(*, actor, election: RepElection) -> list[Representative]:
    """Seat every elected candidate (never the tied ones) as a voting representative of the
    term for the electoral unit, with the attributes given at nomination. Idempotent: those
    already seated are skipped."""
    election = RepElection.objects.select_related("term", "term__unit", "unit").get(pk=election.pk)
    require(actor, q.MANAGE, unit=election.term.unit)
    if election.state != RepElection.State.CLOSED:
        raise StateError(_("选举结束后才能确认当选代表"))
    outcome = eq.election_result(election)
    if outcome.result is None:
        raise StateError(outcome.refused or _("选举结果尚未公布"))
    seated = set(
        Representative.objects.filter(term=election.term).values_list("member_id", flat=True)
    )
    added = []
    for candidate in outcome.elected:
        if candidate.member_id in seated:
            continue
        added.append(
            do_add_representative(
                actor=actor,
                term=election.term,
                member=candidate.member,
                unit=election.unit,
                is_manager=candidate.is_manager,
                is_frontline=candidate.is_frontline,
                source=Representative.Source.ELECTED,
                election=election,
            )
        )
    record(
        actor=actor,
        action="congress.seat_elected",
        target=election,
        unit=election.unit,
        data={"added": [r.pk for r in added]},
    )
    return added
