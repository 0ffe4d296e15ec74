"""Permission codes of module assistance (see zhijia.core.permissions), and its navigation.

Who does what (DESIGN.md module 6). Every code is held by cadres over their unit's subtree;
hardship details are read only by the cadres responsible for the member's unit:
  assistance.view_hardship        read hardship files (household, income, medical details),
                                  visits and the full applications
  assistance.manage_hardship      create, assess, review and close hardship files
  assistance.manage_visit         plan and record visits (走访慰问), upload photos
  assistance.apply_on_behalf      file an application for a member of the subtree
  assistance.review_application   the branch review (with the home-visit record), decline
  assistance.manage_notice        publish the public notice, resolve objections
  assistance.approve_application  the committee's approval: held over a committee-level unit
                                  (a branch cadre holding it over the branch may not approve)
  assistance.manage_campaign      campaigns and their rules and forms, funds
  assistance.view_ledger          read the funds, entries, statements and reconciliation
  assistance.manage_ledger        record income, post counter-entries
  assistance.prepare_payment      prepare payment runs of approved applications (maker)
  assistance.approve_payment      approve payment runs over the fund's unit (checker)
  assistance.view_notice          read the public notice board of a subtree (enterprise
                                  leaders too); members read the notices of their own units
  assistance.configure            the 低保 line, factors, notice period, retention
Members (no code: the member role is implied by a member record) apply for themselves, follow
their applications and read the notices of the units above them.

The codes that open hardship details (view, manage, visits, review, approval) are held only by
a sign-in that passed the second factor (two_factor=True, zhijia.core.permissions): the
hardship reviewer signs in with two factors, as the counselor does (docs/security.md).
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_HARDSHIP = "assistance.view_hardship"
MANAGE_HARDSHIP = "assistance.manage_hardship"
MANAGE_VISIT = "assistance.manage_visit"
APPLY_ON_BEHALF = "assistance.apply_on_behalf"
REVIEW_APPLICATION = "assistance.review_application"
MANAGE_NOTICE = "assistance.manage_notice"
APPROVE_APPLICATION = "assistance.approve_application"
MANAGE_CAMPAIGN = "assistance.manage_campaign"
VIEW_LEDGER = "assistance.view_ledger"
MANAGE_LEDGER = "assistance.manage_ledger"
PREPARE_PAYMENT = "assistance.prepare_payment"
APPROVE_PAYMENT = "assistance.approve_payment"
VIEW_NOTICE = "assistance.view_notice"
CONFIGURE = "assistance.configure"

CADRE = [Role.CADRE]
register(
    VIEW_HARDSHIP,
    roles=CADRE,
    description="查看困难职工档案与帮扶申请详情（敏感）",
    two_factor=True,
)
register(
    MANAGE_HARDSHIP, roles=CADRE, description="困难职工建档、测算、年度复核与退出", two_factor=True
)
register(MANAGE_VISIT, roles=CADRE, description="走访慰问：计划、记录、照片", two_factor=True)
register(APPLY_ON_BEHALF, roles=CADRE, description="代职工提交帮扶申请")
register(REVIEW_APPLICATION, roles=CADRE, description="帮扶申请初审（含入户核查）", two_factor=True)
register(MANAGE_NOTICE, roles=CADRE, description="发布公示，处理公示异议")
register(APPROVE_APPLICATION, roles=CADRE, description="工会委员会审批帮扶申请", two_factor=True)
register(MANAGE_CAMPAIGN, roles=CADRE, description="帮扶活动与资金设置")
register(VIEW_LEDGER, roles=CADRE, description="查看帮扶资金台账、月报与对账")
register(MANAGE_LEDGER, roles=CADRE, description="登记资金收入、冲正")
register(PREPARE_PAYMENT, roles=CADRE, description="编制发放批次（制单）")
register(APPROVE_PAYMENT, roles=CADRE, description="审核发放批次（复核）")
register(VIEW_NOTICE, roles=[Role.CADRE, Role.VIEWER], description="查看帮扶公示")
register(CONFIGURE, roles=CADRE, description="帮扶参数：低保标准、公示期、保存年限")

_SECTION = _("困难帮扶")
# Everyone signed in: a member's own applications, the campaigns open to them, the notices.
add(NavItem(_SECTION, _("帮扶申请"), "assistance:mine", None, order=600))
add(NavItem(_SECTION, _("帮扶工作台"), "assistance:index", REVIEW_APPLICATION, order=601))
add(NavItem(_SECTION, _("困难职工档案"), "assistance:file-list", VIEW_HARDSHIP, order=610))
add(NavItem(_SECTION, _("帮扶申请审核"), "assistance:application-list", VIEW_HARDSHIP, order=620))
add(NavItem(_SECTION, _("帮扶资金"), "assistance:fund-list", VIEW_LEDGER, order=630))
add(NavItem(_SECTION, _("走访慰问"), "assistance:visit-list", VIEW_HARDSHIP, order=640))
