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
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import Transition, Workflow
from zhijia.services.permissions import MANAGE_ACTIVITIES

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
