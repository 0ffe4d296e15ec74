"""The payroll office's deduction file (工资代扣会费): record a month's deducted dues in bulk.

    plan = plan_deductions(data, actor=user, filename="10月代扣.xlsx", month=dt.date(2026, 10, 1))
    # -> DeductionPlan: every row with its outcome (record / already paid / problem), writes nothing
    result = do_import_deductions(actor=user, source=data, filename=..., month=...,
                                  expected=plan.digest())
    # -> DeductionResult(recorded, amount, ...), or DeductionsChanged (409) when the plan is no
    #    longer the one the cadre confirmed

The file is read like the roster (zhijia.org.actions.upload_table: header found by name, order
free, extra columns ignored): 工号 and 扣缴金额 are required, 姓名 and 月份 optional (their
usual variants are understood: 员工编号, 扣款金额, 代扣会费, 工资月份, ...). A row without a
month takes the month the cadre chose.

Each row becomes one of:
  - record: the member's dues record of that month is marked paid (工资代扣) with the amount
    deducted. An amount that differs from the amount due is shown and still recorded: the money
    was taken from the wage (the payroll office may hold a newer wage than the union's roster),
    and leaving the month unpaid would list the member in arrears for money she paid. The
    difference stays visible in the ledger (应缴 beside 实缴) and is counted in the audit event.
  - already paid: the month is paid already (this file imported before, or paid at the desk);
    nothing is recorded twice, so importing the same file again records nothing.
  - problem (not recorded, with the reason in Chinese): 工号 unknown, a member outside the
    cadre's org.manage_dues scope, 姓名 not the member's (a mistyped 工号 would pay for the
    wrong person), a month unreadable, before 2000 or in the future, an amount unreadable or
    negative, zero while dues are due (nothing was deducted), the month's dues not generated
    yet, the same member and month twice in the file.
Rows with problems do not stop the others: the cadre records what is right now and imports
the corrected rows (or the same file) again later; what was recorded is skipped then.

Confirmation writes every row to record in one transaction (all or nothing, the records
locked), with one audit event holding the counts, after checking that the plan is still the
one previewed (`digest`): a payment recorded meanwhile changes it, and the preview is shown
again rather than recording something the cadre did not see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhijia.core.audit import record
from zhijia.core.excel import Column, Sheet, xlsx_bytes
from zhijia.core.permissions import require
from zhijia.org import normalize as n
from zhijia.org import rules
from zhijia.org.actions import upload_table
from zhijia.org.actions.dues import DuesRefused
from zhijia.org.actions.roster_import import ImportRejected, RowError
from zhijia.org.models import DuesRecord, Member, OrgUnit
from zhijia.org.queries.dues import unit_modes
from zhijia.org.queries.members import scope_unit_ids


def month_error(code: str) -> str:
    """The words of a rules.dues_month_error code."""
    return {
        "too_early": _("月份早于2000年，请检查"),
        "future": _("不能登记未来月份的会费"),
    }[code]


EMPLOYEE_NO = "工号"
NAME = "姓名"
MONTH = "月份"
AMOUNT = "扣缴金额"
COLUMNS = (EMPLOYEE_NO, NAME, MONTH, AMOUNT)
REQUIRED_COLUMNS = (EMPLOYEE_NO, AMOUNT)
# The names payroll systems give these columns (after zhijia.org.normalize.normalize_header:
# spaces, full-width characters, "*" and notes such as （元） removed).
HEADER_NAMES = {
    EMPLOYEE_NO: (
        "工号",
        "员工号",
        "员工工号",
        "员工编号",
        "职工号",
        "职工编号",
        "人员编号",
        "人员工号",
    ),
    NAME: ("姓名", "员工姓名", "职工姓名", "人员姓名"),
    MONTH: (
        "月份",
        "扣款月份",
        "扣缴月份",
        "代扣月份",
        "所属月份",
        "工资月份",
        "会费月份",
        "期间",
        "所属期间",
        "工资期间",
    ),
    AMOUNT: (
        "扣缴金额",
        "扣款金额",
        "代扣金额",
        "扣缴会费",
        "代扣会费",
        "扣会费",
        "工会会费",
        "代扣工会会费",
        "会费",
        "会费金额",
        "金额",
    ),
}
_HEADER_LOOKUP = {alias: name for name, aliases in HEADER_NAMES.items() for alias in aliases}
LOOKUP_CHUNK = 900  # under SQLite's 999 bound parameters
WRITE_BATCH = 500
MAX_FILE_BYTES = 20 * 1024 * 1024  # a payroll file of tens of thousands of rows is a few MB

RECORD = "record"
PAID = "paid"
PROBLEM = "problem"


def _header_name(cell: Any) -> str | None:
    return _HEADER_LOOKUP.get(n.normalize_header(cell))


@dataclass
class DeductionRow:
    """One data row and what confirmation does with it."""

    row: int  # as Excel shows it
    employee_no: str
    name: str
    month: dt.date | None
    amount: Decimal | None
    outcome: str = RECORD
    reasons: list[str] = field(default_factory=list)  # why not recorded
    notes: list[str] = field(default_factory=list)  # shown, recorded anyway
    member_id: int | None = None
    member_name: str = ""
    unit_id: int | None = None
    unit_name: str = ""
    record_id: int | None = None
    due: Decimal | None = None

    def refuse(self, reason: str) -> None:
        self.outcome = PROBLEM
        self.reasons.append(reason)

    @property
    def amount_differs(self) -> bool:
        return (
            self.outcome == RECORD
            and self.due is not None
            and self.amount is not None
            and self.amount != self.due
        )


@dataclass
class DeductionPlan:
    filename: str
    month: dt.date  # for rows without one
    rows: list[DeductionRow]
    sha256: str

    def _of(self, outcome: str) -> list[DeductionRow]:
        return [r for r in self.rows if r.outcome == outcome]

    @property
    def to_record(self) -> list[DeductionRow]:
        return self._of(RECORD)

    @property
    def already_paid(self) -> list[DeductionRow]:
        return self._of(PAID)

    @property
    def problems(self) -> list[DeductionRow]:
        return self._of(PROBLEM)

    @property
    def amount(self) -> Decimal:
        return sum((r.amount or Decimal("0") for r in self.to_record), Decimal("0.00"))

    @property
    def differing(self) -> int:
        return sum(1 for r in self.rows if r.amount_differs)

    def digest(self) -> str:
        """What confirmation would write, as a short fingerprint: the records and amounts."""
        pairs = sorted((r.record_id or 0, str(r.amount)) for r in self.to_record)
        return hashlib.sha256(repr(pairs).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class DeductionResult:
    recorded: int
    amount: Decimal
    already_paid: int
    problems: int
    differing: int


class DeductionsChanged(DuesRefused):
    """The plan is no longer the one previewed (payments recorded meanwhile): nothing was
    written; `plan` is the new one to show (HTTP 409)."""

    status = 409

    def __init__(self, plan: DeductionPlan):
        super().__init__(_("预览之后会费记录有变化，未登记任何缴费；请核对新的预览后再确认。"))
        self.plan = plan


# --- reading -------------------------------------------------------------------------------------
def _read(source, filename: str, month: dt.date, today: dt.date) -> tuple[list[DeductionRow], str]:
    data = upload_table.read_bytes(source)
    rows: list[DeductionRow] = []
    try:
        with upload_table.open_table(
            data, filename=filename, header_name=_header_name, required=REQUIRED_COLUMNS
        ) as table:
            for number, raw in table.rows:
                rows.append(_parse_row(number, raw, month, today, table.epoch_1904))
            header_row = table.header_row
    except upload_table.TableRejected as rejected:
        raise ImportRejected(RowError(*p) for p in rejected.problems) from None
    if not rows:
        raise ImportRejected(
            [
                RowError(
                    None, "", "", _("文件中没有数据行（表头在第 %(row)d 行）") % {"row": header_row}
                )
            ]
        )
    return rows, hashlib.sha256(data).hexdigest()


def _parse_row(
    number: int, raw: dict[str, Any], month: dt.date, today: dt.date, epoch_1904: bool
) -> DeductionRow:
    row = DeductionRow(number, "", n.normalize_name(raw.get(NAME))[:64], None, None)
    try:
        row.employee_no = n.parse_employee_no(raw.get(EMPLOYEE_NO))
    except n.CellError as exc:
        row.refuse(_(exc.reason))
    else:
        if not row.employee_no:
            row.refuse(_("工号不能为空"))
    try:
        row.month = n.parse_month_cell(raw.get(MONTH), epoch_1904=epoch_1904) or month
    except n.CellError as exc:
        row.refuse(_(exc.reason))
    else:
        error = rules.dues_month_error(row.month, today)
        if error:
            row.refuse(month_error(error))
    try:
        row.amount = n.parse_deduction(raw.get(AMOUNT))
    except n.CellError as exc:
        row.refuse(_(exc.reason))
    else:
        if row.amount is None:
            row.refuse(_("扣缴金额不能为空"))
    return row


# --- checking against the ledger -----------------------------------------------------------------
def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def _records(pairs: set[tuple[int, dt.date]], lock: bool) -> dict[tuple[int, dt.date], DuesRecord]:
    found: dict[tuple[int, dt.date], DuesRecord] = {}
    member_ids = sorted({m for m, _month in pairs})
    months = sorted({month for _m, month in pairs})
    for chunk in _chunks(member_ids):
        qs: QuerySet[DuesRecord] = DuesRecord.objects.filter(
            member_id__in=chunk, month__in=months
        ).order_by("pk")
        if lock:
            qs = qs.select_for_update()
        for rec in qs:
            found[(rec.member_id, rec.month)] = rec
    return found


def _check(rows: list[DeductionRow], actor, *, lock: bool) -> None:
    numbers = sorted({r.employee_no for r in rows if r.employee_no})
    members: dict[str, Member] = {}
    for chunk in _chunks(numbers):
        for member in Member.objects.filter(employee_no__in=chunk).select_related("org_unit"):
            members[member.employee_no] = member
    scope = scope_unit_ids(actor, "org.manage_dues")
    in_scope = None if scope is None else set(scope)
    modes = unit_modes()
    first_row: dict[tuple[int, dt.date], int] = {}
    for r in rows:
        if not r.employee_no:
            continue
        found = members.get(r.employee_no)
        if found is None:
            r.refuse(_("系统中没有工号为 %(no)s 的会员") % {"no": r.employee_no})
            continue
        member = found
        if in_scope is not None and member.org_unit_id not in in_scope:
            r.refuse(_("该工号的会员属于您管理范围以外的工会，不能登记"))
            continue
        r.member_id, r.member_name = member.pk, member.name
        r.unit_id, r.unit_name = member.org_unit_id, member.org_unit.name
        if r.name and n.normalize_name(member.name) != r.name:
            r.refuse(
                _("姓名与系统中该工号的会员（%(name)s）不一致，请核对工号") % {"name": member.name}
            )
        mode = member.dues_mode or modes.get(member.org_unit_id, rules.DEFAULT_DUES_MODE)
        if mode == rules.SELF_PAY:
            r.notes.append(_("该会员的会费为自缴，但出现在工资代扣文件中，按代扣登记"))
        if r.month is not None and r.outcome == RECORD:
            key = (member.pk, r.month)
            if key in first_row:
                r.refuse(_("与第 %(row)d 行重复（同一会员、同一月份）") % {"row": first_row[key]})
            else:
                first_row[key] = r.row
    records = _records({(r.member_id, r.month) for r in rows if _pending(r)}, lock)  # type: ignore[misc]
    for r in rows:
        if not _pending(r):
            continue
        assert r.member_id is not None and r.month is not None and r.amount is not None
        rec = records.get((r.member_id, r.month))
        if rec is None:
            r.refuse(
                _("该会员 %(month)s 的会费尚未生成，请先在“会费管理”中生成该月会费")
                % {"month": r.month.strftime("%Y-%m")}
            )
            continue
        r.record_id, r.due = rec.pk, rec.amount
        if rec.paid_at is not None:
            r.outcome = PAID
            r.reasons.append(
                _("该月会费已于 %(day)s 登记缴纳，不重复登记")
                % {"day": timezone.localtime(rec.paid_at).strftime("%Y-%m-%d")}
            )
        elif r.amount == 0 and rec.amount > 0:
            r.refuse(
                _("扣缴金额为 0，未扣到应缴的 ¥%(due)s，不登记") % {"due": f"{rec.amount:.2f}"}
            )
        elif r.amount != rec.amount:
            r.notes.append(
                _("扣缴 ¥%(paid)s 与应缴 ¥%(due)s 不一致（差 %(diff)s），按扣缴金额登记")
                % {
                    "paid": f"{r.amount:.2f}",
                    "due": f"{rec.amount:.2f}",
                    "diff": f"{r.amount - rec.amount:+.2f}",
                }
            )


def _pending(r: DeductionRow) -> bool:
    return r.outcome == RECORD and r.member_id is not None and r.month is not None


def plan_deductions(
    source: str | Path | bytes | IO[bytes],
    *,
    actor,
    filename: str = "",
    month: dt.date,
    today: dt.date | None = None,
    lock: bool = False,
) -> DeductionPlan:
    """What importing the file would record, row by row; writes nothing. Raises ImportRejected
    for a file that cannot be read as a whole (no header, a required column missing, ...)."""
    require(actor, "org.manage_dues")
    today = today or timezone.localdate()
    month = rules.month_start(month)
    error = rules.dues_month_error(month, today)
    if error:
        raise DuesRefused(month_error(error), field="month")
    rows, sha256 = _read(source, filename, month, today)
    _check(rows, actor, lock=lock)
    return DeductionPlan(filename, month, rows, sha256)


@transaction.atomic
def do_import_deductions(
    *,
    actor,
    source: str | Path | bytes | IO[bytes],
    filename: str = "",
    month: dt.date,
    expected: str | None = None,
) -> DeductionResult:
    """Record the file's deductions (the rows the plan records), all in one transaction.

    `expected`: the digest of the plan the cadre confirmed; when the plan is now different,
    nothing is written and DeductionsChanged carries the new plan.
    """
    plan = plan_deductions(source, actor=actor, filename=filename, month=month, lock=True)
    if expected is not None and plan.digest() != expected:
        raise DeductionsChanged(plan)
    rows = plan.to_record
    units = OrgUnit.objects.in_bulk({r.unit_id for r in rows if r.unit_id is not None})
    for unit in units.values():  # the plan kept only rows in scope; the action checks again
        require(actor, "org.manage_dues", unit=unit)
    now = timezone.now()
    by_id = {r.record_id: r for r in rows}
    records = list(DuesRecord.objects.filter(pk__in=list(by_id)).order_by("pk"))
    for rec in records:
        rec.paid_at = now
        rec.paid_amount = by_id[rec.pk].amount
        rec.paid_via = DuesRecord.PaidVia.PAYROLL
    DuesRecord.objects.bulk_update(
        records, ["paid_at", "paid_amount", "paid_via"], batch_size=WRITE_BATCH
    )
    result = DeductionResult(
        recorded=len(records),
        amount=plan.amount,
        already_paid=len(plan.already_paid),
        problems=len(plan.problems),
        differing=plan.differing,
    )
    months = sorted({r.month.strftime("%Y-%m") for r in rows if r.month})
    record(
        actor=actor,
        action="org.import_dues_deductions",
        unit=next(iter(units.values())) if len(units) == 1 else None,
        data={
            "filename": filename[:200],
            "sha256": plan.sha256,
            "month": plan.month.strftime("%Y-%m"),
            "months": months,
            "rows": len(plan.rows),
            "recorded": result.recorded,
            "amount": str(result.amount),
            "already_paid": result.already_paid,
            "problems": result.problems,
            "amount_differs": result.differing,
        },
    )
    return result


# --- the template ------------------------------------------------------------------------------
_COLUMN_HELP = {
    EMPLOYEE_NO: gettext_noop("必填。按工号找到会员，须在您的会费管理范围内。"),
    NAME: gettext_noop("可选。填写时须与系统中该工号的会员姓名一致，防止工号填错。"),
    MONTH: gettext_noop(
        "可选。如 2026-11、2026年11月、202611；留空（或没有这一列）时按导入时选择的月份。"
    ),
    AMOUNT: gettext_noop(
        "必填。本月从工资中扣缴的会费，如 40 或 40.00；与应缴金额不同时照实登记并提示。"
    ),
}


def template_xlsx() -> bytes:
    """An empty deduction file with its header (工号 as text) and a sheet explaining each
    column, written with zhijia.core.excel."""
    sheet = Sheet(
        _("工资代扣会费"),
        [
            Column(EMPLOYEE_NO, width=14, text=True),
            Column(NAME, width=12),
            Column(MONTH, width=12, text=True),
            Column(AMOUNT, width=12, money=True),
        ],
    )
    notes = Sheet(
        _("填写说明"),
        [Column(_("列名"), width=14), Column(_("说明"), width=80)],
        ([column, _(_COLUMN_HELP[column])] for column in COLUMNS),
    )
    return xlsx_bytes(sheet, notes)
