"""Permission codes of module services (see zhijia.core.permissions) and its navigation.

Counseling (心理疏导):

  services.counsel                 counselors (a global role): publish slots, see who booked
                                   their own slots, write and read their own notes, answer the
                                   anonymous questions
  services.view_counseling_counts  cadres, enterprise leaders and counselors: the numbers of the
                                   dashboard (never a name, a note or a question)

Activities (文体活动) and interest groups (兴趣小组):

  services.manage_activities       cadres: create, publish, cancel and run the activities of
                                   their unit's subtree (registrations, draw, check-in,
                                   attendance) and its interest groups

Registering for an activity and joining a group need no code: a member in the audience may.

Booking and asking need no code: any signed-in user with a member record may (queries.counseling
.is_member), as DESIGN.md gives every member the union's services. Nobody else holds anything:
the admin and the chair cannot read a slot's bookings, a note or a question.

Volunteering and donation drives (志愿服务, 捐款捐物):

  services.manage_volunteering     cadres over their unit's subtree: volunteer projects and
                                   shifts, hours entry and confirmation, the yearly hours list,
                                   donation drives, goods donations, the donations list
A money donation is booked in the assistance fund ledger: recording or confirming one also
needs the assistance module's own ledger permission over the drive's fund (checked there,
through zhijia.core.hooks.fund_ledger()). A project's leader records and confirms the hours of
their own project without the code. Members sign up, withdraw, pledge and read the projects
and drives of their audience units without any code."""

from django.utils.translation import gettext_lazy as _

from zhijia.accounts.models import Role
from zhijia.core.navigation import NavItem, add
from zhijia.core.permissions import register

COUNSEL = "services.counsel"
VIEW_COUNSELING_COUNTS = "services.view_counseling_counts"
MANAGE_ACTIVITIES = "services.manage_activities"

register(
    COUNSEL,
    roles=[Role.COUNSELOR],
    description="心理咨询师：发布咨询时段、查看本人时段的预约、撰写本人的咨询记录、回复匿名提问",
)
register(
    VIEW_COUNSELING_COUNTS,
    roles=[Role.CADRE, Role.VIEWER, Role.COUNSELOR],
    description="查看心理疏导的统计数字（不含任何个人信息与咨询内容）",
)

MANAGE_VOLUNTEERING = "services.manage_volunteering"
register(
    MANAGE_VOLUNTEERING,
    roles=[Role.CADRE],
    description="志愿服务项目、班次与时长确认，捐款捐物活动与捐赠登记",
)

_SECTION = _("心理疏导")


def _may_use_counseling(user) -> bool:
    # The page's own test (members and counselors), so no one is shown a link that answers 403.
    from zhijia.services.queries.counseling import may_use_counseling

    return may_use_counseling(user)


add(
    NavItem(
        _SECTION,
        _("心理咨询"),
        "services:counseling-home",
        None,
        order=700,
        visible=_may_use_counseling,
    )
)
add(NavItem(_SECTION, _("咨询日程"), "services:counseling-desk", COUNSEL, order=710))
add(NavItem(_SECTION, _("匿名提问回复"), "services:counseling-desk-questions", COUNSEL, order=720))

# --- surveys (问卷调查, 会前征求意见) ------------------------------------------------------
#
#   services.manage_surveys   cadres: create, edit, open, close surveys of their units' subtree,
#                             read their results (counts; the answers of named surveys), remind
#                             named surveys' non-respondents, export to Excel
#
# Answering needs no code: a member (在册) in a survey's audience units answers once.

MANAGE_SURVEYS = "services.manage_surveys"

register(
    MANAGE_SURVEYS,
    roles=[Role.CADRE],
    description="管理本组织及下级组织的问卷调查和会前征求意见：编辑、发布、结束、查看结果、提醒、导出",
)

_SURVEYS = _("问卷调查")
register(
    MANAGE_ACTIVITIES,
    roles=[Role.CADRE],
    description="管理本单位及下级单位的文体活动与兴趣小组：发布、报名名单、抽签、签到、出勤",
)

_ACTIVITIES = _("文体活动")


def _is_member(user) -> bool:
    from zhijia.services.queries.counseling import is_member

    return is_member(user)


