"""Password rules, applied by Django's password validation (settings.AUTH_PASSWORD_VALIDATORS).

- length by role: 12 characters for cadres and admins, 8 for everybody else
  (ZHIJIA_PASSWORD_MIN_STAFF / ZHIJIA_PASSWORD_MIN_MEMBER);
- common passwords: Django's CommonPasswordValidator (its list holds the usual Chinese ones
  such as 5201314, woaini1314, qq123456; OPTIONS password_list_path swaps the list);
- no phone number or 工号 of one's own (PersonalDataValidator).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _is_staff(user) -> bool:
    return bool(user is not None and getattr(user, "pk", None) and user.is_staff_role)


def minimum_length_for(user) -> int:
    """12 (configurable) for holders of a staff role (cadre, admin), else 8."""
    if _is_staff(user):
        return settings.ZHIJIA_PASSWORD_MIN_STAFF
    return settings.ZHIJIA_PASSWORD_MIN_MEMBER


def password_rules_for(user) -> list[str]:
    """The rules a new password of this user must meet, in words, for the form's help text."""
    return [
        _("至少 %(min)d 个字符。") % {"min": minimum_length_for(user)},
        _("不能是常见密码（如 12345678、woaini1314），也不能全是数字。"),
        _("不能与您的用户名、姓名、手机号或工号相似。"),
    ]


class RoleMinimumLengthValidator:
    def validate(self, password: str, user=None) -> None:
        minimum = minimum_length_for(user)
        if len(password) < minimum:
            if _is_staff(user):
                message = _("工会干部和管理员的密码至少需要 %(min)d 个字符。")
            else:
                message = _("密码至少需要 %(min)d 个字符。")
            raise ValidationError(message % {"min": minimum}, code="password_too_short")

    def get_help_text(self) -> str:
        return _("会员密码至少 %(member)d 个字符，工会干部和管理员至少 %(staff)d 个字符。") % {
            "member": settings.ZHIJIA_PASSWORD_MIN_MEMBER,
            "staff": settings.ZHIJIA_PASSWORD_MIN_STAFF,
        }


class PersonalDataValidator:
    """Refuses a password that contains the member's own phone number or 工号.

    Django's UserAttributeSimilarityValidator looks only at the account's fields; a worker's
    phone and 工号 are on the member record and are the first thing a colleague would try.
    """

    def __init__(self, min_fragment: int = 4):
        self.min_fragment = min_fragment

    def _fragments(self, user) -> list[str]:
        member = getattr(user, "member_record", None) if getattr(user, "pk", None) else None
        if member is None:
            return []
        values = [member.phone or "", member.employee_no or ""]
        return [v.lower() for v in values if len(v) >= self.min_fragment]

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        for fragment in self._fragments(user):
            if fragment in lowered:
                raise ValidationError(
                    _("密码不能包含您的手机号或工号。"), code="password_personal_data"
                )

    def get_help_text(self) -> str:
        return _("密码不能包含您的手机号或工号。")
