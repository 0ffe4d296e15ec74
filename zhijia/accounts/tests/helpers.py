"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from zhijia.org.demo import DEMO_PASSWORD

# 06:05 UTC is 14:05 in Asia/Shanghai: a 30-minute lockout then ends at 14:35 local time.
T0 = dt.datetime(2026, 3, 2, 6, 5, 0, tzinfo=dt.UTC)
LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token"


def post_login(client: Client, identifier: str, password: str = DEMO_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": identifier, "password": password}, **extra)


def post_token(client: Client, identifier: str, password: str = DEMO_PASSWORD, **fields):
    payload = {"username": identifier, "password": password, **fields}
    return client.post(TOKEN_URL, payload, content_type="application/json")


def current_totp(device) -> str:
    """The code an authenticator app would show now for this device."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


NEW_STAFF_PASSWORD = "New-Staff-Pass-9"


def add_account_in_console(client: Client, username: str = "newstaff"):
    """The administrator adds an account with a password on the admin console's add form."""
    return client.post(
        "/admin/accounts/user/add/",
        {
            "username": username,
            "full_name": "新同事",
            "password1": NEW_STAFF_PASSWORD,
            "password2": NEW_STAFF_PASSWORD,
            "usable_password": "true",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
