"""Every page within the Content-Security-Policy, in a real browser.

Each kind of user walks the site from the home page: every page reached through the links of
the navigation and of the pages (one page of each address shape: /org/members/17/ stands for
all members) is opened, must carry the policy without 'unsafe-inline', and must make the
browser refuse nothing (conftest.py fails a test on any "Refused to ..." or script error). Then
the small behaviours that moved from inline handlers to app.js and congress/checkin.js are used
once each, and the scripts' strings come out in English through the JavaScript catalogue.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot
from tests.e2e.conftest import DESKTOP, PHONE, _new_page
from tests.e2e.test_congress import demo_session  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.e2e

# Downloads, actions and other sites' pages are not walked.
SKIP = re.compile(
    r"/accounts/logout/|/i18n/|/api/|/admin/|/files/|export|\.csv|\.pdf|\.xlsx|template|"
    r"/reset/|/state/|/open/|/close/"
)
WALKERS = [
    ("worker1", PHONE),
    ("rep1", PHONE),
    ("chair", DESKTOP),
    ("branch1", DESKTOP),
    ("handler1", DESKTOP),
    ("counselor1", DESKTOP),
    ("mediator1", DESKTOP),
]
MAX_PAGES = 45


def _shape(path: str) -> str:
    return re.sub(r"/[0-9a-f-]{32,36}/|/\d+(?=/|$)", "/N", path)


def _walk(page, start: str = "/") -> dict[str, int]:
    """Open the pages reachable from `start`, one per address shape; return path -> status."""
    seen_shapes: set[str] = set()
    queue = [start]
    visited: dict[str, int] = {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(shape)
        response = page.goto(path)
        assert response is not None, path
        visited[path] = response.status
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        policy = response.headers.get("content-security-policy")
        assert policy, f"{path}: no Content-Security-Policy"
        assert "unsafe" not in policy, f"{path}: {policy}"
        for href in page.eval_on_selector_all(
            "header a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))"
        ):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if _shape(parts.path) not in seen_shapes:
                queue.append(parts.path)
    return visited


@pytest.mark.parametrize(("username", "viewport"), WALKERS, ids=[u for u, _ in WALKERS])
def test_every_page_a_user_reaches_is_within_the_policy(browser, e2e_server, username, viewport):
    context, page = _new_page(browser, e2e_server, viewport, is_mobile=viewport == PHONE)
    try:
        log_in(page, username)
        visited = _walk(page)
        ok = [path for path, status in visited.items() if status == 200]
        assert len(ok) >= 5, visited
        assert all(status < 500 for status in visited.values()), visited
    finally:
        context.close()


def test_anonymous_pages_are_within_the_policy(phone_page):
    for path in (reverse("accounts:login"), reverse("cases:box")):
        response = phone_page.goto(path)
        assert response.status == 200, path
        assert "unsafe" not in response.headers["content-security-policy"]
    # The API's docs page is for signed-in users: an anonymous visitor is sent to sign in.
    phone_page.goto("/api/v1/docs")
    assert urlsplit(phone_page.url).path == reverse("accounts:login")
    log_in(phone_page, "worker1")
    # The page then fetches the OpenAPI document (built once per process: seconds when busy).
    with phone_page.expect_response(lambda r: r.url.endswith("/openapi.json")) as document:
        response = phone_page.goto("/api/v1/docs")
    assert response.status == 200 and document.value.status == 200
    assert "unsafe" not in response.headers["content-security-policy"]
    # Swagger UI served from this site, not from a CDN.
    expect(phone_page.locator(".swagger-ui .title")).to_contain_text("zhijia API")


def test_behaviours_moved_out_of_the_templates(desktop_page, demo_session):  # noqa: F811
    page = desktop_page
    log_in(page, "chair")

    # Member list: the header checkbox ticks every row of the page, and unticks them.
    page.goto(reverse("org:member-list"))
    rows = page.locator("tbody input[name=ids]")
    assert rows.count() > 10
    page.locator("thead input[data-select-all]").check()
    assert rows.evaluate_all("boxes => boxes.every(b => b.checked)")
    page.locator("thead input[data-select-all]").uncheck()
    assert rows.evaluate_all("boxes => boxes.every(b => !b.checked)")

    # Member detail: revealing the ID number (htmx) removes the reveal button.
    page.locator("tbody a[href^='/org/members/']").first.click()
    page.wait_for_load_state()
    reveal = page.get_by_role("button", name="查看完整号码")
    if reveal.count():
        reveal.click()
        expect(reveal).to_have_count(0)
        assert "*" not in page.locator("#id-number").inner_text()

    # Assistance settings: choosing another union in the list switches the page to it.
    page.goto(reverse("assistance:settings"))
    select = page.locator("select[data-autosubmit]")
    if select.count():
        other = select.locator("option:not([selected])").first.get_attribute("value")
        with page.expect_navigation():
            select.select_option(other)
        assert f"unit={other}" in page.url

    # Representatives' cards: the print button prints (window.print is stubbed here).
    page.goto(reverse("congress:term-list"))
    term = re.search(r"/congress/terms/(\d+)/", page.content())
    assert term, "the demo term is listed"
    page.goto(reverse("congress:rep-badges", args=[int(term.group(1))]))
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == 1

    # Check-in desk: after a scan is answered the field is empty again, ready for the next.
    page.goto(reverse("congress:checkin-desk", args=[demo_session]))
    field = page.locator("form.scan input[name=code]")
    field.fill("NOT-A-CODE")
    with page.expect_response(lambda r: r.request.method == "POST"):
        field.press("Enter")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    screenshot(page, "csp-checkin-desk")


def test_script_strings_come_in_english_from_the_javascript_catalogue(phone_page, e2e_server):
    page = phone_page
    log_in(page, "worker1")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": e2e_server}])
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("gettext('已复制')") == "Copied"
    assert page.evaluate("gettext('本浏览器不能保存，请抄下验证码')").startswith("This browser")
