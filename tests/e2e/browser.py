"""Helpers for the end-to-end tests: sign in, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "zhijia-demo"


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/accounts/login/" not in page.url, f"{username} could not log in: {page.url}"


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot to test-artifacts/screenshots (and $ZHIJIA_SCREENSHOTS_DIR)."""
    out = ROOT / "test-artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    extra = os.environ.get("ZHIJIA_SCREENSHOTS_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=full_page)
    return path
