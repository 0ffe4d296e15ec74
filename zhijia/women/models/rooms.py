"""Nursing rooms (妈咪小屋) of a unit and their bookings by members.

A room has `seats` places used at once and is booked by time slot (`SLOT_MINUTES`) within its
opening hours. No double booking: a booked seat of a slot is unique (constraint
women_room_seat_once), a member holds one booking per slot (women_member_slot_once), and the
booking action locks the room's row before it picks a free seat (actions.rooms)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

SLOT_MINUTES = 30


class NursingRoom(models.Model):
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    name = models.CharField(_("名称"), max_length=60)
    place = models.CharField(_("位置"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("同时可用位置数"), default=1)
    opens_at = models.TimeField(_("开放时间"), default=dt.time(8, 0))
    closes_at = models.TimeField(_("关闭时间"), default=dt.time(18, 0))
    facilities = models.CharField(_("设施"), max_length=300, blank=True)
    active = models.BooleanField(_("开放"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("妈咪小屋")
        verbose_name_plural = _("妈咪小屋")
        ordering = ["org_unit__path", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="women_room_seats_min"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="women_room_closes_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.place}）"


class RoomBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CANCELLED = "cancelled", _("已取消")

    room = models.ForeignKey(NursingRoom, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始时间"))
    seat = models.PositiveSmallIntegerField(_("位置号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    booked_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("妈咪小屋预约")
        verbose_name_plural = _("妈咪小屋预约")
        ordering = ["day", "starts", "seat", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "day", "starts", "seat"],
                condition=Q(status="booked"),
                name="women_room_seat_once",
            ),
            models.UniqueConstraint(
                fields=["user", "day", "starts"],
                condition=Q(status="booked"),
                name="women_member_slot_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.day} {self.starts:%H:%M}"

    @property
    def ends(self) -> dt.time:
        start = dt.datetime.combine(self.day, self.starts)
        return (start + dt.timedelta(minutes=SLOT_MINUTES)).time()
