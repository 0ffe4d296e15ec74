"""Writes of module voting. Each runs in one transaction and writes its audit event.

    poll = do_create_poll(actor=cadre, title=..., kind="approval", unit=unit,
                          candidates=["张三", "李四", "王五"], seats=2)
    do_open_poll(actor=cadre, poll=poll, voters=queries.eligible_members_of_unit(unit))
    tracker = do_cast_ballot(voter=user, poll=poll, choice=["1", "3"])
    do_close_poll(actor=cadre, poll=poll)

Other modules (congress items, representative elections, surveys) create their polls through
these functions, with `origin` naming their record and `voters` / `eligible` /
`majority_base` of their choosing (congress: the roll is the present representatives with an
account, `eligible` every representative present, the base all representatives of the term).

Secrecy: no audit event per cast (the roll marker says who voted; the close records how many
ballots were cast), never what, never the tracker. Nothing here logs or sends ballot content.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.unordered import forget_insertion_order
from zhijia.voting import queries, rules
from zhijia.voting.crypto import ballot as cballot
from zhijia.voting.crypto import ceremony, tally
from zhijia.voting.crypto import record as crecord
from zhijia.voting.crypto import trustee as ctrustee
from zhijia.voting.errors import (
    AlreadyVoted,
    BadChoice,
    BadInput,
    NotOnRoll,
    PollNotOpen,
    PollStateError,
)
from zhijia.voting.models import (
    Ballot,
    CastFingerprint,
    Option,
    PaperResult,
    Poll,
    SealedBallot,
    Tracker,
    Trustee,
    VoterRoll,
)

MANAGE = queries.MANAGE
MAX_CANDIDATES = 200
BATCH = 1000


def _locked(poll: Poll) -> Poll:
    """Re-read the poll under a row lock (FOR UPDATE on PostgreSQL; SQLite write transactions
    are already exclusive). Casting and closing both take it, so no ballot can slip in while
    a poll is being closed and re-stored."""
    return Poll.objects.select_for_update().select_related("unit").get(pk=poll.pk)


def _sync(caller: Poll, locked: Poll) -> Poll:
    """Reflect the new state on the caller's instance too, so it is not left stale."""
    for name in ("state", "opened_at", "closed_at", "majority_base", "eligible_count"):
        setattr(caller, name, getattr(locked, name))
    return locked


def rule_message(exc: rules.InvalidChoice | rules.InvalidPaperResult) -> str:
    """The words of a refusal of the pure rules (which know no gettext), from its code."""
    messages = {
        "duplicate": _("同一选项不能重复选择"),
        "unknown": _("选择中含有本表决没有的选项"),
        "one_required": _("请在赞成、反对、弃权中选择一项"),
        "too_many": _("最多只能选择 %(seats)d 项"),
        "kind": _("未知的表决类型"),
        "negative": _("票数必须是不小于 0 的整数"),
        "too_many_ballots": _(
            "收回的选票（%(ballots)d 张）多于参加表决的人数（%(eligible)d 人），"
            "请核对有效票和无效票"
        ),
        "sum_yna": _("赞成、反对、弃权票数之和（%(total)d）应等于有效票数（%(valid)d）"),
        "over": _("任何候选人的得票都不能多于有效票数"),
        "sum": _("得票总数不能多于有效票数 × 应选人数（%(seats)d）"),
    }
    if isinstance(exc, rules.InvalidPaperResult) and exc.code == "unknown":
        return _("录入的票数含有本表决没有的选项")
    template = messages.get(exc.code)
    return template % exc.params if template else str(exc)


