"""Cadre pages of activation: the list with counts, resending SMS codes, activation slips."""

from __future__ import annotations

import math

import pytest
from django.test import Client

from zhijia.accounts.actions import activation
from zhijia.accounts.models import ActivationCode
from zhijia.accounts.slips import SLIP_MARKER, SLIPS_PER_PAGE, slips_html
from zhijia.accounts.tests.activation_helpers import (
    CONFIRM_API,
    NEW_PASSWORD,
    new_member,
    pdf_page_count,
    pdf_slip_numbers,
    post_json,
)
from zhijia.core.models import AuditEvent
from zhijia.org.models import OrgUnit

pytestmark = pytest.mark.django_db

LIST_URL = "/accounts/activation/manage/"
SMS_URL = "/accounts/activation/manage/sms/"
SLIPS_URL = "/accounts/activation/manage/slips/"


def _group_members(cadre, n: int, unit_code: str = "B1-G2", prefix: str = "S"):
    return [
        new_member(
            cadre, f"{prefix}{i:03d}", unit_code=unit_code, serial=300 + i, phone=f"1371234{i:04d}"
        )
        for i in range(n)
    ]


def test_worker_gets_403_everywhere(login):
    client = login("worker1")
    unit = OrgUnit.objects.get(code="B1-G1")
    assert client.get(LIST_URL).status_code == 403
    assert client.get(SLIPS_URL, {"unit": unit.pk}).status_code == 403
    assert client.post(SLIPS_URL, {"unit": unit.pk}).status_code == 403
    assert client.post(SMS_URL, {"unit": unit.pk}).status_code == 403


def test_branch_chair_cannot_reach_another_branch(login, personas):
    client = login("branch1")
    other = OrgUnit.objects.get(code="B2")
    group = OrgUnit.objects.get(code="B2-G1")
    assert client.get(LIST_URL, {"unit": other.pk}).status_code == 404
    assert client.get(SLIPS_URL, {"unit": group.pk}).status_code == 404
    assert client.post(SLIPS_URL, {"unit": other.pk}).status_code == 404
    assert client.post(SMS_URL, {"unit": other.pk}).status_code == 404
    worker2 = personas["worker2"].member_record
    assert client.post(SLIPS_URL, {"ids": [worker2.pk]}).status_code == 404
    assert not ActivationCode.objects.exists()


