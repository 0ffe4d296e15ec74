"""Roster import: the messy HR file in tests/data, all or nothing, re-import, scope, CLI, page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from zhijia.core.models import AuditEvent
from zhijia.org import normalize
from zhijia.org.actions.roster_import import (
    COLUMNS,
    ImportRejected,
    MissingNotConfirmed,
    error_report_xlsx,
    import_roster,
    read_roster,
    template_xlsx,
)
from zhijia.org.models import Member, MemberTransfer, OrgUnit
from zhijia.org.rules import id_check_code

DATA = Path(__file__).parent / "data"
MESSY_XLSX = DATA / "messy_roster.xlsx"
MESSY_CSV = DATA / "messy_roster_gbk.csv"

# Rows of the messy file that are bad, and the columns each must be reported for.
EXPECTED = {
    13: {"身份证号"},  # bad checksum
    # row 14 names an unknown unit (第九分工会): not an error, listed in `missing`
    15: {"工号"},  # duplicate of row 3
    16: {"手机号"},  # 10 digits
    17: {"姓名"},  # missing
    18: {"性别", "入会日期"},  # contradicts the ID number; month 13
}
GOOD_ROWS = 15  # rows 3–10 and 12–18 once fixed (row 11 is empty)


def make_id(birth: str, seq: int) -> str:
    first17 = f"110101{birth}{seq:03d}"
    return first17 + id_check_code(first17)


# Cell fixes a cadre would make in Excel (column letters of the messy file's layout).
FIXES = {
    "D13": make_id("19860214", 1),
    "G14": "第一分工会",
    "B15": "E1016",
    "F16": "13900001013",
    "C17": "郑十一",
    "E18": "男",
    "K18": "2021年12月",
}


def fixed_xlsx(tmp_path: Path, extra: dict[str, object] | None = None) -> Path:
    workbook = openpyxl.load_workbook(MESSY_XLSX)
    sheet = workbook.active
    for cell, value in {**FIXES, **(extra or {})}.items():
        sheet[cell] = value
    path = tmp_path / "fixed.xlsx"
    workbook.save(path)
    return path


def fixed_csv(tmp_path: Path) -> Path:
    text = MESSY_CSV.read_bytes().decode("gbk")
    for bad, good in [
        ("110101198602140010", FIXES["D13"]),
        ("第九分工会", "第一分工会"),
        ("13,E1001,褚四", "13,E1016,褚四"),
        ("1390000101,", "13900001013,"),
        ("15,E1014,　,", "15,E1014,郑十一,"),
        ("女,,第一分工会,,,,2021年13月", "男,,第一分工会,,,,2021年12月"),
    ]:
        assert bad in text
        text = text.replace(bad, good)
    path = tmp_path / "fixed.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def roster_csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def rejected(source, **kwargs) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_roster(source, **kwargs)
    return info.value


def errors_by_row(exc: ImportRejected) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in exc.errors:
        found.setdefault(error.row, set()).add(error.column)
    return found


# --- all or nothing on the messy file ---------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("path", [MESSY_XLSX, MESSY_CSV], ids=["xlsx", "gbk-csv"])
def test_messy_file_writes_nothing_and_reports_every_bad_row(demo_units, path):
    members_before = Member.objects.count()
    exc = rejected(path, actor=None)
    assert errors_by_row(exc) == EXPECTED
    reasons = {(e.row, e.column): e.reason for e in exc.errors}
    assert reasons[(13, "身份证号")] == "身份证号校验位不正确"
    assert [(m.kind, m.label, m.rows, m.first_row) for m in exc.missing] == [
        ("unit", "示例能源集团工会委员会/第九分工会", 1, 14)
    ]
    assert reasons[(15, "工号")] == "工号与第 3 行重复"
    assert reasons[(16, "手机号")] == "手机号应为11位大陆手机号码"
    assert reasons[(17, "姓名")] == "不能为空"
    assert "性别与身份证号不符" in reasons[(18, "性别")]
    assert "没有这一天" in reasons[(18, "入会日期")]
    values = {(e.row, e.column): e.value for e in exc.errors}
    assert values[(16, "手机号")] == "1390000101"
    assert values[(13, "身份证号")].startswith("1101") and "*" in values[(13, "身份证号")]
    assert exc.bad_rows == 5
    assert Member.objects.count() == members_before
    assert not AuditEvent.objects.filter(action="org.import_members").exists()


@pytest.mark.django_db
def test_messy_cells_are_normalised(demo_units):
    roster = read_roster(MESSY_XLSX)
    assert roster.header_row == 2  # a title row sits above the header
    by_row = {r.row: r.values for r in roster.rows}
    assert 11 not in by_row  # the empty line
    assert by_row[3]["工号"] == "E1001" and by_row[3]["姓名"] == "张三"
    assert by_row[3]["手机号"] == "13900001001"
    assert by_row[3]["月工资收入"] == Decimal("8500.00")
    assert by_row[4]["身份证号"].endswith("X")
    assert by_row[5]["姓名"] == "王五" and "\u200b" not in by_row[5]["身份证号"]
    assert by_row[7]["性别"] == "F"  # empty cell: from the ID number
    dates = {row: by_row[row]["入会日期"] for row in (3, 5, 6, 7, 8, 9, 10, 12)}
    assert set(dates.values()) == {dt.date(2021, 3, 5)}
    assert by_row[4]["入会日期"] == dt.date(2021, 3, 1)


# --- the fixed file imports; re-import updates ------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fixer", [fixed_xlsx, fixed_csv], ids=["xlsx", "gbk-csv"])
def test_fixed_file_imports(demo_units, tmp_path, fixer):
    result = import_roster(fixer(tmp_path), actor=None)
    assert (result.created, result.updated, result.unchanged) == (GOOD_ROWS, 0, 0)

    zhang = Member.objects.get(employee_no="E1001")
    assert zhang.name == "张三"
    assert (zhang.name_pinyin, zhang.name_initials) == ("zhangsan", "zs")
    assert zhang.gender == "M"
    assert zhang.phone == "13900001001"
    assert zhang.org_unit.code == "B1"
    assert zhang.department.code == "D-PROD"
    assert zhang.job == "运行工"
    assert zhang.employment_type == Member.EmploymentType.REGULAR
    assert zhang.join_date == dt.date(2021, 3, 5)
    assert zhang.monthly_wage == Decimal("8500.00")
    assert zhang.status == Member.Status.ACTIVE

    li = Member.objects.get(employee_no="E1002")
    assert li.get_id_number() == "11010119900101004X"
    assert li.id_number_masked == "1101**********004X"
    assert "11010119900101004X" not in li.id_number_encrypted
    assert li.org_unit.code == "B1-G1"  # given as the code "b1-g1"
    assert li.employment_type == Member.EmploymentType.DISPATCHED
    assert li.join_date == dt.date(2021, 3, 1)

    assert Member.objects.get(employee_no="E1003").org_unit.name == "发电二班组"
    assert Member.objects.get(employee_no="E1016").name == "褚四"

    events = AuditEvent.objects.filter(action="org.import_members")
    assert events.count() == 1  # one event for the whole import, not one per row
    assert events.get().data["created"] == GOOD_ROWS
    assert events.get().actor_label == "system"


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(demo_units, tmp_path):
    path = fixed_xlsx(tmp_path)
    import_roster(path, actor=None)
    before = {m.employee_no: m.updated_at for m in Member.objects.all()}

    again = import_roster(path, actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, GOOD_ROWS)
    assert {m.employee_no: m.updated_at for m in Member.objects.all()} == before

    # A new phone for E1001 and a move of E1002 to the second branch union.
    changed = fixed_xlsx(tmp_path, {"F3": "13900009999", "G4": "第二分工会"})
    third = import_roster(changed, actor=None)
    assert (third.created, third.updated, third.unchanged) == (0, 2, GOOD_ROWS - 2)
    assert third.transferred == 1
    assert Member.objects.count() == len(before)
    assert Member.objects.get(employee_no="E1001").phone == "13900009999"
    li = Member.objects.get(employee_no="E1002")
    assert li.org_unit.code == "B2"
    transfer = MemberTransfer.objects.get(member=li)
    assert (transfer.from_unit.code, transfer.to_unit.code) == ("B1-G1", "B2")
    untouched = Member.objects.get(employee_no="E1005")
    assert untouched.updated_at == before["E1005"]
    assert AuditEvent.objects.filter(action="org.import_members").count() == 3


@pytest.mark.django_db
def test_absent_column_is_left_alone_on_update(demo_units):
    number = make_id("19900101", 3)
    import_roster(
        roster_csv([["E1", "张三", "男", number, "13900001234", "B1", "", "", "", "", ""]]),
        actor=None,
    )
    narrow = f"工号,姓名,身份证号,所属工会\nE1,张三丰,{number},B1\n".encode()
    result = import_roster(narrow, actor=None)
    assert result.updated == 1
    member = Member.objects.get(employee_no="E1")
    assert member.name == "张三丰" and member.name_pinyin == "zhangsanfeng"
    assert member.phone == "13900001234"


# --- database checks --------------------------------------------------------------------------
@pytest.mark.django_db
def test_id_number_of_another_employee_no_is_refused(personas):
    worker1 = personas["worker1"].member_record
    data = roster_csv(
        [["E9001", "重复人", "女", worker1.get_id_number(), "", "第一分工会", "", "", "", "", ""]]
    )
    exc = rejected(data, actor=None)
    assert [(e.row, e.column) for e in exc.errors] == [(2, "身份证号")]
    assert exc.errors[0].reason == f"该身份证号已登记在工号 {worker1.employee_no} 的会员名下"
    # A cadre who may not see that member is not told its 工号.
    data = data.replace("第一分工会".encode(), "第二分工会".encode())
    exc = rejected(data, actor=personas["branch2"])
    assert exc.errors[0].reason == "该身份证号已登记在另一工号的会员名下"
    assert not Member.objects.filter(employee_no="E9001").exists()


@pytest.mark.django_db
def test_same_id_number_on_two_employee_nos_in_the_file(demo_units):
    number = make_id("19900101", 3)
    exc = rejected(
        roster_csv(
            [
                ["E1", "张三", "", number, "", "B1", "", "", "", "", ""],
                ["E2", "张四", "", number.lower(), "", "B1", "", "", "", "", ""],
            ]
        ),
        actor=None,
    )
    assert [(e.row, e.column, e.reason) for e in exc.errors] == [
        (3, "身份证号", "身份证号与第 2 行（工号 E1）相同")
    ]


@pytest.mark.django_db
def test_ambiguous_unit_name_asks_for_the_code(demo_units):
    OrgUnit.objects.create(name="检修班组", code="B2-G9", kind="group", parent=demo_units["B2"])
    exc = rejected(
        roster_csv(
            [["E1", "张三", "", make_id("19900101", 3), "", "检修班组", "", "", "", "", ""]]
        ),
        actor=None,
    )
    assert "请改填工会代码" in exc.errors[0].reason and "B2-G9" in exc.errors[0].reason


@pytest.mark.django_db
def test_unknown_department_needs_confirmation(demo_units):
    data = roster_csv(
        [["E1", "张三", "", make_id("19900101", 3), "", "B1", "无此部门", "", "", "", ""]]
    )
    with pytest.raises(MissingNotConfirmed) as info:
        import_roster(data, actor=None)
    assert [(m.kind, m.label, m.rows) for m in info.value.missing] == [
        ("department", "无此部门", 1)
    ]
    assert not Member.objects.filter(employee_no="E1").exists()


# --- scope ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_cadre_imports_only_into_their_own_subtree(personas, tmp_path):
    path = fixed_xlsx(tmp_path)  # every row targets the first branch union or its groups
    exc = rejected(path, actor=personas["branch2"])
    assert len(errors_by_row(exc)) == GOOD_ROWS
    assert {(e.column, e.reason) for e in exc.errors} == {("所属工会", "无权导入到该工会")}
    assert not Member.objects.filter(employee_no="E1001").exists()

    result = import_roster(path, actor=personas["branch1"])
    assert result.created == GOOD_ROWS
    event = AuditEvent.objects.get(action="org.import_members")
    assert event.actor_label == "branch1"
    assert event.unit_path == personas["branch1"].active_assignments()[0].org_unit.path


@pytest.mark.django_db
def test_cadre_cannot_take_over_a_member_of_another_branch(personas):
    worker2 = personas["worker2"].member_record
    data = roster_csv(
        [
            [
                worker2.employee_no,
                worker2.name,
                "",
                worker2.get_id_number(),
                "",
                "第一分工会",
                "",
                "",
                "",
                "",
                "",
            ]
        ]
    )
    exc = rejected(data, actor=personas["branch1"])
    assert [(e.column, e.reason) for e in exc.errors] == [
        ("工号", "该工号的会员属于您管辖范围以外的工会，无权修改")
    ]
    worker2.refresh_from_db()
    assert worker2.org_unit.code.startswith("B2")


# --- file-level problems ----------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件是空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不支持旧版 .xls"),
        ("姓名,所属工会\n张三,B1\n".encode(), "缺少必需的列"),
        (b"a,b,c\n1,2,3\n", "找不到表头"),
        ("工号,姓名,身份证号,所属工会\n".encode(), "没有数据行"),
        ("工号,姓名,身份证号,所属工会,工 号\nE1,张三,1,B1,E2\n".encode(), "出现了两次"),
    ],
)
def test_file_problems(demo_units, data, reason):
    exc = rejected(data, actor=None)
    assert any(reason in e.reason for e in exc.errors), exc.errors


def test_employment_types_match_the_model():
    assert set(normalize.EMPLOYMENT_TYPES) == set(Member.EmploymentType.values)


# --- spreadsheets -----------------------------------------------------------------------------
def test_template_has_the_header_row():
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 1


@pytest.mark.django_db
def test_error_report_lists_every_problem(demo_units):
    exc = rejected(MESSY_XLSX, actor=None)
    sheet = openpyxl.load_workbook(io.BytesIO(error_report_xlsx(exc.errors))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "值", "原因")
    assert [(r[0], r[1]) for r in rows[1:]] == [(e.row, e.column) for e in exc.errors]


# --- command line -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_cli_rejects_and_writes_report(demo_units, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit) as info:
        call_command(
            "import_members", str(MESSY_XLSX), "--report", str(report), stdout=out, stderr=err
        )
    assert info.value.code == 1
    text = err.getvalue()
    assert "导入失败，未写入任何数据：5 行有问题，共 6 处" in text
    assert "第 13 行 「身份证号」（1101**********0010）：身份证号校验位不正确" in text
    assert "工会小组 示例能源集团工会委员会/第九分工会：1 行（首次出现在第 14 行）" in text
    assert report.exists()
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_cli_imports(demo_units, tmp_path):
    out = io.StringIO()
    call_command("import_members", str(fixed_xlsx(tmp_path)), stdout=out, stderr=io.StringIO())
    assert f"导入成功：新增 {GOOD_ROWS}，更新 0，未变 0" in out.getvalue()


# --- upload page ------------------------------------------------------------------------------
def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


@pytest.mark.django_db
def test_upload_page_shows_errors_and_offers_the_report(login):
    client = login("branch1")
    page = client.get("/org/members/import/")
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()
    assert "/org/members/import/template/" in page.content.decode()

    response = client.post("/org/members/import/", {"file": _upload(MESSY_XLSX)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "导入失败，未写入任何数据" in html
    assert "身份证号校验位不正确" in html and "<td>13</td>" in html
    # The unknown unit is not an error: listed as one to create under branch1's union.
    assert "<td>第九分工会</td>" in html and "<td>第一分工会</td>" in html
    assert [m.label for m in response.context["missing"]] == ["第一分工会/第九分工会"]
    assert not Member.objects.filter(employee_no="E1001").exists()

    report_url = response.context["report_token"]
    report = client.get(f"/org/members/import/report/{report_url}/")
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    assert sheet.max_row == 1 + len(response.context["rejected"].errors)
    # Another cadre cannot fetch it.
    assert login("branch2").get(f"/org/members/import/report/{report_url}/").status_code == 404


@pytest.mark.django_db
def test_upload_page_imports(login, tmp_path):
    client = login("branch1")
    response = client.post(
        "/org/members/import/", {"file": _upload(fixed_xlsx(tmp_path))}, follow=True
    )
    assert response.status_code == 200
    assert f"导入成功：新增 {GOOD_ROWS}，更新 0，未变 0" in response.content.decode()
    assert Member.objects.filter(employee_no__in=["E1001", "E1016"]).count() == 2


@pytest.mark.django_db
def test_template_download(login):
    response = login("branch1").get("/org/members/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["worker1", "rep1", "handler1"])
def test_upload_page_is_for_cadres(login, username):
    client = login(username)
    assert client.get("/org/members/import/").status_code == 403
    assert client.get("/org/members/import/template/").status_code == 403
