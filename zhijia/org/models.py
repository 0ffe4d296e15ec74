"""Organisation: the union's org tree, the enterprise departments, members, transfers, dues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.core import crypto
from zhijia.core.models import WorkflowRecord
from zhijia.core.unitpaths import path_prefixes


class TreeNode:
    """The tree methods shared by OrgUnit and Department (both keep a materialised `path` of
    ids, "/1/4/17/"): the one place modules ask a node about its place in the tree."""

    pk: int
    path: str
    name: str

    def path_prefixes(self) -> list[str]:
        """The paths of this node and every node above it, top first:
        "/1/4/17/" -> ["/1/", "/1/4/", "/1/4/17/"] (filter `…__path__in` with them)."""
        return path_prefixes(self.path)

    def lineage(self) -> list:
        """This node and every node above it, top first (one query)."""
        prefixes = self.path_prefixes()
        by_path = {n.path: n for n in type(self)._default_manager.filter(path__in=prefixes)}  # type: ignore[attr-defined]
        return [by_path[p] for p in prefixes if p in by_path]

    def path_label(self, separator: str = " / ", *, levels: int | None = None) -> str:
        """The names from the top down to this node ("示例能源集团工会委员会 / 第一分工会 /
        发电一班组"); with `levels`, only the last ones ("第一分工会 / 发电一班组")."""
        names = [n.name for n in self.lineage()]
        return separator.join(names[-levels:] if levels else names)


class DuesMode(models.TextChoices):
    """How a member's dues are collected (zhijia.org.rules: PAYROLL, SELF_PAY). A unit or a
    member without a mode of its own ("") takes the nearest one above it; the top's default
    is payroll deduction."""

    PAYROLL = "payroll", _("工资代扣")
    SELF = "self", _("自缴")


class OrgUnit(TreeNode, models.Model):
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
    # A closed (撤销) unit stays for history: hidden from pickers and lists by default.
    closed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    # "" = as the unit above (zhijia.org.rules.resolve_dues_mode).
    dues_mode = models.CharField(
        _("会费收缴方式"), max_length=16, choices=DuesMode.choices, blank=True, default=""
    )
    # Where and to whom self-paying members pay ("请向分工会财务缴纳"); the nearest one set
    # above applies when empty.
    dues_payment_note = models.CharField(_("会费缴纳说明"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: OrgUnit) -> bool:
        """True when self is `other` or one of its descendants."""
        return self.path.startswith(other.path)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def subtree(self) -> QuerySet[OrgUnit]:
        """This unit and everything below it (one indexed prefix scan)."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def descendants(self) -> QuerySet[OrgUnit]:
        return self.subtree().exclude(pk=self.pk)

    def ancestors(self) -> QuerySet[OrgUnit]:
        """The units above this one, top first (their ids are in the path)."""
        return OrgUnit.objects.filter(pk__in=path_ids(self.path)[:-1]).order_by("path")

    def group_label(self, separator: str = " / ") -> str:
        """ "第一分工会 / 发电一班组" for a union group (its branch and itself), the name for a
        branch or the committee."""
        if self.kind == self.Kind.GROUP and self.parent_id:
            return self.path_label(separator, levels=2)
        return self.name


class Department(TreeNode, models.Model):
    """An enterprise department (the second tree): where handlers work and members are employed."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # The union unit the department's members belong to by default (the roster import uses it).
    default_org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_departments",
        verbose_name=_("默认所属工会"),
    )
    closed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业部门")
        verbose_name_plural = _("企业部门")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Department) -> bool:
        return self.path.startswith(other.path)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def subtree(self) -> QuerySet[Department]:
        return Department.objects.filter(path__startswith=self.path)

    def descendants(self) -> QuerySet[Department]:
        return self.subtree().exclude(pk=self.pk)

    def ancestors(self) -> QuerySet[Department]:
        return Department.objects.filter(pk__in=path_ids(self.path)[:-1]).order_by("path")


