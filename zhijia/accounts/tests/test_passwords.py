"""Password rules (8 for members, 12 for cadres and admins, no common ones), the change page,
and Argon2 for what gets stored."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client

from zhijia.accounts.models import ApiToken
from zhijia.accounts.tests.helpers import post_login
from zhijia.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CHANGE_URL = "/accounts/password/"


def codes_for(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def test_member_needs_eight_characters(personas):
    worker1 = personas["worker1"]
    assert codes_for("tiger7k2", worker1) == set()
    assert "password_too_short" in codes_for("tiger7k", worker1)


def test_cadre_and_admin_need_twelve_characters(personas):
    for name in ["branch1", "chair", "admin"]:
        user = personas[name]
        assert "password_too_short" in codes_for("tiger7k2mo", user), name
        assert codes_for("tiger7k2moon", user) == set(), name
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password("tiger7k2", personas["branch1"])
    assert "工会干部和管理员的密码至少需要 12 个字符。" in exc.value.messages


def test_minimums_are_configurable(personas, settings):
    settings.ZHIJIA_PASSWORD_MIN_MEMBER = 10
    settings.ZHIJIA_PASSWORD_MIN_STAFF = 14
    assert "password_too_short" in codes_for("tiger7k2m", personas["worker1"])
    assert "password_too_short" in codes_for("tiger7k2moon1", personas["branch1"])


@pytest.mark.parametrize("common", ["woaini1314", "qq123456", "1qaz2wsx", "password123"])
def test_common_passwords_are_refused(personas, common):
    assert "password_too_common" in codes_for(common, personas["worker1"])


def test_common_password_check_can_be_switched_off(personas, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        v for v in settings.AUTH_PASSWORD_VALIDATORS if "CommonPassword" not in v["NAME"]
    ]
    assert codes_for("woaini1314", personas["worker1"]) == set()


def test_own_phone_and_employee_no_are_refused(personas):
    worker1 = personas["worker1"]
    phone = worker1.member_record.phone
    assert "password_personal_data" in codes_for(f"x{phone}y", worker1)
    assert "password_personal_data" in codes_for("myE0103pass", worker1)


def test_change_page_shows_the_rules_for_this_user(login):
    response = login("branch1").get(CHANGE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "当前密码" in html and "再次输入新密码" in html
    assert "至少 12 个字符" in html


def test_change_page_errors_sit_next_to_their_field(login):
    client = login("worker1")
    response = client.post(
        CHANGE_URL,
        {"old_password": "nope", "new_password1": "woaini1314", "new_password2": "woaini1314"},
    )
    errors = response.context["form"].errors
    assert errors["old_password"] == ["当前密码不正确，请重新输入。"]
    assert errors["new_password1"] == ["这个密码太常见了。"]
    assert "new_password2" not in errors

    response = client.post(
        CHANGE_URL,
        {"old_password": "zhijia-demo", "new_password1": "k7#xQ2", "new_password2": "k7#xQ2"},
    )
    assert response.context["form"].errors["new_password1"] == ["密码至少需要 8 个字符。"]

    response = client.post(
        CHANGE_URL,
        {
            "old_password": "zhijia-demo",
            "new_password1": "lantern-river-42",
            "new_password2": "lantern-river-43",
        },
    )
    assert response.context["form"].errors["new_password2"] == ["两次输入的新密码不一致。"]
    html = response.content.decode()
    assert 'id="id_new_password2_error"' in html


def test_change_password_keeps_this_session_and_revokes_api_tokens(login, personas):
    client = login("worker1")
    ApiToken.issue(personas["worker1"])
    response = client.post(
        CHANGE_URL,
        {
            "old_password": "zhijia-demo",
            "new_password1": "lantern-river-42",
            "new_password2": "lantern-river-42",
        },
    )
    assert response.status_code == 302
    assert response.url == "/accounts/security/"
    assert client.get("/accounts/security/").status_code == 200  # still signed in
    assert not ApiToken.objects.filter(user=personas["worker1"]).exists()
    assert AuditEvent.objects.filter(action="accounts.change_password").count() == 1
    assert post_login(Client(), "worker1", "lantern-river-42").status_code == 302
    assert post_login(Client(), "worker1", "zhijia-demo").status_code == 200


def test_new_passwords_are_stored_with_argon2(login, personas, settings):
    # Undo the suite's fast MD5 hasher: this test is about the real configuration.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",  # reads the demo account's old hash
    ]
    client = login("worker2")
    response = client.post(
        CHANGE_URL,
        {
            "old_password": "zhijia-demo",
            "new_password1": "copper-kettle-19",
            "new_password2": "copper-kettle-19",
        },
    )
    assert response.status_code == 302
    user = personas["worker2"]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert post_login(Client(), "E0202", "copper-kettle-19").status_code == 302


def test_old_hashes_are_upgraded_to_argon2_at_login(personas, settings):
    # The demo accounts were hashed with the test hasher; with Argon2 first in the list,
    # signing in rehashes the password with Argon2.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = personas["worker1"]
    assert user.password.startswith("md5$")
    assert post_login(Client(), "worker1").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
