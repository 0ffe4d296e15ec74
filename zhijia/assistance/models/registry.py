"""The hardship registry (困难职工档案): one file per worker in hardship, with household,
rigid spending, yearly reviews, exit, and the purge 10 years after exit.

Sensitive: only cadres holding assistance.view_hardship over the member's unit read a file.
The medical details, the most sensitive free text, are stored encrypted (zhijia.core.crypto).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhijia.assistance import rules
from zhijia.core import crypto

__all__ = [
    "Category",
    "HardshipFile",
    "HardshipReview",
    "HouseholdMember",
    "RigidExpense",
]


class Category(models.TextChoices):
    DEEP = rules.DEEP, _("深度困难")
    RELATIVE = rules.RELATIVE, _("相对困难")
    ACCIDENT = rules.ACCIDENT, _("意外致困")


def _money(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class HardshipFile(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在档")
        EXITED = "exited", _("已退出")

    class Cause(models.TextChoices):
        ILLNESS = "illness", _("因病")
        DISASTER = "disaster", _("因灾")
        SINGLE_PARENT = "single_parent", _("单亲家庭")
        SCHOOLING = "schooling", _("子女就学")
        DISABILITY = "disability", _("因残")
        SPOUSE_UNEMPLOYED = "spouse_unemployed", _("配偶失业")
        OTHER = "other", _("其他")

    class ExitReason(models.TextChoices):
        INCOME_IMPROVED = "income_improved", _("收入改善，已脱困")
        LEFT = "left", _("调离或离职")
        RETIRED = "retired", _("退休")
        DECEASED = "deceased", _("去世")
        OTHER = "other", _("其他")

    member = models.ForeignKey(
        "org.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("职工")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    causes = models.JSONField(_("致困原因"), default=list)
    cause_note = models.CharField(_("其他原因说明"), max_length=200, blank=True)
    medical_details_encrypted = models.TextField(default="", blank=True, editable=False)
    applicant_monthly_income = _money(_("本人月收入（元）"))
    other_monthly_income = _money(
        _("其他月收入（元）"), help_text=_("养老金、低保金、赡养费、租金等，不含家庭成员工资")
    )
    accident_loss = _money(
        _("近一年意外或灾害损失（元）"), help_text=_("用于判断意外致困：损失与家庭年收入之比")
    )
    accident_description = models.CharField(_("损失情况"), max_length=200, blank=True)
    # The calculator's last result, kept for lists and for the history of the file.
    category = models.CharField(
        _("困难类别"), max_length=16, choices=Category.choices, blank=True, db_index=True
    )
    per_capita_income = models.DecimalField(
        _("月人均收入（扣除刚性支出）"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    assessed_at = models.DateTimeField(_("测算时间"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复核日期"), null=True, blank=True, db_index=True)
    last_reviewed_on = models.DateField(_("上次复核日期"), null=True, blank=True)
    # The review date the responsible cadres were last reminded of (one reminder per date).
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.CharField(
        _("退出原因"), max_length=32, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField(_("退出说明"), max_length=300, blank=True)
    purge_after = models.DateField(_("档案销毁日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="active"),
                name="assistance_one_active_file_per_member",
            )
        ]

    def __str__(self) -> str:
        return _("困难职工档案 #%(id)s") % {"id": self.pk}

    # --- encrypted medical details ---
    @property
    def medical_details(self) -> str:
        token = self.medical_details_encrypted
        return crypto.decrypt(token) if token else ""

    @medical_details.setter
    def medical_details(self, value: str) -> None:
        value = (value or "").strip()
        self.medical_details_encrypted = crypto.encrypt(value) if value else ""

    def cause_labels(self) -> list[str]:
        labels = dict(self.Cause.choices)
        return [str(labels.get(c, c)) for c in self.causes]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class HouseholdMember(models.Model):
    """A person living in the worker's household (the worker is not listed: counted by the file).

    No name is kept: the calculator and the review need the relation, age, income and health.
    """

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        PARENT_IN_LAW = "parent_in_law", _("配偶父母")
        SIBLING = "sibling", _("兄弟姐妹")
        GRANDCHILD = "grandchild", _("孙子女")
        OTHER = "other", _("其他")

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("健康")
        CHRONIC = "chronic", _("慢性病")
        SERIOUS = "serious", _("重大疾病")
        DISABLED = "disabled", _("残疾")
        OTHER = "other", _("其他")

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="household")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    age = models.PositiveSmallIntegerField(_("年龄"), validators=[MaxValueValidator(130)])
    monthly_income = _money(_("月收入（元）"))
    health = models.CharField(
        _("健康状况"), max_length=16, choices=Health.choices, default=Health.HEALTHY
    )
    note = models.CharField(_("情况说明"), max_length=100, blank=True, help_text=_("如在读、失业"))

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.age}"


class RigidExpense(models.Model):
    """Rigid spending (刚性支出) the household cannot avoid, as a monthly average."""

    class Kind(models.TextChoices):
        MEDICAL = "medical", _("医疗")
        EDUCATION = "education", _("教育")
        HOUSING = "housing", _("住房")
        CARE = "care", _("护理照料")
        OTHER = "other", _("其他")

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    monthly_amount = _money(_("月均金额（元）"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("刚性支出")
        verbose_name_plural = _("刚性支出")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class HardshipReview(models.Model):
    """A yearly review (年度复核) or the exit: the calculator's figures at that moment."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("继续在档")
        EXIT = "exit", _("退出")

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("复核日期"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("结论"), max_length=16, choices=Outcome.choices)
    category = models.CharField(_("困难类别"), max_length=16, choices=Category.choices, blank=True)
    per_capita_income = models.DecimalField(
        _("月人均收入"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    note = models.CharField(_("复核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("档案复核")
        verbose_name_plural = _("档案复核")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.file_id} {self.reviewed_on} {self.outcome}"
