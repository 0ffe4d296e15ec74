"""Content-Security-Policy: every page carries it, without 'unsafe-inline', and what the pages
send holds nothing it would refuse (no inline <style> or <script>, no style="", no on*=""):
scripts/check_rules.py checks the templates, this checks the rendered pages, Python-built HTML
included. The scripts' own strings go through the JavaScript catalogue."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_rules", ROOT / "scripts" / "check_rules.py")
assert _spec and _spec.loader
check_rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_rules)

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# The main pages of each kind of user (URL names without arguments).
MAIN_PAGES = {
    "worker1": [
        "home",
        "org:me",
        "voting:my-polls",
        "congress:my-sessions",
        "cases:mine",
        "cases:grievance-create",
        "cases:box",
        "disclosure:board",
        "safety:home",
        "safety:report",
        "services:counseling-home",
        "assistance:mine",
        "core:inbox",
        "accounts:security",
    ],
    "chair": [
        "home",
        "org:member-list",
        "org:dues-overview",
        "voting:manage",
        "congress:term-list",
        "congress:proposal-queue",
        "cases:queue",
        "cases:mediation-list",
        "disclosure:manage-board",
        "safety:queue",
        "assistance:index",
        "assistance:settings",
        "core:inbox",
    ],
    "counselor1": ["services:counseling-desk"],
    "mediator1": ["cases:mediation-list"],
    "handler1": ["cases:department-queue"],
}


def policy_of(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.wsgi_request.path}: no Content-Security-Policy header"
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def inline_problems(html: str) -> list[str]:
    finder = check_rules._InlineFinder()
    finder.feed(html)
    finder.close()
    lines = html.splitlines()
    return [f"line {n}: {message}: {lines[n - 1].strip()[:120]}" for n, message in finder.found]


def assert_clean(response) -> None:
    path = response.wsgi_request.path
    policy = policy_of(response)
    assert policy == POLICY, path
    assert "unsafe" not in response.headers["Content-Security-Policy"], path
    if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
        assert inline_problems(response.content.decode()) == [], path


def test_the_policy_refuses_inline_scripts_and_styles_on_the_login_page(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_clean(response)
    # Anonymous channels too.
    for name in ("cases:box", "services:counseling-ask"):
        assert_clean(client.get(reverse(name)))


def test_the_api_docs_page_is_for_signed_in_users_and_within_the_policy(client, login):
    """Swagger UI served from this site (no CDN), behind sign-in; its document stays public."""
    anonymous = client.get("/api/v1/docs")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('accounts:login')}?next=/api/v1/docs"
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = login("worker1").get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200 and "cdn." not in html and "//" not in html.split("<body")[0]
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert '"validatorUrl": "none"' in html and '"queryConfigEnabled": false' in html
    assert_clean(docs)


@pytest.mark.parametrize("username", sorted(MAIN_PAGES))
def test_main_pages_carry_the_policy_and_no_inline_code(login, username):
    client = login(username)
    for name in MAIN_PAGES[username]:
        response = client.get(reverse(name))
        assert response.status_code == 200, (username, name, response.status_code)
        assert_clean(response)


def _routes_without_arguments():
    """(url name, path) of every page route that takes no argument, outside the API/admin."""
    found: list[tuple[str, str]] = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, route)
            elif isinstance(p, URLPattern) and p.name and "<" not in route and "(" not in route:
                found.append((namespace + p.name, reverse(namespace + p.name)))

    walk(get_resolver().url_patterns, "", "/")
    skip = ("/api/", "/admin/", "/accounts/logout/")
    return [(name, path) for name, path in found if not path.startswith(skip)]


@pytest.mark.parametrize("username", ["worker1", "chair", "counselor1", "mediator1", "handler1"])
def test_every_page_without_arguments_is_clean_for_each_kind_of_user(login, username):
    routes = _routes_without_arguments()
    assert len(routes) > 60, routes
    client = login(username)
    statuses = {}
    for name, path in routes:
        response = client.get(path)
        statuses[name] = response.status_code
        if response.headers.get("Content-Type", "").startswith("application/pdf"):
            continue
        assert_clean(response)
    assert list(statuses.values()).count(200) >= 10, statuses


def test_pdfs_carry_no_policy_and_their_print_pages_link_the_stylesheet(personas, login):
    """The browser's PDF viewer is a page of its own (inline styles, a plugin): a PDF sent with
    the site's policy would show blank. Its print page is an ordinary, clean page."""
    pytest.importorskip("weasyprint")
    from zhijia.cases.actions import mediation

    worker1, mediator1 = personas["worker1"], personas["mediator1"]
    case = mediation.do_request_mediation(
        actor=worker1, category="wages", respondent="示例能源集团有限公司", claim="拖欠加班工资"
    )
    mediation.do_accept_mediation(actor=mediator1, case=case, mediator=mediator1)
    mediation.do_record_agreement(
        actor=mediator1,
        case=case,
        text="被申请人于 2026 年 3 月 31 日前支付加班工资 4,800 元。",
        performance_deadline=dt.date(2026, 3, 31),
    )
    client = login("worker1")
    page = client.get(reverse("cases:mediation-agreement", args=[case.pk]))
    assert page.status_code == 200
    assert_clean(page)
    assert "cases/agreement.css" in page.content.decode()
    pdf = client.get(reverse("cases:mediation-agreement-pdf", args=[case.pk]))
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint's system libraries are missing")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Content-Security-Policy" not in pdf.headers


def test_the_javascript_catalogue_translates_the_scripts_strings(client):
    url = reverse("javascript-catalog")
    assert url.startswith("/i18n/"), "open before the two-factor step, like the language switch"
    chinese = client.get(url)
    assert chinese.status_code == 200 and "javascript" in chinese["Content-Type"]
    assert "已复制" not in chinese.content.decode()  # the source language needs no catalogue
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url + "?l=en").content.decode()
    assert '"\\u5df2\\u590d\\u5236": "Copied"' in english or '"已复制": "Copied"' in english
    # Browsers revalidate it: 304 while the server runs the same strings.
    again = client.get(url + "?l=en", headers={"If-Modified-Since": chinese["Last-Modified"]})
    assert again.status_code == 304


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
GETTEXT_CALL = re.compile(r"""gettext\(\s*(["'])(.*?)\1\s*\)""")


def _scripts() -> list[Path]:
    return [
        p
        for p in sorted((ROOT / "zhijia").rglob("static/**/*.js"))
        if not p.name.endswith(".min.js")
    ]


def test_static_scripts_say_everything_through_gettext_with_an_english_entry():
    scripts = _scripts()
    assert any(p.name == "voting.js" for p in scripts)
    catalogue = DjangoTranslation("en", domain="djangojs")
    for path in scripts:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
            bare = GETTEXT_CALL.sub("", code)
            assert not CJK.search(bare), f"{path.name}:{number}: Chinese outside gettext()"
            for _, text in GETTEXT_CALL.findall(code):
                with translation.override("en"):
                    english = catalogue.gettext(text)
                assert english != text, f"{path.name}:{number}: no English entry for {text!r}"
