"""What accounts tells zhijia.core.privacy: a person's account (name, sign-in name, when it
was made and last used) and the roles she holds. Passwords and second-factor secrets are kept
only as hashes or encrypted and are never handed out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.accounts.models import RoleAssignment, User
from zhijia.core.privacy import model_sheet, register


def personal_data(user):
    yield model_sheet(
        gettext_lazy("账号"),
        [user],
        User,
        ["username", "full_name", "email", "date_joined", "last_login"],
    )
    yield model_sheet(
        gettext_lazy("角色"),
        RoleAssignment.objects.filter(user=user).select_related("org_unit", "department"),
        RoleAssignment,
        [
            "role",
            ("org_unit", gettext_lazy("工会组织")),
            ("department", gettext_lazy("部门")),
            "title",
        ],
    )


register(personal_data)
