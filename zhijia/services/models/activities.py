"""Activities (职工文化活动) and interest groups (协会/兴趣小组).

An `Activity` is organised by an org unit for its audience (units, each covering its subtree,
or the members of an interest group). Members register; places never exceed `capacity`
(registrations lock the activity row, one registration per member and activity). When full,
members wait in order; a freed place is offered to the first in line, who confirms within the
activity's `offer_hours` or lets it pass to the next. An activity with `draw` takes
applications during the window and draws the places afterwards from the published `draw_seed`
(services.activity_draw: pure, reproducible).

A registration is also the attendance record (`checked_in_at`) and carries the attendee's
rating on the shared scale (core.satisfaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord
from zhijia.core.satisfaction import Satisfaction

__all__ = [
    "Activity",
    "ActivityRegistration",
    "Club",
    "ClubMembership",
]


class Club(models.Model):
    """An interest group (协会/兴趣小组) of an org unit, run by its leaders."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    is_active = models.BooleanField(_("活动中"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("兴趣小组")
        verbose_name_plural = _("兴趣小组")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ClubMembership(models.Model):
    """A member's request to join a club, then their membership (one row per member and club)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审核")
        MEMBER = "member", _("成员")
        REJECTED = "rejected", _("未通过")
        LEFT = "left", _("已退出")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    is_leader = models.BooleanField(_("负责人"), default=False)
    note = models.CharField(_("申请说明"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("申请时间"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("兴趣小组成员")
        verbose_name_plural = _("兴趣小组成员")
        ordering = ["club", "-is_leader", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["club", "member"], name="club_one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.club} · {self.get_status_display()}"


class Activity(WorkflowRecord):
    """An activity on the declared workflow `services.activity` (services/workflows.py):
    draft → published → closed → finished, or cancelled."""

    class Kind(models.TextChoices):
        SPORTS = "sports", _("文体活动")
        TRIP = "trip", _("旅游")
        SHOW = "show", _("文艺汇演")
        LECTURE = "lecture", _("讲座")
        OTHER = "other", _("其他")

    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动介绍"), blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.SPORTS)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    # Each unit covers its subtree; none: the organising unit's subtree.
    audience_units = models.ManyToManyField(
        "org.OrgUnit", blank=True, related_name="+", verbose_name=_("参加范围")
    )
    # An interest group's own activity: its audience is the group's members.
    club = models.ForeignKey(
        Club,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("兴趣小组"),
    )
    capacity = models.PositiveIntegerField(_("名额"))
    opens_at = models.DateTimeField(_("报名开始"))
    closes_at = models.DateTimeField(_("报名截止"))
    fee = models.CharField(_("费用"), max_length=100, blank=True)
    draw = models.BooleanField(_("报满后抽签"), default=False)
    draw_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(_("候补确认时限（小时）"), default=24)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["state", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_min"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="activity_window_order"
            ),
            models.CheckConstraint(condition=Q(offer_hours__gte=1), name="activity_offer_hours"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return workflow_of(self).state_label(self.state)


class ActivityRegistration(models.Model):
    """A member's registration: applied (draw), registered, waiting, offered a freed place, or
    over (cancelled, declined, lapsed). Also the attendance record and the rating."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已申请（待抽签）")
        REGISTERED = "registered", _("已报名")
        WAITING = "waiting", _("候补中")
        OFFERED = "offered", _("候补待确认")
        CANCELLED = "cancelled", _("已取消")
        DECLINED = "declined", _("已放弃")
        LAPSED = "lapsed", _("确认超时")

    # The statuses holding a place (an offer holds it until confirmed or lapsed).
    HOLDING = (Status.REGISTERED, Status.OFFERED)
    ACTIVE = (Status.APPLIED, Status.REGISTERED, Status.WAITING, Status.OFFERED)

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    member = models.ForeignKey("org.Member", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    # The place in the waiting list (lower first): arrival order, or the draw's order.
    position = models.PositiveIntegerField(_("候补顺序"), null=True, blank=True)
    registered_at = models.DateTimeField(_("报名时间"))
    offer_expires_at = models.DateTimeField(_("确认截止"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True, default=""
    )
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        ordering = ["registered_at", "id"]
        indexes = [
            models.Index(fields=["activity", "status", "position"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="activity_one_registration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_status_display()}"