@transaction.atomic
def do_create_poll(
    *,
    actor,
    title: str,
    kind: str,
    unit,
    candidates: Sequence[str] = (),
    seats: int = 1,
    rule: str = rules.RULE_MAJORITY,
    paper: bool = False,
    description: str = "",
    origin: str = "",
    encrypted: bool = False,
) -> Poll:
    """A draft poll. yes/no/abstain polls get their three options; approval polls one option
    per candidate (keys "1".."n" in the order given) and `seats` = how many may be marked."""
    require(actor, MANAGE, unit=unit)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写表决事项")
    if kind not in rules.KINDS:
        errors["kind"] = _("请选择表决类型")
    if rule not in rules.RULES:
        errors["rule"] = _("请选择通过规则")
    labels = [str(c).strip() for c in candidates if str(c).strip()]
    if kind == rules.YES_NO_ABSTAIN:
        labels = ["赞成", "反对", "弃权"]
        keys: list[str] = list(rules.YNA_OPTIONS)
        seats = 1
    else:
        keys = [str(i) for i in range(1, len(labels) + 1)]
        if not labels:
            errors["candidates"] = _("请至少填写一名候选人或一个选项")
        elif len(set(labels)) != len(labels):
            errors["candidates"] = _("候选人或选项有重复")
        elif len(labels) > MAX_CANDIDATES:
            errors["candidates"] = _("候选人或选项最多 %(n)d 个") % {"n": MAX_CANDIDATES}
        elif not 1 <= int(seats) <= len(labels):
            errors["seats"] = _("应选人数应在 1 到 %(n)d 之间") % {"n": len(labels)}
    if encrypted and paper:
        errors["encrypted"] = _("纸质（现场）表决不能同时是加密投票")
    if any(len(label) > 200 for label in labels):
        errors["candidates"] = _("每个候选人或选项不超过 200 字")
    if errors:
        raise BadInput("；".join(errors.values()), errors)
    rules.check_options(kind, keys, int(seats))
    poll = Poll.objects.create(
        title=title[:200],
        description=description or "",
        kind=kind,
        rule=rule,
        seats=int(seats),
        unit=unit,
        is_paper=bool(paper),
        encrypted=bool(encrypted),
        origin=origin or "",
        created_by=actor,
    )
    Option.objects.bulk_create(
        Option(poll=poll, key=key, label=label, position=i)
        for i, (key, label) in enumerate(zip(keys, labels, strict=True))
    )
    record(
        actor=actor,
        action="voting.create_poll",
        target=poll,
        unit=unit,
        data={
            "title": poll.title,
            "kind": kind,
            "options": len(keys),
            "seats": poll.seats,
            "paper": poll.is_paper,
            "encrypted": poll.encrypted,
        },
    )
    return poll


@transaction.atomic
def do_open_poll(
    *,
    actor,
    poll: Poll,
    voters: Iterable,
    majority_base: int | None = None,
    eligible: int | None = None,
) -> Poll:
    """Open a draft poll and freeze its roll: exactly `voters` (users) may vote, once each.

    `majority_base` is the base of "more than half" (default: the number of those eligible).
    `eligible` is how many take part, with or without an account (default: the roll size):
    a hall vote counts people without an account too, and a paper result may return at most
    that many ballots. A paper poll may open with an empty roll (nobody votes online);
    an online poll may not. Helpers for the roll: queries.eligible_members_of_unit,
    representatives_of_unit.
    """
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if poll.state != Poll.State.DRAFT:
        raise PollStateError(_("只有草稿状态的表决可以开始"))
    if poll.encrypted and not queries.ceremony_complete(poll):
        raise PollStateError(
            _(
                "监票人的密钥仪式尚未完成（全体监票人生成密钥、分发份额并核对无误），加密表决还不能开始"
            )
        )
    users = {u.pk: u for u in voters if getattr(u, "is_active", False)}
    if not users and not poll.is_paper:
        raise BadInput(_("投票人名单为空"), {"voters": _("投票人名单为空")})
    if eligible is None:
        eligible = len(users)
    if int(eligible) < max(len(users), 1):
        message = _("参加表决的人数至少为 %(n)d（投票人名单的人数）") % {"n": max(len(users), 1)}
        raise BadInput(message, {"eligible": message})
    if majority_base is None:
        majority_base = int(eligible)
    if int(majority_base) < 1:
        raise BadInput(_("过半数的基数至少为 1"), {"majority_base": _("过半数的基数至少为 1")})
    # Sorted by user id: the roll's storage order carries nothing but the id order.
    VoterRoll.objects.bulk_create(
        (VoterRoll(poll=poll, user_id=pk) for pk in sorted(users)), batch_size=BATCH
    )
    poll.state = Poll.State.OPEN
    poll.opened_at = timezone.now()
    poll.majority_base = int(majority_base)
    poll.eligible_count = int(eligible)
    poll.save(update_fields=["state", "opened_at", "majority_base", "eligible_count"])
    record(
        actor=actor,
        action="voting.open_poll",
        target=poll,
        unit=poll.unit,
        data={
            "eligible": poll.eligible_count,
            "roll": len(users),
            "majority_base": poll.majority_base,
        },
    )
    return _sync(caller, poll)


