"""Writes of a collective contract: versions and clauses, the vote (through module voting,
Art. 36), signing (Art. 42), filing and effect (Art. 47), publication (Art. 48), expiry and
the renewal reminder (Art. 38). Each in one transaction with its audit event.

The vote: the draft's current version is frozen and put to a yes/no/abstain poll of module
voting (declared dependency bargaining -> voting, as congress -> voting). The roll is the
representatives of the contract's unit subtree (Role.REPRESENTATIVE) or all its members on
the roll (vote_basis); the base of both thresholds is the whole roll (on paper, in the hall:
the number of all of them, given when the vote opens). When the poll is closed, present =
ballots cast (on paper: the valid and invalid ones handed in), and rules.vote_outcome decides:
at least two thirds present and more than half of ALL in favour.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.bargaining import rules
from zhijia.bargaining.actions.common import cite, text_field
from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.models import Clause, Contract, ContractVersion
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.workflows import CONTRACT
from zhijia.core import search, workdays
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, precheck, start
from zhijia.voting import actions as voting
from zhijia.voting import queries as voting_queries
from zhijia.voting import rules as voting_rules
from zhijia.voting.errors import ResultsNotPublished
from zhijia.voting.models import PaperResult, Poll

MAX_CLAUSES = 200
SEARCH_TYPE = "bargaining.contract"


def contract_url(contract: Contract) -> str:
    return reverse("bargaining:contract", args=[contract.pk])


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("org_unit").get(pk=contract.pk)


def _clause_fields(title: str, text: str) -> tuple[str, str]:
    return (
        text_field(title, "title", _("条款标题"), 100),
        text_field(text, "text", _("条款内容"), 5000),
    )


def _term(years) -> int:
    try:
        years = int(years)
    except (TypeError, ValueError):
        years = 0
    if not rules.term_valid(years):
        raise BargainingError(
            _("集体合同期限为 1 至 3 年（%(article)s）") % {"article": cite(rules.ART_TERM)},
            field="term_years",
        )
    return years


@transaction.atomic
def do_create_contract(
    *,
    actor,
    org_unit,
    kind: str,
    title: str,
    employer_name: str,
    term_years: int = 3,
    vote_basis: str = Contract.VoteBasis.REPRESENTATIVES,
    round=None,
    clauses: list[tuple[str, str, bool]] = (),  # type: ignore[assignment]
) -> Contract:
    """A draft contract (version 1) of the cadre's unit, from a round or on its own."""
    require(actor, MANAGE, unit=org_unit)
    if kind not in Contract.Kind.values:
        raise BargainingError(_("请选择合同类型"), field="kind")
    if vote_basis not in Contract.VoteBasis.values:
        raise BargainingError(_("请选择审议方式"), field="vote_basis")
    if round is not None and round.org_unit_id != org_unit.pk:
        raise BargainingError(_("合同与协商轮次应属于同一工会"), field="round")
    contract = Contract.objects.create(
        org_unit=org_unit,
        kind=kind,
        title=text_field(title, "title", _("合同名称"), 200),
        employer_name=text_field(employer_name, "employer_name", _("用人单位"), 200),
        term_years=_term(term_years),
        vote_basis=vote_basis,
        round=round,
        created_by=actor,
    )
    version = ContractVersion.objects.create(contract=contract, number=1, created_by=actor)
    for number, (ctitle, ctext, measurable) in enumerate(clauses, start=1):
        ctitle, ctext = _clause_fields(ctitle, ctext)
        Clause.objects.create(
            version=version, number=number, title=ctitle, text=ctext, measurable=bool(measurable)
        )
    start(CONTRACT, contract, actor=actor)
    return contract


def _editable_version(actor, contract: Contract) -> ContractVersion:
    require(actor, MANAGE, unit=contract.org_unit)
    if not contract.in_state(CONTRACT.states.draft):
        raise BargainingError(_("只有草案可以修改条款"), status=409)
    if contract.poll_id is not None:
        raise BargainingError(_("草案已提交表决，修改请在表决后另立新版本"), status=409)
    version = contract.current_version()
    if version is None or version.frozen:
        raise BargainingError(_("当前版本已定稿，请先建立新版本"), status=409)
    return version


