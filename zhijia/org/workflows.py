"""The online joining workflow (`org.join`, 网上入会):

    submitted ──approve──▶ approved
        └──────refuse───▶ refused

* submitted: the worker's application waits for the branch union, which reviews it within
  ZHIJIA_JOIN_REVIEW_WORKDAYS working days (10 by default); past it the application shows as
  overdue in the review queue;
* approve / refuse: holders of org.review_join over the applied unit; refusing needs a reason,
  which the applicant sees on the status page. Approval creates the member (and its account):
  zhijia.org.actions.joining.

Imports no actions (the sweep imports every workflows.py).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import Transition, Workflow

REVIEW_JOIN = "org.review_join"


def review_workdays() -> int:
    return settings.ZHIJIA_JOIN_REVIEW_WORKDAYS


def needs_reason(application, ctx):
    return None if ctx.note.strip() else _("请填写不予批准的理由")


def has_member(application, ctx):
    return None if application.member_id else _("请先建立会员档案")


JOIN = Workflow(
    name="org.join",
    model="org.JoinApplication",
    states={
        "submitted": _("待审核"),
        "approved": _("已批准入会"),
        "refused": _("未予批准"),
    },
    initial="submitted",
    initial_deadline_workdays=lambda application: review_workdays(),
    transitions=[
        Transition(
            "approve",
            source=["submitted"],
            target="approved",
            permission=REVIEW_JOIN,
            guards=[has_member],
            deadline_workdays=None,
            label=_("批准入会"),
            action="zhijia.org.actions.joining.do_approve_join_application",
            form="zhijia.org.forms.joining.ApproveForm",
            schema="zhijia.org.api.joining.JoinApproveIn",
        ),
        Transition(
            "refuse",
            source=["submitted"],
            target="refused",
            permission=REVIEW_JOIN,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("不予批准"),
            action="zhijia.org.actions.joining.do_refuse_join_application",
            form="zhijia.org.forms.joining.RefuseForm",
            schema="zhijia.org.api.joining.RefuseIn",
        ),
    ],
)
