"""Reads of module voting for pages and the API, and the storage hygiene of the close.

Publication (only once a poll is closed; ResultsNotPublished before):
  published_trackers(poll)  every tracker, sorted (the order carries nothing)
  published_choices(poll)   every choice's canonical text, sorted — separately from trackers
  results_for(poll)         the tally recounted from published_choices with rules.py
Trackers and choices are never returned together by any function of this module.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unordered import Compaction, compact_storage, truncate_wal_now
from zhijia.voting import rules
from zhijia.voting.crypto import ballot as cballot
from zhijia.voting.crypto import ceremony
from zhijia.voting.crypto.ballot import EncryptedBallot, Manifest
from zhijia.voting.crypto.ceremony import TrusteePublic
from zhijia.voting.crypto.elgamal import Ciphertext
from zhijia.voting.crypto.record import ballot_from_dict
from zhijia.voting.crypto.trustee import public_from_dict
from zhijia.voting.errors import ResultsNotPublished
from zhijia.voting.models import (
    Ballot,
    Option,
    PaperResult,
    Poll,
    SealedBallot,
    Tracker,
    Trustee,
    VoterRoll,
)

log = logging.getLogger(__name__)

MANAGE = "voting.manage_poll"
VIEW_RESULTS = "voting.view_results"


# --- visibility ---------------------------------------------------------------------------------


def _scope(user, code: str) -> Q:
    """scope_q, with the global scope as an explicit always-true Q: an empty Q() would vanish
    when OR-ed with other conditions (Q(a) | Q() == Q(a))."""
    q = scope_q(user, code, path_field="unit__path")
    return q if q else Q(pk__isnull=False)


def polls_visible_to(user) -> QuerySet[Poll]:
    """Polls the user is on the roll of, manages, or may read the published results of.
    Drafts are seen by their managers only."""
    if not getattr(user, "is_authenticated", False):
        return Poll.objects.none()
    on_roll = Exists(VoterRoll.objects.filter(poll=OuterRef("pk"), user=user))
    return Poll.objects.filter(
        (Q(on_roll) & ~Q(state=Poll.State.DRAFT))
        | _scope(user, MANAGE)
        | (_scope(user, VIEW_RESULTS) & Q(state=Poll.State.CLOSED))
    ).select_related("unit")


def access_poll(user, poll_id: int) -> Poll:
    """The poll if the user may see it; 404 otherwise (also outside the user's scope)."""
    poll = polls_visible_to(user).filter(pk=poll_id).first()
    if poll is None:
        raise Http404
    return poll


def origin_module(origin: str) -> str | None:
    """The other zhijia module that owns a poll made for one of its records ("congress.item:17"
    → "congress"), or None for voting's own polls (an empty or foreign origin)."""
    label = (origin or "").partition(".")[0]
    if label and label != "voting" and apps.is_installed(f"zhijia.{label}"):
        return label
    return None


def access_managed_poll(user, poll_id: int) -> Poll:
    """The poll if the user manages it; 404 otherwise."""
    poll = managed_polls(user).filter(pk=poll_id).first()
    if poll is None:
        raise Http404
    return poll


def can_manage(user, poll: Poll) -> bool:
    return has_perm(user, MANAGE, unit=poll.unit)


def my_polls(user) -> QuerySet:
    """Polls the user is on the roll of, open ones first, each with `has_voted` (annotated:
    the type is a plain QuerySet so that callers may filter on and read it)."""
    if not getattr(user, "is_authenticated", False):
        return Poll.objects.none()
    voted = VoterRoll.objects.filter(poll=OuterRef("pk"), user=user, voted=True)
    return (
        Poll.objects.filter(roll__user=user)
        .exclude(state=Poll.State.DRAFT)
        .annotate(has_voted=Exists(voted))
        .select_related("unit")
        .order_by("-state", "-opened_at", "-id")  # "open" sorts after "closed": open first
    )


def managed_polls(user) -> QuerySet[Poll]:
    if not getattr(user, "is_authenticated", False):
        return Poll.objects.none()
    return (
        Poll.objects.filter(scope_q(user, MANAGE, path_field="unit__path"))
        .select_related("unit")
        .annotate(eligible=Coalesce("eligible_count", Count("roll")))
    )


def units_managed_by(user):
    """Org units in which the user may create polls (for the creation form)."""
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(scope_q(user, MANAGE, path_field="path")).order_by("path")


def options_of(poll: Poll) -> list[Option]:
    return list(poll.options.all())


def roll_entry(poll: Poll, user) -> VoterRoll | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return VoterRoll.objects.filter(poll=poll, user=user).first()


@dataclass(frozen=True)
class Turnout:
    eligible: int  # how many take part, with or without an account (poll.eligible_count)
    voted: int  # roll markers set (online votes)
    roll: int = 0  # on the roll: those who may vote online


def turnout(poll: Poll) -> Turnout:
    """How many take part, are on the roll and have voted. Not a result, but shown to the
    poll's managers only."""
    counts = VoterRoll.objects.filter(poll=poll).aggregate(
        roll=Count("pk"), voted=Count("pk", filter=Q(voted=True))
    )
    roll = counts["roll"] or 0
    eligible = poll.eligible_count if poll.eligible_count is not None else roll
    return Turnout(eligible, counts["voted"] or 0, roll)


# --- who may be put on a roll ---------------------------------------------------------------------


def eligible_members_of_unit(unit):
    """Active accounts of the in-register (在册) members of `unit` and its subtree."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            member_record__status="active",
            member_record__org_unit__path__startswith=unit.path,
        )
        .order_by("pk")
    )


def representatives_of_unit(unit):
    """Active accounts holding the representative role within `unit`'s subtree."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role="representative",
            role_assignments__org_unit__path__startswith=unit.path,
        )
        .distinct()
        .order_by("pk")
    )


