"""Registrations of pregnancy and birth: her consent, encryption at rest, who may read them
(and that each read is audited), withdrawal, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment
from zhijia.core.errors import ActionRefused
from zhijia.core.models import AuditEvent, Notification
from zhijia.org.models import Department
from zhijia.women.actions import registrations as actions
from zhijia.women.models import Registration
from zhijia.women.tests.support import committee, province, register_birth


@pytest.fixture
def personas(module_personas):
    return module_personas


@pytest.fixture
def registration(db, personas):
    return register_birth(personas["worker1"])


def test_sensitive_fields_are_ciphertext_in_the_database_and_in_a_dump(registration, tmp_path):
    birth = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM women_registration WHERE id = %s", [registration.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    dump = tmp_path / "women.json"
    call_command("dumpdata", "women.registration", output=str(dump), verbosity=0)
    for text in (row, dump.read_text(encoding="utf-8")):
        for secret in (birth, "birth", "difficult", "babies", "生育"):
            assert secret not in text
    assert registration.details_encrypted.startswith("gAAAA")  # a Fernet token
    details = Registration.objects.get(pk=registration.pk).get_details()
    assert (details.kind, details.babies, details.difficult) == ("birth", 2, True)


def test_she_sees_her_entitlements_and_her_own_reads_are_not_audited(registration, login):
    response = login("worker1").get(f"/women/registrations/{registration.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    birth = timezone.localdate() - dt.timedelta(days=10)
    start = birth - dt.timedelta(days=15)
    # 98 + 15 (difficult) + 15 (twins) + 60 (北京) = 188 days
    assert f"{start:%Y-%m-%d} 至 {start + dt.timedelta(days=187):%Y-%m-%d}" in html
    assert "共 188 天" in html
    assert "每天 120 分钟哺乳时间" in html
    assert not AuditEvent.objects.filter(action="women.read_registration").exists()


def test_the_committee_of_her_unit_reads_it_and_the_read_is_audited(registration, personas, login):
    response = login("women1").get(f"/women/registrations/{registration.pk}/")
    assert response.status_code == 200
    assert "共 188 天" in response.content.decode()
    event = AuditEvent.objects.get(action="women.read_registration")
    assert event.actor_id == personas["women1"].pk
    assert event.target_type == "org.member"
    assert event.target_id == str(registration.member_id)


def test_nobody_else_sees_it(registration, personas, login, api_client):
    # branch2 on the women workers' committee of ANOTHER branch: not revealed.
    committee(personas["branch2"], "B2")
    path = f"/women/registrations/{registration.pk}/"
    api = f"/api/v1/women/registrations/{registration.pk}"
    assert login("branch2").get(path).status_code == 404
    assert api_client("branch2").get(api).status_code == 404
    # The chair (cadre of the whole union, without the committee role) and the admin: 403.
    for persona in ("chair", "admin", "handler1", "worker2"):
        assert login(persona).get(path).status_code == 403, persona
        assert api_client(persona).get(api).status_code == 403, persona
    # Another woman member (branch1 is one) is not told that the record exists.
    assert login("branch1").get(path).status_code == 404
    assert login("chair").get("/women/committee/registrations/").status_code == 403
    assert not AuditEvent.objects.filter(action="women.read_registration").exists()


def test_registering_needs_her_consent_and_a_woman_member(db, personas):
    with pytest.raises(ActionRefused) as refused:
        actions.do_register_pregnancy(
            actor=personas["worker1"],
            kind="pregnancy",
            province=province(),
            consent=False,
            expected_date=timezone.localdate() + dt.timedelta(days=100),
        )
    assert refused.value.field == "consent"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        register_birth(personas["worker2"])  # a man
    assert not Registration.objects.exists()


def test_the_api_registers_a_birth_with_her_consent(db, personas, api_client):
    body = {
        "kind": "birth",
        "province_id": province("guangdong").pk,
        "consent": True,
        "babies": 1,
        "birth_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
    }
    response = api_client("worker1").post(
        "/api/v1/women/registrations", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["leave"]["days"] == 98 + 80
    assert data["nursing_minutes_per_day"] == 60
    refused = api_client("worker1").post(
        "/api/v1/women/registrations", {**body, "consent": False}, content_type="application/json"
    )
    assert refused.status_code == 400 and "consent" in refused.json()["errors"]


def test_withdrawing_deletes_the_registration_and_its_reminders(registration, login):
    client = login("worker1")
    response = client.post(f"/women/registrations/{registration.pk}/withdraw/")
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert actions.sweep_reminders(timezone.localdate()) == 0
    event = AuditEvent.objects.get(action="women.withdraw")
    assert "birth" not in str(event.data)


def test_reminders_go_to_her_and_only_with_her_consent_to_her_department(db, personas):
    worker = personas["worker1"]
    handler = personas["handler1"]
    department = Department.objects.get(code="D-PROD")
    RoleAssignment.objects.create(user=handler, role=Role.HANDLER, department=department)
    expected = timezone.localdate() + dt.timedelta(days=100)
    kwargs = {"kind": "pregnancy", "province": province(), "consent": True}
    without = actions.do_register_pregnancy(actor=worker, expected_date=expected, **kwargs)
    leave_start = expected - dt.timedelta(days=15)
    assert actions.sweep_reminders(leave_start) == 1
    assert Notification.objects.filter(user=worker, kind="women.leave_start").count() == 1
    assert not Notification.objects.filter(user=handler).exists()
    assert actions.sweep_reminders(leave_start) == 0  # once
    actions.do_withdraw_registration(actor=worker, registration=without)
    actions.do_register_pregnancy(
        actor=worker, expected_date=expected, department_consent=True, **kwargs
    )
    assert actions.sweep_reminders(leave_start) == 1
    to_handler = Notification.objects.get(user=handler)
    assert to_handler.kind == "women.department_leave_start"
    assert "陈小红" in to_handler.body and "难产" not in to_handler.body


def test_her_download_holds_her_registration_and_the_reads_page_names_the_reader(
    registration, personas, login
):
    from zhijia.core.privacy import personal_data_for, reads_of

    sheets = {str(s.title): s for s in personal_data_for(personas["worker1"])}
    rows = list(sheets["孕产登记"].rows)
    assert len(rows) == 1 and rows[0][0] == "生育" and rows[0][1] == "北京"
    login("women1").get(f"/women/registrations/{registration.pk}/")
    assert [e.actor_id for e in reads_of(registration.member_id)] == [personas["women1"].pk]


def test_the_committee_members_workspace_links_her_pages(db, personas, login):
    home = login("women1").get("/")
    assert home.status_code == 200
    html = home.content.decode()
    for url in ("/women/committee/registrations/", "/women/desk/rooms/", "/women/provinces/"):
        assert url in html
    assert 'data-entrance="women.home"' not in html  # no member record: no member services
