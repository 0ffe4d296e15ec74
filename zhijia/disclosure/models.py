"""Affairs disclosure (厂务公开 / 车间务公开 / 班务公开): the catalogue, items and their versions,
read receipts, workers' questions, and the ledger of due-date reminders.

  CatalogueEntry   what must be disclosed at one level and how often (configurable)
  Item             one published disclosure, with its current text (the latest revision)
  ItemRevision     every version ever published, never rewritten (revision 1 = publication)
  ReadReceipt      one per member per item: who read it, the unit they were in, which version
  Question         a worker's question on an item, answered on the workflow `disclosure.question`
  DueNotice        which due-date reminders / overdue notices were sent (once each)
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhijia.core.models import WorkflowRecord
from zhijia.disclosure import rules, text

__all__ = ["CatalogueEntry", "DueNotice", "Item", "ItemRevision", "Question", "ReadReceipt"]


class Level(models.TextChoices):
    ENTERPRISE = rules.ENTERPRISE, _("厂务公开")
    WORKSHOP = rules.WORKSHOP, _("车间务公开")
    TEAM = rules.TEAM, _("班务公开")


class Cadence(models.TextChoices):
    MONTHLY = rules.MONTHLY, _("每月")
    QUARTERLY = rules.QUARTERLY, _("每季度")
    HALF_YEARLY = rules.HALF_YEARLY, _("每半年")
    YEARLY = rules.YEARLY, _("每年")
    EVENT = rules.EVENT, _("逐事公开")


# Which org units hold each level (the labels shown next to a level).
LEVEL_HOLDERS = {
    rules.ENTERPRISE: _("工会委员会"),
    rules.WORKSHOP: _("分工会"),
    rules.TEAM: _("工会小组"),
}


def period_label(key: str) -> str:
    """ "2026-10" -> "2026年10月", "2026-Q3" -> "2026年第3季度", ... ("" stays "")."""
    period = rules.parse_period_key(key)
    if period is None:
        return key
    if period.cadence == rules.MONTHLY:
        return gettext("%(y)d年%(m)d月") % {"y": period.year, "m": period.index}
    if period.cadence == rules.QUARTERLY:
        return gettext("%(y)d年第%(q)d季度") % {"y": period.year, "q": period.index}
    if period.cadence == rules.HALF_YEARLY:
        half = gettext("上半年") if period.index == 1 else gettext("下半年")
        return gettext("%(y)d年%(half)s") % {"y": period.year, "half": half}
    return gettext("%(y)d年度") % {"y": period.year}


class CatalogueEntry(models.Model):
    """One line of the disclosure catalogue (公开目录): a subject, its level and cadence.

    Scheduled entries are due `offset_days` calendar days after each period ends; the
    responsible cadres are reminded `remind_days` before. An entry owes nothing for periods
    that ended before `effective_from`. Entries are retired (active=False), never deleted,
    so published items keep their subject.
    """

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("公开事项"), max_length=100)
    level = models.CharField(_("公开层级"), max_length=16, choices=Level.choices)
    cadence = models.CharField(_("公开频次"), max_length=16, choices=Cadence.choices)
    description = models.TextField(_("公开内容要求"), blank=True)
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    offset_days = models.PositiveSmallIntegerField(
        _("期满后公开期限（天）"),
        default=10,
        help_text=_("每期结束后多少个自然日内须公开，例如每月事项 10 表示次月 10 日前"),
    )
    remind_days = models.PositiveSmallIntegerField(
        _("提前提醒（天）"), default=3, help_text=_("截止日前多少天提醒负责的工会干部")
    )
    effective_from = models.DateField(_("起始日期"), help_text=_("此日期之前结束的期间不要求公开"))
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公开目录事项")
        verbose_name_plural = _("公开目录")
        ordering = ["level", "sort_order", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scheduled(self) -> bool:
        return rules.is_scheduled(self.cadence)

    @property
    def unit_kind(self) -> str:
        return rules.KIND_OF_LEVEL[self.level]

    def applies_to(self, unit) -> bool:
        return rules.level_of_kind(unit.kind) == self.level

    def deadline_label(self) -> str:
        if not self.is_scheduled:
            return gettext("事项发生后及时公开")
        return gettext("每期结束后 %(n)d 天内") % {"n": self.offset_days}


class Item(models.Model):
    """A published disclosure. Its text fields hold the current version; every version,
    the current one included, is an ItemRevision."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已公开")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工发布")
        PROPOSAL = "proposal", _("提案办理结果")
        RESOLUTIONS = "resolutions", _("职代会决议落实情况")

    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("公开单位")
    )
    audience_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("公开范围")
    )
    level = models.CharField(_("公开层级"), max_length=16, choices=Level.choices)
    entry = models.ForeignKey(
        CatalogueEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("目录事项"),
    )
    period_key = models.CharField(_("所属期间"), max_length=16, blank=True, default="")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    table_text = models.TextField(_("表格"), blank=True)
    valid_from = models.DateField(_("公开起始日"))
    valid_until = models.DateField(_("公开截止日"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    source = models.CharField(
        _("来源"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    # "congress.proposal:12" for an automatic publication: publishing it twice revises instead.
    source_ref = models.CharField(max_length=64, blank=True, default="")
    revision = models.PositiveIntegerField(_("版本"), default=1)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    revised_at = models.DateTimeField(_("最近修订"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["audience_unit", "status", "valid_from"]),
            models.Index(fields=["org_unit", "entry", "period_key"]),
        ]
        constraints = [
            # One live disclosure per catalogue entry, unit and period; a correction is a
            # revision of it, a withdrawn one frees the slot.
            models.UniqueConstraint(
                fields=["entry", "org_unit", "period_key"],
                condition=Q(status="published") & ~Q(period_key=""),
                name="disclosure_one_item_per_period",
            ),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="disclosure_source_ref"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:item-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return period_label(self.period_key)

    @property
    def table_rows(self) -> list[list[str]]:
        try:
            return text.parse_table(self.table_text)
        except text.TableError:
            return []

    def is_in_force(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PUBLISHED and rules.is_in_force(
            self.valid_from, self.valid_until, today
        )

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class ItemRevision(models.Model):
    """One version of an item as published. `attachments` is the list of files in this
    version ([{"id": uuid, "name": ...}]): files dropped from a later version stay attached
    to the item, so an earlier version can still be opened."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    table_text = models.TextField(_("表格"), blank=True)
    valid_from = models.DateField(_("公开起始日"))
    valid_until = models.DateField(_("公开截止日"), null=True, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("修订说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发布人"),
    )
    author_label = models.CharField(_("发布人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公开事项版本")
        verbose_name_plural = _("公开事项版本")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="disclosure_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    @property
    def table_rows(self) -> list[list[str]]:
        try:
            return text.parse_table(self.table_text)
        except text.TableError:
            return []

    @property
    def attachment_ids(self) -> list[str]:
        return [str(a.get("id")) for a in self.attachments or []]


class ReadReceipt(models.Model):
    """A member has read an item: one row per member and item. `org_unit` is the member's
    unit when first read (the per-unit counts); `revision` the latest version they opened."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey("org.Member", on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    read_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="disclosure_one_receipt")
        ]
        indexes = [models.Index(fields=["item", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.item_id} read by {self.member_id}"


class Question(WorkflowRecord):
    """A worker's question on an item (workflow `disclosure.question`): asked → answered within
    a deadline in working days, escalated to the next level when overdue.

    The answer is shown to the asker; when the cadre marks it public it is also shown to every
    reader of the item, without the asker's name.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="questions")
    org_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("答复单位")
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提问人"),
    )
    asker_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("问题"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    public = models.BooleanField(_("公开答复"), default=False)
    created_at = models.DateTimeField(_("提问时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公开事项提问")
        verbose_name_plural = _("公开事项提问")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "state"])]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("disclosure:question-detail", args=[self.pk])


class DueNotice(models.Model):
    """A reminder (before the due date) or an overdue notice sent for one catalogue entry, one
    unit and one period: the sweep sends each at most once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("到期提醒")
        OVERDUE = "overdue", _("逾期通知")

    entry = models.ForeignKey(CatalogueEntry, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "org_unit", "period_key", "kind"], name="disclosure_due_notice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id}/{self.org_unit_id}/{self.period_key}"