@transaction.atomic
def do_cast_ballot(*, voter, poll: Poll, choice: Sequence[str]) -> str:
    """Cast the voter's ballot and return its tracker, which is shown to the voter once and
    stored nowhere near the voter (nor near the choice).

    At most once per voter, also under concurrent requests: the roll marker is flipped by a
    conditional UPDATE … WHERE voted = false, whose row count says whether this request won;
    a losing request raises and rolls everything back.
    """
    poll = _locked(poll)
    if poll.encrypted:
        raise BadChoice(_("本表决是加密投票，请在浏览器中加密后投出"), "encrypted")
    if poll.is_paper:
        raise PollNotOpen(_("本表决以纸质选票现场进行，不能在线投票"))
    if poll.state == Poll.State.CLOSED:
        raise PollNotOpen(_("表决已经结束，不能再投票"))
    if poll.state != Poll.State.OPEN:
        raise PollNotOpen(_("表决尚未开始"))
    won = VoterRoll.objects.filter(poll=poll, user=voter, voted=False).update(voted=True)
    if won != 1:
        if VoterRoll.objects.filter(poll=poll, user=voter).exists():
            raise AlreadyVoted(_("您已经投过票，每人只能投一次"))
        raise NotOnRoll(_("您不在本次表决的投票人名单中"))
    try:
        valid = rules.validate_choice(
            poll.kind, choice, options=poll.option_keys(), seats=poll.seats
        )
    except rules.InvalidChoice as exc:
        raise BadChoice(rule_message(exc), exc.code) from exc
    # Random rowids on SQLite (zhijia.core.unordered): a copy of the database taken while the
    # poll is open keeps ballots and trackers in no order of casting.
    forget_insertion_order(Ballot.objects.create(poll=poll, choice=rules.encode_choice(valid)))
    tracker = rules.new_tracker()
    forget_insertion_order(Tracker.objects.create(poll=poll, code=tracker))
    # No audit event per cast: a chain of "X voted" events in casting order, paired with any
    # order the ballots keep, would name every voter's choice (issue 11, finding 1). That the
    # voter voted is the roll marker; the audit chain gets the count when the poll closes.
    transaction.on_commit(queries.truncate_wal_after_cast)
    return tracker


@transaction.atomic
def do_close_poll(*, actor, poll: Poll) -> Poll:
    """Close an open poll and re-store its ballots and trackers in random order.

    Every ballot and tracker row of the poll is copied out, deleted (zeroed on SQLite) and
    re-inserted, shuffled by the OS CSPRNG, with fresh random keys, all in this transaction:
    afterwards rowid/ctid order, key order and PostgreSQL's xmin (now the same for every row)
    say nothing about who voted when. The roll markers are rewritten too, so that their xmin
    no longer matches the casting transactions either.
    """
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if poll.state != Poll.State.OPEN:
        raise PollStateError(_("只有投票中的表决可以结束"))
    poll.state = Poll.State.CLOSED
    poll.closed_at = timezone.now()
    poll.save(update_fields=["state", "closed_at"])
    data: dict = {}
    if poll.encrypted:
        data = _tally_at_close(poll)
    elif not poll.is_paper:
        _restore_shuffled(poll)
    VoterRoll.objects.filter(poll=poll, voted=True).update(voted=True)
    counts = queries.turnout(poll)
    record(
        actor=actor,
        action="voting.close_poll",
        target=poll,
        unit=poll.unit,
        # The only trace of casting in the audit chain: how many ballots, not who when
        # (and, for an encrypted poll, the closing tracker of the chain).
        data={"eligible": counts.eligible, "voted": counts.voted, "ballots": counts.voted, **data},
    )
    # caller.storage_compacted (and the returned instance's) is set once the close commits.
    transaction.on_commit(partial(_compact, actor=actor, caller=caller, poll=poll))
    return _sync(caller, poll)


