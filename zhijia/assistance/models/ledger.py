"""The fund ledger (帮扶资金台账): funds, append-only entries, payment runs (maker-checker).

Invariants, each held twice (in the action, and by the database):
  * a fund's balance never goes below zero: actions lock the fund row (select_for_update;
    SQLite's IMMEDIATE transactions serialise writers) and refuse; a CHECK constraint refuses
    whatever slips past;
  * entries are append-only: the model and its queryset refuse updates and deletes, and a
    mistake is corrected by a counter-entry (`reverses`, at most one per entry);
  * a payment run is prepared by one cadre and approved by another: the action refuses, and a
    CHECK constraint makes the same user in both columns impossible.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Fund", "LedgerEntry", "PaymentRun", "PaymentRunItem"]


class Fund(models.Model):
    """A fund with its own ledger: one per campaign, or a standing assistance fund."""

    name = models.CharField(_("资金名称"), max_length=100)
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("管理单位")
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    # Kept equal to the sum of the entries' amounts by the actions (checked by the tests).
    balance = models.DecimalField(_("余额"), max_digits=14, decimal_places=2, default=Decimal("0"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶资金")
        verbose_name_plural = _("帮扶资金")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="assistance_fund_balance_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("ledger entries are append-only; post a counter-entry")

    def delete(self):
        raise TypeError("ledger entries are append-only; post a counter-entry")


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("经费拨付")
        DONATION = "donation", _("捐赠收入")
        OTHER_INCOME = "other_income", _("其他收入")
        PAYMENT = "payment", _("帮扶支出")
        REVERSAL = "reversal", _("冲正")

    INCOME_KINDS = (Kind.ALLOCATION, Kind.DONATION, Kind.OTHER_INCOME)

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, db_index=True)
    # Signed: income positive, payments negative; a reversal carries the opposite sign.
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    balance_after = models.DecimalField(_("余额"), max_digits=14, decimal_places=2)
    booked_on = models.DateField(_("记账日期"), db_index=True)
    description = models.CharField(_("摘要"), max_length=200)
    counterparty = models.CharField(_("对方单位或个人"), max_length=100, blank=True)
    application = models.ForeignKey(
        "assistance.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    payment_run = models.ForeignKey(
        "assistance.PaymentRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("冲正的分录"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    actor_label = models.CharField(_("经办人"), max_length=150)
    created_at = models.DateTimeField(_("入账时间"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        ordering = ["id"]
        indexes = [models.Index(fields=["fund", "booked_on", "id"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="assistance_entry_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="assistance_entry_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}#{self.pk} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("ledger entries are append-only; post a counter-entry")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are append-only; post a counter-entry")

    @property
    def is_income(self) -> bool:
        return self.amount > 0


class PaymentRun(models.Model):
    """A batch of payments (发放批次): prepared by one cadre, approved by a second one."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("待审核")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("已退回")
        CANCELLED = "cancelled", _("已撤销")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_runs")
    title = models.CharField(_("批次名称"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PREPARED, db_index=True
    )
    total = models.DecimalField(_("合计金额"), max_digits=14, decimal_places=2, default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("制单人"),
    )
    prepared_at = models.DateTimeField(_("制单时间"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    checked_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("prepared_by")),
                name="assistance_run_maker_checker",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PaymentRunItem(models.Model):
    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "assistance.Application", on_delete=models.PROTECT, related_name="run_items"
    )
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="assistance_run_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.application_id}"
