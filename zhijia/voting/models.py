"""Secret ballots: polls, their voter roll, anonymous ballots and trackers.

What is stored, and why it cannot be linked back to a voter once the poll is closed:

- `VoterRoll` is the voter side: who may vote (frozen when the poll opens) and whether they
  voted. It never points to a ballot or a tracker.
- `Ballot` holds one choice and nothing else: a random UUID4 key (no sequence, no
  autoincrement), the poll, and the choice's canonical text. No voter, no time, no address.
- `Tracker` holds one receipt code and nothing else. Trackers and ballots are separate tables
  with no key in common, so not even a database dump pairs a receipt with a choice: a voter
  showing their tracker proves that they voted, never how.
- While the poll is open, a ballot, its tracker and the voter's roll marker are written in one
  transaction (which is what makes "at most once" hold). At close, every ballot and every
  tracker of the poll is copied out, deleted and re-inserted in a fresh random order with
  fresh random keys in the closing transaction (see actions.do_close_poll), so rowid/ctid and
  insertion order, key order and PostgreSQL's xmin carry nothing about who voted when.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.voting import rules


class Poll(models.Model):
    """One question put to a frozen roll of voters: a motion or an election of k of n."""

    class Kind(models.TextChoices):
        YES_NO_ABSTAIN = rules.YES_NO_ABSTAIN, _("赞成 / 反对 / 弃权")
        APPROVAL = rules.APPROVAL, _("选举（n 选 k）")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    class Rule(models.TextChoices):
        MAJORITY = rules.RULE_MAJORITY, _("超过应到人数的半数")
        NONE = rules.RULE_NONE, _("只统计，不作决定")

    title = models.CharField(_("表决事项"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    rule = models.CharField(
        _("通过规则"), max_length=16, choices=Rule.choices, default=Rule.MAJORITY
    )
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_paper = models.BooleanField(_("纸质（现场）表决"), default=False)
    # Encrypted poll (docs/voting.md): ballots are encrypted in the voter's browser to a key
    # split among the trustees; the server never sees a choice. The fields below are public
    # values of the ceremony and the tally (hexadecimal, as in the election record).
    encrypted = models.BooleanField(_("加密投票"), default=False)
    quorum = models.PositiveSmallIntegerField(_("解密所需监票人数"), null=True, blank=True)
    # Who names the trustees when another module does it for its own reasons (congress: the
    # session's scrutineers, "congress.scrutineers"); then voting's page and API do not.
    trustees_source = models.CharField(max_length=64, blank=True)
    joint_key = models.TextField(blank=True)  # K, once every trustee has posted
    extended_hash = models.TextField(blank=True)  # Q-bar = H(Q, K)
    last_tracker = models.TextField(blank=True)  # head of the tracker chain
    # At close: [{"option", "alpha", "beta"}, ...] and the number of ballots.
    encrypted_tally = models.JSONField(null=True, blank=True)
    # The published election record (JSON text) once k trustees have decrypted.
    election_record = models.TextField(blank=True)
    # The base of "more than half": all eligible voters (the roll size) unless the caller says
    # otherwise (congress: all representatives of the term). Fixed when the poll opens.
    majority_base = models.PositiveIntegerField(_("过半数的基数"), null=True, blank=True)
    # How many may take part: the roll (voters with an account, who may vote online) plus
    # those without one who vote on paper in the hall (congress: every representative
    # present). A paper result may not return more ballots. Fixed when the poll opens; empty
    # (polls opened before the field existed): the roll size.
    eligible_count = models.PositiveIntegerField(_("参加表决的人数"), null=True, blank=True)
    # Who uses the poll, e.g. "congress.item:17"; lets other modules find their polls.
    origin = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    # Not a column: set on the instance a close returns once the close has committed: True
    # when the SQLite write-ahead log was truncated (or PostgreSQL vacuumed), False when not
    # (the page tells the manager), None while not known (actions.do_close_poll).
    storage_compacted: bool | None = None

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def option_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options.all())


class Option(models.Model):
    """An answer (yes / no / abstain) or a candidate. `key` is what ballots and the published
    choice list contain: yes/no/abstain, or the candidate's number 1..n."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=16)
    label = models.CharField(_("选项"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "key"], name="uniq_voting_option_key")
        ]

    def __str__(self) -> str:
        return self.label


