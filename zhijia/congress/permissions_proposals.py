"""Permission codes for proposals (提案) and inspection tours (代表巡视), and their navigation.

Who does what (DESIGN.md, module congress):
  congress.submit_proposal      representatives: draft, invite co-signers, co-sign, submit
  congress.view_proposal        cadres and enterprise leaders: read submitted proposals of their
                                subtree (by the congress's unit or the proposer's unit)
  congress.review_proposal      cadres: the proposal committee's 立案 / 不立案 / 并案 and the
                                assignment; held over the congress's unit, so a branch cadre
                                cannot decide the enterprise congress's proposals
  congress.supervise_proposal   cadres: 督办 by hand, carry-over to the next session
  congress.answer_proposal      handlers, scoped by enterprise department: answer what is
                                assigned to their department (lead or co-handling)
  congress.manage_inspection    cadres: plan tours, participants, findings, rectification items,
                                verification
  congress.view_inspection      cadres and enterprise leaders: read tours and items
  congress.rectify_inspection   handlers, scoped by department: work the rectification items
                                owned by their department
Representatives take part in tours without a permission code: being a participant is the rule.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core import attachments
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

SUBMIT_PROPOSAL = "congress.submit_proposal"
VIEW_PROPOSAL = "congress.view_proposal"
REVIEW_PROPOSAL = "congress.review_proposal"
SUPERVISE_PROPOSAL = "congress.supervise_proposal"
ANSWER_PROPOSAL = "congress.answer_proposal"
MANAGE_INSPECTION = "congress.manage_inspection"
VIEW_INSPECTION = "congress.view_inspection"
RECTIFY_INSPECTION = "congress.rectify_inspection"

register(
    SUBMIT_PROPOSAL,
    roles=[Role.REPRESENTATIVE],
    description="撰写、提交提案，附议其他代表的提案",
)
register(
    VIEW_PROPOSAL,
    roles=[Role.CADRE, Role.VIEWER],
    description="查看本组织及下级的提案（草稿除外）",
)
register(
    REVIEW_PROPOSAL,
    roles=[Role.CADRE],
    description="提案审查：立案、不立案、并案，交办承办部门",
)
register(
    SUPERVISE_PROPOSAL,
    roles=[Role.CADRE],
    description="提案督办，未办结提案转入下次会议",
)
register(
    ANSWER_PROPOSAL,
    roles=[Role.HANDLER],
    description="答复交本部门承办（主办或协办）的提案",
    tree="department",
)
register(
    MANAGE_INSPECTION,
    roles=[Role.CADRE],
    description="组织代表巡视：计划、人员、发现问题、整改事项与验收",
)
register(
    VIEW_INSPECTION,
    roles=[Role.CADRE, Role.VIEWER],
    description="查看代表巡视及整改情况",
)
register(
    RECTIFY_INSPECTION,
    roles=[Role.HANDLER],
    description="办理交本部门的巡视整改事项",
    tree="department",
)

_SECTION = _("职代会")
# After the sessions' entries (400-420) of the same section.
add(NavItem(_SECTION, _("我的提案"), "congress:proposal-mine", SUBMIT_PROPOSAL, order=430))
add(NavItem(_SECTION, _("提案管理"), "congress:proposal-queue", VIEW_PROPOSAL, order=431))
add(NavItem(_SECTION, _("承办提案"), "congress:proposal-department", ANSWER_PROPOSAL, order=432))
add(NavItem(_SECTION, _("代表巡视"), "congress:inspection-list", VIEW_INSPECTION, order=440))
# Representatives reach the tours they take part in through the same list.
add(NavItem(_SECTION, _("我的巡视"), "congress:inspection-list", SUBMIT_PROPOSAL, order=441))
add(NavItem(_SECTION, _("巡视整改"), "congress:rectification-list", RECTIFY_INSPECTION, order=442))


def _proposal_attachment_access(user, owner_id):
    # Whoever may see the proposal may download its attachments (imported late: queries
    # import this module).
    from zhijia.congress.queries_proposals import access_proposal

    return access_proposal(user, owner_id)


attachments.register_owner("congress.proposal", _proposal_attachment_access)