def _compact(*, actor, caller: Poll, poll: Poll) -> None:
    """After the close has committed: truncate the write-ahead log (retried, bounded) and
    tell the caller how it went (`caller.storage_compacted`). A failure is not hidden: it is
    logged, written to the audit chain, and the pages show it to the manager."""
    report = queries.compact_ballot_storage()
    caller.storage_compacted = poll.storage_compacted = report.ok
    if not report.ok:
        record(
            actor=actor,
            action="voting.storage_not_compacted",
            target=poll,
            unit=poll.unit,
            data={"attempts": report.attempts, "detail": report.detail},
        )


def _restore_shuffled(poll: Poll) -> None:
    rng = secrets.SystemRandom()
    choices = list(Ballot.objects.filter(poll=poll).values_list("choice", flat=True))
    codes = list(Tracker.objects.filter(poll=poll).values_list("code", flat=True))
    with queries.secure_delete():
        Ballot.objects.filter(poll=poll).delete()
        Tracker.objects.filter(poll=poll).delete()
    rng.shuffle(choices)
    rng.shuffle(codes)
    Ballot.objects.bulk_create(
        (Ballot(id=uuid.uuid4(), poll=poll, choice=c) for c in choices), batch_size=BATCH
    )
    Tracker.objects.bulk_create(
        (Tracker(id=uuid.uuid4(), poll=poll, code=c) for c in codes), batch_size=BATCH
    )


@transaction.atomic
def do_enter_paper_result(
    *,
    actor,
    poll: Poll,
    counts: Mapping[str, int],
    valid_ballots: int,
    invalid_ballots: int = 0,
) -> PaperResult:
    """Enter (or correct) the totals of a hall vote on paper. Closes the poll if still open.

    Allowed for paper polls only, once they are open (the roll fixes who was eligible);
    a correction keeps the previous totals in the audit event.
    """
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if not poll.is_paper:
        raise PollStateError(_("只有纸质（现场）表决可以录入票数"))
    if poll.state == Poll.State.DRAFT:
        raise PollStateError(_("请先开始表决（确定参加表决的人数），再录入现场票数"))
    eligible = queries.turnout(poll).eligible
    try:
        rules.paper_tally(
            poll.kind,
            dict(counts),
            options=poll.option_keys(),
            seats=poll.seats,
            valid_ballots=valid_ballots,
            invalid_ballots=invalid_ballots,
            eligible=eligible,
        )
    except rules.InvalidPaperResult as exc:
        field = "valid_ballots" if exc.code in {"too_many_ballots", "sum", "sum_yna"} else "counts"
        message = rule_message(exc)
        raise BadInput(message, {field: message}) from exc
    previous = PaperResult.objects.filter(poll=poll).first()
    before = (
        {
            "counts": previous.counts,
            "valid": previous.valid_ballots,
            "invalid": previous.invalid_ballots,
        }
        if previous
        else None
    )
    result, _created = PaperResult.objects.update_or_create(
        poll=poll,
        defaults={
            "counts": {k: int(v) for k, v in counts.items()},
            "valid_ballots": valid_ballots,
            "invalid_ballots": invalid_ballots,
            "entered_by": actor,
            "entered_at": timezone.now(),
        },
    )
    if poll.state == Poll.State.OPEN:
        poll.state = Poll.State.CLOSED
        poll.closed_at = timezone.now()
        poll.save(update_fields=["state", "closed_at"])
    _sync(caller, poll)
    record(
        actor=actor,
        action="voting.enter_paper_result",
        target=poll,
        unit=poll.unit,
        # Hall totals are the published result, not ballot content.
        data={
            "counts": result.counts,
            "valid": valid_ballots,
            "invalid": invalid_ballots,
            "previous": before,
        },
    )
    return result


# --- encrypted polls: trustees, ceremony, casting, decryption (docs/voting.md) -------------------


def _hex(x: int) -> str:
    return format(x, "x")


def _trustee_of(poll: Poll, user) -> Trustee:
    trustee = Trustee.objects.filter(poll=poll, user=user).first()
    if trustee is None:
        raise NotOnRoll(_("您不是本次表决的监票人"))
    return trustee