def test_list_shows_scope_state_and_counts(login, personas):
    cadre = personas["branch1"]
    (m1, _i1), (m2, id2) = _group_members(cadre, 2)
    activation.issue_slip_codes(actor=cadre, members=[m1])
    client = login("branch1")
    page = client.get(LIST_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert m1.employee_no in html and m2.employee_no in html
    assert personas["worker2"].member_record.employee_no not in html  # another branch
    counts = {c["unit"].code: (c["done"], c["total"]) for c in page.context["counts"]}
    assert counts["B1-G2"] == (0, 2)
    assert counts["B1"][1] >= 4 and counts["B1"][0] >= 2  # branch1, rep1, worker1 activated
    members = {m.employee_no: m for m in page.context["members"]}
    assert members[m1.employee_no].code_channel == "slip"
    assert members[m2.employee_no].code_expires is None
    group = OrgUnit.objects.get(code="B1-G2")
    not_yet = client.get(LIST_URL, {"unit": group.pk, "state": "no"}).context["members"]
    assert {m.employee_no for m in not_yet} == {m1.employee_no, m2.employee_no}
    done = client.get(LIST_URL, {"unit": group.pk, "state": "yes"}).context["members"]
    assert list(done) == []


def test_resend_sms_single_and_bulk(login, personas):
    cadre = personas["branch1"]
    pairs = _group_members(cadre, 3)
    no_phone, _id = new_member(cadre, "S900", unit_code="B1-G2", phone="", serial=390)
    client = login("branch1")
    response = client.post(SMS_URL, {"ids": [pairs[0][0].pk]})
    assert response.status_code == 302
    assert ActivationCode.objects.filter(channel="sms").count() == 1
    group = OrgUnit.objects.get(code="B1-G2")
    response = client.post(SMS_URL, {"unit": group.pk}, follow=True)
    text = response.content.decode()
    assert "已发送 3 条短信验证码" in text
    assert "1 人没有登记手机号" in text and no_phone.name in text
    assert ActivationCode.objects.filter(channel="sms", revoked_at__isnull=True).count() == 3
    issued = AuditEvent.objects.filter(action="accounts.issue_activation_code")
    assert issued.count() == 4 and all(e.actor_label == "branch1" for e in issued)


def test_slips_preview_says_who_is_skipped_and_pdf_has_one_slip_each(login, personas):
    cadre = personas["branch1"]
    pairs = _group_members(cadre, 7, unit_code="B1-G1")
    group = OrgUnit.objects.get(code="B1-G1")
    client = login("branch1")
    preview = client.get(SLIPS_URL, {"unit": group.pk})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "将为 7 名未激活的会员" in text
    assert "已激活，将跳过" in text and personas["worker1"].full_name in text
    response = client.post(SLIPS_URL, {"unit": group.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Slip-Count"] == "7"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == math.ceil(7 / SLIPS_PER_PAGE)
    assert sorted(pdf_slip_numbers(pdf)) == sorted(m.employee_no for m, _i in pairs)
    event = AuditEvent.objects.get(action="accounts.issue_activation_slips")
    assert event.data["count"] == 7 and event.data["already_active"] >= 2
    assert event.unit_path == group.path and event.actor_label == "branch1"
    # Only digests are stored; the audit event lists no code.
    assert ActivationCode.objects.filter(channel="slip").count() == 7
    for code_row in ActivationCode.objects.all():
        assert code_row.code_hash not in str(event.data)


def test_slip_html_has_one_marker_per_member_and_the_qr_url(personas, rf):
    cadre = personas["branch1"]
    pairs = _group_members(cadre, 4)
    batch = activation.issue_slip_codes(actor=cadre, members=[m for m, _i in pairs])
    html = slips_html(batch, rf.get("/"))
    assert html.count(SLIP_MARKER) == 4
    assert html.count("<svg") == 4
    for member, _i in pairs:
        assert member.name in html and member.employee_no in html
    for _m, code, _e in batch.slips:
        assert activation.format_slip_code(code) in html


def test_printing_again_revokes_the_earlier_slip(personas):
    cadre = personas["branch1"]
    member, id_number = new_member(cadre, "S500", serial=350)
    first = activation.issue_slip_codes(actor=cadre, members=[member]).slips[0][1]
    second = activation.issue_slip_codes(actor=cadre, members=[member]).slips[0][1]
    payload = {
        "identifier": member.employee_no,
        "id_tail": id_number[-6:],
        "password": NEW_PASSWORD,
    }
    if first != second:
        assert post_json(Client(), CONFIRM_API, {**payload, "code": first}).status_code == 400
    assert post_json(Client(), CONFIRM_API, {**payload, "code": second}).status_code == 200
    # Activated now: a third print skips the member.
    batch = activation.issue_slip_codes(actor=cadre, members=[member])
    assert batch.slips == [] and batch.already_active == [member]


def test_selection_of_members_prints_only_those(login, personas):
    cadre = personas["branch1"]
    pairs = _group_members(cadre, 4)
    client = login("branch1")
    chosen = [pairs[0][0], pairs[2][0]]
    response = client.post(SLIPS_URL, {"ids": [m.pk for m in chosen]})
    assert response.status_code == 200
    assert sorted(pdf_slip_numbers(response.content)) == sorted(m.employee_no for m in chosen)


def test_menu_entry_for_cadres_only(login):
    assert LIST_URL in login("branch1").get("/").content.decode()
    assert LIST_URL not in login("worker1").get("/").content.decode()


def test_batches_are_capped(login, personas, monkeypatch):
    from zhijia.accounts.views import manage as views_manage

    cadre = personas["branch1"]
    _group_members(cadre, 3)
    monkeypatch.setattr(views_manage, "MAX_BATCH", 2)
    group = OrgUnit.objects.get(code="B1-G2")
    client = login("branch1")
    response = client.post(SLIPS_URL, {"unit": group.pk}, follow=True)
    assert "一次最多处理 2 人" in response.content.decode()
    response = client.post(SMS_URL, {"unit": group.pk}, follow=True)
    assert "一次最多处理 2 人" in response.content.decode()
    assert not ActivationCode.objects.exists()
