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
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.core.unordered import forget_insertion_order
from zhijia.voting import queries, rules
from zhijia.voting.crypto import ballot as cballot
from zhijia.voting.crypto import record as crecord
from zhijia.voting.crypto import tally
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