def users_by_ids(ids) -> list:
    return list(get_user_model().objects.filter(pk__in=list(ids), is_active=True).order_by("pk"))


# --- publication ----------------------------------------------------------------------------------


def _require_closed(poll: Poll) -> None:
    if poll.state == Poll.State.OPEN:
        raise ResultsNotPublished(_("表决正在进行，结束前不公布任何结果"))
    if poll.state != Poll.State.CLOSED:
        raise ResultsNotPublished(_("表决尚未开始，没有结果"))


def published_trackers(poll: Poll) -> list[str]:
    """All trackers of a closed poll, sorted."""
    _require_closed(poll)
    if poll.encrypted:
        return sorted(SealedBallot.objects.filter(poll=poll).values_list("tracker", flat=True))
    return sorted(Tracker.objects.filter(poll=poll).values_list("code", flat=True))


def tracker_is_published(poll: Poll, text: str) -> bool:
    """Whether a typed tracker is in the published list (nothing else is revealed)."""
    _require_closed(poll)
    if poll.encrypted:
        typed = "".join(text.split()).lower()
        return bool(typed) and SealedBallot.objects.filter(poll=poll, tracker=typed).exists()
    code = rules.normalize_tracker(text)
    return code is not None and Tracker.objects.filter(poll=poll, code=code).exists()


def published_choices(poll: Poll) -> list[str]:
    """All choices of a closed poll as canonical texts, sorted.

    Sorted rather than shuffled: a sorted list carries no information about the order of
    casting (which a badly seeded shuffle could), and it is the same for everyone who
    downloads it, so two observers can compare the files they recounted from.
    """
    _require_closed(poll)
    if poll.encrypted:
        raise ResultsNotPublished(_("加密表决没有明文选票：请下载选举记录，用核验程序重新计票"))
    return sorted(Ballot.objects.filter(poll=poll).values_list("choice", flat=True))


@dataclass(frozen=True)
class OptionResult:
    key: str
    label: str
    votes: int


@dataclass(frozen=True)
class PollResult:
    poll: Poll
    paper: bool
    eligible: int  # took part, with or without an account (the roll size for older polls)
    voted: int  # roll markers set (0 for paper: not recorded per voter)
    ballots: int  # counted ballots (valid ballots for paper)
    trackers: int  # published trackers (0 for paper)
    base: int  # the base of "more than half"
    tally: rules.Tally
    options: list[OptionResult]
    motion: rules.MotionOutcome | None
    election: rules.ElectionOutcome | None
    ties: list[list[str]]  # labels of options with equal votes
    label_of: dict[str, str]

    @property
    def consistent(self) -> bool:
        """Trackers, ballots and voters who voted agree (always true for paper)."""
        return self.paper or (self.voted == self.ballots == self.trackers)

    @property
    def elected_labels(self) -> list[str]:
        return [self.label_of[k] for k in self.election.elected] if self.election else []

    @property
    def tied_labels(self) -> list[str]:
        return [self.label_of[k] for k in self.election.tied] if self.election else []


