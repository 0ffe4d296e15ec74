"""Lockout: 5 failures lock the account for that client for 30 minutes; we say until when.

test_lockout_abuse.py: what nobody outside can do with it."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from zhijia.accounts.lockout import format_retry_time, lockout_message, lockout_until
from zhijia.accounts.tests.helpers import T0, post_login, post_token
from zhijia.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_lockout_message_says_the_local_time_to_retry():
    with translation.override("zh-hans"):
        # 06:34:20 UTC is 14:34:20 in Shanghai; rounded up so the time shown is never early.
        until = dt.datetime(2026, 3, 2, 6, 34, 20, tzinfo=dt.UTC)
        now = dt.datetime(2026, 3, 2, 6, 4, 20, tzinfo=dt.UTC)
        assert lockout_message(until, now=now) == (
            "登录失败次数过多，账号已暂时锁定。请于 14:35 后再试。"
        )
        # Past local midnight the date is named too.
        until = dt.datetime(2026, 3, 2, 16, 10, tzinfo=dt.UTC)  # 00:10 on 3 March in Shanghai
        now = dt.datetime(2026, 3, 2, 15, 40, tzinfo=dt.UTC)  # 23:40 on 2 March
        assert format_retry_time(until, now=now) == "3月3日 00:10"
        assert "稍后再试" in lockout_message(None)


def test_five_failures_across_identifiers_lock_the_account_until_a_stated_time(personas):
    phone = personas["branch1"].member_record.phone
    client = Client()
    with time_machine.travel(T0, tick=False):
        for identifier in ["E0101", "E0101", phone, phone]:
            response = post_login(client, identifier, "wrong-password")
            assert response.status_code == 200
        assert "再输错 1 次" in response.context["form"].errors["password"][0]
        response = post_login(client, "branch1", "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "请于 14:35 后再试" in html
    assert response["Retry-After"] == "1800"
    # The lock is recorded once in the audit log, on the account.
    event = AuditEvent.objects.get(action="accounts.lock_out")
    assert event.target_id == str(personas["branch1"].pk)
    assert event.data["failures"] == 5


def test_a_lock_holds_for_the_client_that_caused_it(personas):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            post_login(Client(), "E0101", "wrong-password")
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        # The right password from the same address (another identifier of the account) is
        # refused, and refused attempts during the lock do not move its end.
        same = Client()
        response = post_login(same, personas["branch1"].member_record.phone)
        assert response.status_code == 429
        assert "_auth_user_id" not in same.session
        assert "请于 14:35 后再试" in response.content.decode()
        assert lockout_until("branch1") == T0 + dt.timedelta(minutes=30)
        # Other accounts on the same address are not affected.
        assert post_login(Client(), "worker1").status_code == 302
        # Another client signs into the account (issue 11, finding 7: 5 requests from anyone
        # used to lock the account for everyone).
        assert post_login(Client(REMOTE_ADDR="127.0.0.2"), "branch1").status_code == 302


def test_account_unlocks_after_thirty_minutes(personas):
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            post_login(Client(), "branch1", "wrong-password")
    with time_machine.travel(T0 + dt.timedelta(minutes=29, seconds=59), tick=False):
        assert post_login(Client(), "branch1").status_code == 429
    with time_machine.travel(T0 + dt.timedelta(minutes=30, seconds=1), tick=False):
        client = Client()
        response = post_login(client, "branch1")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(personas["branch1"].pk)
        assert lockout_until("branch1") is None


def test_unknown_identifiers_lock_alike(db):
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            assert post_login(Client(), "ghost", "x-password").status_code == 200
        response = post_login(Client(), "ghost", "x-password")
    assert response.status_code == 429
    assert "请于 14:35 后再试" in response.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.lock_out").exists()


def test_api_token_failures_count_and_lock(personas):
    client = Client()
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            response = post_token(client, "E0101", "wrong-password")
            assert response.status_code == 401
            assert response.json()["detail"].startswith("账号或密码不正确。")
        attempt = AccessAttempt.objects.get()
        assert attempt.username == "branch1"
        assert attempt.failures_since_start == 4
        assert attempt.path_info == "/api/v1/auth/token"
        response = post_token(client, "E0101", "wrong-password")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "登录失败次数过多，账号已暂时锁定。请于 14:35 后再试。",
        "errors": {},
    }
    assert response["Retry-After"] == "1800"
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        # The right password through the API is refused too, and so is the login page.
        response = post_token(client, "branch1")
        assert response.status_code == 429
        assert "请于 14:35 后再试" in response.json()["detail"]
        assert post_login(Client(), "branch1").status_code == 429


def test_api_and_page_share_one_counter(personas):
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            post_login(Client(), "worker1", "wrong-password")
        assert post_token(Client(), "worker1", "wrong-password").status_code == 401
        assert post_token(Client(), "worker1", "wrong-password").status_code == 429


def test_api_success_resets_the_counter(personas):
    client = Client()
    for _ in range(4):
        post_token(client, "worker1", "wrong-password")
    response = post_token(client, "worker1")
    assert response.status_code == 200
    assert response.json()["token"]
    assert not AccessAttempt.objects.filter(username="worker1").exists()


def test_api_token_works_for_the_issued_bearer(personas):
    token = post_token(Client(), "E0103").json()["token"]
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["employee_no"] == "E0103"


def test_admin_can_unlock_an_account(personas):
    from zhijia.accounts.actions.accounts import do_unlock_account

    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            post_login(Client(), "worker2", "wrong-password")
        assert lockout_until("worker2") is not None
        with pytest.raises(PermissionDenied):
            do_unlock_account(actor=personas["branch2"], user=personas["worker2"])
        assert do_unlock_account(actor=personas["admin"], user=personas["worker2"]) >= 1
        assert lockout_until("worker2") is None
        assert post_login(Client(), "worker2").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.unlock_account").count() == 1


def test_openapi_documents_the_token_answers(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/auth/token"]["post"]
    assert {"200", "401", "403", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {
        "username",
        "password",
        "otp",
    }
