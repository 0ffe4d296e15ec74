"""Excel exports of module org, written by zhijia.core.excel (streamed: rows are written as
they are read, so 100,000 members take one pass over the table and a few MB of memory).

身份证号 are exported MASKED, always: the stored masked column is read, nothing is decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhijia.core.excel import Column, Sheet
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
_ROSTER_WIDTHS = (12, 10, 6, 22, 14, 20, 16, 14, 10, 12, 12)
PAID_HEADERS = ["工号", "姓名", "所属工会", "会费月份", "应缴金额", "实缴金额", "缴纳时间"]
PAID_HEADERS += ["缴纳方式"]
TRANSFER_HEADERS = ["工号", "姓名", "转出组织", "转入组织", "生效日期", "原因"]
_TEXT_COLUMNS = {"工号", "身份证号", "手机号"}


def _names(model) -> dict[int, str]:
    return dict(model.objects.values_list("pk", "name"))


def roster_sheet(members: QuerySet[Member]) -> Sheet:
    """The roster of `members` (in their order), one row per member."""
    columns = [
        Column(title, width=width, text=title in _TEXT_COLUMNS)
        for title, width in zip(ROSTER_HEADERS, _ROSTER_WIDTHS, strict=True)
    ]
    return Sheet("会员名册", columns, _roster_rows(members))


def _roster_rows(members: QuerySet[Member]) -> Iterator[list[Any]]:
    units = _names(OrgUnit)
    departments = _names(Department)
    genders = dict(Member.Gender.choices)
    kinds = dict(Member.EmploymentType.choices)
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
    for no, name, gender, masked, phone, unit_id, dept_id, job, kind, joined, wage in rows.iterator(
        chunk_size=2000
    ):
        yield [
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


def transfers_sheet(rows: Iterable[Any]) -> Sheet:
    """The moves out of a subtree (MemberTransfer rows of queries.members.transfers_out)."""
    columns = [Column(title, text=title in _TEXT_COLUMNS) for title in TRANSFER_HEADERS]
    return Sheet(
        "会员转出",
        columns,
        (
            [
                t.member.employee_no,
                t.member.name,
                t.from_unit.name,
                t.to_unit.name if t.to_unit else "离开工会",
                t.effective_date,
                t.reason,
            ]
            for t in rows
        ),
    )


def dues_paid_sheet(rows: Iterable[Any]) -> Sheet:
    """The payments list (dues records of queries.dues_paid)."""
    columns = [Column(title, text=title in _TEXT_COLUMNS) for title in PAID_HEADERS]
    return Sheet(
        "会费收缴明细",
        columns,
        (
            [
                r.member.employee_no,
                r.member.name,
                r.member.org_unit.name,
                r.month.strftime("%Y-%m"),
                r.amount,
                r.paid_amount if r.paid_amount is not None else r.amount,
                timezone.localtime(r.paid_at).strftime("%Y-%m-%d %H:%M"),
                str(r.get_paid_via_display()) if r.paid_via else "",
            ]
            for r in rows
        ),
    )


def arrears_sheet(rows: Iterable[Any]) -> Sheet:
    """The arrears list (members annotated by queries.arrears)."""
    columns = [Column(title, text=title in _TEXT_COLUMNS) for title in ARREARS_HEADERS]
    return Sheet(
        "欠缴会费",
        columns,
        (
            [
                m.employee_no,
                m.name,
                m.org_unit.name,
                m.department.name if m.department else "",
                m.unpaid_months,
                m.unpaid_total,
                m.phone,
            ]
            for m in rows
        ),
    )
