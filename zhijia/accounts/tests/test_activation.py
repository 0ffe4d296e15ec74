"""Activation and forgotten passwords: the member's pages and API, codes, throttling, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from zhijia.accounts.actions import activation
from zhijia.accounts.models import ActivationCode, ActivationThrottle, ApiToken, User
from zhijia.accounts.tests.activation_helpers import (
    CODE_URL,
    CONFIRM_API,
    FORGOT_URL,
    NEW_PASSWORD,
    PASSWORD_URL,
    REQUEST_API,
    START_URL,
    new_member,
    post_json,
    sms_code,
)
from zhijia.accounts.tests.helpers import post_login, post_token
from zhijia.core.models import AuditEvent, Delivery, Notification
from zhijia.org.actions.members import do_change_member_status, do_transfer_member
from zhijia.org.models import Member, OrgUnit

pytestmark = pytest.mark.django_db


def _start(client, identifier, tail, **extra):
    data = {"identifier": identifier, "id_tail": tail, "action": "sms", **extra}
    return client.post(START_URL, data)


def _activate_by_sms(client, member, id_number, password=NEW_PASSWORD):
    response = _start(client, member.employee_no, id_number[-6:])
    assert response.status_code == 302 and response.url == CODE_URL
    response = client.post(CODE_URL, {"code": sms_code(member.user)})
    assert response.status_code == 302 and response.url == PASSWORD_URL, response.content
    return client.post(PASSWORD_URL, {"password": password, "password2": password})


# --- the happy paths ---------------------------------------------------------------------------


def test_new_member_account_has_no_usable_password(personas):
    member, _id = new_member(personas["branch1"])
    assert member.user is not None and not member.user.has_usable_password()
    response = post_login(Client(), member.employee_no, "anything-at-all")
    assert response.status_code == 200  # refused, form again


def test_activation_by_sms_code_signs_in_and_lands_on_home(personas, settings):
    settings.ZHIJIA_SMS_CHANNEL = "console"
    member, id_number = new_member(personas["branch1"])
    client = Client()
    response = _activate_by_sms(client, member, id_number)
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/")
    assert home.status_code == 200 and member.name in home.content.decode()
    member.user.refresh_from_db()
    assert member.user.check_password(NEW_PASSWORD)
    # The SMS went through the configured SMS channel only, and its text is gone afterwards.
    note = Notification.objects.get(user=member.user, kind=activation.KIND)
    assert list(Delivery.objects.filter(notification=note).values_list("channel", flat=True)) == [
        "console"
    ]
    assert note.body == "" and note.read_at is not None
    # Signs in by 工号 and by phone from now on.
    assert post_login(Client(), member.employee_no, NEW_PASSWORD).status_code == 302
    assert post_login(Client(), member.phone, NEW_PASSWORD).status_code == 302
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "accounts.issue_activation_code" in actions and "accounts.activate" in actions
    assert not any(sms_text_leaks(e.data) for e in AuditEvent.objects.all())


def sms_text_leaks(data) -> bool:
    return "验证码" in str(data)


def test_id_tail_accepts_lower_and_full_width_x(personas):
    member, id_number = new_member(personas["branch1"], serial=7)
    # Pick a member whose ID ends in X if the generated one does not: set it explicitly.
    id_number = id_number[:17] + "X"
    member.set_id_number(id_number)
    member.save()
    client = Client()
    typed = id_number[-6:-1] + "ｘ"  # full-width lower-case x
    response = _start(client, "  " + member.employee_no.lower() + " ", typed)
    assert response.url == CODE_URL
    assert ActivationCode.objects.filter(user=member.user).count() == 1


def test_slip_code_activates_without_sms(personas):
    member, id_number = new_member(personas["branch1"], phone="")
    batch = activation.issue_slip_codes(actor=personas["branch1"], members=[member])
    (_m, code, _expires) = batch.slips[0]
    client = Client()
    typed = activation.format_slip_code(code).lower()
    response = client.post(
        START_URL,
        {
            "identifier": member.employee_no,
            "id_tail": id_number[-6:],
            "slip_code": typed,
            "action": "slip",
        },
    )
    assert response.status_code == 302 and response.url == PASSWORD_URL
    response = client.post(PASSWORD_URL, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=member.user_id).check_password(NEW_PASSWORD)


def test_password_rules_apply_and_keep_the_step(personas):
    member, id_number = new_member(personas["branch1"])
    client = Client()
    _start(client, member.employee_no, id_number[-6:])
    client.post(CODE_URL, {"code": sms_code(member.user)})
    response = client.post(PASSWORD_URL, {"password": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    response = client.post(PASSWORD_URL, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302


def test_api_request_and_confirm_give_a_token(personas):
    member, id_number = new_member(personas["branch1"])
    client = Client()
    response = post_json(
        client, REQUEST_API, {"identifier": member.phone, "id_tail": id_number[-6:]}
    )
    assert response.status_code == 202
    payload = {
        "identifier": member.employee_no,
        "id_tail": id_number[-6:],
        "code": sms_code(member.user),
        "password": NEW_PASSWORD,
    }
    response = post_json(client, CONFIRM_API, payload)
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    me = Client(headers={"Authorization": f"Bearer {token}"})
    assert me.get("/api/v1/me").status_code in (200, 404)  # authenticated
    assert ApiToken.objects.filter(user=member.user).count() == 1
    # The code was used up.
    again = post_json(client, CONFIRM_API, payload)
    assert again.status_code == 400


def test_api_request_answers_the_same_for_unknown_and_wrong_tail(personas):
    member, id_number = new_member(personas["branch1"])
    client = Client()
    wrong = post_json(client, REQUEST_API, {"identifier": member.employee_no, "id_tail": "000000"})
    unknown = post_json(client, REQUEST_API, {"identifier": "NOBODY-1", "id_tail": "000000"})
    assert wrong.status_code == unknown.status_code == 202
    assert wrong.json() == unknown.json()
    assert not ActivationCode.objects.exists()


def test_web_step_one_answers_the_same_for_unknown_and_wrong_tail(personas):
    member, _id = new_member(personas["branch1"])
    a = _start(Client(), member.employee_no, "000000")
    b = _start(Client(), "NOBODY-1", "000000")
    assert a.status_code == b.status_code == 302 and a.url == b.url == CODE_URL
    # Step 2 then fails alike.
    client = Client()
    _start(client, "NOBODY-2", "000000")
    response = client.post(CODE_URL, {"code": "123456"})
    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.content.decode()


# --- codes ------------------------------------------------------------------------------------


def test_codes_are_stored_hashed_and_single_use(personas):
    member, id_number = new_member(personas["branch1"])
    activation.send_activation_code(user=member.user, actor=personas["branch1"])
    code = sms_code(member.user)
    row = ActivationCode.objects.get(user=member.user)
    assert code not in row.code_hash and len(row.code_hash) == 64
    client = Client()
    _start(client, member.employee_no, id_number[-6:])  # within the resend interval: no new SMS
    assert ActivationCode.objects.filter(user=member.user).count() == 1
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    other = Client()
    _start(other, member.employee_no, id_number[-6:])
    response = other.post(CODE_URL, {"code": code})
    assert response.status_code == 400


def test_a_new_code_revokes_the_earlier_one(personas):
    member, id_number = new_member(personas["branch1"])
    activation.send_activation_code(user=member.user)
    first = sms_code(member.user)
    activation.send_activation_code(user=member.user)
    second = sms_code(member.user)
    key = activation.account_key(member.user, "")
    if first != second:
        with pytest.raises(activation.ActivationError):
            activation.check_code(user=member.user, key=key, code=first, ip="10.0.0.1")
    assert activation.check_code(user=member.user, key=key, code=second, ip="10.0.0.1")


def test_expired_codes_are_refused(personas, settings):
    member, id_number = new_member(personas["branch1"])
    activation.send_activation_code(user=member.user)
    code = sms_code(member.user)
    ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = Client()
    _start(client, member.employee_no, id_number[-6:])
    ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(CODE_URL, {"code": code})
    assert response.status_code == 400
    assert not User.objects.get(pk=member.user_id).has_usable_password()


def test_sms_and_slip_lifetimes_come_from_settings(personas, settings):
    settings.ZHIJIA_ACTIVATION_SMS_MINUTES = 7
    settings.ZHIJIA_ACTIVATION_SLIP_DAYS = 12
    member, _id = new_member(personas["branch1"])
    before = timezone.now()
    activation.send_activation_code(user=member.user)
    sms = ActivationCode.objects.get(channel="sms")
    assert dt.timedelta(minutes=6) < sms.expires_at - before <= dt.timedelta(minutes=7, seconds=5)
    activation.issue_slip_codes(actor=personas["branch1"], members=[member])
    slip = ActivationCode.objects.get(channel="slip")
    assert slip.expires_at - before > dt.timedelta(days=11, hours=23)


def test_no_phone_is_a_clear_refusal(personas):
    member, _id = new_member(personas["branch1"], phone="")
    with pytest.raises(activation.NoPhone):
        activation.send_activation_code(user=member.user, actor=personas["branch1"])
    assert not ActivationCode.objects.exists()


# --- members who left --------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["除名", "退休", "转出"])
def test_member_who_left_can_neither_activate_nor_sign_in(personas, how):
    cadre = personas["branch1"]
    member, id_number = new_member(cadre)
    batch = activation.issue_slip_codes(actor=cadre, members=[member])
    code = batch.slips[0][1]
    if how == "除名":
        do_change_member_status(actor=cadre, member=member, status=Member.Status.EXPELLED)
    elif how == "退休":
        do_change_member_status(actor=cadre, member=member, status=Member.Status.RETIRED)
    else:
        do_transfer_member(
            actor=cadre, member=member, to_unit=None, effective_date=timezone.localdate()
        )
    member.refresh_from_db()
    assert member.status != Member.Status.ACTIVE
    client = Client()
    response = post_json(
        client,
        CONFIRM_API,
        {
            "identifier": member.employee_no,
            "id_tail": id_number[-6:],
            "code": code,
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    with pytest.raises(activation.ActivationError):
        activation.send_activation_code(user=User.objects.get(pk=member.user_id))
    assert post_login(Client(), member.employee_no, NEW_PASSWORD).status_code == 200


def test_member_who_left_after_activating_cannot_sign_in(personas):
    cadre = personas["branch1"]
    member, id_number = new_member(cadre)
    _activate_by_sms(Client(), member, id_number)
    do_change_member_status(actor=cadre, member=member, status=Member.Status.RETIRED)
    assert post_login(Client(), member.employee_no, NEW_PASSWORD).status_code == 200
    assert post_token(Client(), member.employee_no, NEW_PASSWORD).status_code == 401


# --- throttling ---------------------------------------------------------------------------------


def test_wrong_id_tail_locks_the_account_key_with_the_time(personas, settings):
    settings.ZHIJIA_ACTIVATION_FAILURES = 3
    member, id_number = new_member(personas["branch1"])
    client = Client()
    for _ in range(3):
        _start(client, member.employee_no, "000000")
    response = _start(client, member.employee_no, id_number[-6:])  # right, but locked
    assert response.status_code == 429
    assert "请于" in response.content.decode() and "后再试" in response.content.decode()
    assert not ActivationCode.objects.exists()
    lock = AuditEvent.objects.get(action="accounts.activation_lock_out")
    assert lock.target_id == str(member.user_id) and lock.data["scope"] == "account"
    # The API says the same, with Retry-After.
    response = post_json(
        Client(), REQUEST_API, {"identifier": member.phone, "id_tail": id_number[-6:]}
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_unknown_identifiers_lock_alike(personas, settings):
    settings.ZHIJIA_ACTIVATION_FAILURES = 2
    client = Client()
    for _ in range(2):
        _start(client, "NOBODY-9", "000000")
    assert _start(client, "NOBODY-9", "000000").status_code == 429


def test_wrong_codes_are_throttled(personas, settings):
    settings.ZHIJIA_ACTIVATION_FAILURES = 3
    member, id_number = new_member(personas["branch1"])
    client = Client()
    _start(client, member.employee_no, id_number[-6:])
    code = sms_code(member.user)
    wrong = "000000" if code != "000000" else "111111"
    first = client.post(CODE_URL, {"code": wrong})
    assert first.status_code == 400 and "再输错 2 次" in first.content.decode()
    client.post(CODE_URL, {"code": wrong})
    client.post(CODE_URL, {"code": wrong})
    response = client.post(CODE_URL, {"code": code})  # the right code, too late
    assert response.status_code == 429
    assert not User.objects.get(pk=member.user_id).has_usable_password()


def test_the_client_address_is_throttled_across_accounts(personas, settings):
    settings.ZHIJIA_ACTIVATION_IP_FAILURES = 3
    member, id_number = new_member(personas["branch1"])
    client = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(3):
        _start(client, f"NOBODY-{n}", "000000")
    response = _start(client, member.employee_no, id_number[-6:])
    assert response.status_code == 429
    lock = AuditEvent.objects.get(action="accounts.activation_lock_out")
    assert lock.data == {"failures": 3, "ip": "10.9.8.7", "scope": "address"}
    other = Client(REMOTE_ADDR="10.9.8.8")
    assert _start(other, member.employee_no, id_number[-6:]).status_code == 302


def test_success_clears_the_account_failures(personas):
    member, id_number = new_member(personas["branch1"])
    client = Client()
    _start(client, member.employee_no, "000000")
    assert ActivationThrottle.objects.filter(key=f"acct:{member.user.username}").exists()
    _activate_by_sms(client, member, id_number)
    assert not ActivationThrottle.objects.filter(key=f"acct:{member.user.username}").exists()


# --- forgotten password -------------------------------------------------------------------------


def test_forgotten_password_resets_and_revokes_tokens(personas):
    worker = personas["worker1"]
    member = worker.member_record
    id_number = member.get_id_number()
    token = ApiToken.issue(worker)
    login_page = Client().get("/accounts/login/").content.decode()
    assert FORGOT_URL in login_page and "忘记密码" in login_page
    client = Client()
    page = client.get(FORGOT_URL)
    assert page.status_code == 200 and "找回密码" in page.content.decode()
    response = client.post(
        FORGOT_URL, {"identifier": member.phone, "id_tail": id_number[-6:], "action": "sms"}
    )
    assert response.status_code == 302
    assert "重置密码" in Notification.objects.filter(user=worker).latest("pk").body
    client.post(CODE_URL, {"code": sms_code(worker)})
    response = client.post(PASSWORD_URL, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(key_hash=ApiToken.hash_key(token)).exists()
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").status_code == 401
    event = AuditEvent.objects.get(action="accounts.reset_password")
    assert event.data["api_tokens_revoked"] == 1
    assert post_login(Client(), member.employee_no, NEW_PASSWORD).status_code == 302


def test_sms_requests_are_limited_per_interval(personas, settings):
    settings.ZHIJIA_ACTIVATION_SMS_INTERVAL_SECONDS = 60
    member, id_number = new_member(personas["branch1"])
    for _ in range(3):
        _start(Client(), member.employee_no, id_number[-6:])
    assert ActivationCode.objects.filter(user=member.user).count() == 1
    ActivationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    _start(Client(), member.employee_no, id_number[-6:])
    assert ActivationCode.objects.filter(user=member.user).count() == 2


def test_pages_fit_a_phone_and_prefill_the_employee_no(personas):
    member, _id = new_member(personas["branch1"])
    page = Client().get(START_URL + f"?u={member.employee_no}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{member.employee_no}"' in html
    assert "<style" not in html.split("</head>")[1] and 'style="' not in html


def test_units_exist(demo_units):
    assert OrgUnit.objects.filter(code="B1-G1").exists()
