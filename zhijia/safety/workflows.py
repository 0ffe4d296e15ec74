"""The hazard workflow (`safety.hazard`):

    reported ──assign──▶ assigned ──begin──▶ rectifying ──fix──▶ fixed ──verify──▶ verified
       │                    │  ▲                 │  ▲              │
       └─dismiss─▶ dismissed│  └────reassign─────┘  │              └─reopen─▶ reopened ─begin/fix─┘
                            └──────────fix──────────┘

* assign / reassign (cadres holding safety.manage_hazard over the hazard's unit) name the owner,
  an enterprise department or a cadre, and give a deadline of the working days chosen
  (ZHIJIA_HAZARD_RECTIFY_WORKDAYS by default); reported hazards must be assigned within
  ZHIJIA_HAZARD_ASSIGN_WORKDAYS;
* begin / fix: the owner (the department's handlers, or the named cadre); fix needs the result
  and leaves ZHIJIA_HAZARD_VERIFY_WORKDAYS for verification;
* verify / reopen: the reporter or an active mass safety supervisor of the unit, never the
  person who reported the fix; reopen needs a reason and gives the owner the same working
  days again;
* overdue: the sweep raises the level (twice at most), gives 3 more working days and tells the
  owner and the unit's cadres (actions.notify_escalation, the escalation's effect, queued in
  its transaction); one working day before a deadline the owner is reminded
  (actions.notify_reminder). Hooks are dotted paths: this file imports no actions module.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import KEEP, Escalation, Transition, Workflow
from zhijia.safety.permissions import MANAGE_HAZARD, RECTIFY_HAZARD


def assign_workdays() -> int:
    return settings.ZHIJIA_HAZARD_ASSIGN_WORKDAYS


def rectify_workdays() -> int:
    return settings.ZHIJIA_HAZARD_RECTIFY_WORKDAYS


def verify_workdays() -> int:
    return settings.ZHIJIA_HAZARD_VERIFY_WORKDAYS


# --- actor rules and guards -----------------------------------------------------------------------


def is_owner_user(hazard, user) -> bool:
    return hazard.owner_user_id is not None and hazard.owner_user_id == user.pk


def may_verify(hazard, user) -> bool:
    from zhijia.safety.queries import is_supervisor_of

    return hazard.reporter_id == user.pk or is_supervisor_of(user, hazard.org_unit)


def has_owner(hazard, ctx):
    if bool(hazard.owner_department_id) == bool(hazard.owner_user_id):
        return _("请指定整改责任部门或责任人（二选一）")
    return None


def needs_reason(hazard, ctx):
    return None if ctx.note.strip() else _("请填写理由")


def has_result(hazard, ctx):
    return None if (hazard.result or "").strip() else _("请填写整改结果")


def not_the_fixer(hazard, ctx):
    if hazard.fixed_by_id is not None and hazard.fixed_by_id == ctx.actor.pk:
        return _("整改人不能验收自己的整改")
    return None


def _rectify_days(hazard) -> int:
    return int(hazard.rectify_workdays or rectify_workdays())


HAZARD = Workflow(
    name="safety.hazard",
    model="safety.HazardReport",
    states={
        "reported": _("待分派"),
        "assigned": _("待整改"),
        "rectifying": _("整改中"),
        "fixed": _("待验收"),
        "verified": _("已验收"),
        "reopened": _("验收未通过"),
        "dismissed": _("不予立项"),
    },
    initial="reported",
    initial_deadline_workdays=lambda hazard: assign_workdays(),
    transitions=[
        Transition(
            "assign",
            source=["reported"],
            target="assigned",
            permission=MANAGE_HAZARD,
            guards=[has_owner],
            deadline_workdays=_rectify_days,
            label=_("分派整改"),
            action="zhijia.safety.actions.do_assign_hazard",
        ),
        Transition(
            "reassign",
            source=["assigned", "rectifying", "reopened"],
            target="assigned",
            permission=MANAGE_HAZARD,
            guards=[has_owner, needs_reason],
            deadline_workdays=_rectify_days,
            label=_("改派"),
            action="zhijia.safety.actions.do_reassign_hazard",
        ),
        Transition(
            "dismiss",
            source=["reported"],
            target="dismissed",
            permission=MANAGE_HAZARD,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("不予立项"),
            action="zhijia.safety.actions.do_dismiss_hazard",
        ),
        Transition(
            "begin",
            source=["assigned", "reopened"],
            target="rectifying",
            permission=RECTIFY_HAZARD,
            actor_rule=is_owner_user,
            deadline_workdays=KEEP,
            label=_("开始整改"),
            action="zhijia.safety.actions.do_start_rectification",
        ),
        Transition(
            "fix",
            source=["assigned", "rectifying", "reopened"],
            target="fixed",
            permission=RECTIFY_HAZARD,
            actor_rule=is_owner_user,
            guards=[has_result],
            deadline_workdays=lambda hazard: verify_workdays(),
            label=_("整改完成"),
            action="zhijia.safety.actions.do_fix_hazard",
        ),
        Transition(
            "verify",
            source=["fixed"],
            target="verified",
            actor_rule=may_verify,
            guards=[not_the_fixer],
            deadline_workdays=None,
            label=_("验收通过"),
            action="zhijia.safety.actions.do_verify_hazard",
        ),
        Transition(
            "reopen",
            source=["fixed"],
            target="reopened",
            actor_rule=may_verify,
            guards=[not_the_fixer, needs_reason],
            deadline_workdays=_rectify_days,
            label=_("验收不通过"),
            action="zhijia.safety.actions.do_reopen_hazard",
        ),
    ],
    escalation=Escalation(
        extend_workdays=3, max_level=2, effect="zhijia.safety.actions.notify_escalation"
    ),
    on_reminder="zhijia.safety.actions.notify_reminder",
    remind_within_workdays=1,
)

OPEN_STATES = ("reported", "assigned", "rectifying", "reopened", "fixed")
RECTIFYING_STATES = ("assigned", "rectifying", "reopened")
