"""Excel outputs of module bargaining (written by zhijia.core.excel): the desk's lists of
contracts and rounds, a round's demands with the count by topic, a contract's checks. The PDF
of a contract version is rendered by core.pdf from templates/bargaining/contract_pdf.html."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.bargaining.models import ComplianceCheck, Contract, Demand, Round
from zhijia.core.excel import Column, Sheet


def contracts_sheet(contracts: Iterable[Contract]) -> Sheet:
    return Sheet(
        _("集体合同"),
        [
            Column(_("合同名称"), width=30),
            Column(_("类型")),
            Column(_("所属工会")),
            Column(_("状态")),
            Column(_("签字日期"), date=True),
            Column(_("报送期限"), date=True),
            Column(_("收到文本日期"), date=True),
            Column(_("生效日期"), date=True),
            Column(_("期满日期"), date=True),
        ],
        (
            (
                c.title,
                c.get_kind_display(),
                c.org_unit.name,
                c.state_label,
                c.signed_on,
                c.filing_due_on,
                c.bureau_received_on,
                c.effective_on,
                c.expires_on,
            )
            for c in contracts
        ),
    )


def rounds_sheet(rounds: Iterable[Round]) -> Sheet:
    return Sheet(
        _("协商轮次"),
        [
            Column(_("名称"), width=30),
            Column(_("所属工会")),
            Column(_("状态")),
            Column(_("对方收到日期"), date=True),
            Column(_("书面回应期限"), date=True),
            Column(_("回应日期"), date=True),
        ],
        (
            (
                r.title,
                r.org_unit.name,
                r.state_label,
                r.request_received_on,
                r.answer_due_on,
                r.answered_on,
            )
            for r in rounds
        ),
    )


def demand_sheets(round_: Round, demands: Iterable[Demand], summary) -> list[Sheet]:
    return [
        Sheet(
            _("职工意见"),
            [Column(_("议题")), Column(_("意见建议"), width=60), Column(_("提交时间"))],
            (
                (
                    d.get_topic_display(),
                    d.text,
                    timezone.localtime(d.submitted_at).strftime("%Y-%m-%d %H:%M"),
                )
                for d in demands
            ),
            heading=[(round_.title,)],
        ),
        Sheet(
            _("按议题汇总"),
            [Column(_("议题")), Column(_("条数"))],
            [(label, n) for _topic, label, n in summary],
        ),
    ]


def checks_sheet(contract: Contract, checks: Iterable[ComplianceCheck]) -> Sheet:
    return Sheet(
        _("履约检查"),
        [
            Column(_("条款")),
            Column(_("检查日期"), date=True),
            Column(_("检查责任人")),
            Column(_("结果")),
            Column(_("检查情况"), width=50),
            Column(_("转为诉求")),
        ],
        (
            (
                str(c.clause),
                c.due_on,
                c.responsible,
                c.get_result_display(),
                c.finding,
                _("是") if c.grievance_id else "",
            )
            for c in checks
        ),
        heading=[(contract.title,)],
    )
