"""The payroll office's deduction file: preview per row, confirmation all at once, never twice."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhijia.core.models import AuditEvent
from zhijia.org.actions import dues as dues_actions
from zhijia.org.actions import dues_import as importer
from zhijia.org.actions.roster_import import ImportRejected
from zhijia.org.models import DuesRecord, Member
from zhijia.org.tests.member_factory import make_member

MARCH = dt.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2025, 4, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def xlsx(rows, header=("员工编号", "姓 名", "扣款月份", "代扣会费（元）")) -> bytes:
    """A payroll office's sheet: a title line, then a header with their own column names."""
    book = Workbook()
    sheet = book.active
    sheet.append(["2025年3月工会会费代扣明细"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ledger(personas, demo_units):
    """Members of B1-G1 (branch1's) and one of B2-G1, March generated for both branches."""
    b1, b2 = demo_units["B1-G1"], demo_units["B2-G1"]
    staff = {
        "a": make_member(b1, name="甲", employee_no="P001", wage="8000"),  # due 40.00
        "b": make_member(b1, name="乙", employee_no="P002", wage="6000"),  # due 30.00
        "c": make_member(b1, name="丙", employee_no="P003", wage="5000"),  # due 25.00
        "paid": make_member(b1, name="丁", employee_no="P004", wage="4000"),  # due 20.00
        "other": make_member(b2, name="戊", employee_no="P005", wage="8000"),
        "late": make_member(b1, name="己", employee_no="P006", wage="8000", join_date=None),
    }
    for unit in (demo_units["B1"], demo_units["B2"]):
        dues_actions.do_generate_dues(actor=personas["chair"], month=MARCH, unit=unit)
    DuesRecord.objects.filter(member=staff["late"]).delete()  # not generated for her
    DuesRecord.objects.filter(member=staff["paid"]).update(
        paid_at=dt.datetime(2025, 3, 20, tzinfo=dt.UTC)
    )
    return staff


ROWS = [
    ("P001", "甲", "2025-03", 40),  # as due
    ("P002", "乙", "2025年3月", "31.00元"),  # differs: recorded with a note
    ("P003", "丙", None, 25),  # no month: the chosen month
    ("P004", "丁", 202503, 20),  # already paid: skipped
    ("P005", "戊", "2025-03", 40),  # another branch: refused
    ("P999", "无名", "2025-03", 40),  # unknown
    ("P001", "甲", "2025-03", 40),  # duplicate of the first row
    ("P006", "己", "2025-03", 40),  # month not generated
    ("P003", "丙丙", "2025-02", 25),  # name mismatch
    ("P002", "乙", "2025-05", 30),  # future month
    ("P002", "乙", "2025-01", -5),  # negative
]


def _by_row(plan):
    return {r.row: r for r in plan.rows}


def test_preview_lists_every_row_with_its_outcome(personas, ledger):
    plan = importer.plan_deductions(
        xlsx(ROWS), actor=personas["branch1"], filename="代扣.xlsx", month=MARCH
    )
    rows = _by_row(plan)  # data starts on row 3 (a title line, then the header)
    assert [rows[n].outcome for n in range(3, 14)] == [
        "record",
        "record",
        "record",
        "paid",
        "problem",
        "problem",
        "problem",
        "problem",
        "problem",
        "problem",
        "problem",
    ]
    assert rows[4].amount == Decimal("31.00") and rows[4].due == Decimal("30.00")
    assert "与应缴 ¥30.00 不一致" in rows[4].notes[0]
    assert rows[5].month == MARCH
    assert "已于 2025-03-20 登记缴纳" in rows[6].reasons[0]
    assert rows[7].reasons == ["该工号的会员属于您管理范围以外的工会，不能登记"]
    assert rows[8].reasons == ["系统中没有工号为 P999 的会员"]
    assert rows[9].reasons == ["与第 3 行重复（同一会员、同一月份）"]
    assert "尚未生成" in rows[10].reasons[0]
    assert "姓名与系统中该工号的会员（丙）不一致" in rows[11].reasons[0]
    assert rows[12].reasons == ["不能登记未来月份的会费"]
    assert rows[13].reasons == ["扣缴金额不能为负数"]
    assert (len(plan.to_record), plan.amount, plan.differing) == (3, Decimal("96.00"), 1)
    assert not DuesRecord.objects.filter(paid_via="payroll").exists()  # nothing written


def test_confirm_records_all_at_once_and_never_twice(personas, ledger):
    data = xlsx(ROWS)
    branch1 = personas["branch1"]
    plan = importer.plan_deductions(data, actor=branch1, filename="代扣.xlsx", month=MARCH)
    result = importer.do_import_deductions(
        actor=branch1, source=data, filename="代扣.xlsx", month=MARCH, expected=plan.digest()
    )
    assert (result.recorded, result.amount, result.already_paid, result.problems) == (
        3,
        Decimal("96.00"),
        1,
        7,
    )
    b = DuesRecord.objects.get(member=ledger["b"], month=MARCH)
    assert (b.paid_via, b.paid_amount, b.amount) == ("payroll", Decimal("31.00"), Decimal("30.00"))
    assert b.paid_at is not None
    assert DuesRecord.objects.get(member=ledger["other"]).paid_at is None  # out of scope
    event = AuditEvent.objects.get(action="org.import_dues_deductions")
    assert event.data["recorded"] == 3 and event.data["problems"] == 7
    assert event.data["amount_differs"] == 1 and event.data["filename"] == "代扣.xlsx"
    # the same file again: nothing recorded twice
    again = importer.do_import_deductions(
        actor=branch1, source=data, filename="代扣.xlsx", month=MARCH
    )
    assert (again.recorded, again.already_paid) == (0, 4)
    assert DuesRecord.objects.filter(paid_via="payroll").count() == 3


def test_a_plan_changed_since_the_preview_writes_nothing(personas, ledger):
    data = xlsx(ROWS[:3])
    branch1 = personas["branch1"]
    plan = importer.plan_deductions(data, actor=branch1, month=MARCH)
    DuesRecord.objects.filter(member=ledger["a"]).update(
        paid_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    )
    with pytest.raises(importer.DeductionsChanged) as info:
        importer.do_import_deductions(
            actor=branch1, source=data, month=MARCH, expected=plan.digest()
        )
    assert len(info.value.plan.to_record) == 2 and info.value.status == 409
    assert not DuesRecord.objects.filter(paid_via="payroll").exists()
    assert not AuditEvent.objects.filter(action="org.import_dues_deductions").exists()


def test_a_file_without_the_required_columns_is_rejected(personas, ledger):
    with pytest.raises(ImportRejected) as info:
        importer.plan_deductions(
            xlsx([("P001", "甲")], header=("工号", "姓名")), actor=personas["chair"], month=MARCH
        )
    assert (info.value.errors[0].column, info.value.errors[0].reason) == (
        "扣缴金额",
        "缺少必需的列",
    )
    csv = "工号,扣缴金额\nP001,40\n".encode("gbk")
    plan = importer.plan_deductions(csv, actor=personas["chair"], month=MARCH, filename="a.csv")
    assert [r.outcome for r in plan.rows] == ["record"]


def test_the_pages_preview_then_confirm(login, personas, ledger):
    client = login("branch1")
    url = reverse("org:dues-import")
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "代扣.xlsx"
    page = client.post(url, {"file": upload, "month": "2025-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "将登记 3 条，共 ¥96.00" in text and "系统中没有工号为 P999 的会员" in text
    assert "登记后不能在此撤销" in text  # the confirmation names its consequence
    assert not DuesRecord.objects.filter(paid_via="payroll").exists()
    token = page.context["token"]
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert DuesRecord.objects.filter(paid_via="payroll").count() == 3
    # the token is taken once
    again = client.post(url, {"token": token}, follow=True)
    assert "已过期" in again.content.decode()
    assert DuesRecord.objects.filter(paid_via="payroll").count() == 3


def test_members_cannot_import(login, ledger):
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "代扣.xlsx"
    response = login("worker1").post(
        reverse("org:dues-import"), {"file": upload, "month": "2025-03"}
    )
    assert response.status_code == 403
    assert not DuesRecord.objects.filter(paid_via="payroll").exists()


def test_template_download(login, ledger):
    response = login("branch1").get(reverse("org:dues-import-template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response)))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert header == ["工号", "姓名", "月份", "扣缴金额"]
    # the template's own header is understood by the importer
    assert importer._header_name("扣缴金额") == "扣缴金额"


def test_api_preview_and_confirm(api_client, personas, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client("branch1")

    def post(**fields):
        upload = SimpleUploadedFile("代扣.xlsx", xlsx(ROWS))
        return client.post("/api/v1/org/dues/deductions", {"file": upload, **fields})

    preview = post(month="2025-03")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert (body["to_record"], body["recorded"], body["problems"]) == (3, 0, 7)
    assert not DuesRecord.objects.filter(paid_via="payroll").exists()
    done = post(month="2025-03", confirm="true", expected=body["digest"])
    assert done.status_code == 200 and done.json()["recorded"] == 3
    stale = post(month="2025-03", confirm="true", expected=body["digest"])
    assert stale.status_code == 409 and "detail" in stale.json()
    refused = api_client("worker1").post(
        "/api/v1/org/dues/deductions",
        {"file": SimpleUploadedFile("a.xlsx", xlsx(ROWS)), "month": "2025-03"},
    )
    assert refused.status_code == 403
    assert Member.objects.filter(dues_mode="").count() == Member.objects.count()
