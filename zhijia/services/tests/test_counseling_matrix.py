"""Roles × endpoints for counseling: every persona (plus a second counselor) against every page
and API endpoint. The expectations are written from DESIGN.md as plain data:

  - members (chair, branch1, branch2, rep1, worker1, worker2 all have member records) book,
    cancel their own bookings and ask anonymously; counselors may look at the worker pages;
  - the desk (slots, bookings, notes, questions) is for counselors only: 403 for every other
    role, the admin and the chair included; another counselor's slot or note is 404;
  - a booking is its worker's: anyone else is 404;
  - the counts are for cadres, leaders and counselors: numbers only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import PERSONAS
from zhijia.services.actions import counseling as actions
from zhijia.services.tests.counseling_support import make_counselor, publish

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, "counselor2"]
MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
COUNSELORS = {"counselor1", "counselor2"}
COUNTS = {"chair", "branch1", "branch2", "counselor1", "counselor2"}


def members(ok):
    return lambda p: ok if p in MEMBERS else 403


def users(ok):
    return lambda p: ok if p in MEMBERS | COUNSELORS else 403


def counselors(ok):
    return lambda p: ok if p in COUNSELORS else 403


def own_desk(ok):
    """counselor1's own record: counselor2 gets 404, every other role 403."""
    return lambda p: ok if p == "counselor1" else 404 if p == "counselor2" else 403


def worker1_only(ok):
    return lambda p: ok if p == "worker1" else 404


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expect: object
    data: object = None
    api: bool = False


ENDPOINTS = [
    # --- pages: the worker's
    Endpoint("home", "get", "/services/counseling/", users(200)),
    Endpoint("slot", "get", "/services/counseling/slots/{group}/", users(200)),
    Endpoint("book", "post", "/services/counseling/slots/{group}/book/", members(302), {}),
    Endpoint(
        "cancel", "post", "/services/counseling/bookings/{booking}/cancel/", worker1_only(302), {}
    ),
    Endpoint("ask-form", "get", "/services/counseling/ask/", members(200)),
    Endpoint(
        "ask", "post", "/services/counseling/ask/", members(201), {"topic": "work", "body": "累"}
    ),
    Endpoint("follow", "get", "/services/counseling/follow/", lambda p: 200),
    # --- pages: the desk
    Endpoint("desk", "get", "/services/counseling/desk/", counselors(200)),
    Endpoint("desk-new", "get", "/services/counseling/desk/slots/new/", counselors(200)),
    Endpoint("desk-slot", "get", "/services/counseling/desk/slots/{slot}/", own_desk(200)),
    Endpoint(
        "desk-slot-cancel",
        "post",
        "/services/counseling/desk/slots/{slot}/cancel/",
        own_desk(302),
        {"reason": "出差"},
    ),
    Endpoint(
        "desk-outcome",
        "post",
        "/services/counseling/desk/bookings/{booking}/attended/",
        own_desk(302),
        {},
    ),
    Endpoint(
        "desk-note-new", "get", "/services/counseling/desk/bookings/{booking}/note/", own_desk(200)
    ),
    Endpoint("desk-notes", "get", "/services/counseling/desk/notes/", counselors(200)),
    Endpoint("desk-note", "get", "/services/counseling/desk/notes/{note}/", own_desk(200)),
    Endpoint(
        "desk-note-edit",
        "post",
        "/services/counseling/desk/notes/{note}/",
        own_desk(302),
        {"body": "改"},
    ),
    Endpoint("desk-questions", "get", "/services/counseling/desk/questions/", counselors(200)),
    Endpoint(
        "desk-question", "get", "/services/counseling/desk/questions/{question}/", counselors(200)
    ),
    Endpoint(
        "desk-question-close",
        "post",
        "/services/counseling/desk/questions/{question}/close/",
        counselors(302),
        {},
    ),
    # --- API
    Endpoint("api-slots", "get", "/api/v1/services/counseling/slots", users(200), api=True),
    Endpoint("api-slot", "get", "/api/v1/services/counseling/slots/{group}", users(200), api=True),
    Endpoint(
        "api-book",
        "post",
        "/api/v1/services/counseling/slots/{group}/book",
        members(201),
        {"topic": ""},
        api=True,
    ),
    Endpoint("api-bookings", "get", "/api/v1/services/counseling/bookings", users(200), api=True),
    Endpoint(
        "api-cancel",
        "post",
        "/api/v1/services/counseling/bookings/{booking}/cancel",
        worker1_only(200),
        {},
        api=True,
    ),
    Endpoint(
        "api-ask",
        "post",
        "/api/v1/services/counseling/questions",
        members(201),
        {"topic": "work", "body": "累"},
        api=True,
    ),
    Endpoint(
        "api-lookup-wrong",
        "post",
        "/api/v1/services/counseling/questions/lookup",
        lambda p: 404,
        {"code": "0000-0000-0000-0000"},
        api=True,
    ),
    Endpoint(
        "api-counts",
        "get",
        "/api/v1/services/counseling/counts",
        lambda p: 200 if p in COUNTS else 403,
        api=True,
    ),
    Endpoint(
        "api-desk-slots", "get", "/api/v1/services/counseling/desk/slots", counselors(200), api=True
    ),
    Endpoint(
        "api-desk-publish",
        "post",
        "/api/v1/services/counseling/desk/slots",
        counselors(201),
        lambda ctx: ctx["new_slot"],
        api=True,
    ),
    Endpoint(
        "api-desk-slot",
        "get",
        "/api/v1/services/counseling/desk/slots/{slot}",
        own_desk(200),
        api=True,
    ),
    Endpoint(
        "api-desk-slot-cancel",
        "post",
        "/api/v1/services/counseling/desk/slots/{slot}/cancel",
        own_desk(200),
        {"reason": "出差"},
        api=True,
    ),
    Endpoint(
        "api-desk-outcome",
        "post",
        "/api/v1/services/counseling/desk/bookings/{booking}/outcome",
        own_desk(409),  # the slot has not begun: refused as a conflict, after the access check
        {"outcome": "attended"},
        api=True,
    ),
    Endpoint(
        "api-desk-notes", "get", "/api/v1/services/counseling/desk/notes", counselors(200), api=True
    ),
    Endpoint(
        "api-desk-note-write",
        "post",
        "/api/v1/services/counseling/desk/notes",
        own_desk(201),
        lambda ctx: {"booking_id": ctx["booking"], "body": "记录"},
        api=True,
    ),
    Endpoint(
        "api-desk-note",
        "get",
        "/api/v1/services/counseling/desk/notes/{note}",
        own_desk(200),
        api=True,
    ),
    Endpoint(
        "api-desk-note-edit",
        "put",
        "/api/v1/services/counseling/desk/notes/{note}",
        own_desk(200),
        {"body": "改"},
        api=True,
    ),
    Endpoint(
        "api-desk-questions",
        "get",
        "/api/v1/services/counseling/desk/questions",
        counselors(200),
        api=True,
    ),
    Endpoint(
        "api-desk-question",
        "get",
        "/api/v1/services/counseling/desk/questions/{question}",
        counselors(200),
        api=True,
    ),
    Endpoint(
        "api-desk-answer",
        "post",
        "/api/v1/services/counseling/desk/questions/{question}/answer",
        counselors(200),
        {"body": "你好"},
        api=True,
    ),
    Endpoint(
        "api-desk-close",
        "post",
        "/api/v1/services/counseling/desk/questions/{question}/close",
        counselors(200),
        {},
        api=True,
    ),
]


