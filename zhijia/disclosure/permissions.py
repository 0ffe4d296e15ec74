"""Permission codes of module disclosure (see zhijia.core.permissions), and its navigation.

  disclosure.view_board        cadres and enterprise leaders: the catalogue board (what is due,
                               published and overdue per unit) of their subtree
  disclosure.view_item         cadres and enterprise leaders: every item published in their
                               subtree (withdrawn ones too) and its read counts per unit
  disclosure.publish_item      cadres: publish, revise and withdraw items of units in their
                               subtree; they are the responsible cadres reminded of due dates
  disclosure.answer_question   cadres: the questions queue of their subtree, answer or close
  disclosure.manage_catalogue  cadres of the union committee and administrators: edit the
                               catalogue, which is union-wide, so it is checked over the root
                               unit (a branch cadre holds it over the branch only: refused)

Workers need no code: an item is shown to a member whose unit lies in the item's audience
(the audience unit's subtree), and such a member may ask questions on it.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

VIEW_BOARD = "disclosure.view_board"
VIEW_ITEM = "disclosure.view_item"
PUBLISH_ITEM = "disclosure.publish_item"
ANSWER_QUESTION = "disclosure.answer_question"
MANAGE_CATALOGUE = "disclosure.manage_catalogue"

register(VIEW_BOARD, roles=[Role.CADRE, Role.VIEWER], description="查看公开目录的到期与逾期情况")
register(
    VIEW_ITEM, roles=[Role.CADRE, Role.VIEWER], description="查看本级及下级的公开事项与阅读统计"
)
register(PUBLISH_ITEM, roles=[Role.CADRE], description="发布、修订、撤回公开事项")
register(ANSWER_QUESTION, roles=[Role.CADRE], description="答复职工对公开事项的提问")
register(MANAGE_CATALOGUE, roles=[Role.CADRE, Role.ADMIN], description="维护公开目录（工会委员会）")

_SECTION = _("厂务公开")
add(NavItem(_SECTION, _("公开栏"), "disclosure:board", None, order=500))
add(NavItem(_SECTION, _("公开进度"), "disclosure:manage-board", VIEW_BOARD, order=510))
add(NavItem(_SECTION, _("已发布事项"), "disclosure:manage-items", VIEW_ITEM, order=520))
add(NavItem(_SECTION, _("职工提问"), "disclosure:question-queue", ANSWER_QUESTION, order=530))
add(NavItem(_SECTION, _("公开目录"), "disclosure:catalogue", MANAGE_CATALOGUE, order=540))
