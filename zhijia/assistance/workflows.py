"""The application workflow (帮扶申请):

    submitted --review (branch, with a home-visit record)--> reviewed
    reviewed  --publish (public notice, N working days)-----> notice
    notice    --approve (union committee; notice over, no open objection)--> approved
    approved  --pay (the approval of a payment run)---------> paid
    paid      --reverse_payment (a counter-entry of the payment) --> approved
    submitted/reviewed --decline (branch)--> rejected;  notice --reject (committee)--> rejected
    submitted/reviewed --withdraw (the applicant)--> withdrawn

Found by zhijia.core.workflow.autodiscover(). The actions in actions/applications.py fire these
transitions (each declared by dotted path with its page form and API schema: the pages run them
through core.views_workflow.transition_step, the API through core.api_workflow.add_step_routes);
`pay` and `reverse_payment` are fired only by the ledger actions (system=True).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from zhijia.assistance import permissions as perms
from zhijia.assistance.queries.common import holds_at_committee
from zhijia.core.workflow import HistoryRule, Transition, Workflow

REVIEW_WORKDAYS = 10  # the branch reviews within two working weeks


def is_applicant(application, user) -> bool:
    return application.member.user_id is not None and application.member.user_id == user.pk


def committee_approver(application, user) -> bool:
    return holds_at_committee(user, perms.APPROVE_APPLICATION, application.org_unit)


def has_home_visit(application, ctx):
    if application.visits.filter(status="done").exists():
        return None
    return _gettext("初审须附入户核查记录")


def needs_reason(application, ctx):
    return None if ctx.note.strip() else _gettext("请填写理由")


def has_notice_window(application, ctx):
    if application.notice_starts_at and application.notice_ends_at and application.notice_unit_id:
        return None
    return _gettext("请先确定公示范围和公示期")


def notice_period_over(application, ctx):
    end = application.notice_ends_at
    if end is None or timezone.now() <= end:
        local_end = timezone.localtime(end) if end else None
        when = date_format(local_end, "DATETIME_FORMAT") if local_end else "—"
        return _gettext("公示期未满（至 %(end)s 止），不能审批") % {"end": when}
    return None


def no_open_objection(application, ctx):
    n = application.objections.filter(status="open").count()
    if n:
        return _gettext("尚有 %(n)d 条公示异议未处理，不能审批") % {"n": n}
    return None


def no_upheld_objection(application, ctx):
    if application.objections.filter(resolution="upheld").exists():
        return _gettext("公示异议已认定成立，不能审批通过")
    return None


def within_cap(application, ctx):
    cap = application.campaign.amount_cap
    if cap is not None and application.amount > cap:
        return _gettext("金额超过本活动单笔上限 ¥%(cap)s") % {"cap": cap}
    return None


def eligible_category(application, ctx):
    allowed = application.campaign.eligible_categories
    if allowed and application.category not in allowed:
        return _gettext("困难类别不符合本活动的条件")
    return None


APPLICATION = Workflow(
    name="assistance.application",
    model="assistance.Application",
    states={
        "submitted": _("待初审"),
        "reviewed": _("初审通过"),
        "notice": _("公示中"),
        "approved": _("已审批"),
        "paid": _("已发放"),
        "rejected": _("未通过"),
        "withdrawn": _("已撤回"),
    },
    initial="submitted",
    initial_deadline_workdays=REVIEW_WORKDAYS,
    transitions=[
        Transition(
            "review",
            source=["submitted"],
            target="reviewed",
            permission=perms.REVIEW_APPLICATION,
            guards=[has_home_visit, eligible_category, within_cap],
            deadline_workdays=5,
            label=_("初审通过"),
            action="zhijia.assistance.actions.applications.do_review_application",
            schema="zhijia.assistance.api.applications.ApplicationReviewIn",
            form="zhijia.assistance.forms.applications.ReviewForm",
        ),
        Transition(
            "decline",
            source=["submitted", "reviewed"],
            target="rejected",
            permission=perms.REVIEW_APPLICATION,
            guards=[needs_reason],
            label=_("初审不通过"),
            action="zhijia.assistance.actions.applications.do_decline_application",
            schema="zhijia.assistance.api.applications.AssistanceReasonIn",
            form="zhijia.assistance.forms.applications.ReasonForm",
        ),
        Transition(
            "publish",
            source=["reviewed"],
            target="notice",
            permission=perms.MANAGE_NOTICE,
            guards=[has_notice_window],
            label=_("发布公示"),
            action="zhijia.assistance.actions.applications.do_publish_notice",
            schema="zhijia.assistance.api.applications.PublishIn",
            form="zhijia.assistance.forms.applications.PublishForm",
        ),
        Transition(
            "approve",
            source=["notice"],
            target="approved",
            actor_rule=committee_approver,
            guards=[
                notice_period_over,
                no_open_objection,
                no_upheld_objection,
                eligible_category,
                within_cap,
            ],
            label=_("审批通过"),
            action="zhijia.assistance.actions.applications.do_approve_application",
            schema="zhijia.assistance.api.applications.AssistanceApproveIn",
            form="zhijia.assistance.forms.applications.ApproveForm",
        ),
        Transition(
            "reject",
            source=["notice"],
            target="rejected",
            actor_rule=committee_approver,
            guards=[needs_reason],
            label=_("审批不通过"),
            action="zhijia.assistance.actions.applications.do_reject_application",
            schema="zhijia.assistance.api.applications.AssistanceReasonIn",
            form="zhijia.assistance.forms.applications.ReasonForm",
        ),
        Transition("pay", source=["approved"], target="paid", label=_("发放")),
        Transition("reverse_payment", source=["paid"], target="approved", label=_("发放冲正")),
        Transition(
            "withdraw",
            source=["submitted", "reviewed"],
            target="withdrawn",
            actor_rule=is_applicant,
            label=_("撤回申请"),
            action="zhijia.assistance.actions.applications.do_withdraw_application",
        ),
    ],
    # Cadres who see hardship files read every step; an applicant reads the steps without the
    # cadres' names (names are the cadres' business) and only the reasons of a refusal.
    history_rule=HistoryRule(
        staff_permission=perms.VIEW_HARDSHIP,
        actor_for_others="",
        others_see_own_name=False,
        notes_for_others=("decline", "reject"),
    ),
)
