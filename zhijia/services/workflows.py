"""The declared workflows of module services.

An activity (`services.activity`):

    draft ──publish──▶ published ──close──▶ closed ──finish──▶ finished
      │                    │  └──────────finish──────────────────▲
      └──────cancel────────┴──────cancel──▶ cancelled ◀──cancel── closed

* every step is the cadres' holding services.manage_activities over the organising unit (its
  unit or a unit above it);
* close: by hand, by the draw (a draw activity closes when its places are drawn), or by the
  sweep when the registration window has passed (the system);
* finish: once the activity has ended, by hand or by the sweep; attendees may then rate it;
* cancel: anything not over yet, with a reason; everyone registered or waiting is told.
Registrations, the waiting list and check-in are rows of their own (ActivityRegistration),
locked under the activity's row, not workflow records. Hooks are dotted paths: this file
imports no actions module.

Volunteer projects (`services.volunteer_project`):

    draft ──publish──▶ recruiting ──finish──▶ finished
      └──────cancel──────┴──cancel──▶ cancelled

Donation drives (`services.donation_drive`): open ──close──▶ closed.

Every step is taken by a cadre holding services.manage_volunteering over the record's unit;
a project's leader may also publish and finish their project. No deadlines: a project runs
as long as its shifts do. Hooks are dotted paths: this file imports no actions module.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.permissions import has_perm
from zhijia.core.workflow import Escalation, Transition, Workflow
from zhijia.services.permissions import (
    CERTIFY_SUGGESTION_BENEFIT,
    MANAGE_ACTIVITIES,
    MANAGE_COMPETITIONS,
    MANAGE_SUGGESTIONS,
    MANAGE_VOLUNTEERING,
    REVIEW_SUGGESTION,
)

_ACTIONS = "zhijia.services.actions.activities"

ACTIVITY = Workflow(
    name="services.activity",
    model="services.Activity",
    states={
        "draft": _("草稿"),
        "published": _("报名中"),
        "closed": _("报名截止"),
        "finished": _("已结束"),
        "cancelled": _("已取消"),
    },
    initial="draft",
    transitions=[
        Transition(
            "publish",
            source=["draft"],
            target="published",
            permission=MANAGE_ACTIVITIES,
            label=_("发布"),
            action=f"{_ACTIONS}.do_publish_activity",
        ),
        Transition(
            "close",
            source=["published"],
            target="closed",
            permission=MANAGE_ACTIVITIES,
            label=_("截止报名"),
            action=f"{_ACTIONS}.do_close_activity_registration",
        ),
        Transition(
            "finish",
            source=["published", "closed"],
            target="finished",
            permission=MANAGE_ACTIVITIES,
            label=_("结束活动"),
            action=f"{_ACTIONS}.do_finish_activity",
        ),
        Transition(
            "cancel",
            source=["draft", "published", "closed"],
            target="cancelled",
            permission=MANAGE_ACTIVITIES,
            label=_("取消活动"),
            action=f"{_ACTIONS}.do_cancel_activity",
            form="zhijia.services.forms.activities.CancelActivityForm",
        ),
    ],
)

# The states a member sees (drafts are the organisers').
SHOWN = ("published", "closed", "finished", "cancelled")
# The states whose registrations may still change (offers, cancellations, check-in).
RUNNING = ("published", "closed")


# --- volunteering ------------------------------------------------------------------------------


def is_leader(project, user) -> bool:
    return project.leader_id is not None and project.leader_id == user.pk


def has_shift(project, ctx):
    return None if project.shifts.exists() else _("请先添加至少一个班次")


def needs_reason(record, ctx):
    return None if ctx.note.strip() else _("请填写理由")


VOLUNTEER_PROJECT = Workflow(
    name="services.volunteer_project",
    model="services.VolunteerProject",
    states={
        "draft": _("草稿"),
        "recruiting": _("招募中"),
        "finished": _("已结束"),
        "cancelled": _("已取消"),
    },
    initial="draft",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "publish",
            source=["draft"],
            target="recruiting",
            permission=MANAGE_VOLUNTEERING,
            actor_rule=is_leader,
            guards=[has_shift],
            deadline_workdays=None,
            label=_("发布招募"),
            action="zhijia.services.actions.volunteering.do_publish_volunteer_project",
        ),
        Transition(
            "finish",
            source=["recruiting"],
            target="finished",
            permission=MANAGE_VOLUNTEERING,
            actor_rule=is_leader,
            deadline_workdays=None,
            label=_("结束项目"),
            action="zhijia.services.actions.volunteering.do_finish_volunteer_project",
        ),
        Transition(
            "cancel",
            source=["draft", "recruiting"],
            target="cancelled",
            permission=MANAGE_VOLUNTEERING,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("取消项目"),
            action="zhijia.services.actions.volunteering.do_cancel_volunteer_project",
        ),
    ],
)

DONATION_DRIVE = Workflow(
    name="services.donation_drive",
    model="services.DonationDrive",
    states={"open": _("进行中"), "closed": _("已结束")},
    initial="open",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "close",
            source=["open"],
            target="closed",
            permission=MANAGE_VOLUNTEERING,
            deadline_workdays=None,
            label=_("结束活动"),
            action="zhijia.services.actions.volunteering.do_close_donation_drive",
        ),
    ],
)


# --- learning ----------------------------------------------------------------------------------
#
# A course (`services.learning_course`):  draft ──publish──▶ published ──close──▶ closed
# Every step is the cadres' holding services.manage_learning over the course's unit. Publishing
# needs a session for a classroom course and, for a course with a test, a bank of at least as
# many questions as each attempt draws. Closing ends enrolment and new attempts; what was
# credited stays.

from zhijia.services.permissions import MANAGE_LEARNING  # noqa: E402


def learning_ready(course, ctx):
    if course.kind == "classroom" and not course.sessions.exists():
        return _("课堂培训请先添加至少一个课堂")
    if course.test_questions and course.questions.count() < course.test_questions:
        return _("题库的题目少于每次抽题数，请先导入题目")
    return None


LEARNING_COURSE = Workflow(
    name="services.learning_course",
    model="services.LearningCourse",
    states={"draft": _("草稿"), "published": _("报名学习中"), "closed": _("已结束")},
    initial="draft",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "publish",
            source=["draft"],
            target="published",
            permission=MANAGE_LEARNING,
            guards=[learning_ready],
            deadline_workdays=None,
            label=_("发布课程"),
            action="zhijia.services.actions.learning.do_publish_learning_course",
        ),
        Transition(
            "close",
            source=["published"],
            target="closed",
            permission=MANAGE_LEARNING,
            deadline_workdays=None,
            label=_("结束课程"),
            action="zhijia.services.actions.learning.do_close_learning_course",
        ),
    ],
)
# --- suggestions (合理化建议) ---------------------------------------------------------------------
#
# A suggestion (`services.suggestion`):
#
#   submitted ──review──▶ scoring ──adopt──▶ adopted ──implement──▶ implemented
#       │                    │                                          │ certify
#       └──reject──▶ rejected ◀──reject──┘                 closed ◀──reward── certified
#
# * review: the handlers of the department concerned (services.review_suggestion over it),
#   within 5 working days; the cadres (services.manage_suggestions over the suggestion's unit)
#   are told when the review is late (escalation);
# * the cadres appoint experts while scoring (an action of its own, no transition); adopt
#   needs a score (at least one expert has marked every criterion);
# * reject: the cadres, or while in review the department's handlers; never without a reason;
# * implement: the cadres or the department's handlers, once every milestone is done;
# * certify: a handler holding services.certify_suggestion_benefit over the finance
#   department the adopting cadre chose (an actor rule: it is not the department concerned);
# * reward: the cadres; the tier follows from the certified benefit and the score.
#
# An implementation milestone (`services.suggestion_milestone`): open ──complete──▶ done, due
# `workdays` working days after it is set; once overdue the sweep escalates it (the cadres and
# the department's handlers are told) and gives it 2 more working days before the next time.

_SUGGESTION_ACTIONS = "zhijia.services.actions.suggestions"
SUGGESTION_REVIEW_WORKDAYS = 5
MILESTONE_GRACE_WORKDAYS = 2


def is_department_reviewer(suggestion, user) -> bool:
    return has_perm(user, REVIEW_SUGGESTION, department=suggestion.department)


def is_reviewer_in_review(suggestion, user) -> bool:
    return suggestion.in_state("submitted") and is_department_reviewer(suggestion, user)


def is_finance_certifier(suggestion, user) -> bool:
    department = suggestion.finance_department
    return department is not None and has_perm(
        user, CERTIFY_SUGGESTION_BENEFIT, department=department
    )


def is_milestone_reviewer(milestone, user) -> bool:
    return is_department_reviewer(milestone.suggestion, user)


def needs_suggestion_reason(record, ctx):
    return None if ctx.note.strip() else _("请填写不予采纳的理由")


def has_score(record, ctx):
    return None if record.score is not None else _("尚无专家完成评分，不能采纳")


def milestones_done(record, ctx):
    if record.milestones.exclude(state=SUGGESTION_MILESTONE.states.done).exists():
        return _("还有未完成的实施节点")
    return None


def _milestone_workdays(milestone) -> int:
    return milestone.workdays


SUGGESTION = Workflow(
    name="services.suggestion",
    model="services.Suggestion",
    states={
        "submitted": _("部门审查中"),
        "scoring": _("专家评审中"),
        "adopted": _("已采纳"),
        "implemented": _("已实施"),
        "certified": _("效益已认定"),
        "closed": _("已办结"),
        "rejected": _("未采纳"),
    },
    initial="submitted",
    initial_deadline_workdays=SUGGESTION_REVIEW_WORKDAYS,
    transitions=[
        Transition(
            "review",
            source=["submitted"],
            target="scoring",
            permission=REVIEW_SUGGESTION,
            deadline_workdays=None,
            label=_("提交专家评审"),
            action=f"{_SUGGESTION_ACTIONS}.do_review_suggestion",
            form="zhijia.services.forms.suggestions.NoteForm",
            schema="zhijia.services.api.suggestions.SuggestionNoteIn",
        ),
        Transition(
            "reject",
            source=["submitted", "scoring"],
            target="rejected",
            permission=MANAGE_SUGGESTIONS,
            actor_rule=is_reviewer_in_review,
            guards=[needs_suggestion_reason],
            deadline_workdays=None,
            label=_("不予采纳"),
            action=f"{_SUGGESTION_ACTIONS}.do_reject_suggestion",
            form="zhijia.services.forms.suggestions.ReasonForm",
            schema="zhijia.services.api.suggestions.SuggestionReasonIn",
        ),
        Transition(
            "adopt",
            source=["scoring"],
            target="adopted",
            permission=MANAGE_SUGGESTIONS,
            guards=[has_score],
            deadline_workdays=None,
            label=_("采纳"),
            action=f"{_SUGGESTION_ACTIONS}.do_adopt_suggestion",
            form="zhijia.services.forms.suggestions.AdoptForm",
            schema="zhijia.services.api.suggestions.SuggestionAdoptIn",
        ),
        Transition(
            "implement",
            source=["adopted"],
            target="implemented",
            permission=MANAGE_SUGGESTIONS,
            actor_rule=is_department_reviewer,
            guards=[milestones_done],
            deadline_workdays=None,
            label=_("确认实施完成"),
            action=f"{_SUGGESTION_ACTIONS}.do_implement_suggestion",
            form="zhijia.services.forms.suggestions.NoteForm",
            schema="zhijia.services.api.suggestions.SuggestionNoteIn",
        ),
        Transition(
            "certify",
            source=["implemented"],
            target="certified",
            actor_rule=is_finance_certifier,
            deadline_workdays=None,
            label=_("认定经济效益"),
            action=f"{_SUGGESTION_ACTIONS}.do_certify_suggestion_benefit",
            form="zhijia.services.forms.suggestions.CertifyForm",
            schema="zhijia.services.api.suggestions.SuggestionCertifyIn",
        ),
        Transition(
            "reward",
            source=["certified"],
            target="closed",
            permission=MANAGE_SUGGESTIONS,
            deadline_workdays=None,
            label=_("发放奖励并办结"),
            action=f"{_SUGGESTION_ACTIONS}.do_reward_suggestion",
            form="zhijia.services.forms.suggestions.NoteForm",
            schema="zhijia.services.api.suggestions.SuggestionNoteIn",
        ),
    ],
    escalation=Escalation(
        extend_workdays=3, max_level=2, effect=f"{_SUGGESTION_ACTIONS}.escalate_suggestion"
    ),
)

SUGGESTION_MILESTONE = Workflow(
    name="services.suggestion_milestone",
    model="services.SuggestionMilestone",
    states={"open": _("进行中"), "done": _("已完成")},
    initial="open",
    initial_deadline_workdays=_milestone_workdays,
    transitions=[
        Transition(
            "complete",
            source=["open"],
            target="done",
            permission=MANAGE_SUGGESTIONS,
            actor_rule=is_milestone_reviewer,
            deadline_workdays=None,
            label=_("完成"),
            action=f"{_SUGGESTION_ACTIONS}.do_complete_suggestion_milestone",
        ),
    ],
    escalation=Escalation(
        extend_workdays=MILESTONE_GRACE_WORKDAYS,
        max_level=5,
        effect=f"{_SUGGESTION_ACTIONS}.escalate_milestone",
    ),
)

# States a suggestion is decided in, adopted in, implemented in (the yearly figures).
ADOPTED_STATES = ("adopted", "implemented", "certified", "closed")
IMPLEMENTED_STATES = ("implemented", "certified", "closed")
RATABLE_STATES = ("closed", "rejected")


# --- competitions --------------------------------------------------------------------------------
#
# A competition (`services.competition`):
#
#     draft ──open──▶ registration ──begin──▶ running ──publish──▶ publicity ──finalise──▶ final
#       └──────cancel──────┴───────cancel───────┘
#
# * every step is the organisers' (services.manage_competitions over the organising unit);
# * open: needs scoring items whose weights add up to 100 and at least one stage;
# * begin: registration closes; needs an entry; the first stage may then open for scoring;
# * publish: every stage closed; the final stage's ranking is shown to the audience for the
#   公示 period (publicity_workdays working days, zhijia.core.workdays);
# * finalise: the period is over and every objection answered; the awards are written;
# * cancel: with a reason, before the results are published.
#
# A stage (`services.competition_stage`): pending ──open──▶ scoring ──close──▶ closed; by the
# organisers, while the competition is running; stages are taken in order (one scoring at a
# time); closing aggregates the scores, ranks the entries and lets the advancing ones into the
# next stage.

_COMP = "zhijia.services.actions.competitions"


def _stage_running(stage, ctx):
    return None if stage.competition.in_state("running") else _("竞赛不在比赛阶段")


COMPETITION = Workflow(
    name="services.competition",
    model="services.Competition",
    states={
        "draft": _("草稿"),
        "registration": _("报名中"),
        "running": _("比赛中"),
        "publicity": _("结果公示中"),
        "final": _("已结束"),
        "cancelled": _("已取消"),
    },
    initial="draft",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "open",
            source=["draft"],
            target="registration",
            permission=MANAGE_COMPETITIONS,
            deadline_workdays=None,
            label=_("开放报名"),
            action=f"{_COMP}.do_open_competition",
        ),
        Transition(
            "begin",
            source=["registration"],
            target="running",
            permission=MANAGE_COMPETITIONS,
            deadline_workdays=None,
            label=_("截止报名，开始比赛"),
            action=f"{_COMP}.do_start_competition",
        ),
        Transition(
            "publish",
            source=["running"],
            target="publicity",
            permission=MANAGE_COMPETITIONS,
            deadline_workdays=None,
            label=_("发布结果并公示"),
            action=f"{_COMP}.do_publish_competition",
        ),
        Transition(
            "finalise",
            source=["publicity"],
            target="final",
            permission=MANAGE_COMPETITIONS,
            deadline_workdays=None,
            label=_("确认结果并颁奖"),
            action=f"{_COMP}.do_finalise_competition",
        ),
        Transition(
            "cancel",
            source=["draft", "registration", "running"],
            target="cancelled",
            permission=MANAGE_COMPETITIONS,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("取消竞赛"),
            action=f"{_COMP}.do_cancel_competition",
        ),
    ],
)


# --- honours -------------------------------------------------------------------------------------
#
# An honour (`services.honour`): active ──revoke──▶ revoked (with a reason; the row and its
# history stay, the worker's pages no longer show it).
#
# A "五型"班组 assessment (`services.honour_assessment`):
#
#     draft ──submit──▶ submitted ──pass──▶ passed
#                           └──────fail──▶ failed
#
# submit: the team's self-assessment is complete; pass / fail: fired by the review action
# (zhijia.services.actions.honours.do_review_honour_assessment), which computes the reviewed
# score against the pass mark and takes the one the score decides. Every step is the cadres'
# holding services.manage_honours over the record's unit.

from zhijia.services.permissions import MANAGE_HONOURS  # noqa: E402

_HONOURS = "zhijia.services.actions.honours"

HONOUR = Workflow(
    name="services.honour",
    model="services.Honour",
    states={"active": _("有效"), "revoked": _("已撤销")},
    initial="active",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "revoke",
            source=["active"],
            target="revoked",
            permission=MANAGE_HONOURS,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("撤销荣誉"),
            action=f"{_HONOURS}.do_revoke_honour",
        ),
    ],
)

COMPETITION_STAGE = Workflow(
    name="services.competition_stage",
    model="services.CompetitionStage",
    states={"pending": _("未开始"), "scoring": _("评分中"), "closed": _("已结束")},
    initial="pending",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "open",
            source=["pending"],
            target="scoring",
            permission=MANAGE_COMPETITIONS,
            guards=[_stage_running],
            deadline_workdays=None,
            label=_("开始评分"),
            action=f"{_COMP}.do_open_competition_stage",
        ),
        Transition(
            "close",
            source=["scoring"],
            target="closed",
            permission=MANAGE_COMPETITIONS,
            deadline_workdays=None,
            label=_("结束评分并排名"),
            action=f"{_COMP}.do_close_competition_stage",
        ),
    ],
)

# The states a member of the audience sees (drafts are the organisers').
COMPETITION_SHOWN = ("registration", "running", "publicity", "final")


HONOUR_ASSESSMENT = Workflow(
    name="services.honour_assessment",
    model="services.HonourAssessment",
    states={
        "draft": _("自评中"),
        "submitted": _("待评审"),
        "passed": _("达标"),
        "failed": _("未达标"),
    },
    initial="draft",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "submit",
            source=["draft"],
            target="submitted",
            permission=MANAGE_HONOURS,
            deadline_workdays=None,
            label=_("提交自评"),
            action="zhijia.services.actions.honours_teams.do_submit_honour_assessment",
        ),
        Transition(
            "pass",
            source=["submitted"],
            target="passed",
            permission=MANAGE_HONOURS,
            deadline_workdays=None,
            label=_("评审达标"),
        ),
        Transition(
            "fail",
            source=["submitted"],
            target="failed",
            permission=MANAGE_HONOURS,
            deadline_workdays=None,
            label=_("评审未达标"),
        ),
    ],
)