class VoterRoll(models.Model):
    """One eligible voter of one poll and the "has voted" marker. Frozen when the poll opens.

    The marker is flipped by a conditional UPDATE (… WHERE voted = false) in the casting
    transaction, which is what lets each voter vote at most once under concurrent requests.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="roll")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="uniq_voting_roll_entry")
        ]
        indexes = [models.Index(fields=["user", "poll"])]

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.user_id}"


class Ballot(models.Model):
    """One cast choice. Deliberately nothing else: no voter, no tracker, no time, no address.

    The key is a random UUID4 so that key order carries no time; the rows of a closed poll are
    re-inserted in random order at close (see the module docstring).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    # Canonical text of the choice (rules.encode_choice): "yes", "2+5", "" for a blank ballot.
    choice = models.CharField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return str(_("选票"))  # never the choice: str() ends up in logs and error pages


class Tracker(models.Model):
    """One receipt code handed to a voter once, at casting. Not linked to the voter, nor to the
    ballot: after close the published tracker list lets each voter check that their ballot
    was counted, and that the number of trackers equals the number who voted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=24)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "code"], name="uniq_voting_tracker_code")
        ]

    def __str__(self) -> str:
        return str(_("验证码"))  # never the code: str() ends up in logs and error pages


class PaperResult(models.Model):
    """Totals of a hall vote on paper ballots, entered by a manager; shown marked as paper."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="paper_result")
    counts = models.JSONField(default=dict)  # option key -> votes
    valid_ballots = models.PositiveIntegerField(_("有效票"))
    invalid_ballots = models.PositiveIntegerField(_("无效票"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.poll_id}"


class Trustee(models.Model):
    """A trustee of an encrypted poll (监票人): the public documents they uploaded. Never a
    secret: the key file stays on the trustee's computer (verifier/zhijia_trustee.py)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="trustees")
    index = models.PositiveSmallIntegerField()  # 1..n, as in the election record
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    public = models.JSONField(null=True, blank=True)  # commitments and proofs
    shares = models.JSONField(null=True, blank=True)  # shares sealed to the other trustees
    # The check of the shares sealed to this trustee: null until checked; [] all fit; else the
    # trustees whose shares did not fit (a complaint: the ceremony must be restarted).
    complaints = models.JSONField(null=True, blank=True)
    decryption = models.JSONField(null=True, blank=True)  # partial decryptions with proofs

    class Meta:
        ordering = ["poll", "index"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "index"], name="uniq_voting_trustee_index"),
            models.UniqueConstraint(fields=["poll", "user"], name="uniq_voting_trustee_user"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.index}"


class SealedBallot(models.Model):
    """One encrypted ballot as the voter's browser made it (ciphertexts and proofs), with its
    tracker. No voter, no time; a random key and a random SQLite rowid. Its place in the
    tracker chain (`previous`) is public anyway: the chain is the published ballot box, and
    an encrypted ballot in its place says nothing of whose it is or what it holds."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    body = models.JSONField()  # as in the election record's "ballots"
    tracker = models.CharField(max_length=80)
    previous = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "tracker"], name="uniq_voting_sealed_tracker")
        ]

    def __str__(self) -> str:
        return str(_("加密选票"))


class CastFingerprint(models.Model):
    """While an encrypted poll is open: one digest of each cast ballot's id and of each of its
    ciphertexts (crypto.ballot.fingerprints), unique per poll, so that a copied ballot is
    refused by the index instead of by reading the whole box at every cast. No voter, no
    time; a random key and a random SQLite rowid; deleted at the close (the published box is
    checked for copies by the verifier)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "digest"], name="uniq_voting_cast_fingerprint")
        ]

    def __str__(self) -> str:
        return self.digest
