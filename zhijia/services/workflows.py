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
