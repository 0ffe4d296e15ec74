"""The declared workflow of module notices: a notice or news item.

    draft ──publish──▶ published ──withdraw (with a reason)──▶ withdrawn

Cadres holding notices.manage_notice over the notice's unit (so the cadres above it too)
publish and withdraw. No deadlines. Hooks are dotted paths: this file imports no actions module.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core.workflow import HistoryRule, Transition, Workflow
from zhijia.notices.permissions import MANAGE_NOTICE


def has_content(notice, ctx):
    if not (notice.title or "").strip():
        return _("请填写标题")
    if not notice.audience.exists():
        return _("请选择发送范围")
    return None


def needs_reason(notice, ctx):
    return None if ctx.note.strip() else _("请填写撤回原因")


NOTICE = Workflow(
    name="notices.notice",
    model="notices.Notice",
    states={"draft": _("草稿"), "published": _("已发布"), "withdrawn": _("已撤回")},
    initial="draft",
    initial_deadline_workdays=None,
    transitions=[
        Transition(
            "publish",
            source=["draft"],
            target="published",
            permission=MANAGE_NOTICE,
            guards=[has_content],
            deadline_workdays=None,
            label=_("发布"),
            action="zhijia.notices.actions.notices.do_publish_notice",
        ),
        Transition(
            "withdraw",
            source=["published"],
            target="withdrawn",
            permission=MANAGE_NOTICE,
            guards=[needs_reason],
            deadline_workdays=None,
            label=_("撤回"),
            action="zhijia.notices.actions.notices.do_withdraw_notice",
            form="zhijia.notices.forms.notices.WithdrawForm",
            schema="zhijia.notices.api.notices.NoticeWithdrawIn",
        ),
    ],
    history_rule=HistoryRule(staff_permission=MANAGE_NOTICE, others_see_history=False),
)

EDITABLE_STATES = ("draft", "published")
