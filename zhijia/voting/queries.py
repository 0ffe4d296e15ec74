"""Reads of module voting for pages and the API, and the storage hygiene of the close.

Publication (only once a poll is closed; ResultsNotPublished before):
  published_trackers(poll)  every tracker, sorted (the order carries nothing)
  published_choices(poll)   every choice's canonical text, sorted — separately from trackers
  results_for(poll)         the tally recounted from published_choices with rules.py
Trackers and choices are never returned together by any function of this module.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unordered import Compaction, compact_storage, truncate_wal_now
from zhijia.voting import rules
from zhijia.voting.errors import ResultsNotPublished
from zhijia.voting.models import Ballot, Option, PaperResult, Poll, Tracker, VoterRoll

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
    return sorted(Tracker.objects.filter(poll=poll).values_list("code", flat=True))


def tracker_is_published(poll: Poll, text: str) -> bool:
    """Whether a typed tracker is in the published list (nothing else is revealed)."""
    _require_closed(poll)
    code = rules.normalize_tracker(text)
    return code is not None and Tracker.objects.filter(poll=poll, code=code).exists()


def published_choices(poll: Poll) -> list[str]:
    """All choices of a closed poll as canonical texts, sorted.

    Sorted rather than shuffled: a sorted list carries no information about the order of
    casting (which a badly seeded shuffle could), and it is the same for everyone who
    downloads it, so two observers can compare the files they recounted from.
    """
    _require_closed(poll)
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
