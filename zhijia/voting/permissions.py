"""Permission codes of module voting (see zhijia.core.permissions).

Casting is not a permission: it requires being on the poll's frozen roll, nothing else.
"""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

register(
    "voting.manage_poll",
    roles=[Role.CADRE],
    description="创建、开启、结束表决，录入纸质表决结果（本组织及下级）",
)
register(
    "voting.view_results",
    roles=[Role.CADRE, Role.VIEWER],
    description="查看已结束表决公布的结果（本组织及下级）",
)
