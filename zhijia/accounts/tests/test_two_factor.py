"""Two-factor sign-in: enrolment with QR code, the code step, backup codes, the API."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhijia.accounts.tests.helpers import T0, current_totp, post_login, post_token
from zhijia.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SETUP_URL = "/accounts/two-factor/setup/"
VERIFY_URL = "/accounts/two-factor/"
SECURITY_URL = "/accounts/security/"


def _enrol(client: Client, traveller, next_url: str = SECURITY_URL) -> tuple[TOTPDevice, list]:
    """Walk the enrolment page as a person with an authenticator app would."""
    page = client.get(SETUP_URL, {"next": next_url})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "</svg>" in html  # the QR code, inline
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    assert len(secret.replace(" ", "")) == 32
    response = client.post(SETUP_URL, {"code": "000000", "next": next_url})
    assert "验证码不正确" in response.context["form"].errors["code"][0]
    traveller.shift(dt.timedelta(seconds=30))  # past the throttle delay and into a new step
    device.refresh_from_db()
    response = client.post(SETUP_URL, {"code": current_totp(device), "next": next_url})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_admin_is_forced_to_enrol_before_anything_else(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        response = post_login(client, "admin")
        assert response.status_code == 302
        assert response.url == f"{SETUP_URL}?next=%2F"
        # Every other page sends the admin back to enrolment; the password page too.
        for path in ["/", SECURITY_URL, "/accounts/password/"]:
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.url.startswith(SETUP_URL), path
        assert "必须启用两步验证" in client.get(SETUP_URL).content.decode()
        _enrol(client, traveller)
        assert client.get(SECURITY_URL).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.enable_two_factor").count() == 1


def test_required_roles_are_configurable(personas, settings):
    settings.ZHIJIA_REQUIRE_2FA_ROLES = ["admin", "cadre"]
    client = Client()
    response = post_login(client, "branch1")
    assert response.url.startswith(SETUP_URL)


def test_cadre_may_enrol_and_is_then_asked_for_a_code(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        assert post_login(client, "branch1").url == "/"
        assert client.get(SECURITY_URL).status_code == 200  # optional: no forced enrolment
        assert "未启用" in client.get(SECURITY_URL).content.decode()
        device, _codes = _enrol(client, traveller)
        client.post("/accounts/logout/")

        traveller.shift(dt.timedelta(minutes=1))
        response = client.post(
            "/accounts/login/",
            {"username": "E0101", "password": "zhijia-demo", "next": SECURITY_URL},
        )
        assert response.url == f"{VERIFY_URL}?next=%2Faccounts%2Fsecurity%2F"
        # Until the code is given, nothing else opens, enrolling a new device included.
        assert client.get(SECURITY_URL).url.startswith(VERIFY_URL)
        assert client.get(SETUP_URL).url.startswith(VERIFY_URL)

        response = client.post(VERIFY_URL, {"code": "123456", "next": SECURITY_URL})
        assert response.status_code == 200
        assert response.context["form"].errors["code"] == [
            "验证码不正确或已过期，请输入验证器上当前显示的 6 位数字。"
        ]
        # Right away, a second try is throttled.
        response = client.post(VERIFY_URL, {"code": "123456", "next": SECURITY_URL})
        assert "尝试次数过多" in response.context["form"].errors["code"][0]

        traveller.shift(dt.timedelta(seconds=30))
        device.refresh_from_db()
        response = client.post(VERIFY_URL, {"code": current_totp(device), "next": SECURITY_URL})
        assert response.status_code == 302
        assert response.url == SECURITY_URL
        page = client.get(SECURITY_URL).content.decode()
        assert "已启用" in page and "剩余备用码 10 个" in page


def test_a_code_is_accepted_only_once(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        post_login(client, "branch2")
        device, _ = _enrol(client, traveller)
        used = current_totp(device)  # the code just used to confirm the enrolment
        client.post("/accounts/logout/")
        post_login(client, "branch2")
        response = client.post(VERIFY_URL, {"code": used})
        assert response.status_code == 200
        assert client.get(SECURITY_URL).status_code == 302


def test_backup_code_signs_in_once(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        post_login(client, "chair")
        _device, codes = _enrol(client, traveller)
        client.post("/accounts/logout/")

        post_login(client, "chair")
        response = client.post(VERIFY_URL, {"code": codes[0].upper()})
        assert response.status_code == 302
        assert "还剩 9 个" in client.get(SECURITY_URL).content.decode()
        client.post("/accounts/logout/")

        traveller.shift(dt.timedelta(seconds=5))
        post_login(client, "chair")
        response = client.post(VERIFY_URL, {"code": codes[0]})
        assert response.status_code == 200  # used up


def test_regenerating_backup_codes_replaces_them(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        post_login(client, "branch1")
        _device, old = _enrol(client, traveller)
        response = client.post("/accounts/two-factor/backup-codes/")
        new = response.context["codes"]
    assert set(new).isdisjoint(old)
    tokens = set(
        StaticDevice.objects.get(user=personas["branch1"]).token_set.values_list("token", flat=True)
    )
    assert tokens == set(new)


def test_cadre_can_turn_two_factor_off_with_password_admin_cannot(personas):
    with time_machine.travel(T0, tick=False) as traveller:
        cadre = Client()
        post_login(cadre, "branch1")
        _enrol(cadre, traveller)
        response = cadre.post("/accounts/two-factor/disable/", {"password": "wrong"})
        assert response.status_code == 400
        assert response.context["disable_form"].errors["password"] == [
            "当前密码不正确，请重新输入。"
        ]
        response = cadre.post("/accounts/two-factor/disable/", {"password": "zhijia-demo"})
        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=personas["branch1"]).exists()
        assert not StaticDevice.objects.filter(user=personas["branch1"]).exists()

        admin = Client()
        post_login(admin, "admin")
        _enrol(admin, traveller)
        assert "不能关闭" in admin.get(SECURITY_URL).content.decode()
        admin.post("/accounts/two-factor/disable/", {"password": "zhijia-demo"})
        assert TOTPDevice.objects.filter(user=personas["admin"], confirmed=True).exists()


def test_api_token_needs_the_code_once_a_device_is_enrolled(personas):
    with time_machine.travel(T0, tick=False) as traveller:
        # An admin without a device cannot get around enrolment through the API.
        response = post_token(Client(), "admin")
        assert response.status_code == 403
        assert "两步验证" in response.json()["detail"]

        client = Client()
        post_login(client, "branch1")
        device, codes = _enrol(client, traveller)
        response = post_token(Client(), "branch1")
        assert response.status_code == 401
        assert "otp" in response.json()["detail"]
        traveller.shift(dt.timedelta(seconds=30))
        device.refresh_from_db()
        response = post_token(Client(), "branch1", otp=current_totp(device))
        assert response.status_code == 200
        assert response.json()["token"]
        assert post_token(Client(), "branch1", otp=codes[1]).status_code == 200


def test_login_fixture_sessions_count_as_verified(login):
    # Other modules' tests rely on this: the fixture stands in for the TOTP step.
    client = login("admin")
    assert client.get(SECURITY_URL).status_code == 200


def test_counselor_needs_a_second_factor_by_default(personas, client):
    """Counseling notes are not opened by a password alone (issue 11, item 3)."""
    response = post_login(client, "counselor1")
    assert response.status_code == 302
    assert response.url == f"{SETUP_URL}?next=%2F"
    for path in ["/", "/services/counseling/", SECURITY_URL]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(SETUP_URL), path
    # No token around the second factor either.
    response = post_token(Client(), "counselor1")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色必须使用两步验证，请先在网页上完成设置。"


def test_the_women_workers_committee_needs_a_second_factor_by_default(personas, client):
    """Pregnancy and birth registrations (health data) are not opened by a password alone."""
    response = post_login(client, "women1")
    assert response.status_code == 302
    assert response.url == f"{SETUP_URL}?next=%2F"
    response = client.get("/women/committee/registrations/")
    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)
    assert post_token(Client(), "women1").status_code == 403


def test_counselor_cannot_turn_the_second_factor_off(login, personas):
    client = login("counselor1")
    response = client.post("/accounts/two-factor/disable/", {"password": "zhijia-demo"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=personas["counselor1"]).exists()


def test_an_admin_reset_of_a_counselor_still_asks_her_second_factor(login, personas, settings):
    """The finding: a reset password no longer opens a counselor's account without her phone.
    (The second administrator's approval, test_admin_reset.py, is switched off here.)"""
    settings.ZHIJIA_RESET_APPROVAL_ROLES = []
    counselor = personas["counselor1"]
    with time_machine.travel(T0, tick=False):
        admin_client = login("admin")
        device = TOTPDevice.objects.create(user=counselor, name="phone", confirmed=True)
        admin_client.post(
            f"/admin/accounts/user/{counselor.pk}/password/",
            {"password1": "Admin-Chose-This-7", "password2": "Admin-Chose-This-7"},
        )
        client = Client()
        response = post_login(client, "counselor1", "Admin-Chose-This-7")
        assert response.url == f"{VERIFY_URL}?next=%2F"
        # The password page waits behind the code: knowing the password is not enough.
        response = client.get("/accounts/password/")
        assert response.url.startswith(VERIFY_URL)
        response = client.get("/services/counseling/")
        assert response.url.startswith(VERIFY_URL)
        response = client.post(VERIFY_URL, {"code": current_totp(device), "next": "/"})
        assert response.status_code == 302
        # Then, with the code given, she must set her own password before anything else.
        assert client.get("/").url.startswith("/accounts/password/")
