"""Volunteering and public welfare (志愿服务, 捐款捐物).

Volunteer projects (`VolunteerProject`, workflow `services.volunteer_project`: draft →
recruiting → finished / cancelled) of a union unit, open to the members of their audience
units (each covering its subtree). A project has shifts (`VolunteerShift`: time, place, places
needed); a member signs up for a shift (`VolunteerSignup`), never beyond its places (the
sign-up locks the shift's row), and withdraws before it starts. After the shift the project's
cadre or leader records the hours served (default the shift's length; a changed figure needs a
reason) and confirms them: only confirmed hours count.

Donation drives (`DonationDrive`, workflow `services.donation_drive`: open → closed) collect
money and/or goods. A money donation, once received, is booked in the assistance fund ledger
through zhijia.core.hooks.fund_ledger() (there is no second ledger): the drive keeps the
entry's id (`ledger_entry_ref`) and the fund it went to (`DonationDrive.fund_ref`), never a
balance of its own. Goods are listed on the drive only. A donor chooses how the public
thank-you list names them: full name, masked, or not at all.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord

__all__ = [
    "Donation",
    "DonationDrive",
    "VolunteerProject",
    "VolunteerShift",
    "VolunteerSignup",
]


class VolunteerProject(WorkflowRecord):
    """A volunteer project (志愿服务项目) of a union unit."""

    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目说明"), blank=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    # Each unit covers its subtree; at least one (the actions default to org_unit).
    audience_units = models.ManyToManyField(
        "org.OrgUnit", related_name="+", verbose_name=_("面向单位")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("项目负责人"),
    )
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class VolunteerShift(models.Model):
    """A shift (班次) of a project: when, where, how many volunteers it needs."""

    project = models.ForeignKey(VolunteerProject, on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    places = models.PositiveSmallIntegerField(_("需要人数"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务班次")
        verbose_name_plural = _("志愿服务班次")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="volunteer_shift_places_min"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="volunteer_shift_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.starts_at:%Y-%m-%d %H:%M}"


class VolunteerSignup(models.Model):
    """A member's place in a shift, and afterwards the hours served."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("已报名")
        WITHDRAWN = "withdrawn", _("已退出")

    class Hours(models.TextChoices):
        NONE = "", _("未登记")
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    shift = models.ForeignKey(VolunteerShift, on_delete=models.PROTECT, related_name="signups")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    signed_up_at = models.DateTimeField(_("报名时间"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hours = models.DecimalField(
        _("服务时长"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    hours_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    hours_status = models.CharField(
        _("时长状态"), max_length=16, choices=Hours.choices, blank=True, default=""
    )
    hours_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hours_recorded_at = models.DateTimeField(null=True, blank=True)
    hours_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hours_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("志愿服务报名")
        verbose_name_plural = _("志愿服务报名")
        ordering = ["signed_up_at", "id"]
        indexes = [models.Index(fields=["worker", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "worker"],
                condition=Q(status="signed_up"),
                name="volunteer_one_active_signup",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="volunteer_hours_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} · {self.get_status_display()}"


class DonationDrive(WorkflowRecord):
    """A donation drive (捐款捐物) of a union unit."""

    title = models.CharField(_("活动名称"), max_length=100)
    purpose = models.TextField(_("募捐用途"))
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发起单位")
    )
    audience_units = models.ManyToManyField(
        "org.OrgUnit", related_name="+", verbose_name=_("面向单位")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    accepts_money = models.BooleanField(_("接受捐款"), default=True)
    accepts_goods = models.BooleanField(_("接受捐物"), default=False)
    show_amounts = models.BooleanField(_("鸣谢名单显示金额"), default=False)
    # The assistance fund that receives the money (its id there; services may not import
    # assistance, see zhijia.core.hooks.fund_ledger). Null when the drive takes goods only.
    fund_ref = models.PositiveBigIntegerField(_("入账资金"), null=True, blank=True)
    fund_label = models.CharField(_("入账资金"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("捐款捐物活动")
        verbose_name_plural = _("捐款捐物活动")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="donation_drive_period"
            ),
            models.CheckConstraint(
                condition=Q(accepts_money=True) | Q(accepts_goods=True),
                name="donation_drive_some_kind",
            ),
            models.CheckConstraint(
                condition=Q(accepts_money=False) | Q(fund_ref__isnull=False),
                name="donation_drive_money_has_fund",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        from zhijia.core.workflow import workflow_of

        return str(workflow_of(self).state_label(self.state))


class Donation(models.Model):
    """One donation to a drive: money (booked in the fund ledger once received) or goods."""

    class Kind(models.TextChoices):
        MONEY = "money", _("捐款")
        GOODS = "goods", _("捐物")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("已认捐")
        RECEIVED = "received", _("已收到")
        CANCELLED = "cancelled", _("已取消")

    class Display(models.TextChoices):
        FULL = "full", _("显示全名")
        MASKED = "masked", _("隐去名字（如 张*）")
        HIDDEN = "hidden", _("不列入鸣谢名单")

    drive = models.ForeignKey(DonationDrive, on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    # A member donor (their user), or an outside donor named in donor_name only.
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("捐赠会员"),
    )
    donor_name = models.CharField(_("捐赠人"), max_length=100)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    goods = models.CharField(_("物品"), max_length=300, blank=True)
    donated_on = models.DateField(_("捐赠日期"))
    display = models.CharField(
        _("鸣谢名单"), max_length=8, choices=Display.choices, default=Display.FULL
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    # The assistance ledger entry that booked this money (its id there), once received.
    ledger_entry_ref = models.PositiveBigIntegerField(
        _("台账分录"), null=True, blank=True, unique=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("捐赠记录")
        verbose_name_plural = _("捐赠记录")
        ordering = ["-donated_on", "-id"]
        indexes = [models.Index(fields=["drive", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="money") & Q(amount__gt=Decimal("0")))
                | (Q(kind="goods") & Q(amount__isnull=True) & ~Q(goods="")),
                name="donation_money_or_goods",
            ),
            models.CheckConstraint(
                condition=Q(kind="money", status="received", ledger_entry_ref__isnull=False)
                | ~Q(kind="money", status="received"),
                name="donation_money_received_in_ledger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drive} · {self.get_kind_display()}"
