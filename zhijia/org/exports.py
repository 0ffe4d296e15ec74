"""Excel exports of module org (openpyxl write-only mode: rows are written as they are read,
so 100,000 members take one pass over the table and a few MB of memory).

身份证号 are exported MASKED, always: the stored masked column is read, nothing is decrypted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zhijia.org.models import Department, Member, OrgUnit

# The roster columns of DESIGN.md, in this order. They are a file format shared with the
# import (which matches them by name), so they are data and stay in Chinese in every language.
ROSTER_HEADERS = [
    "工号",
    "姓名",
    "性别",
    "身份证号",
    "手机号",
    "所属工会",
    "部门",
    "岗位",
    "用工性质",
    "入会日期",
    "月工资收入",
]
ARREARS_HEADERS = ["工号", "姓名", "所属工会", "部门", "欠缴月数", "欠缴金额", "手机号"]
MAX_SPOOL = 16 * 1024 * 1024


def _header_row(ws, headers: list[str]) -> list:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        cells.append(cell)
    return cells


def _names(model) -> dict[int, str]:
    return dict(model.objects.values_list("pk", "name"))


def write_roster(members: QuerySet[Member], out: IO[bytes]) -> int:
    """Write the roster of `members` (in their order) as .xlsx to `out`; returns the row count."""
    units = _names(OrgUnit)
    departments = _names(Department)
    genders = dict(Member.Gender.choices)
    kinds = dict(Member.EmploymentType.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员名册")
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJK", (12, 10, 6, 22, 14, 20, 16, 14, 10, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.append(_header_row(ws, ROSTER_HEADERS))
    rows = members.values_list(
        "employee_no",
        "name",
        "gender",
        "id_number_masked",
        "phone",
        "org_unit_id",
        "department_id",
        "job",
        "employment_type",
        "join_date",
        "monthly_wage",
    )
    count = 0
    for no, name, gender, masked, phone, unit_id, dept_id, job, kind, joined, wage in rows.iterator(
        chunk_size=2000
    ):
        ws.append(
            [
                no,
                name,
                str(genders.get(gender, gender)),
                masked,
                phone,
                units.get(unit_id, ""),
                departments.get(dept_id, "") if dept_id else "",
                job,
                str(kinds.get(kind, kind)),
                joined,
                wage,
            ]
        )
        count += 1
    wb.save(out)
    return count


def write_arrears(rows: Iterable[Any], out: IO[bytes]) -> int:
    """Write the arrears list (members annotated by queries.arrears) as .xlsx."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("欠缴会费")
    ws.append(_header_row(ws, ARREARS_HEADERS))
    count = 0
    for m in rows:
        ws.append(
            [
                m.employee_no,
                m.name,
                m.org_unit.name,
                m.department.name if m.department else "",
                m.unpaid_months,
                m.unpaid_total,
                m.phone,
            ]
        )
        count += 1
    wb.save(out)
    return count


def xlsx_response(writer, source, basename: str) -> tuple[FileResponse, int]:
    """Run `writer(source, file)` into a temporary file and answer it as a download."""
    out = tempfile.SpooledTemporaryFile(max_size=MAX_SPOOL)  # noqa: SIM115  (FileResponse closes it)
    count = writer(source, out)
    out.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        out,
        as_attachment=True,
        filename=f"{basename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response, count