@transaction.atomic
def do_add_clause(*, actor, contract: Contract, title: str, text: str, measurable=False) -> Clause:
    contract = _locked(contract)
    version = _editable_version(actor, contract)
    title, text = _clause_fields(title, text)
    count = version.clauses.count()
    if count >= MAX_CLAUSES:
        raise BargainingError(_("条款最多 %(n)d 条") % {"n": MAX_CLAUSES})
    number = (version.clauses.aggregate(n=Max("number"))["n"] or 0) + 1
    clause = Clause.objects.create(
        version=version, number=number, title=title, text=text, measurable=bool(measurable)
    )
    record(
        actor=actor,
        action="bargaining.add_clause",
        target=contract,
        unit=contract.org_unit,
        data={"version": version.number, "clause": number},
    )
    return clause


@transaction.atomic
def do_edit_clause(
    *, actor, contract: Contract, number: int, title: str, text: str, measurable=False, remove=False
) -> Clause | None:
    """Change (or remove) clause `number` of the current, unfrozen version."""
    contract = _locked(contract)
    version = _editable_version(actor, contract)
    clause = version.clauses.filter(number=number).first()
    if clause is None:
        raise BargainingError(_("当前版本没有第 %(n)s 条") % {"n": number}, field="number")
    if remove:
        clause.delete()
        result = None
    else:
        clause.title, clause.text = _clause_fields(title, text)
        clause.measurable = bool(measurable)
        clause.save(update_fields=["title", "text", "measurable"])
        result = clause
    record(
        actor=actor,
        action="bargaining.remove_clause" if remove else "bargaining.edit_clause",
        target=contract,
        unit=contract.org_unit,
        data={"version": version.number, "clause": number},
    )
    return result


def _copy_version(actor, contract: Contract, note: str) -> ContractVersion:
    current = contract.current_version()
    version = ContractVersion.objects.create(
        contract=contract,
        number=(current.number + 1) if current else 1,
        note=text_field(note, "note", _("修改说明"), 200, required=False),
        created_by=actor,
    )
    if current is not None:
        Clause.objects.bulk_create(
            Clause(
                version=version,
                number=c.number,
                title=c.title,
                text=c.text,
                measurable=c.measurable,
            )
            for c in current.clauses.all()
        )
    return version


@transaction.atomic
def do_new_version(*, actor, contract: Contract, note: str = "") -> ContractVersion:
    """A new version of a draft, copying the current version's clauses."""
    contract = _locked(contract)
    require(actor, MANAGE, unit=contract.org_unit)
    if not contract.in_state(CONTRACT.states.draft) or contract.poll_id is not None:
        raise BargainingError(_("只有未提交表决的草案可以建立新版本"), status=409)
    version = _copy_version(actor, contract, note)
    record(
        actor=actor,
        action="bargaining.new_version",
        target=contract,
        unit=contract.org_unit,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def do_revise_contract(*, actor, contract: Contract, note: str = "") -> Contract:
    """After a failed vote or the bureau's objection: back to draft with a new version."""
    contract = _locked(contract)
    checked = precheck(CONTRACT, contract, "revise", actor)
    version = _copy_version(actor, contract, note)
    contract.poll = None
    contract.vote_total = contract.vote_present = contract.vote_yes = None
    contract.save(update_fields=["poll", "vote_total", "vote_present", "vote_yes"])
    do_transition(
        CONTRACT,
        contract,
        "revise",
        actor=actor,
        prechecked=checked,
        data={"version": version.number},
    )
    return contract


# --- the vote (Art. 36) --------------------------------------------------------------------------


def roll_of(contract: Contract):
    """Who votes on the draft: the representatives of the unit subtree, or all its members."""
    if contract.vote_basis == Contract.VoteBasis.ALL_WORKERS:
        return voting_queries.eligible_members_of_unit(contract.org_unit)
    return voting_queries.representatives_of_unit(contract.org_unit)


def _version_to_vote(contract: Contract):
    version = contract.current_version()
    if version is None or not version.clauses.exists():
        raise BargainingError(_("草案还没有条款"), status=409)
    return version


def _create_vote_poll(*, actor, contract: Contract, version, paper: bool, encrypted: bool) -> Poll:
    basis = contract.get_vote_basis_display()
    return voting.do_create_poll(
        actor=actor,
        title=_("审议：%(title)s（第 %(v)d 版）") % {"title": contract.title, "v": version.number},
        description=_(
            "%(basis)s审议集体合同草案：应有三分之二以上出席，且经全体半数以上同意方获通过"
            "（%(article)s）。"
        )
        % {"basis": basis, "article": cite(rules.ART_VOTE)},
        kind=voting_rules.YES_NO_ABSTAIN,
        unit=contract.org_unit,
        paper=paper,
        origin=f"bargaining.contract:{contract.pk}",
        encrypted=encrypted,
    )


def _freeze(version) -> None:
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])


