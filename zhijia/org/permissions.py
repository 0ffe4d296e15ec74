"""Permission codes of module org (see zhijia.core.permissions)."""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

register("org.view_member", roles=[Role.CADRE, Role.ADMIN], description="查看会员档案")
register("org.change_member", roles=[Role.CADRE], description="新增、修改会员档案")
register("org.transfer_member", roles=[Role.CADRE], description="会员转移")
register("org.import_members", roles=[Role.CADRE], description="导入花名册")
register("org.export_members", roles=[Role.CADRE], description="导出会员名册")
register("org.view_id_number", roles=[Role.CADRE], description="查看完整身份证号")
register("org.manage_dues", roles=[Role.CADRE], description="会费台账")
register("org.view_units", roles=[Role.CADRE, Role.ADMIN, Role.VIEWER], description="查看组织")
register("org.manage_units", roles=[Role.ADMIN], description="维护组织架构")
register("org.review_join", roles=[Role.CADRE], description="审核入会申请")
