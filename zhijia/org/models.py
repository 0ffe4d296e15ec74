"""Organisation: the union's org tree, the enterprise departments, members, transfers, dues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhijia.core import crypto


class OrgUnit(models.Model):
    """A node of the union tree: committee → branch unions → union groups.

    `path` is a materialised path of ids ("/1/4/17/") so a subtree is one indexed prefix scan.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("工会委员会")
        BRANCH = "branch", _("分工会")
        GROUP = "group", _("工会小组")

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    kind = models.CharField(_("层级"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: OrgUnit) -> bool:
        """True when self is `other` or one of its descendants."""
        return self.path.startswith(other.path)


class Department(models.Model):
    """An enterprise department (the second tree): where handlers work and members are employed."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    default_org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_departments",
        verbose_name=_("默认所属工会"),
    )

    class Meta:
        verbose_name = _("企业部门")
        verbose_name_plural = _("企业部门")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class EmploymentType(models.TextChoices):
        REGULAR = "regular", _("正式")
        DISPATCHED = "dispatched", _("劳务派遣")
        REHIRED = "rehired", _("返聘")
        TEMPORARY = "temporary", _("临时")
        INTERN = "intern", _("实习")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        TRANSFERRED_OUT = "transferred_out", _("转出")
        RETIRED = "retired", _("退休")
        EXPELLED = "expelled", _("除名")

    employee_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64, db_index=True)
    name_pinyin = models.CharField(max_length=255, db_index=True, default="", editable=False)
    name_initials = models.CharField(max_length=64, db_index=True, default="", editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    id_number_encrypted = models.TextField(default="", editable=False)
    # Keyed hash (HMAC) of the normalised number: uniqueness and exact lookup without decrypting.
    id_number_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    id_number_masked = models.CharField(_("身份证号"), max_length=18, default="", editable=False)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, db_index=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("所属工会")
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("部门"),
    )
    job = models.CharField(_("岗位"), max_length=64, blank=True)
    employment_type = models.CharField(
        _("用工性质"),
        max_length=16,
        choices=EmploymentType.choices,
        default=EmploymentType.REGULAR,
    )
    join_date = models.DateField(_("入会日期"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    monthly_wage = models.DecimalField(
        _("月工资收入"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["employee_no"]
        indexes = [models.Index(fields=["org_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"

    def set_id_number(self, id_number: str) -> None:
        """Store a validated, normalised 身份证号: encrypted, keyed digest and masked form."""
        self.id_number_encrypted = crypto.encrypt(id_number)
        self.id_number_digest = crypto.digest(id_number)
        self.id_number_masked = crypto.mask_id_number(id_number)

    def get_id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""


class MemberTransfer(models.Model):
    """A move between units (or out of the union); the history is never rewritten."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_date = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_unit_id} → {self.to_unit_id} ({self.effective_date})"


class DuesRecord(models.Model):
    """One member's dues for one month: the base, the amount due and when it was paid."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues")
    month = models.DateField(_("月份"))  # first day of the month
    wage_income = models.DecimalField(_("工资收入"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("应缴会费"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(_("缴纳时间"), null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="uniq_dues_member_month")
        ]
        indexes = [models.Index(fields=["month", "paid_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"