def results_for(poll: Poll) -> PollResult:
    """The published result of a closed poll; ResultsNotPublished while open or in draft."""
    _require_closed(poll)
    options = options_of(poll)
    keys = tuple(o.key for o in options)
    label_of = {o.key: o.label for o in options}
    t = turnout(poll)
    base = poll.majority_base or t.eligible
    if poll.is_paper:
        paper = PaperResult.objects.filter(poll=poll).first()
        if paper is None:
            raise ResultsNotPublished(_("纸质表决的结果尚未录入"))
        tally = rules.paper_tally(
            poll.kind,
            paper.counts,
            options=keys,
            seats=poll.seats,
            valid_ballots=paper.valid_ballots,
            invalid_ballots=paper.invalid_ballots,
        )
        voted, trackers = 0, 0
    elif poll.encrypted:
        counts = published_counts(poll)
        ballots = SealedBallot.objects.filter(poll=poll).count()
        tally = rules.Tally(
            kind=poll.kind,
            options=keys,
            seats=poll.seats,
            ballots=ballots,
            counts={k: counts[k] for k in keys},
        )
        voted, trackers = t.voted, ballots
    else:
        tally = rules.recount(poll.kind, published_choices(poll), options=keys, seats=poll.seats)
        voted = t.voted
        trackers = Tracker.objects.filter(poll=poll).count()
    motion = election = None
    if poll.rule == Poll.Rule.MAJORITY and poll.kind == Poll.Kind.YES_NO_ABSTAIN:
        motion = rules.motion_outcome(tally, base)
    elif poll.kind == Poll.Kind.APPROVAL:
        election = rules.election_outcome(
            tally, base=base, require_majority=poll.rule == Poll.Rule.MAJORITY
        )
    return PollResult(
        poll=poll,
        paper=poll.is_paper,
        eligible=t.eligible,
        voted=voted,
        ballots=tally.ballots,
        trackers=trackers,
        base=base,
        tally=tally,
        options=[OptionResult(o.key, o.label, tally.counts[o.key]) for o in options],
        motion=motion,
        election=election,
        ties=[[label_of[k] for k in group] for group in rules.tied_groups(tally)],
        label_of=label_of,
    )


# --- encrypted polls (docs/voting.md) -------------------------------------------------------------


def manifest_of(poll: Poll) -> Manifest:
    """What the ballots of an encrypted poll are encrypted against (the record's manifest)."""
    votes = poll.seats if poll.kind == rules.APPROVAL else 1
    return Manifest(f"zhijia-poll-{poll.pk}", poll.kind, poll.option_keys(), votes)


def trustees_of(poll: Poll) -> list[Trustee]:
    return list(Trustee.objects.filter(poll=poll).select_related("user").order_by("index"))


def base_hash_of(poll: Poll, trustees: int | None = None) -> int:
    m = manifest_of(poll)
    n = trustees if trustees is not None else Trustee.objects.filter(poll=poll).count()
    return ceremony.base_hash(
        poll=m.poll,
        kind=m.kind,
        options=m.options,
        votes_allowed=m.votes_allowed,
        trustees=n,
        quorum=poll.quorum or 0,
    )


def trustee_publics(trustees: list[Trustee]) -> list[TrusteePublic]:
    """The posted public documents as the record publishes them (with the trustees' names)."""
    return [
        public_from_dict(t.public, name=t.user.get_full_name())[0]
        for t in trustees
        if t.public is not None
    ]


def ceremony_complete(poll: Poll) -> bool:
    """May the encrypted poll open: the joint key made (every trustee's key and shares in)
    and every trustee has checked the shares sealed to her without a complaint."""
    if not poll.joint_key:
        return False
    return all(t.complaints == [] for t in Trustee.objects.filter(poll=poll).only("complaints"))


def ceremony_complaints(poll: Poll) -> list[tuple[int, list[int]]]:
    """(trustee, the trustees whose shares she could not check) for each complaint."""
    rows = Trustee.objects.filter(poll=poll).only("index", "complaints").order_by("index")
    return [(t.index, t.complaints) for t in rows if t.complaints]


