"""Every irreversible POST asks first (issue 10: "every irreversible POST has a confirmation
step in its page").

The classification is tests/confirmations.py: every page POST route is IRREVERSIBLE (its form
carries data-confirm, a consequence sentence that app.js shows in a dialog before sending) or
REVERSIBLE, with the reason. Here:
  - every page POST route of the access tables is in exactly one of the two, so a new route
    must be classified (test_a_new_route_must_be_classified shows the failure);
  - the pages ask: each seeded world of the access matrix is built in its own test (so
    pytest-xdist shares them out), every page of its table is rendered as every persona the
    table lets in (plus the pages below that reach records in other states), each
    <form method="post"> is parsed, its action (and each button's formaction) resolved to a
    route; a form that posts to an irreversible route must carry a non-empty data-confirm
    (on the form, or on the pressed button when the form's buttons differ), and every
    form's route must be classified;
  - every irreversible route of a world's table is seen on one of its rendered pages, but
    those the seeded worlds cannot show, which are checked in their template instead (STATIC,
    each with the reason).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from conftest import private_storages
from tests.access.framework import PERSONAS
from tests.access.routes import is_api_route, page_routes
from tests.access.test_coverage import tables
from tests.confirmations import IRREVERSIBLE, REVERSIBLE, STEPPED

pytestmark = pytest.mark.slow  # run first under xdist (conftest.py)


ROOT = Path(__file__).resolve().parent.parent
WORLDS = ("org", "cases", "assistance", "congress", "disclosure", "safety", "services")
WORLDS += ("voting", "site", "satisfaction", "notices", "activities")
WORLDS += ("volunteering", "surveys")
WORLDS += ("learning",)
WORLDS += ("suggestions",)
WORLDS += ("competitions",)
WORLDS += ("honours",)
WORLDS += ("bargaining",)
WORLDS += ("women",)
WORLDS += ("homes",)
WORLDS += ("dashboard",)
WORLDS += ("search",)

# Pages the tables' GET rows do not reach in the state that shows the form:
# (world, persona, method, path over the world's ids for target "b1" (services: "own"),
# data).
EXTRA_PAGES = [
    ("congress", "rep1", "get", "/congress/proposals/{proposal_draft}/", None),
    ("congress", "chair", "get", "/congress/proposals/{proposal_accepted}/", None),
    ("congress", "handler1", "get", "/congress/proposals/{proposal_cohandling}/", None),
    ("congress", "rep1", "get", "/congress/proposals/{proposal_answered}/", None),
    ("congress", "chair", "get", "/congress/proposals/{proposal_submitted}/decide/", None),
    ("cases", "worker1", "get", "/cases/{ga}/", None),
    ("cases", "mediator1", "get", "/cases/mediation/{ma}/", None),
    ("cases", "worker1", "post", "/cases/box/follow/", {"code": "{code}"}),
    ("assistance", "chair", "get", "/assistance/applications/{rev}/", None),
    ("assistance", "chair", "get", "/assistance/applications/{ntc}/", None),
    ("assistance", "chair", "get", "/assistance/applications/{pay}/", None),
    ("services", "worker1", "get", "/services/counseling/slots/{slot}/", None),
    ("voting", "chair", "get", "/voting/manage/{open}/", None),
    ("voting", "chair", "get", "/voting/manage/{paper}/", None),
    ("voting", "chair", "get", "/voting/manage/{trusted}/", None),
    ("voting", "branch1", "get", "/voting/{trusted}/trustee/", None),
    ("notices", "branch1", "get", "/notices/{draft}/", None),
    ("suggestions", "branch1", "get", "/services/suggestions/{ado}/", None),
    ("suggestions", "rep1", "get", "/services/suggestions/{rej}/", None),
]

# learning: the material course of a member still learning it (我已学完) and of one who
# completed it (the rating); its desk page (the certificates, revocation)
EXTRA_PAGES += [
    ("homes", "chair", "get", "/homes/assessments/{submitted}/", None),
    ("homes", "chair", "get", "/homes/criteria/{spare}/", None),
]
EXTRA_PAGES += [
    ("learning", "branch1", "get", "/services/learning/desk/courses/{mcourse}/", None),
    ("learning", "worker1", "get", "/services/learning/courses/{mcourse}/", None),
    ("learning", "rep1", "get", "/services/learning/courses/{mcourse}/", None),
]

_ACTIVITIES = "zhijia/services/templates/services/activities"

# Irreversible routes whose form the seeded worlds do not show: checked in the template
# (every line naming the route must carry data-confirm, or confirm= for a component).
STATIC = {
    # shown only when some checked-in representatives cannot vote on a phone
    "congress:item-open-paper": "zhijia/congress/templates/congress/session_detail.html",
    # shown only after an attended appointment / a paid application (the worlds have neither)
    "services:counseling-rate": "zhijia/services/templates/services/counseling_home.html",
    "assistance:application-rate": (
        "zhijia/assistance/templates/assistance/application_detail.html"
    ),
    # an activity's steps in the states the world does not hold (a draft, an offered place,
    # an activity ended, drawn or begun)
    **{
        f"services:activities-{step}": f"{_ACTIVITIES}/{page}.html"
        for step, page in (
            ("offer-decline", "detail"),
            ("rate", "detail"),
            ("publish", "manage_detail"),
            ("finish", "manage_detail"),
            ("draw", "manage_detail"),
            ("photos", "manage_detail"),
        )
    },
}
# voting: restarting a key ceremony begun (the world's encrypted poll has no key made yet)
STATIC["voting:restart-ceremony"] = "zhijia/voting/templates/voting/manage_poll.html"
# learning: starting a test (the world's members all have one running)
STATIC["services:learning-test-start"] = "zhijia/services/templates/services/learning/course.html"
# The confirmation of a stepped route (tests/confirmations.py STEPPED) is shown only after an
# upload's preview: checked in its template (its form to request.path names no route).
STEPPED_TEMPLATES = {
    "org:dues-import": "zhijia/templates/org/dues_import.html",
}

# Not pages: downloads and printouts, skipped to keep the test fast.
_NOT_HTML = re.compile(r"pdf|csv|export|badges|download|attachment")


def page_post_routes() -> set[str]:
    """Every page POST route of the access tables (the admin site's excepted)."""
    return {
        row.route
        for rows in tables().values()
        for row in rows
        if row.method == "post"
        and not is_api_route(row.route)
        and not row.route.startswith("zhijia_admin")
    }


def unclassified(routes: set[str]) -> list[str]:
    return sorted(r for r in routes if r not in IRREVERSIBLE and r not in REVERSIBLE)


# --- the classification --------------------------------------------------------------------


def test_every_page_post_route_is_classified():
    assert unclassified(page_post_routes()) == []


def test_no_route_is_both():
    assert sorted(set(IRREVERSIBLE) & set(REVERSIBLE)) == []


def test_every_classified_route_exists():
    assert sorted((set(IRREVERSIBLE) | set(REVERSIBLE)) - page_routes()) == []


def test_every_reason_is_written():
    for table in (IRREVERSIBLE, REVERSIBLE, STEPPED):
        assert [r for r, why in table.items() if len(why.strip()) < 10] == []
    assert set(STEPPED) <= set(IRREVERSIBLE)
    assert set(STATIC) <= set(IRREVERSIBLE)
    assert set(STEPPED_TEMPLATES) == set(STEPPED)


def test_a_new_route_must_be_classified():
    """A page POST route that is in neither table is named (as a new row of the access tables
    would be); one in both tables is named too."""
    new = page_post_routes() | {"congress:proposal-shred"}
    assert unclassified(new) == ["congress:proposal-shred"]
    both = {**REVERSIBLE, "congress:proposal-reject": "edited again"}
    assert sorted(set(IRREVERSIBLE) & set(both)) == ["congress:proposal-reject"]


# --- the pages -----------------------------------------------------------------------------


@dataclass
class Form:
    attrs: dict
    buttons: list[dict] = field(default_factory=list)


class _Forms(HTMLParser):
    """The <form method="post"> of a page, with their submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._open = Form(a) if a.get("method", "").lower() == "post" else None
            if self._open is not None:
                self.forms.append(self._open)
        elif self._open is not None and tag in ("button", "input"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "submit":
                self._open.buttons.append(a)

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _route(action: str) -> str:
    try:
        return resolve(urlsplit(action).path).view_name
    except Resolver404:
        return f"<unresolved {action}>"


def posts(form: Form, page: str) -> list[tuple[str, str]]:
    """(route, the question asked) for each way the form can be sent: each submit button
    (its formaction, else the form's action; its own data-confirm, else the form's); the
    form itself when it has no submit button (htmx, autosubmit)."""
    action = form.attrs.get("action") or page
    asked = form.attrs.get("data-confirm", "")
    if not form.buttons:
        return [(_route(action), asked)]
    found = []
    for button in form.buttons:
        if button.get("formmethod", "post").lower() == "get":
            continue
        target = button.get("formaction") or action
        found.append((_route(target), button.get("data-confirm", asked)))
    return found


@dataclass
class Seen:
    # route -> [(page, persona, question)]
    forms: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    pages: int = 0


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """The worlds' uploads in a private temporary directory."""
    location = tmp_path_factory.mktemp("confirm-uploads")
    with override_settings(STORAGES=private_storages(location)):
        yield location


def _table_world(table: str) -> str:
    return "site" if table == "root" else table


def see(name: str) -> Seen:
    """Build the world `name` and render every page of its access table (each as every persona
    the table lets in) and its EXTRA_PAGES, collecting the forms they carry."""
    world = importlib.import_module(f"tests.access.world_{name}").build_world()
    result = Seen()

    def render(persona, method, path, data=None):
        client = world.client(persona, False)
        response = client.post(path, data) if method == "post" else client.get(path)
        result.pages += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            for route, asked in posts(form, path):
                result.forms.setdefault(route, []).append((path, persona, asked))

    rendered = set()
    for table, rows in tables().items():
        if table == "admin" or _table_world(table) != name:
            continue
        for row in rows:
            if row.api or row.method != "get" or _NOT_HTML.search(row.route):
                continue
            for target in row.targets:
                for persona in PERSONAS:
                    if row.rule(persona, target) != 200:
                        continue
                    path = row.path.format(**world.ids(persona, target))
                    if (persona, path) in rendered:
                        continue
                    rendered.add((persona, path))
                    render(persona, "get", path)
    for world_name, persona, method, path, data in EXTRA_PAGES:
        if world_name != name:
            continue
        ids = world.ids(persona, "own" if name == "services" else "b1")
        values = {k: v.format(**ids) for k, v in (data or {}).items()}
        render(persona, method, path.format(**ids), values)
    return result


def irreversible_of(name: str) -> set[str]:
    """The irreversible routes of the world's access table(s): those its pages must show."""
    return {
        row.route
        for table, rows in tables().items()
        if table != "admin" and _table_world(table) == name
        for row in rows
        if row.route in IRREVERSIBLE
    }


def test_every_world_has_a_table():
    assert {_table_world(t) for t in tables() if t != "admin"} == set(WORLDS)


@pytest.mark.parametrize("name", WORLDS)
def test_the_pages_of_a_world_ask(name, storage, db):
    """Every form on the world's pages posts to a classified route, every irreversible one asks,
    and every irreversible route of the world's table was seen on a page (so the check is not
    vacuous), but those checked in their template (STATIC, STEPPED)."""
    seen = see(name)
    assert seen.pages > 0
    assert unclassified(set(seen.forms)) == []
    silent = sorted(
        {
            route: f"{route} on {page} as {persona}"
            for route, uses in seen.forms.items()
            if route in IRREVERSIBLE and route not in STEPPED
            for page, persona, asked in uses
            if not asked.strip()
        }.values()
    )
    assert silent == []
    unseen = irreversible_of(name) - set(seen.forms) - set(STATIC) - set(STEPPED)
    assert sorted(unseen) == []


def test_every_irreversible_route_belongs_to_a_world():
    everywhere = set().union(*(irreversible_of(name) for name in WORLDS))
    assert sorted(set(IRREVERSIBLE) - everywhere - set(STATIC) - set(STEPPED)) == []


@pytest.mark.parametrize("route", sorted(STEPPED))
def test_a_stepped_route_asks_at_its_confirmation(route):
    text = (ROOT / STEPPED_TEMPLATES[route]).read_text(encoding="utf-8")
    assert re.search(r'data-confirm="[^"{]*\S|\bconfirm=\w', text), route


@pytest.mark.parametrize("route", sorted(STATIC))
def test_a_form_the_worlds_cannot_show_asks_in_its_template(route):
    text = (ROOT / STATIC[route]).read_text(encoding="utf-8")
    name = re.escape(f"{{% url '{route}'")
    lines = [line for line in text.splitlines() if re.search(name, line)]
    assert lines, route
    for line in lines:
        # {% url 'route' ... as step_url %}: the component that posts to step_url asks
        named = re.search(name + r"[^%]* as (\w+) %}", line)
        if named:
            line = next(ln for ln in text.splitlines() if f"action={named[1]}" in ln)
        assert re.search(r'data-confirm="[^"]|\bconfirm=\w', line), line