def path_ids(path: str) -> list[int]:
    """The ids in a materialised path, top first: "/1/4/17/" -> [1, 4, 17]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def recompute_paths(node: OrgUnit | Department) -> int:
    """Set `node.path` from its parent and rewrite the paths of its whole subtree.

    The one place paths are computed (creation, moves, merges). The descendants are
    rewritten with one UPDATE (their old prefix replaced by the new one); call it inside the
    transaction that changed the parent. Returns how many descendants were rewritten.
    """
    model = type(node)
    parent_path = model.objects.get(pk=node.parent_id).path if node.parent_id else "/"
    old = node.path
    new = f"{parent_path}{node.pk}/"
    if old == new:
        return 0
    node.path = new
    model.objects.filter(pk=node.pk).update(path=new)
    if not old:
        return 0
    return (
        model.objects.filter(path__startswith=old)
        .exclude(pk=node.pk)
        .update(path=Concat(Value(new), Substr("path", len(old) + 1)))
    )


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
    # "" = as the member's unit (zhijia.org.rules.resolve_dues_mode).
    dues_mode = models.CharField(
        _("会费收缴方式"), max_length=16, choices=DuesMode.choices, blank=True, default=""
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

    class PaidVia(models.TextChoices):
        DESK = "desk", _("工会登记")  # recorded by a cadre (cash, transfer, a list)
        PAYROLL = "payroll", _("工资代扣")  # from the payroll office's deduction file

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dues")
    month = models.DateField(_("月份"))  # first day of the month
    wage_income = models.DecimalField(_("工资收入"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("应缴会费"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(_("缴纳时间"), null=True, blank=True)
    # What was collected, when recorded since payments carry it (a deduction may differ from
    # the amount due: the payroll office's wage is newer); None for older payments = `amount`.
    paid_amount = models.DecimalField(
        _("实缴金额"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid_via = models.CharField(
        _("缴纳方式"), max_length=16, choices=PaidVia.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="uniq_dues_member_month")
        ]
        indexes = [models.Index(fields=["month", "paid_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"


class OrgChange(models.Model):
    """One change to a union unit or an enterprise department, kept as its history.

    Names and parents are stored as text as they were, so the history reads the same after
    later renames; the ids are in `data`.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        RENAME = "rename", _("更名")
        UPDATE = "update", _("修改")
        MOVE = "move", _("调整上级")
        MERGE_OUT = "merge_out", _("并入其他组织")
        MERGE_IN = "merge_in", _("合并进入")
        CLOSE = "close", _("撤销")

    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("变更"), max_length=16, choices=Action.choices)
    old_name = models.CharField(_("原名称"), max_length=100, blank=True)
    new_name = models.CharField(_("新名称"), max_length=100, blank=True)
    old_parent = models.CharField(_("原上级"), max_length=100, blank=True)
    new_parent = models.CharField(_("新上级"), max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("组织变更记录")
        verbose_name_plural = _("组织变更记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_unit__isnull=False, department__isnull=True)
                | models.Q(org_unit__isnull=True, department__isnull=False),
                name="org_change_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.org_unit_id or self.department_id}"


class JoinApplication(WorkflowRecord):
    """A worker's online application to join the union (网上入会), reviewed by the branch union.

    The applicant has no account yet: they follow up with the receipt code handed out once
    (only its keyed digest is stored) and the last four digits of their phone. The 身份证号 is
    kept like a member's: encrypted, a keyed digest for duplicates, a masked form for display.
    Workflow `org.join` (zhijia.org.workflows): submitted → approved | refused.
    """

    receipt_digest = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=1, choices=Member.Gender.choices)
    id_number_encrypted = models.TextField(default="", editable=False)
    id_number_digest = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, default="", editable=False)
    phone = models.CharField(_("手机号"), max_length=20)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="join_applications",
        verbose_name=_("申请加入"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("部门"),
    )
    employment_type = models.CharField(
        _("用工性质"), max_length=16, choices=Member.EmploymentType.choices
    )
    statement = models.TextField(_("入会申请"), blank=True)
    consent_version = models.CharField(max_length=16)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("不予批准的理由"), max_length=500, blank=True)
    member = models.OneToOneField(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_application",
    )

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One application under review per person (the action says so first, plainly).
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=models.Q(state="submitted"),
                name="uniq_join_pending_id_number",
            )
        ]
        indexes = [models.Index(fields=["org_unit", "state"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    def set_id_number(self, id_number: str) -> None:
        self.id_number_encrypted = crypto.encrypt(id_number)
        self.id_number_digest = crypto.digest(id_number)
        self.id_number_masked = crypto.mask_id_number(id_number)

    def get_id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""


class MemberCard(models.Model):
    """The member e-card's verification token (会员电子卡).

    A random token, not a signed value: the QR code carries nothing but 128 random bits (no id
    to enumerate, no personal data), and a token can be replaced (a screenshot shared, a phone
    lost) without touching any other card. Validity is decided at scan time from the member's
    status, so a card stops verifying the moment its member leaves 在册.
    """

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="card")
    token = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会员电子卡")
        verbose_name_plural = _("会员电子卡")

    def __str__(self) -> str:
        return f"card {self.member_id}"
