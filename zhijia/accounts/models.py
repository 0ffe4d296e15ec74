"""Accounts: the login identity, its roles with their scopes, and API tokens.

A person who is a union member has a `org.Member` record linked to their `User`; staff such as
the system administrator or an enterprise department's handler may have a user without one.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of DESIGN.md. `member` is implied by a linked member record and never assigned."""

    MEMBER = "member", _("会员")
    REPRESENTATIVE = "representative", _("职工代表")
    CADRE = "cadre", _("工会干部")
    HANDLER = "handler", _("承办人")
    MEDIATOR = "mediator", _("调解委员")
    COUNSELOR = "counselor", _("心理咨询师")
    VIEWER = "viewer", _("企业领导")
    WOMEN_COMMITTEE = "women_committee", _("女职工委员会委员")
    ADMIN = "admin", _("系统管理员")


# Roles whose holders are "staff" for password length, idle timeout and two-factor purposes.
STAFF_ROLES = frozenset({Role.CADRE, Role.ADMIN})

# Roles that open the cadre workspace on the home page; members and representatives get the
# member home (zhijia.core.views reads User.opens_workspace).
WORKSPACE_ROLES = frozenset(
    {
        Role.CADRE,
        Role.ADMIN,
        Role.VIEWER,
        Role.HANDLER,
        Role.MEDIATOR,
        Role.COUNSELOR,
        Role.WOMEN_COMMITTEE,
    }
)


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Set when an administrator sets the password (reset, or a new account); cleared when the
    # user sets her own. While set, every page but sign-out, the two-factor steps and the
    # password-change page sends her there, and the API refuses her (accounts.middleware).
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        """The roles this user holds (cached per instance, i.e. per request)."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            roles = {a.role for a in self.active_assignments()}
            if hasattr(self, "member_record"):
                roles.add(Role.MEMBER)
            cached = frozenset(roles)
            self._role_codes = cached
        return cached

    def active_assignments(self) -> list[RoleAssignment]:
        cached = getattr(self, "_assignments", None)
        if cached is None:
            cached = list(self.role_assignments.select_related("org_unit", "department"))
            self._assignments = cached
        return cached

    @property
    def is_staff_role(self) -> bool:
        return bool(self.role_codes & STAFF_ROLES)

    @property
    def opens_workspace(self) -> bool:
        """Whether the home page is the cadre workspace (else the member home)."""
        return bool(self.role_codes & WORKSPACE_ROLES)


class RoleAssignment(models.Model):
    """One role held by one user over one scope.

    Cadres, representatives, viewers and mediators are scoped to an org unit and its subtree;
    handlers to an enterprise department and its subtree; admins and counselors are global
    (no unit). `title` carries the cadre's office (主席, 副主席, 委员, 分工会主席, 小组长).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("职务"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org_unit", "department"], name="uniq_role_assignment"
            )
        ]

    def __str__(self) -> str:
        scope = self.org_unit or self.department or _("全局")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Exchanged with a second-factor code: the token holds the codes that need one
    # (zhijia.core.permissions, e.g. reading hardship files), as a verified session does.
    two_factor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} · {self.key_hash[:8]}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, *, two_factor: bool = False) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.hash_key(key), two_factor=two_factor)
        return key


class ActivationCode(models.Model):
    """A one-time code that lets a member set their password: to activate the account, or to
    reset a forgotten password. Only a keyed digest of the code is stored.

    SMS codes are short and live minutes; slip codes are printed on an activation slip and live
    weeks. Issuing a new code of a channel revokes the account's earlier unused ones of it.
    """

    class Purpose(models.TextChoices):
        ACTIVATE = "activate", _("激活账号")
        RESET = "reset", _("重置密码")

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        SLIP = "slip", _("激活单")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")
        indexes = [
            models.Index(fields=["user", "channel", "created_at"], name="acc_code_user_channel"),
            models.Index(fields=["code_hash"], name="acc_code_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.channel} · {self.expires_at:%Y-%m-%d %H:%M}"


class ActivationThrottle(models.Model):
    """Failed activation tries counted per key ("acct:<username>", "id:<typed>" or "ip:<addr>")
    within a window; `locked_until` is set when the key reaches its limit."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class PasswordResetRequest(models.Model):
    """An administrator's reset of the password of an account holding a sensitive role
    (settings.ZHIJIA_RESET_APPROVAL_ROLES: counselor by default), waiting for a second,
    different administrator's approval before it takes effect.

    `password_hash` is the new password as Django stores it (never the password), kept only
    while the request is pending: emptied when it is approved (it moves to the account),
    rejected or replaced by a newer request for the same account.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        REPLACED = "replaced", _("已被新申请取代")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("账号")
    )
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"))
    password_hash = models.CharField(max_length=128, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("密码重置申请")
        verbose_name_plural = _("密码重置申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"