# The demo union and the records below are built once for the module (conftest.module_db);
# each row runs in a savepoint and is rolled back to them, with the cache cleared around it.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas):
    cache.clear()
    personas["counselor2"] = make_counselor()
    c1 = personas["counselor1"]
    slot = publish(c1, hours_ahead=30)
    group = publish(c1, hours_ahead=60, kind="group", capacity=50)
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    note = actions.do_write_counseling_note(actor=c1, booking=booking, body="保密内容")
    question, _code = actions.do_ask_counseling_question(
        actor=personas["worker2"], topic="sleep", body="睡不着"
    )
    other = publish(personas["counselor2"], hours_ahead=90)
    actions.do_write_counseling_note(actor=personas["counselor2"], slot=other, body="别人的")
    start = timezone.now() + dt.timedelta(days=9)
    yield {
        "slot": slot.pk,
        "group": group.pk,
        "booking": booking.pk,
        "note": note.pk,
        "question": question.pk,
        "new_slot": {
            "kind": "individual",
            "mode": "online",
            "online_info": "会议号 1",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        },
    }
    cache.clear()


@pytest.fixture
def ctx(world):
    cache.clear()
    yield world
    cache.clear()


def _call(client: Client, endpoint: Endpoint, ctx) -> int:
    path = endpoint.path.format(**ctx)
    data = endpoint.data(ctx) if callable(endpoint.data) else endpoint.data
    method = getattr(client, endpoint.method)
    if endpoint.api and endpoint.method in ("post", "put"):
        return method(path, data=data or {}, content_type="application/json").status_code
    if endpoint.method == "post":
        return method(path, data or {}).status_code
    return method(path).status_code


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_matrix(endpoint, persona, ctx, login, api_client):
    client = api_client(persona) if endpoint.api else login(persona)
    assert _call(client, endpoint, ctx) == endpoint.expect(persona), (endpoint.name, persona)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_signed_out(endpoint, ctx):
    status = _call(Client(), endpoint, ctx)
    if endpoint.api:
        assert status == 401
    else:
        assert status == 302  # to the login page
