"""The kernel's own workflow: the follow-up of a low satisfaction rating (`core.rating_follow_up`).

    open ──complete──▶ done

* complete: a cadre holding core.follow_up_rating over the rating worker's unit writes what the
  call-back found (required); the deadline is ZHIJIA_FOLLOW_UP_WORKDAYS working days from the
  rating;
* overdue: the sweep raises the level (twice at most), gives 3 more working days and tells the
  cadres of the level above (satisfaction_index.notify_overdue, the escalation's effect).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import Escalation, Transition, Workflow


def _workdays(record) -> int:
    from zhijia.core.satisfaction_index import follow_up_workdays

    return follow_up_workdays()


def has_note(follow_up, ctx):
    return None if (ctx.note or "").strip() else _("请填写回访情况")


FOLLOW_UP = Workflow(
    name="core.rating_follow_up",
    model="core.RatingFollowUp",
    states={"open": _("待回访"), "done": _("已回访")},
    initial="open",
    initial_deadline_workdays=_workdays,
    transitions=[
        Transition(
            "complete",
            source=["open"],
            target="done",
            permission="core.follow_up_rating",
            guards=[has_note],
            deadline_workdays=None,
            label=_("完成回访"),
            action="zhijia.core.satisfaction_index.do_complete_follow_up",
        ),
    ],
    escalation=Escalation(
        extend_workdays=3,
        max_level=2,
        effect="zhijia.core.satisfaction_index.notify_overdue",
    ),
)
