"""Password rules: 12 characters for cadres and admins, 8 for members (configurable)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def minimum_length_for(user) -> int:
    if user is not None and getattr(user, "pk", None) and user.is_staff_role:
        return settings.ZHIJIA_PASSWORD_MIN_STAFF
    return settings.ZHIJIA_PASSWORD_MIN_MEMBER


class RoleMinimumLengthValidator:
    def validate(self, password: str, user=None) -> None:
        minimum = minimum_length_for(user)
        if len(password) < minimum:
            raise ValidationError(
                _("密码至少需要 %(min)d 个字符。") % {"min": minimum}, code="password_too_short"
            )

    def get_help_text(self) -> str:
        return _(
            "会员密码至少 %(member)d 个字符，工会干部和管理员至少 %(staff)d 个字符。"
        ) % {
            "member": settings.ZHIJIA_PASSWORD_MIN_MEMBER,
            "staff": settings.ZHIJIA_PASSWORD_MIN_STAFF,
        }
