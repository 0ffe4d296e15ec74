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

from zhijia.core.workflow import Transition, Workflow
from zhijia.services.permissions import MANAGE_ACTIVITIES, MANAGE_VOLUNTEERING

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
