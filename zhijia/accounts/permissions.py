"""Permission codes of module accounts (see zhijia.core.permissions)."""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

register(
    "accounts.manage_accounts",
    roles=[Role.ADMIN],
    description="解除账号锁定、重置两步验证",
)
