"""Congress models: terms (届), sessions (次), representatives, check-in, agenda items and
representative elections.

Votes are never stored here: an agenda item or an election points to its `voting.Poll`
(created with origin "congress.item:<id>" / "congress.election:<id>"), and the voting module
keeps the roll, the anonymous ballots and the trackers.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.congress import rules

__all__ = [
    "AgendaItem",
    "Attendance",
    "Candidate",
    "RepElection",
    "Representative",
    "Scrutineer",
    "Session",
    "Term",
]


def _token() -> str:
    return secrets.token_urlsafe(12)


class Term(models.Model):
    """One term (届) of the workers' congress of a union committee, 3 to 5 years."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("工会委员会")
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    # The workforce the composition rules compare with. Empty: counted from the in-register
    # members of the unit's subtree (a union may enter the HR figures for all workers instead).
    workforce_total = models.PositiveIntegerField(_("职工总数"), null=True, blank=True)
    workforce_women = models.PositiveIntegerField(_("其中女职工"), null=True, blank=True)
    workforce_dispatched = models.PositiveIntegerField(_("其中劳务派遣职工"), null=True, blank=True)
    # Overrides of rules.RuleSet for this term (e.g. {"provincial_floors": [[1000, 120]]}).
    rule_overrides = models.JSONField(_("规则设置"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职代会届次")
        verbose_name_plural = _("职代会届次")
        ordering = ["unit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="uniq_congress_term_number")
        ]

    def __str__(self) -> str:
        return str(_("%(unit)s第%(n)s届职工代表大会") % {"unit": self.unit, "n": self.number})

    @property
    def ruleset(self) -> rules.RuleSet:
        return rules.RuleSet.from_overrides(self.rule_overrides)


class Session(models.Model):
    """One session (次会议) of a term. planned → checkin → open → closed."""

    class State(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        CHECKIN = "checkin", _("签到中")
        OPEN = "open", _("会议进行中")
        CLOSED = "closed", _("已闭会")

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("会次"))
    title = models.CharField(_("会议名称"), max_length=200, blank=True)
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    # The secret in the hall's QR code (self check-in after login); rotated when reprinted.
    hall_token = models.CharField(max_length=32, default=_token, editable=False)
    checkin_started_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many of the session's scrutineers (Scrutineer) must present their key shares to
    # decrypt a tally of its encrypted votes; empty: a strict majority (voting.rules).
    decrypt_quorum = models.PositiveSmallIntegerField(_("解密所需监票人数"), null=True, blank=True)
    # Figures fixed when the session is opened (shown on the result sheet).
    representatives_at_open = models.PositiveIntegerField(null=True, blank=True)
    present_at_open = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职代会会议")
        verbose_name_plural = _("职代会会议")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="uniq_congress_session_number")
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        return str(_("%(term)s第%(n)s次会议") % {"term": self.term, "n": self.number})

    @property
    def accepts_checkin(self) -> bool:
        return self.state in {self.State.CHECKIN, self.State.OPEN}


class Representative(models.Model):
    """A member's seat in a term, from an electoral unit (选举单位)."""

    class Kind(models.TextChoices):
        VOTING = "voting", _("正式代表")
        ATTENDING = "attending", _("列席代表")

    class Source(models.TextChoices):
        ELECTED = "elected", _("选举产生")
        ENTERED = "entered", _("录入")

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="representatives")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("选举单位")
    )
    kind = models.CharField(_("代表类别"), max_length=10, choices=Kind.choices, default=Kind.VOTING)
    is_manager = models.BooleanField(_("中层及以上管理人员"), default=False)
    is_frontline = models.BooleanField(_("一线职工"), default=False)
    source = models.CharField(
        _("产生方式"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    election = models.ForeignKey(
        "congress.RepElection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("代表资格有效"), default=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("资格终止原因"), max_length=200, blank=True)
    # Part of the personal check-in code; changed to revoke a lost code.
    checkin_nonce = models.CharField(max_length=32, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职工代表")
        verbose_name_plural = _("职工代表")
        ordering = ["term", "unit", "member__employee_no"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="uniq_congress_rep_member")
        ]
        indexes = [models.Index(fields=["term", "active", "kind"])]

    def __str__(self) -> str:
        return f"{self.member.name}（{self.get_kind_display()}）"

    @property
    def is_voting(self) -> bool:
        return self.kind == self.Kind.VOTING


class Scrutineer(models.Model):
    """The chief scrutineer (总监票人, position 1) and the scrutineers (监票人) of a session, as
    the session passed them (a show of hands in the hall) and the chair recorded them.

    They are the trustees of the session's encrypted votes (module voting): each holds a
    share of the election key of every online vote of the session, and k of them decrypt its
    totals after the close. The server never holds their keys."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scrutineers")
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, related_name="+", verbose_name=_("代表")
    )
    position = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("监票人")
        verbose_name_plural = _("监票人")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "representative"], name="uniq_congress_scrutineer"
            ),
            models.UniqueConstraint(
                fields=["session", "position"], name="uniq_congress_scrutineer_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative.member.name}（{self.title}）"

    @property
    def is_chief(self) -> bool:
        return self.position == 1

    @property
    def title(self) -> str:
        return str(_("总监票人") if self.is_chief else _("监票人"))


class Attendance(models.Model):
    """A representative checked in at a session (QR at the door, hall code, or roll call)."""

    class Method(models.TextChoices):
        DESK = "desk", _("门口扫码")
        HALL = "hall", _("自助扫码")
        ROLL_CALL = "roll_call", _("点名")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="attendance"
    )
    method = models.CharField(_("签到方式"), max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("签到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "representative"], name="uniq_congress_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.representative_id}"


class AgendaItem(models.Model):
    """An item of a session's agenda: a report (no vote), a motion voted yes/no/abstain, or an
    election of k of n. Items are voted one by one (分项表决), by secret ballot."""

    class Kind(models.TextChoices):
        REPORT = "report", _("报告（不表决）")
        MOTION = "motion", _("表决事项（赞成/反对/弃权）")
        ELECTION = "election", _("选举（n 选 k）")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MOTION)
    candidates = models.JSONField(_("候选人或选项"), default=list, blank=True)
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    is_paper = models.BooleanField(_("纸质（现场）表决"), default=False)
    poll = models.OneToOneField(
        "voting.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_voted(self) -> bool:
        return self.kind != self.Kind.REPORT

    @property
    def origin(self) -> str:
        return f"congress.item:{self.pk}"


class RepElection(models.Model):
    """The election of representatives in one electoral unit for a term.

    nominating → voting → closed. Competitive (差额): more candidates than seats. The unit's
    voters (`base`: its in-register members, or those present at its meeting) vote with one
    approval ballot each (at most `seats` marks), online for members with an account or on
    paper; a candidate is elected with more than half of the unit's voters and within the
    seats; ties at the last seat and unfilled seats are reported, never resolved.
    """

    class State(models.TextChoices):
        NOMINATING = "nominating", _("提名中")
        VOTING = "voting", _("投票中")
        CLOSED = "closed", _("已结束")

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="elections")
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("选举单位")
    )
    seats = models.PositiveSmallIntegerField(_("应选代表名额"))
    competitive = models.BooleanField(_("差额选举"), default=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.NOMINATING, db_index=True
    )
    is_paper = models.BooleanField(_("纸质（现场）投票"), default=False)

    class Base(models.TextChoices):
        MEMBERS = "members", _("本选举单位全体在册会员")
        PRESENT = "present", _("出席选举大会的会员")

    # The unit's voters, the base of "more than half": its in-register members, or those
    # present at the unit's meeting (`present_count`, entered by the cadre, at most the
    # member count). Never the members who happen to have an account.
    base = models.CharField(
        _("选民基数"), max_length=10, choices=Base.choices, default=Base.MEMBERS
    )
    present_count = models.PositiveIntegerField(_("出席选举大会的会员人数"), null=True, blank=True)
    poll = models.OneToOneField(
        "voting.Poll", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职工代表选举")
        verbose_name_plural = _("职工代表选举")
        ordering = ["term", "unit__path", "id"]

    def __str__(self) -> str:
        return str(_("%(unit)s职工代表选举") % {"unit": self.unit})

    @property
    def origin(self) -> str:
        return f"congress.election:{self.pk}"


class Candidate(models.Model):
    class Nomination(models.TextChoices):
        NOMINATED = "nominated", _("组织提名")
        SELF = "self", _("自荐")

    election = models.ForeignKey(RepElection, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("候选人")
    )
    nomination = models.CharField(_("提名方式"), max_length=10, choices=Nomination.choices)
    statement = models.TextField(_("竞选陈述"), blank=True)
    is_manager = models.BooleanField(_("中层及以上管理人员"), default=False)
    is_frontline = models.BooleanField(_("一线职工"), default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The candidate's option key in the election's poll, fixed when voting opens.
    poll_key = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "member"], name="uniq_congress_candidate_member"
            )
        ]

    def __str__(self) -> str:
        return self.member.name