def access_trustee_poll(user, poll_id: int) -> tuple[Poll, Trustee]:
    """An encrypted poll the user is a trustee of, and their trustee row; 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    trustee = (
        Trustee.objects.filter(poll_id=poll_id, user=user, poll__encrypted=True)
        .select_related("poll", "poll__unit")
        .first()
    )
    if trustee is None:
        raise Http404
    return trustee.poll, trustee


def trustee_polls(user) -> QuerySet[Poll]:
    """Encrypted polls the user is a trustee of (their to-do: ceremony and decryption)."""
    if not getattr(user, "is_authenticated", False):
        return Poll.objects.none()
    return Poll.objects.filter(trustees__user=user, encrypted=True).select_related("unit")


def trustee_steps(user) -> list[tuple[Poll, Trustee]]:
    """(poll, trustee row) where the user, a trustee, has a step to do: publish a key, seal
    shares once every key is in, check the shares sealed to her once every trustee's shares
    are in, or decrypt after the close until the record is published."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = Trustee.objects.filter(user=user, poll__encrypted=True).select_related("poll")
    steps = []
    for me in rows:
        poll = me.poll
        ceremony_step = poll.state == Poll.State.DRAFT and (
            (
                not poll.joint_key
                and (
                    me.public is None
                    or (
                        me.shares is None
                        and not Trustee.objects.filter(poll=poll, public__isnull=True).exists()
                    )
                )
            )
            or (bool(poll.joint_key) and me.complaints is None)
        )
        decryption_step = (
            poll.state == Poll.State.CLOSED
            and not poll.election_record
            and me.decryption is None
            and bool((poll.encrypted_tally or {}).get("ballots"))
        )
        if ceremony_step or decryption_step:
            steps.append((poll, me))
    return steps


def sealed_ballots(poll: Poll) -> list[EncryptedBallot]:
    """The poll's encrypted ballots in tracker-chain order (the published ballot box)."""
    rows = {r.previous: r for r in SealedBallot.objects.filter(poll=poll)}
    out: list[EncryptedBallot] = []
    head = format(cballot.first_tracker(int(poll.extended_hash, 16)), "x")
    while head in rows:
        row = rows.pop(head)
        out.append(ballot_from_dict(row.body))
        head = row.tracker
    if rows:  # a row off the chain: never written by do_cast_encrypted_ballot
        raise ValueError("the stored ballots do not form one tracker chain")
    return out


def encrypted_tally(poll: Poll) -> list[tuple[str, Ciphertext]]:
    """The homomorphic tally computed at close: (option, ciphertext) in option order."""
    stored = poll.encrypted_tally or {}
    return [
        (d["option"], Ciphertext(int(d["alpha"], 16), int(d["beta"], 16)))
        for d in stored.get("options", [])
    ]


def trustee_document(poll: Poll, me: Trustee | None) -> dict:
    """poll.json of the trustee page, read by verifier/zhijia_trustee.py: public values only
    (the shares in it are sealed to their recipients)."""
    trustees = trustees_of(poll)
    m = manifest_of(poll)
    doc: dict = {
        "format": "zhijia-trustee-poll/1",
        "poll": m.poll,
        "title": poll.title,
        "manifest": {"kind": m.kind, "options": list(m.options), "votes_allowed": m.votes_allowed},
        "quorum": poll.quorum,
        "base_hash": format(base_hash_of(poll, len(trustees)), "x"),
        "trustees": [{"index": t.index, "name": t.user.get_full_name()} for t in trustees],
        "you": me.index if me is not None else None,
        "public": [t.public for t in trustees if t.public is not None],
        "shares": [s for t in trustees for s in (t.shares or [])],
    }
    if poll.joint_key:
        doc["joint_key"] = poll.joint_key
        doc["extended_hash"] = poll.extended_hash
    if poll.encrypted_tally:
        doc["ballots"] = poll.encrypted_tally.get("ballots", 0)
        doc["tally"] = poll.encrypted_tally.get("options", [])
    return doc


def ballot_context(poll: Poll) -> dict | None:
    """What the voter's browser needs to encrypt (ballot-crypto.js): manifest, key, Q-bar."""
    if not (poll.encrypted and poll.joint_key):
        return None
    m = manifest_of(poll)
    return {
        "manifest": {"kind": m.kind, "options": list(m.options), "votes_allowed": m.votes_allowed},
        "key": poll.joint_key,
        "qbar": poll.extended_hash,
    }


