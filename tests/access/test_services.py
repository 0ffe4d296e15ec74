"""Roles × every page and API operation of services (counseling).

From DESIGN.md (services: counseling; roles: "nobody else reads counseling notes"):
  - members (chair, branch1, branch2, rep1, worker1, worker2 have member records) book, cancel
    their own bookings and ask anonymously; counselors may look at the worker pages; the
    admin, the handler and the mediator are refused (403);
  - a booking is its worker's: another worker's is 404 ("own": worker1's, "other": worker2's);
  - the desk (slots, bookings, notes, questions) is for counselors only: 403 for every other
    role, the admin and the chair included; another counselor's slot, booking or note is 404
    ("own": counselor1's records, "other": a second counselor's);
  - an anonymous question is followed with its receipt code, by whoever holds the code;
  - the counts are for cadres and counselors: numbers only.
A refused write changes nothing: slots, bookings, notes, questions and their messages, the
audit log and notifications are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    OWN,
    ROW_ARGS,
    Row,
    everyone,
    holders,
    own_only,
    per_persona,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_services import build_world

MEMBERS = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
COUNSELORS = {"counselor1"}
USERS = MEMBERS | COUNSELORS
COUNTS = {"chair", "branch1", "branch2", "counselor1"}
BOOKER = {"worker1": {"own"}, "worker2": {"other"}}


def own_desk(ok: int):
    """counselor1's own record: ok; another counselor's: 404; every other role 403."""
    return per_persona({"counselor1": own_only(ok)}, default=403)


def own_booking(ok: int):
    return scoped(BOOKER, ok=ok, outsiders=404)


P = "/services/counseling"
A = "/api/v1/services/counseling"


def _code(w, t):
    return {"code": w["code"]}


ROWS = [
    # --- pages: the worker's --------------------------------------------------------------------
    Row("services:counseling-home", "get", f"{P}/", holders(USERS)),
    Row("services:counseling-slot", "get", f"{P}/slots/{{group}}/", holders(USERS)),
    Row("services:counseling-book", "post", f"{P}/slots/{{group}}/book/", holders(MEMBERS, 302)),
    Row(
        "services:counseling-cancel",
        "post",
        f"{P}/bookings/{{booking}}/cancel/",
        own_booking(302),
        OWN,
    ),
    # The world's bookings are still to come: rating one is refused (409) for its worker.
    Row(
        "services:counseling-rate",
        "post",
        f"{P}/bookings/{{booking}}/rate/",
        own_booking(409),
        OWN,
        data={"rating": "satisfied"},
    ),
    Row("services:counseling-ask", "get", f"{P}/ask/", holders(MEMBERS)),
    Row(
        "services:counseling-ask",
        "post",
        f"{P}/ask/",
        holders(MEMBERS, 201),
        data={"topic": "work", "body": "累"},
        name="services:counseling-ask-post",
    ),
    Row("services:counseling-follow", "get", f"{P}/follow/", everyone(200)),
    Row(
        "services:counseling-follow",
        "post",
        f"{P}/follow/",
        everyone(200),
        data=_code,
        name="services:counseling-follow-post",
    ),
    Row(
        "services:counseling-follow-reply",
        "post",
        f"{P}/follow/reply/",
        everyone(200),
        data=lambda w, t: {"code": w["code"], "body": "还是睡不着"},
    ),
    # --- pages: the desk -------------------------------------------------------------------------
    Row("services:counseling-desk", "get", f"{P}/desk/", holders(COUNSELORS)),
    Row("services:counseling-desk-slot-new", "get", f"{P}/desk/slots/new/", holders(COUNSELORS)),
    Row("services:counseling-desk-slot", "get", f"{P}/desk/slots/{{slot}}/", own_desk(200), OWN),
    Row(
        "services:counseling-desk-slot-cancel",
        "post",
        f"{P}/desk/slots/{{slot}}/cancel/",
        own_desk(302),
        OWN,
        data={"reason": "出差"},
    ),
    Row(
        "services:counseling-desk-slot-note",
        "get",
        f"{P}/desk/slots/{{slot}}/note/",
        own_desk(200),
        OWN,
    ),
    Row(
        "services:counseling-desk-booking-note",
        "get",
        f"{P}/desk/bookings/{{booking}}/note/",
        own_desk(200),
        OWN,
    ),
    Row(
        "services:counseling-desk-outcome",
        "post",
        f"{P}/desk/bookings/{{booking}}/attended/",
        own_desk(409),  # the slot has not begun: refused on the page, no longer a redirect
        OWN,
    ),
    Row("services:counseling-desk-notes", "get", f"{P}/desk/notes/", holders(COUNSELORS)),
    Row("services:counseling-desk-note", "get", f"{P}/desk/notes/{{note}}/", own_desk(200), OWN),
    Row(
        "services:counseling-desk-note",
        "post",
        f"{P}/desk/notes/{{note}}/",
        own_desk(302),
        OWN,
        data={"body": "改"},
        name="services:counseling-desk-note-post",
    ),
    Row("services:counseling-desk-questions", "get", f"{P}/desk/questions/", holders(COUNSELORS)),
    Row(
        "services:counseling-desk-question",
        "get",
        f"{P}/desk/questions/{{question}}/",
        holders(COUNSELORS),
    ),
    Row(
        "services:counseling-desk-question-close",
        "post",
        f"{P}/desk/questions/{{question}}/close/",
        holders(COUNSELORS, 302),
    ),
    # === API =====================================================================================
    Row(f"GET {A}/slots", "get", f"{A}/slots", holders(USERS)),
    Row(f"GET {A}/slots/{{slot_id}}", "get", f"{A}/slots/{{group}}", holders(USERS)),
    Row(
        f"POST {A}/slots/{{slot_id}}/book",
        "post",
        f"{A}/slots/{{group}}/book",
        holders(MEMBERS, 201),
        data={"topic": ""},
    ),
    Row(f"GET {A}/bookings", "get", f"{A}/bookings", holders(USERS)),
    Row(
        f"POST {A}/bookings/{{booking_id}}/cancel",
        "post",
        f"{A}/bookings/{{booking}}/cancel",
        own_booking(200),
        OWN,
    ),
    Row(
        f"POST {A}/bookings/{{booking_id}}/rate",
        "post",
        f"{A}/bookings/{{booking}}/rate",
        own_booking(409),
        OWN,
        data={"rating": "satisfied"},
    ),
    Row(
        f"POST {A}/questions",
        "post",
        f"{A}/questions",
        holders(MEMBERS, 201),
        data={"topic": "work", "body": "累"},
    ),
    Row(f"POST {A}/questions/lookup", "post", f"{A}/questions/lookup", everyone(200), data=_code),
    Row(
        f"POST {A}/questions/lookup",
        "post",
        f"{A}/questions/lookup",
        everyone(404),
        data={"code": "0000-0000-0000-0000"},
        name=f"POST {A}/questions/lookup-wrong-code",
    ),
    Row(
        f"POST {A}/questions/reply",
        "post",
        f"{A}/questions/reply",
        everyone(200),
        data=lambda w, t: {"code": w["code"], "body": "还是睡不着"},
    ),
    Row(f"GET {A}/counts", "get", f"{A}/counts", holders(COUNTS)),
    Row(f"GET {A}/desk/slots", "get", f"{A}/desk/slots", holders(COUNSELORS)),
    Row(
        f"POST {A}/desk/slots",
        "post",
        f"{A}/desk/slots",
        holders(COUNSELORS, 201),
        data=lambda w, t: w["new_slot"],
    ),
    Row(f"GET {A}/desk/slots/{{slot_id}}", "get", f"{A}/desk/slots/{{slot}}", own_desk(200), OWN),
    Row(
        f"POST {A}/desk/slots/{{slot_id}}/cancel",
        "post",
        f"{A}/desk/slots/{{slot}}/cancel",
        own_desk(200),
        OWN,
        data={"reason": "出差"},
    ),
    Row(
        f"POST {A}/desk/bookings/{{booking_id}}/outcome",
        "post",
        f"{A}/desk/bookings/{{booking}}/outcome",
        own_desk(409),  # the slot has not begun: a conflict, after the access check
        OWN,
        data={"outcome": "attended"},
    ),
    Row(f"GET {A}/desk/notes", "get", f"{A}/desk/notes", holders(COUNSELORS)),
    Row(
        f"POST {A}/desk/notes",
        "post",
        f"{A}/desk/notes",
        own_desk(201),
        OWN,
        data=lambda w, t: {"booking_id": w["booking"][t], "body": "记录"},
    ),
    Row(f"GET {A}/desk/notes/{{note_id}}", "get", f"{A}/desk/notes/{{note}}", own_desk(200), OWN),
    Row(
        f"PUT {A}/desk/notes/{{note_id}}",
        "put",
        f"{A}/desk/notes/{{note}}",
        own_desk(200),
        OWN,
        data={"body": "改"},
    ),
    Row(f"GET {A}/desk/questions", "get", f"{A}/desk/questions", holders(COUNSELORS)),
    Row(
        f"GET {A}/desk/questions/{{question_id}}",
        "get",
        f"{A}/desk/questions/{{question}}",
        holders(COUNSELORS),
    ),
    Row(
        f"POST {A}/desk/questions/{{question_id}}/answer",
        "post",
        f"{A}/desk/questions/{{question}}/answer",
        holders(COUNSELORS),
        data={"body": "你好"},
    ),
    Row(
        f"POST {A}/desk/questions/{{question_id}}/close",
        "post",
        f"{A}/desk/questions/{{question}}/close",
        holders(COUNSELORS),
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
