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
    """The code of the authenticator's current step or, when this run has used that one
    already (a code is accepted once), of the next: an authenticator whose clock runs a step
    ahead, which django-otp accepts (one step of tolerance) and follows (OTP_TOTP_SYNC keeps
    the drift). Two sign-ins of one cadre within 30 s would otherwise wait for the clock."""
    step = max(int(time.time()) // 30, _LAST_STEP.get(username, -1) + 1)
    _LAST_STEP[username] = step
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
