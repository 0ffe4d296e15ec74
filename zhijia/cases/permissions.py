"""Permission codes of module cases (see zhijia.core.permissions) and its navigation.

  cases.view_case          cadres: read the grievances of their subtree (by the worker's unit
                           or the responsible level)
  cases.assign_case        cadres: handle what their level is responsible for: assign to a
                           department (or reassign, with a reason), transfer to another union
                           organisation, ask the worker, answer, publish to the knowledge base
  cases.answer_case        handlers, scoped by enterprise department: read, ask about and
                           answer the grievances assigned to their department
  cases.configure_routing  cadres: routing rules (category × subtree → level / department)
  cases.view_mediation     mediators and cadres: read mediation cases of their subtree
  cases.manage_mediation   mediators: accept, parties, sessions and minutes, agreement, failure
  cases.manage_knowledge   cadres: the legal consultation knowledge base

Workers need no code: raising a grievance or a mediation request, following, adding
information and rating are the submitter's own rights (actor rules in workflows.py); the
anonymous box is open to anyone and keeps no identity at all.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_CASE = "cases.view_case"
ASSIGN_CASE = "cases.assign_case"
ANSWER_CASE = "cases.answer_case"
CONFIGURE_ROUTING = "cases.configure_routing"
VIEW_MEDIATION = "cases.view_mediation"
MANAGE_MEDIATION = "cases.manage_mediation"
MANAGE_KNOWLEDGE = "cases.manage_knowledge"

register(VIEW_CASE, roles=[Role.CADRE], description="查看本组织及下级的职工诉求")
register(
    ASSIGN_CASE,
    roles=[Role.CADRE],
    description="办理本级负责的诉求：交办部门、改派、转交、询问、答复",
)
register(
    ANSWER_CASE,
    roles=[Role.HANDLER],
    description="答复交本部门承办的诉求",
    tree="department",
)
register(CONFIGURE_ROUTING, roles=[Role.CADRE], description="设置诉求分派规则和办理时限")
register(VIEW_MEDIATION, roles=[Role.MEDIATOR, Role.CADRE], description="查看劳动争议调解案件")
register(
    MANAGE_MEDIATION,
    roles=[Role.MEDIATOR],
    description="受理劳动争议调解，记录调解过程，制作调解协议",
)
register(MANAGE_KNOWLEDGE, roles=[Role.CADRE], description="维护法律咨询知识库")

_SECTION = _("维权服务")
add(NavItem(_SECTION, _("诉求办理"), "cases:queue", VIEW_CASE, order=500))
add(NavItem(_SECTION, _("承办诉求"), "cases:department-queue", ANSWER_CASE, order=510))
add(NavItem(_SECTION, _("分派规则"), "cases:routing-list", CONFIGURE_ROUTING, order=520))
add(NavItem(_SECTION, _("劳动争议调解"), "cases:mediation-list", VIEW_MEDIATION, order=530))
add(NavItem(_SECTION, _("法律咨询知识库"), "cases:knowledge-manage", MANAGE_KNOWLEDGE, order=540))
# Every signed-in user: their own grievances and mediation requests, the anonymous box, and
# the published knowledge base.
add(NavItem(_SECTION, _("我的诉求"), "cases:mine", None, order=490))
add(NavItem(_SECTION, _("法律咨询"), "cases:knowledge-list", None, order=495))