@transaction.atomic
def do_prepare_contract_vote(*, actor, contract: Contract) -> Poll:
    """Prepare an encrypted online vote on the draft: the current version is frozen and its
    poll created encrypted (module voting). The manager names its 3 to 5 trustees (监票人) on
    the poll's page of module voting, they make its key (the key ceremony), and then
    do_open_contract_vote opens it: ballots are encrypted on the voters' phones and only k
    trustees together can decrypt the totals (docs/voting.md)."""
    contract = _locked(contract)
    precheck(CONTRACT, contract, "approve", actor)
    if contract.poll_id is not None:
        raise BargainingError(_("该草案已经提交表决"), status=409)
    version = _version_to_vote(contract)
    poll = _create_vote_poll(
        actor=actor, contract=contract, version=version, paper=False, encrypted=True
    )
    _freeze(version)
    contract.poll = poll
    contract.save(update_fields=["poll"])
    record(
        actor=actor,
        action="bargaining.prepare_vote",
        target=contract,
        unit=contract.org_unit,
        data={"poll": poll.pk, "version": version.number},
    )
    return poll


@transaction.atomic
def do_open_contract_vote(
    *, actor, contract: Contract, paper: bool = False, total: int | None = None
) -> Poll:
    """Freeze the draft's current version and open its vote (module voting).

    Online: the roll votes on their phones; `total` (all representatives or workers) is the
    roll. On paper (a hall vote): nobody votes online; `total` is all representatives or
    workers, with or without an account (at least the roll), and the hall's totals are entered
    on the poll's page of module voting before the vote is closed here. An online vote is
    always encrypted: it must have been prepared (do_prepare_contract_vote) and opens once its
    trustees have made the key; the server never holds a ballot in the clear."""
    contract = _locked(contract)
    precheck(CONTRACT, contract, "approve", actor)
    prepared = None
    if contract.poll_id is not None:
        prepared = Poll.objects.get(pk=contract.poll_id)
        if not (prepared.encrypted and prepared.state == Poll.State.DRAFT):
            raise BargainingError(_("该草案已经提交表决"), status=409)
        if paper:
            raise BargainingError(_("已经准备了加密的网上表决，不能再改为纸质表决"), field="paper")
    elif not paper:
        raise BargainingError(
            _("网上表决须加密：请先“准备加密表决”并指定监票人；或者改为纸质（现场）表决"),
            field="paper",
        )
    version = _version_to_vote(contract)
    voters = list(roll_of(contract))
    if total is None:
        total = len(voters)
    if total < max(len(voters), 1):
        raise BargainingError(
            _("应到人数不能少于本单位的职工代表或职工账号数（%(n)d）") % {"n": len(voters)},
            field="total",
        )
    if len(voters) < 1 and not paper:
        raise BargainingError(_("本单位没有可以参加表决的职工代表或职工"), status=409)
    poll = prepared or _create_vote_poll(
        actor=actor, contract=contract, version=version, paper=True, encrypted=False
    )
    voting.do_open_poll(
        actor=actor,
        poll=poll,
        voters=[] if paper else voters,
        majority_base=total,
        eligible=total,
    )
    _freeze(version)
    contract.poll = poll
    contract.save(update_fields=["poll"])
    record(
        actor=actor,
        action="bargaining.open_vote",
        target=contract,
        unit=contract.org_unit,
        data={
            "poll": poll.pk,
            "version": version.number,
            "total": total,
            "paper": paper,
            "encrypted": poll.encrypted,
        },
    )
    if paper:
        return poll
    notify(
        recipients=voters,
        kind="bargaining.vote_open",
        title=_("请对集体合同草案表决：%(title)s") % {"title": contract.title},
        body=_("表决以无记名方式进行。"),
        url=reverse("voting:poll-detail", args=[poll.pk]),
        unit=contract.org_unit,
    )
    return poll


