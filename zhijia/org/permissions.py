"""Permission codes of module org (see zhijia.core.permissions)."""

from zhijia.accounts.models import Role
from zhijia.core.permissions import register

# The roster is the cadres': the admin keeps configuration and accounts, and reads members only
# when also granted a cadre role (issue 11, finding 8; docs/security.md).
register("org.view_member", roles=[Role.CADRE], description="查看会员档案")
register("org.change_member", roles=[Role.CADRE], description="新增、修改会员档案")
register("org.transfer_member", roles=[Role.CADRE], description="会员转移")
register("org.import_members", roles=[Role.CADRE], description="导入花名册")
register("org.export_members", roles=[Role.CADRE], description="导出会员名册")
register("org.view_id_number", roles=[Role.CADRE], description="查看完整身份证号")
register("org.manage_dues", roles=[Role.CADRE], description="会费台账")
register("org.view_units", roles=[Role.CADRE, Role.ADMIN, Role.VIEWER], description="查看组织")
# Cadres keep the union tree of their own subtree (a branch chair adds, renames, merges and
# closes the union groups of the branch); the admin, with a global scope, keeps all of it. An
# action on a unit's place in the tree (move, merge, close) also needs the scope over its
# parent, so nobody moves or closes the root of their own scope.
register("org.manage_units", roles=[Role.CADRE, Role.ADMIN], description="维护组织架构（工会组织）")
# Enterprise departments are the employer's structure, not the union's: they are kept by the
# union committee (which deals with the enterprise's HR) and the admin. In the permission layer
# this is the code held over a top-level unit (the committee) or globally; a branch chair
# holds it only over the branch and so cannot change departments (queries_units.
# can_manage_departments). Handlers never hold it: they answer for a department, not shape it.
register("org.manage_departments", roles=[Role.CADRE, Role.ADMIN], description="维护企业部门")
# Who holds the mediator, counselor and handler roles: a staff directory for assigning work.
register(
    "org.view_role_holders", roles=[Role.CADRE, Role.ADMIN], description="查看承办人等岗位人员"
)
register("org.review_join", roles=[Role.CADRE], description="审核入会申请")
