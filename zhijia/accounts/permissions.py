"""Permission codes of module accounts (see zhijia.core.permissions)."""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

register(
    "accounts.manage_accounts",
    roles=[Role.ADMIN],
    description="解除账号锁定、重置两步验证",
)
register(
    "accounts.manage_activation",
    roles=[Role.CADRE],
    description="会员账号激活：查看激活情况、发送验证码、打印激活单",
)