# What the page and the API say when an encrypted poll was closed and nothing is decided yet.
AWAITING_DECRYPTION = gettext_lazy(
    "表决已结束：选票已加密，须由监票人解密票数后，再次“结束表决并计票”决定草案是否通过。"
)


def vote_message(outcome: rules.VoteOutcome) -> str:
    counts = {
        "total": outcome.total,
        "present": outcome.present,
        "yes": outcome.yes,
        "article": cite(rules.ART_VOTE),
    }
    if outcome.passed:
        return (
            _(
                "草案获得通过：应到 %(total)d 人，出席 %(present)d 人，"
                "赞成 %(yes)d 人（%(article)s）。"
            )
            % counts
        )
    if not outcome.quorum:
        return (
            _("草案未获通过：出席 %(present)d 人，不足应到 %(total)d 人的三分之二（%(article)s）。")
            % counts
        )
    return (
        _("草案未获通过：赞成 %(yes)d 人，未超过全体 %(total)d 人的半数（%(article)s）。") % counts
    )


@transaction.atomic
def do_close_contract_vote(*, actor, contract: Contract) -> rules.VoteOutcome | None:
    """Close the poll and decide by Art. 36: the contract moves to voted or rejected.

    An encrypted poll's totals are known only once k trustees have decrypted them: the first
    call closes it and returns None (nothing decided); a call after the decryption decides."""
    contract = _locked(contract)
    checked = precheck(CONTRACT, contract, "approve", actor)
    if contract.poll_id is None:
        raise BargainingError(_("草案尚未提交表决"), status=409)
    poll = Poll.objects.select_related("unit").get(pk=contract.poll_id)
    paper = PaperResult.objects.filter(poll=poll).first() if poll.is_paper else None
    if poll.is_paper and paper is None:
        raise BargainingError(_("请先在表决页录入现场表决的票数"), status=409)
    if poll.state == Poll.State.DRAFT:
        raise BargainingError(_("表决还没有开始"), status=409)
    if poll.state == Poll.State.OPEN:
        poll = voting.do_close_poll(actor=actor, poll=poll)
    try:
        result = voting_queries.results_for(poll)
    except ResultsNotPublished:
        if poll.encrypted:
            return None  # closed; the trustees decrypt, then the vote is decided
        raise
    total = poll.majority_base or result.eligible
    yes = result.tally.counts.get("yes", 0)
    # present: the ballots cast (on paper, the valid and the invalid ones handed in)
    present = paper.valid_ballots + paper.invalid_ballots if paper else result.ballots
    outcome = rules.vote_outcome(total=total, present=present, yes=yes)
    contract.vote_total, contract.vote_present, contract.vote_yes = total, present, yes
    contract.save(update_fields=["vote_total", "vote_present", "vote_yes"])
    data = {"total": total, "present": present, "yes": yes, "poll": poll.pk}
    if outcome.passed:
        do_transition(CONTRACT, contract, "approve", actor=actor, prechecked=checked, data=data)
    else:
        do_transition(
            CONTRACT, contract, "reject", actor=actor, note=vote_message(outcome), data=data
        )
    return outcome