add(NavItem(_SURVEYS, _("我的问卷"), "services:survey-mine", None, order=730, visible=_is_member))
add(NavItem(_SURVEYS, _("问卷管理"), "services:survey-list", MANAGE_SURVEYS, order=740))
add(
    NavItem(
        _ACTIVITIES, _("活动报名"), "services:activities-home", None, order=600, visible=_is_member
    )
)
add(
    NavItem(
        _ACTIVITIES, _("我的报名"), "services:activities-mine", None, order=605, visible=_is_member
    )
)
add(NavItem(_ACTIVITIES, _("兴趣小组"), "services:clubs-home", None, order=610, visible=_is_member))
add(NavItem(_ACTIVITIES, _("活动管理"), "services:activities-manage", MANAGE_ACTIVITIES, order=620))
add(NavItem(_ACTIVITIES, _("兴趣小组管理"), "services:clubs-manage", MANAGE_ACTIVITIES, order=630))

_VOLUNTEERING = _("志愿公益")

add(
    NavItem(
        _VOLUNTEERING,
        _("志愿服务与捐赠"),
        "services:volunteering-home",
        None,
        order=750,
        visible=_is_member,
    )
)
add(
    NavItem(
        _VOLUNTEERING,
        _("志愿服务管理"),
        "services:volunteering-desk",
        MANAGE_VOLUNTEERING,
        order=760,
    )
)
add(
    NavItem(
        _VOLUNTEERING,
        _("捐款捐物管理"),
        "services:volunteering-desk-drives",
        MANAGE_VOLUNTEERING,
        order=770,
    )
)

# --- learning (培训, 学习型组织) ---------------------------------------------------------------
#
#   services.manage_learning   cadres over their unit's subtree: courses (material, sessions,
#                              question banks, tests), assignment, attendance, training plans,
#                              certificates (revocation), the completion report and its Excel
#
# Enrolling, learning, taking a test and rating need no code: a member (在册) in the course's
# unit subtree may. The certificate verification page is public (its token is the key).

MANAGE_LEARNING = "services.manage_learning"
register(
    MANAGE_LEARNING,
    roles=[Role.CADRE],
    description="管理本单位及下级单位的培训：课程、课堂、题库与测试、指派、签到、培训计划、证书、完成情况",
)

_LEARNING = _("学习培训")
add(
    NavItem(_LEARNING, _("学习培训"), "services:learning-home", None, order=772, visible=_is_member)
)
add(NavItem(_LEARNING, _("培训管理"), "services:learning-desk", MANAGE_LEARNING, order=773))
add(
    NavItem(
        _LEARNING, _("培训完成情况"), "services:learning-desk-report", MANAGE_LEARNING, order=774
    )
)

# --- suggestions (合理化建议, 技术革新, "五小") ------------------------------------------------
#
#   services.manage_suggestions            cadres over their unit's subtree (the suggestion's
#                                          unit is its author's): the list and its export,
#                                          appoint experts, adopt or reject, implementation
#                                          milestones, mark implemented, reward, the unit's
#                                          criteria and tiers, the yearly figures
#   services.review_suggestion             handlers, scoped by enterprise department: the
#                                          department review of the suggestions concerning
#                                          their department (send to scoring, or reject with a
#                                          reason), and the implementation milestones
#   services.certify_suggestion_benefit    handlers, scoped by enterprise department: certify
#                                          the economic benefit of an implemented suggestion
#                                          whose finance department (chosen by the cadre who
#                                          adopts it, normally 财务部) is within their scope
#
# Submitting needs no code: any member (在册). Experts hold no code: a cadre appoints them per
# suggestion (an actor rule in workflows.py); they read and score only the suggestions they
# were appointed to. Authors and co-authors read their own suggestions and rate them.

MANAGE_SUGGESTIONS = "services.manage_suggestions"
REVIEW_SUGGESTION = "services.review_suggestion"
CERTIFY_SUGGESTION_BENEFIT = "services.certify_suggestion_benefit"

