"""Member pages: list (htmx search, bulk actions), detail with audited reveal, forms, export,
the member's own page. ID numbers appear masked everywhere unless revealed on purpose."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from zhijia.core.models import AuditEvent
from zhijia.org.exports import ROSTER_HEADERS
from zhijia.org.models import DuesRecord, Member, MemberTransfer, OrgUnit
from zhijia.org.tests.member_factory import make_member, valid_id_number


def full_ids():
    return [m.get_id_number() for m in Member.objects.all()]


def assert_no_full_id(text):
    for id_number in full_ids():
        assert id_number not in text
        # nor its first 17 digits (a page must not leak the number with a different last char)
        assert id_number[:17] not in text


def field_errors(html, name):
    """Error messages rendered next to one form field (by the shared _field.html include)."""
    return re.findall(rf'id="id_{name}_error"[^>]*>([^<]+)<', html)


@pytest.fixture
def b1_member(demo_units):
    return make_member("B1-G2", name="林一", phone="13600001111")


@pytest.fixture
def b2_member(demo_units):
    return make_member("B2-G2", name="林二", phone="13600002222")


def test_member_list_shows_masked_ids_only(login, personas, b1_member):
    html = login("chair").get("/org/members/").content.decode()
    assert b1_member.id_number_masked in html
    assert "陈小红" in html and "刘伟" in html
    assert_no_full_id(html)


def test_member_list_live_search_returns_the_table_partial(login, personas, b1_member):
    c = login("branch1")
    response = c.get("/org/members/?q=lin", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="dense members"' in html
    assert "林一" in html and "陈小红" not in html
    assert_no_full_id(html)
    full = c.get("/org/members/?q=lin").content.decode()
    assert "<html" in full and 'hx-get="/org/members/"' in full


def test_member_list_filters_and_invalid_filter_values(login, personas, b1_member):
    c = login("branch1")
    b1g2 = OrgUnit.objects.get(code="B1-G2")
    html = c.get(f"/org/members/?unit={b1g2.pk}").content.decode()
    assert "林一" in html and "陈小红" not in html
    # a unit outside the scope is not a valid choice: the filter is ignored and flagged
    b2 = OrgUnit.objects.get(code="B2")
    response = c.get(f"/org/members/?unit={b2.pk}&join_year=abc&page=zz")
    html = response.content.decode()
    assert response.status_code == 200
    assert "刘伟" not in html and "陈小红" in html
    assert 'class="error"' in html


def test_member_detail_masks_and_reveal_is_audited(login, personas, b1_member):
    c = login("branch1")
    url = f"/org/members/{b1_member.pk}/"
    html = c.get(url).content.decode()
    assert b1_member.id_number_masked in html
    assert_no_full_id(html)
    assert "查看完整号码" in html
    assert AuditEvent.objects.filter(action="org.reveal_id_number").count() == 0

    assert c.get(url + "reveal-id/").status_code == 405
    response = c.post(url + "reveal-id/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b1_member.get_id_number() in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    response = c.post(url + "reveal-id/")
    assert b1_member.get_id_number() in response.content.decode()
    revealed = AuditEvent.objects.filter(action="org.reveal_id_number")
    assert revealed.count() == 2
    assert {e.actor_id for e in revealed} == {personas["branch1"].pk}
    assert {e.target_id for e in revealed} == {str(b1_member.pk)}


def test_reveal_button_hidden_and_refused_without_permission(login, personas, b1_member):
    c = login("admin")  # may view members, not ID numbers
    url = f"/org/members/{b1_member.pk}/"
    assert "查看完整号码" not in c.get(url).content.decode()
    assert c.post(url + "reveal-id/").status_code == 403
    assert login("branch2").post(url + "reveal-id/").status_code == 404
    assert AuditEvent.objects.filter(action="org.reveal_id_number").count() == 0


def _create_post(**overrides):
    data = {
        "employee_no": "N1001",
        "name": "韩梅梅",
        "gender": "F",
        "id_number": valid_id_number("F"),
        "phone": "13700001234",
        "org_unit": str(OrgUnit.objects.get(code="B1-G3").pk),
        "department": "",
        "job": "检修工",
        "employment_type": "regular",
        "join_date": "2022-03-01",
        "monthly_wage": "6100",
    }
    data.update(overrides)
    return data


def test_create_form_shows_errors_next_to_fields(login, personas):
    c = login("branch1")
    response = c.post("/org/members/new/", _create_post(id_number="110105194912310021"))
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "id_number") == ["身份证号校验位不正确"]

    response = c.post("/org/members/new/", _create_post(gender="M"))
    assert field_errors(response.content.decode(), "gender") == [
        "性别与身份证号不符（第17位奇数为男、偶数为女）"
    ]

    response = c.post("/org/members/new/", _create_post(employee_no="E0103"))
    assert field_errors(response.content.decode(), "employee_no") == ["工号 E0103 已被其他会员使用"]

    response = c.post("/org/members/new/", _create_post(name="", phone="abc"))
    html = response.content.decode()
    assert field_errors(html, "name") and field_errors(html, "phone") == ["手机号应为5至15位数字"]

    b2 = OrgUnit.objects.get(code="B2-G1")
    response = c.post("/org/members/new/", _create_post(org_unit=str(b2.pk)))
    assert response.status_code == 400 and field_errors(response.content.decode(), "org_unit")
    assert not Member.objects.filter(employee_no="N1001").exists()


def test_create_form_saves_and_redirects(login, personas):
    c = login("branch1")
    form_html = c.get("/org/members/new/").content.decode()
    assert "第一分工会" in form_html and "第二分工会" not in form_html
    response = c.post("/org/members/new/", _create_post(id_number=" " + valid_id_number("F")))
    member = Member.objects.get(employee_no="N1001")
    assert response.status_code == 302 and response["Location"] == f"/org/members/{member.pk}/"
    assert member.org_unit.code == "B1-G3" and member.join_date == dt.date(2022, 3, 1)
    assert AuditEvent.objects.filter(action="org.create_member", target_id=str(member.pk)).exists()


def test_edit_form_keeps_the_id_number_when_left_blank(login, personas, b1_member):
    c = login("branch1")
    url = f"/org/members/{b1_member.pk}/edit/"
    html = c.get(url).content.decode()
    assert b1_member.id_number_masked in html
    assert_no_full_id(html)
    old_id = b1_member.get_id_number()
    data = {
        "employee_no": b1_member.employee_no,
        "name": "林一一",
        "gender": b1_member.gender,
        "id_number": "",
        "phone": b1_member.phone,
        "department": "",
        "job": "班长",
        "employment_type": "regular",
        "join_date": "2015-06-01",
        "monthly_wage": "6000.00",
    }
    response = c.post(url, data)
    assert response.status_code == 302
    b1_member.refresh_from_db()
    assert (b1_member.name, b1_member.job) == ("林一一", "班长")
    assert b1_member.get_id_number() == old_id
    event = AuditEvent.objects.get(action="org.update_member")
    assert event.data["fields"] == ["job", "name"]
    response = c.post(url, {**data, "gender": "F" if b1_member.gender == "M" else "M"})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "gender")


def test_transfer_form_and_history(login, personas, b1_member):
    c = login("branch1")
    url = f"/org/members/{b1_member.pk}/transfer/"
    html = c.get(url).content.decode()
    assert "运行班组" in html and "输配电班组" not in html  # B1-G4 yes, B2-G1 no
    b1g4 = OrgUnit.objects.get(code="B1-G4")
    response = c.post(url, {"to_unit": str(b1g4.pk), "effective_date": "2024-08-01", "reason": ""})
    assert response.status_code == 302
    b1_member.refresh_from_db()
    assert b1_member.org_unit == b1g4
    html = c.get(f"/org/members/{b1_member.pk}/").content.decode()
    assert "2024-08-01" in html and "发电二班组" in html and "运行班组" in html
    # a sibling branch's unit is not offered and not accepted
    b2 = OrgUnit.objects.get(code="B2-G1")
    response = c.post(url, {"to_unit": str(b2.pk), "effective_date": "2024-09-01"})
    assert response.status_code == 400
    # out of the union
    response = c.post(url, {"to_unit": "out", "effective_date": "2024-10-01", "reason": "调离"})
    assert response.status_code == 302
    b1_member.refresh_from_db()
    assert b1_member.status == Member.Status.TRANSFERRED_OUT
    assert MemberTransfer.objects.filter(member=b1_member).count() == 2


def test_status_form(login, personas, b1_member):
    c = login("branch1")
    url = f"/org/members/{b1_member.pk}/status/"
    assert c.post(url, {"status": "retired", "reason": "到龄"}).status_code == 302
    b1_member.refresh_from_db()
    assert b1_member.status == Member.Status.RETIRED
    assert c.post(url, {"status": "transferred_out"}).status_code == 400


def test_bulk_status_only_touches_members_in_scope(login, personas, b1_member, b2_member):
    c = login("branch1")
    response = c.post(
        "/org/members/bulk/",
        {"ids": [b1_member.pk, b2_member.pk, "99999999999999999999999", "x"], "status": "retired"},
    )
    assert response.status_code == 302
    b1_member.refresh_from_db()
    b2_member.refresh_from_db()
    assert b1_member.status == Member.Status.RETIRED
    assert b2_member.status == Member.Status.ACTIVE
    # nothing ticked: a message, no change
    assert c.post("/org/members/bulk/", {"status": "expelled"}).status_code == 302
    assert Member.objects.filter(status=Member.Status.EXPELLED).count() == 0


def _sheet_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content)
    for close in response._resource_closers:  # the file, as the WSGI server would
        close()
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in wb.active.iter_rows(values_only=True)]


def test_excel_export_has_roster_columns_and_masked_ids(login, personas, b1_member, b2_member):
    response = login("chair").get("/org/members/export/")
    assert response.status_code == 200
    rows = _sheet_rows(response)
    assert rows[0] == ROSTER_HEADERS
    assert len(rows) - 1 == Member.objects.count()
    by_no = {r[0]: r for r in rows[1:]}
    row = by_no[b1_member.employee_no]
    assert row[1] == "林一" and row[3] == b1_member.id_number_masked
    assert row[5] == "发电二班组" and row[10] == 6000
    text = repr(rows)
    assert_no_full_id(text)
    event = AuditEvent.objects.get(action="org.export_members")
    assert event.data["count"] == Member.objects.count()


def test_excel_export_follows_filters_and_scope(login, personas, b1_member, b2_member):
    rows = _sheet_rows(login("branch1").get("/org/members/export/?q=lin"))
    assert [r[1] for r in rows[1:]] == ["林一"]
    rows = _sheet_rows(login("branch1").get("/org/members/export/"))
    assert {r[5] for r in rows[1:]} <= {"第一分工会", "发电一班组", "发电二班组"}
    assert "刘伟" not in [r[1] for r in rows[1:]]


def test_export_selected_rows(login, personas, b1_member, b2_member):
    w1 = personas["worker1"].member_record
    response = login("branch1").post(
        "/org/members/export/", {"ids": [b1_member.pk, w1.pk, b2_member.pk]}
    )
    rows = _sheet_rows(response)
    assert sorted(r[1] for r in rows[1:]) == ["林一", "陈小红"]  # b2 is out of scope
    assert_no_full_id(repr(rows))


def test_me_page_for_the_member_on_the_phone(login, personas, demo_units):
    member = personas["worker1"].member_record
    DuesRecord.objects.create(
        member=member, month=dt.date(2024, 5, 1), wage_income=5679.99, amount="28.35"
    )
    MemberTransfer.objects.create(
        member=member,
        from_unit=demo_units["B1-G2"],
        to_unit=demo_units["B1-G1"],
        effective_date=dt.date(2023, 2, 1),
        reason="班组调整",
    )
    html = login("worker1").get("/org/me/").content.decode()
    assert "陈小红" in html and member.id_number_masked in html
    assert "2024-05" in html and "28.35" in html and "尚有未缴会费" in html
    assert "班组调整" in html and "发电二班组" in html
    assert 'name="viewport"' in html
    assert_no_full_id(html)
    html = login("handler1").get("/org/me/").content.decode()
    assert "还没有关联会员档案" in html


def test_navigation_entries_for_cadres_only(login, personas):
    html = login("branch1").get("/org/me/").content.decode()
    assert 'href="/org/members/"' in html and 'href="/org/dues/"' in html
    html = login("worker1").get("/org/me/").content.decode()
    assert 'href="/org/members/"' not in html and 'href="/org/dues/"' not in html


def test_member_list_links_to_the_roster_import(login, personas):
    html = login("branch1").get("/org/members/").content.decode()
    assert 'href="/org/members/import/"' in html and "导入花名册" in html
    assert login("branch1").get("/org/members/import/").status_code == 200