def published_record(poll: Poll) -> str:
    """The election record (JSON) of a closed encrypted poll once k trustees decrypted."""
    _require_closed(poll)
    if not poll.encrypted:
        raise ResultsNotPublished(_("只有加密表决有选举记录"))
    if not poll.election_record:
        raise ResultsNotPublished(_("监票人尚未完成解密，结果还没有公布"))
    return poll.election_record


def published_counts(poll: Poll) -> dict[str, int]:
    """The decrypted counts of a closed encrypted poll (zero when nobody voted: there is
    nothing to decrypt and no record)."""
    _require_closed(poll)
    if poll.encrypted_tally is not None and not poll.encrypted_tally.get("ballots"):
        return dict.fromkeys(poll.option_keys(), 0)
    return dict(json.loads(published_record(poll))["counts"])


def choice_labels(poll: Poll, choice: str) -> str:
    """A canonical choice in words, for the CSV download ("（空白票）" when blank)."""
    label_of = {o.key: o.label for o in options_of(poll)}
    keys = rules.decode_choice(choice)
    return "、".join(label_of.get(k, k) for k in keys) if keys else "（空白票）"


# --- storage hygiene of the close (raw SQL, kept here on purpose) ---------------------------------
# Why raw SQL: PRAGMA, VACUUM and checkpoints have no ORM equivalent. They make sure that the
# rows deleted when ballots are re-stored at close leave no readable trace in the database
# files. None of it reads or writes ballot content.


class secure_delete:  # noqa: N801  (used as a context manager, like a function)
    """On SQLite, overwrite deleted content with zeros while the block runs.

    SQLite leaves deleted rows' bytes in free space of the file; with secure_delete on, the
    ballots deleted at close (in casting order) are zeroed, so a copy of the file taken after
    close does not hold the pre-shuffle order. VACUUM would also do but cannot run inside the
    closing transaction. A no-op on PostgreSQL.
    """

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete")
                self.previous = cursor.fetchone()[0]
                cursor.execute("PRAGMA secure_delete = ON")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA secure_delete = {int(self.previous)}")
        return False


# Bounded: a reader that holds its snapshot longer than this makes the close report failure.
CHECKPOINT_ATTEMPTS = 5
CHECKPOINT_BUSY_MS = 400
CHECKPOINT_PAUSE_S = 0.2


def compact_ballot_storage() -> Compaction:
    """After the closing transaction has committed: drop the ballots' and trackers' old row
    versions for good (zhijia.core.unordered.compact_storage: a truncating checkpoint of the
    SQLite write-ahead log, retried CHECKPOINT_ATTEMPTS times; VACUUM on PostgreSQL). A
    failure is logged and returned, never raised: the close itself has happened."""
    return compact_storage(
        Ballot,
        Tracker,
        attempts=CHECKPOINT_ATTEMPTS,
        busy_ms=CHECKPOINT_BUSY_MS,
        pause_s=CHECKPOINT_PAUSE_S,
        label="voting: a poll closed",
    )


def truncate_wal_after_cast() -> None:
    """After a cast has committed (SQLite): one try, without waiting, to truncate the
    write-ahead log (zhijia.core.unordered.truncate_wal_now), so that a copy of the -wal file
    taken while the poll is open does not hold one page image per cast in casting order. The
    close is the one that must succeed and says when not."""
    truncate_wal_now()


def backup_warnings() -> list[str]:
    """For `zhijia backup`: a copy of the database taken while an online poll is open holds
    its ballots in clear (in no casting order, but the write-ahead log and a second copy
    taken later still tell which ballot arrived between the two). Until ballots are encrypted
    to the trustees (issue 11, item 1) the backup warns."""
    open_polls = Poll.objects.filter(state=Poll.State.OPEN, is_paper=False).order_by("pk")
    return [
        f"online poll {pk} is open: this backup holds its ballots in clear; a backup taken "
        "before and one after a voter votes tell that voter's choice. Back up after the "
        "poll is closed, and keep this file as secret as the ballot box."
        for pk in open_polls.values_list("pk", flat=True)
    ]