# --- signing, filing, effect ---------------------------------------------------------------------


@transaction.atomic
def do_sign_contract(
    *, actor, contract: Contract, signed_on: dt.date, union_signer: str, employer_signer: str
) -> Contract:
    """The chief representatives signed; filing is due 10 days later (Art. 42)."""
    contract = _locked(contract)
    checked = precheck(CONTRACT, contract, "sign", actor)
    if signed_on > timezone.localdate():
        raise BargainingError(_("签字日期不能晚于今天"), field="signed_on")
    contract.signed_on = signed_on
    contract.union_signer = text_field(union_signer, "union_signer", _("工会方首席代表"), 64)
    contract.employer_signer = text_field(
        employer_signer, "employer_signer", _("企业方首席代表"), 64
    )
    contract.filing_due_on = rules.filing_due(signed_on, workdays.is_workday)
    contract.save(update_fields=["signed_on", "union_signer", "employer_signer", "filing_due_on"])
    version = contract.current_version()
    if version is not None and not version.frozen:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    do_transition(
        CONTRACT,
        contract,
        "sign",
        actor=actor,
        prechecked=checked,
        data={"signed_on": signed_on.isoformat(), "filing_due": contract.filing_due_on.isoformat()},
    )
    return contract


@transaction.atomic
def do_file_contract(
    *, actor, contract: Contract, bureau: str, bureau_received_on: dt.date
) -> Contract:
    """The labour bureau received the text: it takes effect the day after the 15-day
    objection period unless the bureau objects (Art. 47); the term follows (Art. 38)."""
    contract = _locked(contract)
    checked = precheck(CONTRACT, contract, "file", actor)
    if contract.signed_on and bureau_received_on < contract.signed_on:
        raise BargainingError(_("收到文本日期不能早于签字日期"), field="bureau_received_on")
    if bureau_received_on > timezone.localdate():
        raise BargainingError(_("收到文本日期不能晚于今天"), field="bureau_received_on")
    contract.bureau = text_field(bureau, "bureau", _("劳动保障行政部门"), 100)
    contract.bureau_received_on = bureau_received_on
    contract.objection_until = rules.objection_until(bureau_received_on, workdays.is_workday)
    contract.effective_on = rules.effective_on(bureau_received_on, workdays.is_workday)
    contract.expires_on = rules.expires_on(contract.effective_on, contract.term_years)
    contract.save(
        update_fields=[
            "bureau",
            "bureau_received_on",
            "objection_until",
            "effective_on",
            "expires_on",
        ]
    )
    do_transition(
        CONTRACT,
        contract,
        "file",
        actor=actor,
        prechecked=checked,
        data={
            "received_on": bureau_received_on.isoformat(),
            "late": bool(contract.filing_due_on and bureau_received_on > contract.filing_due_on),
            "effective_on": contract.effective_on.isoformat(),
        },
    )
    return contract


@transaction.atomic
def do_record_objection(*, actor, contract: Contract, reason: str) -> Contract:
    """The bureau objected within the period: the contract goes back (revise: a new version)."""
    contract = _locked(contract)
    note = (reason or "").strip()[:500]
    checked = precheck(CONTRACT, contract, "object", actor, guards=True, note=note)
    contract.effective_on = contract.expires_on = None
    contract.save(update_fields=["effective_on", "expires_on"])
    do_transition(CONTRACT, contract, "object", actor=actor, prechecked=checked, note=note)
    return contract


def _members_of(unit) -> list:
    return list(
        get_user_model().objects.filter(
            is_active=True,
            member_record__status="active",
            member_record__org_unit__path__startswith=unit.path,
        )
    )


