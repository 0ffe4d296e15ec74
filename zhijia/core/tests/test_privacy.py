"""Personal information: a member sees who read her sensitive records (a cadre opening her
hardship application or file, page or API, or revealing her full 身份证号; never her own
reads), and downloads everything zhijia holds about her, and nobody else's."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhijia.assistance.actions import registry
from zhijia.assistance.tests.support import make_campaign, member_of, submit
from zhijia.cases.actions import grievances
from zhijia.core.models import AuditEvent
from zhijia.org.actions.members import do_reveal_id_number

pytestmark = pytest.mark.django_db


def _reads(client) -> str:
    page = client.get("/core/me/privacy/")
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index('id="reads-h"') :]


def test_a_member_sees_who_read_her_sensitive_records(login, api_client, personas):
    worker1, branch1 = personas["worker1"], personas["branch1"]
    worker_page = login("worker1")
    assert "目前没有人查看过您的敏感信息" in _reads(worker_page)

    application = submit(worker1, make_campaign(personas["chair"]))
    # Her own reads are not recorded.
    assert worker_page.get(f"/assistance/applications/{application.pk}/").status_code == 200
    assert "目前没有人查看过您的敏感信息" in _reads(worker_page)

    before = AuditEvent.objects.count()
    assert login("branch1").get(f"/assistance/applications/{application.pk}/").status_code == 200
    file = registry.do_create_file(
        actor=branch1, member=member_of(worker1), causes=["illness"], applicant_monthly_income="0"
    )
    assert api_client("branch1").get(f"/api/v1/assistance/files/{file.pk}").status_code == 200
    do_reveal_id_number(actor=personas["chair"], member=member_of(worker1))
    reads = AuditEvent.objects.filter(seq__gt=before, target_type="org.member")
    assert set(reads.values_list("action", flat=True)) == {
        "assistance.read_application",
        "assistance.read_file",
        "org.reveal_id_number",
    }

    html = _reads(worker_page)
    assert "帮扶申请" in html and "困难职工档案" in html and "完整身份证号" in html
    assert str(branch1) in html and str(personas["chair"]) in html
    # Another member sees none of it.
    assert "目前没有人查看过您的敏感信息" in _reads(login("worker2"))


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def _text(workbook) -> str:
    return "\n".join(
        str(cell)
        for ws in workbook.worksheets
        for row in ws.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_a_member_downloads_her_data_and_nobody_elses(login, personas):
    worker1, worker2 = personas["worker1"], personas["worker2"]
    submit(worker1, make_campaign(personas["chair"]))
    grievances.do_submit_grievance(
        actor=worker1, kind="grievance", category="wages", text="车间连续三个月没有发夜班津贴。"
    )
    grievances.do_submit_grievance(
        actor=worker2, kind="grievance", category="wages", text="二车间的食堂太远了，饭是凉的。"
    )
    before = AuditEvent.objects.count()
    workbook = _workbook(login("worker1").get("/core/me/data.xlsx"))
    names = workbook.sheetnames
    for sheet in ("账号", "角色", "会员档案", "会费", "我的诉求", "帮扶申请", "心理咨询预约"):
        assert sheet in names, names
    text = _text(workbook)
    me = member_of(worker1)
    assert me.employee_no in text and me.name in text and me.id_number_masked in text
    assert me.get_id_number() not in text, "the full 身份证号 is not handed out"
    assert "车间连续三个月没有发夜班津贴" in text
    assert "二车间的食堂太远了" not in text and member_of(worker2).name not in text
    download = AuditEvent.objects.get(seq__gt=before, action="privacy.download_own_data")
    assert download.actor_id == worker1.pk and download.data["rows"] >= 4


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in ("/core/me/privacy/", "/core/me/data.xlsx"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_account_without_a_member_record_is_told_so(login):
    html = login("admin").get("/core/me/privacy/").content.decode()
    assert "您没有会员档案" in html