register(
    MANAGE_SUGGESTIONS,
    roles=[Role.CADRE],
    description="管理本单位及下级单位的合理化建议：指定专家、采纳或不采纳、实施节点、奖励、评分标准与奖励等级、年度统计",
)
register(
    REVIEW_SUGGESTION,
    roles=[Role.HANDLER],
    description="审查涉及本部门的合理化建议，跟踪实施节点",
    tree="department",
)
register(
    CERTIFY_SUGGESTION_BENEFIT,
    roles=[Role.HANDLER],
    description="认定合理化建议的经济效益（财务部门承办人）",
    tree="department",
)

_SUGGESTIONS = _("合理化建议")


def _may_use_suggestion_desk(user) -> bool:
    from zhijia.services.queries.suggestions import may_use_desk

    return may_use_desk(user)


# --- competitions (劳动竞赛, 技能竞赛, 岗位练兵, 技术比武, 建功立业) ------------------------------
#
#   services.manage_competitions  cadres over their unit's subtree: organise the competitions
#                                 of their units (items, stages, judges, steps, objections'
#                                 answers, exports), and register a team of their units for a
#                                 competition whose audience covers them
#
# Judges hold no code: they are appointed per competition and score its stages (their own
# scores only until a stage closes). Members of the audience register, read the published
# ranking and object during the 公示 period without any code.

MANAGE_COMPETITIONS = "services.manage_competitions"
register(
    MANAGE_COMPETITIONS,
    roles=[Role.CADRE],
    description="组织本单位及下级单位的劳动竞赛：评分项、赛程、评委、公示、异议答复、导出；为本单位报名参赛团队",
)

_COMPETITIONS = _("劳动竞赛")


def _may_judge(user) -> bool:
    from zhijia.services.queries.competitions import is_judge

    return is_judge(user)


add(
    NavItem(
        _SUGGESTIONS,
        _("我的建议"),
        "services:suggestions-home",
        None,
        order=776,
        visible=_is_member,
    )
)
add(
    NavItem(
        _SUGGESTIONS,
        _("建议办理"),
        "services:suggestions-desk",
        None,
        order=777,
        visible=_may_use_suggestion_desk,
    )
)
add(
    NavItem(
        _SUGGESTIONS,
        _("年度统计"),
        "services:suggestions-figures",
        MANAGE_SUGGESTIONS,
        order=778,
    )
)

add(
    NavItem(
        _COMPETITIONS,
        _("劳动竞赛"),
        "services:competitions-home",
        None,
        order=781,
        visible=_is_member,
    )
)
add(
    NavItem(
        _COMPETITIONS,
        _("评分台"),
        "services:competitions-judge",
        None,
        order=782,
        visible=_may_judge,
    )
)
add(
    NavItem(
        _COMPETITIONS,
        _("竞赛管理"),
        "services:competitions-desk",
        MANAGE_COMPETITIONS,
        order=783,
    )
)


# --- honours (荣誉, 劳模关爱, "五型"班组, 创新工作室) ----------------------------------------
#
#   services.manage_honours   cadres over their unit's subtree: record, edit and revoke the
#                             honours of its members and teams (and their documents), the
#                             劳模 care records and overview, the "五型"班组 assessments (the
#                             team's self-assessment entered and submitted, and the review),
#                             the innovation studios; held over the union's top unit it also
#                             configures the care items, the assessment criteria and pass mark
#
# A member reads her own honours (我的荣誉) without any code.

MANAGE_HONOURS = "services.manage_honours"
register(
    MANAGE_HONOURS,
    roles=[Role.CADRE],
    description="荣誉登记与撤销、劳模关爱、“五型”班组考核评审、创新工作室（本单位及下级单位）",
)

_HONOURS = _("荣誉")

add(NavItem(_HONOURS, _("我的荣誉"), "services:honours-mine", None, order=786, visible=_is_member))
add(NavItem(_HONOURS, _("荣誉管理"), "services:honours-desk", MANAGE_HONOURS, order=787))
add(NavItem(_HONOURS, _("劳模关爱"), "services:honours-care", MANAGE_HONOURS, order=788))
add(NavItem(_HONOURS, _("“五型”班组"), "services:honours-assessments", MANAGE_HONOURS, order=789))
add(NavItem(_HONOURS, _("创新工作室"), "services:honours-studios", MANAGE_HONOURS, order=790))
