"""Helpers for the end-to-end tests: sign in, screenshots."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "zhijia-demo"

# Accounts whose role requires two-factor sign-in (counselor1; settings.ZHIJIA_REQUIRE_2FA_ROLES),
# and cadres signing in to review hardship files (log_in(..., two_factor=True)), enrol through
# the real setup page at their first sign-in, as a person would with an
# authenticator app: the test reads the secret off the page and remembers it for this run.
_TOTP_KEYS: dict[str, bytes] = {}
_LAST_STEP: dict[str, int] = {}
_DRIFT: dict[str, int] = {}  # the server's drift of each device, mirrored (_code_for)

# The worker's service entrances on the member home, in order (tests/test_entrances.py ALL_KEYS).
WORKER_ENTRANCES = [
    "我要维权",
    "匿名信箱",
    "法律咨询",
    "活动报名",
    "心理咨询",
    "志愿公益",
    "学习培训",
    "合理化建议",
    "劳动竞赛",
    "帮扶申请",
    "公开栏",
    "通知公告",
    "服务指南",
    "隐患随手拍",
    "集体合同",
    "女职工",  # women members only (worker1 is one): WOMEN_ONLY_ENTRANCES
]
# Shown to women members only (a man, like worker2, sees the others).
WOMEN_ONLY_ENTRANCES = ["女职工"]


def _totp(key: bytes, step: int) -> str:
    """RFC 6238 with zhijia's (django-otp's) defaults: SHA-1, 30 s steps, 6 digits."""
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _code_for(username: str) -> str:
    """The code an authenticator app would show, as the server will accept it.

    django-otp accepts the steps t - 1 .. t + 1 around its clock plus the device's drift,
    never a step already used, and keeps the drift of the step it accepted (OTP_TOTP_SYNC).
    Two sign-ins of one cadre within 30 s need the next step, which moves the drift ahead; a
    later sign-in must then use a step near clock + drift, not the clock's own (an earlier
    helper did: after a burst of sign-ins every later code was refused). So the drift is
    mirrored here: the smallest step the server takes now, waiting for the clock when none is
    free. A code is never sent in the last 5 s of a step, so that the server's clock is the
    one computed here."""
    while True:
        t = time.time()
        if t % 30 <= 25:
            now = int(t) // 30
            drift = _DRIFT.get(username, 0)
            step = max(now + drift - 1, _LAST_STEP.get(username, -1) + 1)
            if step <= now + drift + 1:
                break
        time.sleep(30 - t % 30 + 0.2)
    _LAST_STEP[username] = step
    _DRIFT[username] = step - now
    return _totp(_TOTP_KEYS[username], step)


def _submit_code(page, username: str) -> None:
    page.fill("input[name=code]", _code_for(username))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _enrol(page, username: str) -> None:
    """On the enrolment page: read the secret, confirm a code, go on past the backup codes."""
    secret = page.locator(".acc-secret code").inner_text()
    secret = "".join(secret.split())
    _TOTP_KEYS[username] = base64.b32decode(secret + "=" * (-len(secret) % 8))
    _DRIFT[username] = 0  # a new device: no drift, no step used
    _LAST_STEP.pop(username, None)
    _submit_code(page, username)
    # The backup codes are shown once; then on to where the sign-in was going.
    with page.expect_navigation():
        page.locator("main a.acc-button").first.click()


def log_in(page, username: str, password: str = PASSWORD, *, two_factor: bool = False) -> None:
    """Sign in through the login page, with the second factor when the account has one or its
    role requires one. two_factor=True: a cadre about to open hardship files, which need it
    (zhijia.core.permissions), enrols at her first sign-in of the run as the page asks."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/accounts/login/" not in page.url, f"{username} could not log in: {page.url}"
    path = urlsplit(page.url).path
    if path == "/accounts/two-factor/setup/":
        _enrol(page, username)
    elif path == "/accounts/two-factor/":
        assert username in _TOTP_KEYS, f"{username} has a device this run did not enrol"
        _submit_code(page, username)
    elif two_factor:
        page.goto("/accounts/two-factor/setup/?next=/")
        _enrol(page, username)
    assert "/accounts/two-factor/" not in page.url, f"{username}: second factor: {page.url}"


def screenshot(page, name: str, *, full_page: bool = True, readme: bool = False) -> Path:
    """Save a screenshot to test-artifacts/screenshots; a picture of the README (readme=True)
    also to $ZHIJIA_SCREENSHOTS_DIR when it is set (`make screenshots`: docs/screenshots)."""
    out = ROOT / "test-artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    extra = os.environ.get("ZHIJIA_SCREENSHOTS_DIR")
    if extra and readme:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=full_page)
    return path


def confirm_dialog(page) -> str:
    """Answer the dialog of a form that asks before an irreversible step (data-confirm, see
    zhijia/static/zhijia/app.js), wait for the page the step leads to, and return the sentence
    the dialog asked with."""
    from playwright.sync_api import expect

    dialog = page.locator("dialog.confirm")
    expect(dialog).to_be_visible()
    sentence = dialog.locator(".confirm-message").inner_text()
    with page.expect_navigation():
        dialog.locator(".confirm-ok").click()
    return sentence
