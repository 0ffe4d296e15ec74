"""Permission codes of module congress (see zhijia.core.permissions), and its navigation.

Terms, sessions, representatives, elections and check-in
---------------------------------------------------------
Scopes: a term belongs to a union committee, so managing it, its sessions and its
representatives needs the code over the committee's unit (a branch cadre cannot manage the
enterprise's congress). Representative elections belong to an electoral unit: a branch cadre
runs those of the branch. Representatives need no code for their own sessions, QR code and
check-in: those follow from their own representative record.

Proposals and inspection tours
------------------------------
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

Resolution follow-up (决议落实跟踪)
-----------------------------------
  congress.manage_followup      cadres (the congress office): implementation plans, milestones,
                                their verification, follow-up reports, the report to the next
                                session and its publication; held over the congress's unit
  congress.view_followup        cadres and enterprise leaders: read the follow-up
  congress.report_followup      handlers, scoped by department: report on the plans their
                                department is responsible for, mark its milestones done
Representatives of the unit (the representative role within its subtree) read the follow-up of
every resolution without a code: representatives supervise.

Participation channels (领导接待日, 职工代表听证)
-------------------------------------------------
  congress.publish_reception    cadres and leaders (viewers): publish reception days and slots
  congress.manage_channels      cadres: outcomes of receptions and their tracked items;
                                hearings, the answer to each comment, closing
Members of the unit's subtree book slots and comment on hearings without a code: being a
member of the unit is the rule.

Bodies between sessions (专门小组, 代表述职, 基层职工监督员)
------------------------------------------------------------
  congress.manage_bodies        cadres (the congress office): working groups, their members,
                                tasks and minutes, supervisors' appointments, answers to their
                                observations, the duty-report overview; held over the
                                congress's unit (groups) or the supervised unit
The review of proposals is ALSO granted by membership of the term's 提案 working group
(queries.bodies.may_review_proposals, the one place that decides it). Representatives file
their duty reports, constituents rate them and supervisors file observations without a code:
the representative record, the electoral unit and the appointment are the rule.
"""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core import attachments
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

register(
    "congress.view_term",
    roles=[Role.CADRE, Role.VIEWER],
    description="查看职代会届次、会议、代表名单、代表构成与表决结果（本组织及下级）",
)
register(
    "congress.manage_term",
    roles=[Role.CADRE],
    description="设立届次、安排会议、维护职工代表名单（本组织及下级）",
)
register(
    "congress.run_session",
    roles=[Role.CADRE],
    description="主持会议：签到台扫码、点名、开会闭会、议程表决（本组织及下级）",
)
register(
    "congress.manage_election",
    roles=[Role.CADRE],
    description="组织选举单位的职工代表选举：提名候选人、开始和结束投票（本组织及下级）",
)
register(
    "congress.attend_session",
    roles=[Role.REPRESENTATIVE],
    description="职工代表：我的会议、签到二维码、会议表决（仅限本人的代表资格）",
)


def _menu() -> None:
    """Menu entries of the congress pages, each guarded by one of the codes above."""
    from django.utils.translation import gettext_lazy as _

    from zhijia.core.navigation import NavItem, add

    section = _("职代会")
    add(NavItem(section, _("我的职代会"), "congress:my-sessions", "congress.attend_session", 400))
    add(NavItem(section, _("职代会"), "congress:term-list", "congress.view_term", 410))
    add(NavItem(section, _("代表选举"), "congress:election-list", None, 420))


_menu()


SUBMIT_PROPOSAL = "congress.submit_proposal"
VIEW_PROPOSAL = "congress.view_proposal"
REVIEW_PROPOSAL = "congress.review_proposal"
SUPERVISE_PROPOSAL = "congress.supervise_proposal"
ANSWER_PROPOSAL = "congress.answer_proposal"
MANAGE_INSPECTION = "congress.manage_inspection"
VIEW_INSPECTION = "congress.view_inspection"
RECTIFY_INSPECTION = "congress.rectify_inspection"
MANAGE_FOLLOWUP = "congress.manage_followup"
VIEW_FOLLOWUP = "congress.view_followup"
VIEW_TERM = "congress.view_term"
REPORT_FOLLOWUP = "congress.report_followup"
PUBLISH_RECEPTION = "congress.publish_reception"
MANAGE_CHANNELS = "congress.manage_channels"
MANAGE_BODIES = "congress.manage_bodies"

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
register(
    MANAGE_FOLLOWUP,
    roles=[Role.CADRE],
    description="决议落实跟踪：落实方案、节点、跟踪报告、向下次会议的报告及公开",
)
register(
    VIEW_FOLLOWUP,
    roles=[Role.CADRE, Role.VIEWER],
    description="查看职代会决议和提案的落实情况",
)
register(
    REPORT_FOLLOWUP,
    roles=[Role.HANDLER],
    description="报告本部门负责落实的决议和提案的进展，完成落实节点",
    tree="department",
)

register(
    PUBLISH_RECEPTION,
    roles=[Role.CADRE, Role.VIEWER],
    description="领导接待日：发布接待日和接待时段（本组织及下级）",
)
register(
    MANAGE_CHANNELS,
    roles=[Role.CADRE],
    description="民主参与渠道：接待结果与跟踪事项，职工代表听证及意见答复（本组织及下级）",
)
register(
    MANAGE_BODIES,
    roles=[Role.CADRE],
    description="职代会工作机构：专门小组、代表述职、基层职工监督员的任命和监督意见的答复",
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
add(NavItem(_SECTION, _("决议落实"), "congress:followup-list", VIEW_FOLLOWUP, order=450))
add(NavItem(_SECTION, _("决议落实"), "congress:followup-list", SUBMIT_PROPOSAL, order=451))
add(NavItem(_SECTION, _("落实任务"), "congress:followup-list", REPORT_FOLLOWUP, order=452))
# Participation channels: every member reaches the reception days and hearings of her unit.
add(NavItem(_SECTION, _("领导接待日"), "congress:reception-list", None, order=460))
add(NavItem(_SECTION, _("我的预约"), "congress:reception-mine", None, order=461))
add(NavItem(_SECTION, _("接待跟踪事项"), "congress:reception-items", MANAGE_CHANNELS, order=462))
add(NavItem(_SECTION, _("职工代表听证"), "congress:hearing-list", None, order=465))
add(NavItem(_SECTION, _("议事协商会议"), "congress:meeting-list", MANAGE_CHANNELS, order=466))
add(NavItem(_SECTION, _("职工代表列席"), "congress:sitin-list", MANAGE_CHANNELS, order=467))
add(NavItem(_SECTION, _("专门小组与述职"), "congress:bodies-home", VIEW_TERM, order=460))
add(NavItem(_SECTION, _("代表履职"), "congress:bodies-mine", None, order=461))


def _proposal_attachment_access(user, owner_id):
    # Whoever may see the proposal may download its attachments (imported late: queries
    # import this module).
    from zhijia.congress.queries.proposals import access_proposal

    return access_proposal(user, owner_id)


attachments.register_owner("congress.proposal", _proposal_attachment_access)


def _hearing_attachment_access(user, owner_id):
    from zhijia.congress.queries.channels import access_hearing

    return access_hearing(user, owner_id)


attachments.register_owner("congress.hearing", _hearing_attachment_access)


def _duty_report_attachment_access(user, owner_id):
    # Whoever may read the duty report (the office, the representative, her constituents).
    from zhijia.congress.queries.bodies import access_report

    return access_report(user, owner_id)


attachments.register_owner("congress.dutyreport", _duty_report_attachment_access)