@transaction.atomic
def take_effect(contract: Contract) -> Contract:
    """The system's step once the objection period passed: effective, and published to every
    member of the unit subtree (Art. 48) through the outbox."""
    contract = _locked(contract)
    do_transition(
        CONTRACT,
        contract,
        "take_effect",
        actor=None,
        system=True,
        data={"effective_on": contract.effective_on.isoformat() if contract.effective_on else None},
    )
    contract.published_at = timezone.now()
    contract.save(update_fields=["published_at"])
    # its text, found by the members of its units (queries.contracts.search_published)
    version = contract.current_version()
    search.index(
        SEARCH_TYPE,
        contract.pk,
        title=contract.title,
        text="\n".join(f"{c.title} {c.text}" for c in version.clauses.all()) if version else "",
        unit_path=contract.org_unit.path,
    )
    notify(
        recipients=_members_of(contract.org_unit),
        kind="bargaining.published",
        title=_("集体合同已生效并公布：%(title)s") % {"title": contract.title},
        body=_("自 %(day)s 起生效，全体职工可在“集体合同”中查阅全文（%(article)s）。")
        % {"day": contract.effective_on, "article": cite(rules.ART_PUBLICATION)},
        url=reverse("bargaining:contract-read", args=[contract.pk]),
        unit=contract.org_unit,
    )
    record(
        actor=None,
        action="bargaining.publish_contract",
        target=contract,
        unit=contract.org_unit,
        data={"effective_on": str(contract.effective_on)},
    )
    if contract.round_id is not None:
        from zhijia.bargaining.models import Round
        from zhijia.bargaining.workflows import ROUND

        round_ = Round.objects.select_for_update().get(pk=contract.round_id)
        if round_.in_state(ROUND.states.bargaining):
            do_transition(ROUND, round_, "conclude", actor=None, system=True)
    return contract


def daily_sweep(today: dt.date | None = None) -> int:
    """Effect after the objection period (Art. 47), expiry after the term (Art. 38) and the
    renewal reminder 3 months before the end (Art. 38). Idempotent."""
    today = today or timezone.localdate()
    done = 0
    for contract in Contract.objects.filter(state=CONTRACT.states.filed, effective_on__lte=today):
        take_effect(contract)
        done += 1
    for contract in Contract.objects.filter(state=CONTRACT.states.effective, expires_on__lt=today):
        with transaction.atomic():
            do_transition(CONTRACT, _locked(contract), "expire", actor=None, system=True)
        done += 1
    for contract in Contract.objects.filter(
        state=CONTRACT.states.effective, renewal_reminded_at__isnull=True, expires_on__isnull=False
    ).select_related("org_unit"):
        if contract.expires_on is None or rules.renewal_opens(contract.expires_on) > today:
            continue
        with transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(renewal_reminded_at=timezone.now())
            notify(
                recipients=holders(MANAGE, contract.org_unit, include_global=False),
                kind="bargaining.renewal",
                title=_("集体合同将于 %(day)s 期满：%(title)s")
                % {"day": contract.expires_on, "title": contract.title},
                body=_(
                    "期满前 3 个月内可向对方提出重新签订或续订的要求（%(article)s），"
                    "请启动新一轮协商。"
                )
                % {"article": cite(rules.ART_TERM)},
                url=contract_url(contract),
                unit=contract.org_unit,
            )
        done += 1
    return done


def notify_filing_overdue(contract: Contract, event) -> None:
    """The escalation's effect: filing is late (Art. 42); the unit's cadres are told."""
    notify(
        recipients=holders(MANAGE, contract.org_unit, include_global=False),
        kind="bargaining.filing_overdue",
        title=_("集体合同逾期未报送：%(title)s") % {"title": contract.title},
        body=_(
            "应自双方首席代表签字之日起 10 日内报送劳动保障行政部门（%(article)s），"
            "期限 %(day)s 已过。"
        )
        % {"article": cite(rules.ART_FILING), "day": contract.filing_due_on},
        url=contract_url(contract),
        unit=contract.org_unit,
    )