@transaction.atomic
def do_name_trustees(
    *, actor, poll: Poll, users: Sequence, quorum: int | None = None, source: str = ""
) -> Poll:
    """Name the trustees (监票人, numbered 1..n in the order given) of a draft encrypted poll
    and k, how many of them are needed to decrypt (default rules.default_quorum). Allowed
    until the first trustee has published a key; then the ceremony would have to restart.

    `source`: the module that names them for its own reasons (congress: the session's
    scrutineers); once a poll's trustees come from a source, only that source renames them."""
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if not poll.encrypted or poll.state != Poll.State.DRAFT:
        raise PollStateError(_("只有草稿状态的加密表决可以指定监票人"))
    if poll.trustees_source and poll.trustees_source != source:
        raise PollStateError(
            _("这项表决的监票人由职代会登记的总监票人和监票人担任，请在会议页面更换")
        )
    if Trustee.objects.filter(poll=poll, public__isnull=False).exists():
        raise PollStateError(_("监票人已经开始生成密钥，不能再更换"))
    chosen = list({u.pk: u for u in users if getattr(u, "is_active", False)}.values())
    k = int(quorum) if quorum else rules.default_quorum(len(chosen))
    problem = rules.trustee_problem(len(chosen), k)
    if problem == "trustee_count":
        message = _("监票人应为 %(min)d 到 %(max)d 人") % {
            "min": rules.MIN_TRUSTEES,
            "max": rules.MAX_TRUSTEES,
        }
        raise BadInput(message, {"trustees": message})
    if problem == "quorum":
        message = _("解密所需人数应在 2 到 %(n)d 之间") % {"n": len(chosen)}
        raise BadInput(message, {"quorum": message})
    Trustee.objects.filter(poll=poll).delete()
    Trustee.objects.bulk_create(
        Trustee(poll=poll, index=i, user=u) for i, u in enumerate(chosen, start=1)
    )
    poll.quorum = k
    poll.trustees_source = source
    poll.save(update_fields=["quorum", "trustees_source"])
    caller.quorum, caller.trustees_source = k, source
    record(
        actor=actor,
        action="voting.name_trustees",
        target=poll,
        unit=poll.unit,
        data={"trustees": [u.pk for u in chosen], "quorum": k},
    )
    return poll


@transaction.atomic
def do_post_trustee_public(*, actor, poll: Poll, document) -> Trustee:
    """Step 1 of the ceremony: the trustee's commitments with their proofs (checked here)."""
    poll = _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT or poll.joint_key:
        raise PollStateError(_("密钥仪式已经结束"))
    if trustee.public is not None:
        raise PollStateError(_("您已经上传过公钥，不能更换"))
    base = queries.base_hash_of(poll)
    try:
        public, their_base = ctrustee.public_from_dict(document)
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是本表决的监票人公钥文件")) from exc
    if their_base != base or public.index != trustee.index:
        raise BadInput(_("这个公钥文件不是为您在本表决中生成的，请重新下载表决文件后再生成"))
    if not ceremony.verify_trustee(public, poll.quorum or 0, base):
        raise BadInput(_("公钥文件的证明无效"))
    trustee.public = ctrustee.public_to_dict(public, base)
    trustee.save(update_fields=["public"])
    record(
        actor=actor,
        action="voting.trustee_public",
        target=poll,
        unit=poll.unit,
        data={"trustee": trustee.index},
    )
    return trustee


