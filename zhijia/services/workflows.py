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
from zhijia.services.permissions import (
    MANAGE_ACTIVITIES,
    MANAGE_COMPETITIONS,
    MANAGE_VOLUNTEERING,
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
