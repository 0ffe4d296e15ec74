"""Writes of compliance checks (履约检查): during the term, a measurable clause gets scheduled
checks; a result is recorded with evidence; a breach opens a grievance in module cases through
zhijia.core.hooks.grievance_opener (cases' own action: its permission, routing, numbering,
workflow and audit), inside this transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.bargaining.actions.common import text_field
from zhijia.bargaining.errors import BargainingError
from zhijia.bargaining.models import Clause, ComplianceCheck, Contract
from zhijia.bargaining.permissions import MANAGE
from zhijia.bargaining.workflows import CONTRACT
from zhijia.core import attachments
from zhijia.core.audit import record
from zhijia.core.hooks import grievance_opener
from zhijia.core.permissions import require

EVIDENCE_KINDS = {"image", "pdf", "office", "text"}
MAX_EVIDENCE = 5
# the grievance category (module cases) of a breach, by contract kind
GRIEVANCE_CATEGORY = {"wage": "wages", "safety": "safety"}


@transaction.atomic
def do_schedule_check(
    *, actor, contract: Contract, clause_number: int, due_on: dt.date, responsible: str
) -> ComplianceCheck:
    """A check of one measurable clause of the contract in force."""
    contract = Contract.objects.select_for_update().select_related("org_unit").get(pk=contract.pk)
    require(actor, MANAGE, unit=contract.org_unit)
    if not contract.in_state(CONTRACT.states.effective):
        raise BargainingError(_("只有生效的集体合同可以安排履约检查"), status=409)
    version = contract.current_version()
    clause = (
        Clause.objects.filter(version=version, number=clause_number).first() if version else None
    )
    if clause is None:
        raise BargainingError(_("合同没有这一条款"), field="clause_number")
    if not clause.measurable:
        raise BargainingError(_("这一条款没有可量化的承诺，无需检查"), field="clause_number")
    if contract.expires_on and due_on > contract.expires_on:
        raise BargainingError(_("检查日期应在合同期限内"), field="due_on")
    check = ComplianceCheck.objects.create(
        contract=contract,
        clause=clause,
        due_on=due_on,
        responsible=text_field(responsible, "responsible", _("检查责任人"), 64),
    )
    record(
        actor=actor,
        action="bargaining.schedule_check",
        target=check,
        unit=contract.org_unit,
        data={"contract": contract.pk, "clause": clause.number, "due_on": due_on.isoformat()},
    )
    return check


@transaction.atomic
def do_record_check_result(
    *, actor, check: ComplianceCheck, result: str, finding: str, uploads=()
) -> ComplianceCheck:
    """Met or breached, with what was found and the evidence. A breach opens a grievance of
    the contract's unit in module cases (through the core hook)."""
    check = (
        ComplianceCheck.objects.select_for_update()
        .select_related("contract__org_unit", "clause")
        .get(pk=check.pk)
    )
    contract = check.contract
    require(actor, MANAGE, unit=contract.org_unit)
    if check.result != ComplianceCheck.Result.PENDING:
        raise BargainingError(_("这次检查已经有结果"), status=409)
    if result not in (ComplianceCheck.Result.MET, ComplianceCheck.Result.BREACHED):
        raise BargainingError(_("请选择检查结果"), field="result")
    breached = result == ComplianceCheck.Result.BREACHED
    finding = text_field(finding, "finding", _("检查情况"), 5000, required=breached)
    uploads = list(uploads)
    if len(uploads) > MAX_EVIDENCE:
        raise BargainingError(_("最多上传 %(n)d 个附件") % {"n": MAX_EVIDENCE}, field="evidence")
    check.result = result
    check.finding = finding
    check.checked_on = timezone.localdate()
    check.checked_by = actor
    for upload in uploads:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=EVIDENCE_KINDS,
                owner=check,
                unit_path=contract.org_unit.path,
            )
        except ValidationError as exc:
            raise BargainingError(exc.messages[0], errors={"evidence": exc.messages}) from exc
    if breached:
        opened = grievance_opener().open_grievance(
            actor=actor,
            unit=contract.org_unit,
            title=_("集体合同未履行：%(contract)s 第%(n)d条 %(clause)s")
            % {"contract": contract.title, "n": check.clause.number, "clause": check.clause.title},
            text=_("条款：%(text)s\n检查情况：%(finding)s")
            % {"text": check.clause.text, "finding": finding},
            category=GRIEVANCE_CATEGORY.get(contract.kind, "contract"),
        )
        check.grievance_id = opened.id
        check.grievance_url = opened.url
    check.save()
    record(
        actor=actor,
        action="bargaining.record_check",
        target=check,
        unit=contract.org_unit,
        data={"result": result, "grievance": check.grievance_id, "evidence": len(uploads)},
    )
    return check