@transaction.atomic
def do_post_trustee_shares(*, actor, poll: Poll, document) -> Trustee:
    """Step 2: the trustee's shares, each sealed to its recipient (the server checks their
    shape; only the recipients can open and check them, `zhijia_trustee.py check`). When
    every trustee has posted, the joint key is computed and the poll may open."""
    caller, poll = poll, _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT or poll.joint_key:
        raise PollStateError(_("密钥仪式已经结束"))
    trustees = queries.trustees_of(poll)
    if any(t.public is None for t in trustees):
        raise PollStateError(_("还有监票人没有上传公钥，请稍后再生成并上传份额"))
    if trustee.shares is not None:
        raise PollStateError(_("您已经上传过份额，不能更换"))
    base = queries.base_hash_of(poll, len(trustees))
    try:
        sealed = ctrustee.sealed_shares_from_dict(
            document, sender=trustee.index, trustees=[t.index for t in trustees], base=base
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的份额文件")) from exc
    trustee.shares = [ctrustee.share_to_dict(s) for s in sealed]
    trustee.save(update_fields=["shares"])
    data: dict = {"trustee": trustee.index}
    if all(t.shares is not None or t.pk == trustee.pk for t in trustees):
        key = ceremony.joint_key(queries.trustee_publics(trustees))
        qbar = ceremony.extended_hash(base, key)
        poll.joint_key, poll.extended_hash = _hex(key), _hex(qbar)
        poll.last_tracker = _hex(cballot.first_tracker(qbar))
        poll.save(update_fields=["joint_key", "extended_hash", "last_tracker"])
        for name in ("joint_key", "extended_hash", "last_tracker"):
            setattr(caller, name, getattr(poll, name))
        data["joint_key"] = poll.joint_key
    record(actor=actor, action="voting.trustee_shares", target=poll, unit=poll.unit, data=data)
    return trustee


@transaction.atomic
def do_post_trustee_check(*, actor, poll: Poll, document) -> Trustee:
    """Step 3: the trustee's check of the shares sealed to her (trustee tool `check` or the
    trustee page): none missing or unfitting, or a complaint naming their senders. The poll
    opens only when every trustee has checked without a complaint; a complaint fails the
    ceremony (audited, the manager told), which the manager restarts (do_restart_ceremony).
    A complaint is not adjudicated: a false one forces a restart, no more than a trustee who
    refuses to take part could."""
    poll = _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.DRAFT:
        raise PollStateError(_("密钥仪式已经结束"))
    if not poll.joint_key:
        raise PollStateError(_("还有监票人没有上传份额，请全部上传后再核对"))
    if trustee.complaints is not None:
        raise PollStateError(_("您已经核对过份额"))
    trustees = queries.trustees_of(poll)
    base = queries.base_hash_of(poll, len(trustees))
    try:
        complaints = ctrustee.check_from_dict(
            document, trustee=trustee.index, trustees=[t.index for t in trustees], base=base
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的核对文件")) from exc
    trustee.complaints = complaints
    trustee.save(update_fields=["complaints"])
    data = {"trustee": trustee.index, "complaints": complaints}
    if complaints:
        record(
            actor=actor, action="voting.trustee_complaint", target=poll, unit=poll.unit, data=data
        )
        if poll.created_by_id:
            notify(
                recipients=[poll.created_by],
                kind="voting.trustee_complaint",
                title=_("监票人对密钥份额提出异议：%(title)s") % {"title": poll.title},
                body=_(
                    "第 %(i)d 号监票人收到的第 %(bad)s 号监票人的份额无法核对通过。"
                    "请重新开始密钥仪式（必要时更换监票人）。"
                )
                % {"i": trustee.index, "bad": "、".join(map(str, complaints))},
                url=reverse("voting:manage-poll", args=[poll.pk]),
                unit=poll.unit,
            )
    else:
        record(actor=actor, action="voting.trustee_check", target=poll, unit=poll.unit, data=data)
    return trustee


@transaction.atomic
def do_restart_ceremony(*, actor, poll: Poll) -> Poll:
    """Start the key ceremony of a draft encrypted poll again: every trustee's public
    document, shares and check are dropped with the joint key (after a complaint, or a
    trustee who lost her key file before the poll opened); the manager may then rename the
    trustees. Audited with the complaints that led to it."""
    caller, poll = poll, _locked(poll)
    require(actor, MANAGE, unit=poll.unit)
    if not poll.encrypted or poll.state != Poll.State.DRAFT:
        raise PollStateError(_("只有尚未开始的加密表决可以重新开始密钥仪式"))
    trustees = queries.trustees_of(poll)
    complaints = {str(t.index): t.complaints for t in trustees if t.complaints}
    Trustee.objects.filter(poll=poll).update(public=None, shares=None, complaints=None)
    poll.joint_key = poll.extended_hash = poll.last_tracker = ""
    poll.save(update_fields=["joint_key", "extended_hash", "last_tracker"])
    for name in ("joint_key", "extended_hash", "last_tracker"):
        setattr(caller, name, "")
    record(
        actor=actor,
        action="voting.restart_ceremony",
        target=poll,
        unit=poll.unit,
        data={"complaints": complaints},
    )
    return poll


def do_post_trustee_document(*, actor, poll: Poll, document) -> None:
    """Whichever step of the trustee's `document` is (by its "format", as the trustee tool and
    the trustee page write it): the public document, the sealed shares, the check of the
    shares received or the decryption. The
    trustee's key file is refused (read for this check only, never kept)."""
    fmt = str(document.get("format")) if isinstance(document, dict) else ""
    if fmt == ctrustee.KEY_FORMAT:
        message = _("这是您的密钥文件，不能上传：请妥善保管，只上传工具生成的其他文件")
        raise BadInput(message, {"document": message})
    steps = {
        ctrustee.PUBLIC_FORMAT: do_post_trustee_public,
        ctrustee.SHARES_FORMAT: do_post_trustee_shares,
        ctrustee.CHECK_FORMAT: do_post_trustee_check,
        ctrustee.DECRYPTION_FORMAT: do_post_trustee_decryption,
    }
    step = steps.get(fmt)
    if step is None:
        message = _("文件不是监票人工具生成的文件")
        raise BadInput(message, {"document": message})
    step(actor=actor, poll=poll, document=document)


def _parse_ballot(poll: Poll, body) -> cballot.EncryptedBallot:
    bad = BadChoice(_("选票格式不正确，未计入"), "format")
    if not isinstance(body, dict):
        raise bad
    ballot_id = body.get("id")
    if not isinstance(ballot_id, str) or not 8 <= len(ballot_id) <= 64:
        raise bad
    if any(ch not in "0123456789abcdef-" for ch in ballot_id):
        raise bad
    try:
        return crecord.ballot_from_dict({**body, "tracker": "0"})
    except crecord.InvalidRecord as exc:
        raise bad from exc


def do_cast_encrypted_ballot(*, voter, poll: Poll, ballot) -> str:
    """Cast a ballot encrypted in the voter's browser (ballot-crypto.js) and return its
    tracker (hexadecimal), the next link of the poll's tracker chain.

    The proofs are checked BEFORE the casting transaction (they cost some exponentiations
    and need no lock): a ballot that is not 0/1 per selection or does not sum to the votes
    allowed is refused and the voter's roll marker stays unset. Then, as for a plain ballot,
    the roll marker is flipped by a conditional UPDATE (at most once), a copy of an earlier
    ballot is refused, and the ballot is stored with a random key and rowid; no audit event.
    """
    if not (poll.encrypted and poll.joint_key):
        raise PollNotOpen(_("本表决不是加密投票"))
    parsed = _parse_ballot(poll, ballot)
    manifest = queries.manifest_of(poll)
    key, qbar = int(poll.joint_key, 16), int(poll.extended_hash, 16)
    if not cballot.verify_ballot(manifest, parsed, key, qbar):
        raise BadChoice(_("选票的加密证明无效，未计入"), "proof")
    with transaction.atomic():
        poll = _locked(poll)
        if poll.state == Poll.State.CLOSED:
            raise PollNotOpen(_("表决已经结束，不能再投票"))
        if poll.state != Poll.State.OPEN:
            raise PollNotOpen(_("表决尚未开始"))
        won = VoterRoll.objects.filter(poll=poll, user=voter, voted=False).update(voted=True)
        if won != 1:
            if VoterRoll.objects.filter(poll=poll, user=voter).exists():
                raise AlreadyVoted(_("您已经投过票，每人只能投一次"))
            raise NotOnRoll(_("您不在本次表决的投票人名单中"))
        mine = cballot.fingerprints(parsed)
        if (
            len(set(mine)) != len(mine)
            or CastFingerprint.objects.filter(poll=poll, digest__in=mine).exists()
        ):
            raise BadChoice(_("这张选票与已投出的选票相同，未计入"), "copy")
        for fingerprint in mine:
            forget_insertion_order(CastFingerprint.objects.create(poll=poll, digest=fingerprint))
        digest = cballot.ballot_hash(parsed.ballot_id, parsed.selections, parsed.sum_proof)
        tracker = _hex(cballot.next_tracker(int(poll.last_tracker, 16), digest))
        body = crecord.ballot_to_dict(parsed)
        body["tracker"] = tracker
        forget_insertion_order(
            SealedBallot.objects.create(
                poll=poll, body=body, tracker=tracker, previous=poll.last_tracker
            )
        )
        poll.last_tracker = tracker
        poll.save(update_fields=["last_tracker"])
        transaction.on_commit(queries.truncate_wal_after_cast)
    return tracker


def _tally_at_close(poll: Poll) -> dict:
    """In the closing transaction: the homomorphic tally of the ballot box (kept on the poll
    for the trustees), the box re-stored in random order, and the closing tracker."""
    manifest = queries.manifest_of(poll)
    ballots = queries.sealed_ballots(poll)
    # No ballot, nothing to decrypt: the counts are zero (queries.published_counts).
    cts = tally.tally_ciphertexts(manifest, ballots) if ballots else ()
    poll.encrypted_tally = {
        "ballots": len(ballots),
        "options": [
            {"option": o, "alpha": _hex(ct.alpha), "beta": _hex(ct.beta)}
            for o, ct in zip(manifest.options, cts, strict=False)
        ],
    }
    poll.save(update_fields=["encrypted_tally"])
    rows = list(SealedBallot.objects.filter(poll=poll).values_list("body", "tracker", "previous"))
    with queries.secure_delete():
        SealedBallot.objects.filter(poll=poll).delete()
        CastFingerprint.objects.filter(poll=poll).delete()  # needed while casting only
    secrets.SystemRandom().shuffle(rows)
    SealedBallot.objects.bulk_create(
        (
            SealedBallot(id=uuid.uuid4(), poll=poll, body=b, tracker=t, previous=p)
            for b, t, p in rows
        ),
        batch_size=BATCH,
    )
    return {"last_tracker": poll.last_tracker}


@transaction.atomic
def do_post_trustee_decryption(*, actor, poll: Poll, document) -> Poll:
    """Step 4, after the close: the trustee's partial decryption of every option's tally and
    compensating shares for the others, all proven (checked here). When k trustees have
    posted, the absent ones are compensated, the counts decrypted and the election record
    published."""
    caller, poll = poll, _locked(poll)
    trustee = _trustee_of(poll, actor)
    if poll.state != Poll.State.CLOSED or not poll.encrypted_tally:
        raise PollStateError(_("表决结束后才能解密"))
    if poll.election_record:
        raise PollStateError(_("结果已经公布，不再需要解密"))
    if trustee.decryption is not None:
        raise PollStateError(_("您已经上传过解密文件"))
    if not poll.encrypted_tally.get("ballots"):
        raise PollStateError(_("没有选票，无需解密"))
    trustees = queries.trustees_of(poll)
    publics = queries.trustee_publics(trustees)
    cts = queries.encrypted_tally(poll)
    qbar = int(poll.extended_hash, 16)
    try:
        parsed = ctrustee.decryption_from_dict(
            document, trustee=trustee.index, options=[o for o, _ct in cts]
        )
    except ctrustee.BadDocument as exc:
        raise BadInput(_("文件不是您在本表决中的解密文件")) from exc
    if not ctrustee.verify_decryption(parsed, cts, publics, qbar):
        raise BadInput(_("解密文件的证明无效"))
    trustee.decryption = document
    trustee.save(update_fields=["decryption"])
    record(
        actor=actor,
        action="voting.trustee_decryption",
        target=poll,
        unit=poll.unit,
        data={"trustee": trustee.index},
    )
    posted = {
        t.index: ctrustee.decryption_from_dict(
            t.decryption, trustee=t.index, options=[o for o, _ct in cts]
        )
        for t in trustees
        if t.decryption is not None and t.pk != trustee.pk
    }
    posted[trustee.index] = parsed
    if len(posted) >= (poll.quorum or 0):
        _publish_record(poll, trustees, publics, posted, cts)
        caller.election_record = poll.election_record
    return poll


def _publish_record(poll, trustees, publics, posted, cts) -> None:
    ballots = queries.sealed_ballots(poll)
    decryptions = ctrustee.combine_tally(cts, posted, [t.index for t in trustees], len(ballots))
    doc = crecord.ElectionRecord(
        queries.manifest_of(poll),
        poll.quorum,
        tuple(publics),
        queries.base_hash_of(poll, len(trustees)),
        int(poll.joint_key, 16),
        int(poll.extended_hash, 16),
        tuple(ballots),
        decryptions,
    )
    poll.election_record = crecord.dumps(doc)
    poll.save(update_fields=["election_record"])
    record(
        actor=None,
        action="voting.publish_record",
        target=poll,
        unit=poll.unit,
        data={"counts": doc.counts, "ballots": len(ballots), "trustees": sorted(posted)},
    )
