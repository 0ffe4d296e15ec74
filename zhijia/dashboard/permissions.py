"""Permission codes of module dashboard (see zhijia.core.permissions), and its navigation.

dashboard.view_dashboard  cadres and viewers (企业领导), over their unit's subtree: the
                          dashboard of any unit there, its Excel, PDF and Word reports.
                          The figures count only that unit's subtree; a drill-down link is
                          shown only to those who may open the list behind it.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_DASHBOARD = "dashboard.view_dashboard"

register(
    VIEW_DASHBOARD,
    roles=[Role.CADRE, Role.VIEWER],
    description="查看本级及下级工会的数据看板与年度报告数据（只读）",
)

add(NavItem(_("数据看板"), _("数据看板与报告"), "dashboard:index", VIEW_DASHBOARD, order=50))
