"""Permissions of the congress sessions, pages and API alike: a branch cadre cannot manage the
enterprise's session; a representative cannot check in someone else; records outside the
caller's scope are 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import AgendaItem, Attendance, Session
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import make_members, make_term, seat

pytestmark = pytest.mark.django_db

OUTSIDERS = ["branch1", "branch2", "rep1", "worker1", "worker2", "admin", "handler1"]


@pytest.fixture
def enterprise(personas, demo_units):
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    rep1 = actions.do_add_representative(
        actor=chair, term=term, member=personas["rep1"].member_record
    )
    others = seat(chair, term, make_members(demo_units["B1-G2"], 5))
    session = actions.do_schedule_session(actor=chair, term=term, date=dt.date(2025, 3, 20))
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    actions.do_start_checkin(actor=chair, session=session)
    return term, session, item, rep1, others


def _pages(term, session, item, rep):
    return [
        reverse("congress:term-detail", args=[term.pk]),
        reverse("congress:term-slate", args=[term.pk]),
        reverse("congress:rep-list", args=[term.pk]),
        reverse("congress:rep-edit", args=[rep.pk]),
        reverse("congress:rep-badges", args=[term.pk]),
        reverse("congress:session-detail", args=[session.pk]),
        reverse("congress:session-count", args=[session.pk]),
        reverse("congress:checkin-desk", args=[session.pk]),
        reverse("congress:checkin-rollcall", args=[session.pk]),
        reverse("congress:checkin-hall-code", args=[session.pk]),
        reverse("congress:session-results", args=[session.pk]),
        reverse("congress:session-results-pdf", args=[session.pk]),
        reverse("congress:item-resolution", args=[item.pk]),
    ]


def _posts(term, session, item, rep):
    return [
        (reverse("congress:session-transition", args=[session.pk, "open"]), {}),
        (reverse("congress:session-transition", args=[session.pk, "close"]), {}),
        (reverse("congress:checkin-desk", args=[session.pk]), {"code": q.checkin_code(rep)}),
        (reverse("congress:checkin-rollcall-mark", args=[session.pk, rep.pk]), {"present": "1"}),
        (reverse("congress:checkin-hall-code", args=[session.pk]), {}),
        (reverse("congress:item-add", args=[session.pk]), {"title": "x", "kind": "motion"}),
        (reverse("congress:item-action", args=[item.pk, "open"]), {}),
        (reverse("congress:item-action", args=[item.pk, "delete"]), {}),
        (reverse("congress:session-schedule", args=[term.pk]), {"date": "2025-06-01"}),
        (reverse("congress:rep-list", args=[term.pk]), {"employee_no": "E0103", "kind": "voting"}),
        (reverse("congress:rep-end", args=[rep.pk]), {"reason": "x"}),
        (reverse("congress:term-edit", args=[term.pk]), {"start_date": "2024-03-01"}),
    ]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_every_enterprise_page(login, enterprise, username):
    term, session, item, rep1, others = enterprise
    c = login(username)
    for url in _pages(term, session, item, rep1):
        status = c.get(url).status_code
        assert status == 404, (username, url, status)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_change_nothing(login, enterprise, username):
    term, session, item, rep1, others = enterprise
    c = login(username)
    for url, data in _posts(term, session, item, rep1):
        status = c.post(url, data).status_code
        assert status in (403, 404), (username, url, status)
    session.refresh_from_db()
    assert session.state == Session.State.CHECKIN
    assert not Attendance.objects.exists()
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["关于食堂改造的决议"]
    assert Session.objects.count() == 1
    rep1.refresh_from_db()
    assert rep1.active


def test_the_chair_reaches_every_page(login, enterprise):
    term, session, item, rep1, others = enterprise
    c = login("chair")
    for url in _pages(term, session, item, rep1):
        status = c.get(url).status_code
        # The resolution of an item not yet voted is refused with 409, everything else is there.
        assert status == (409 if "resolution" in url else 200), (url, status)


def test_branch_cadre_cannot_manage_the_enterprise_session(personas, enterprise):
    term, session, item, rep1, others = enterprise
    branch1 = personas["branch1"]
    for call in (
        lambda: actions.do_open_session(actor=branch1, session=session),
        lambda: actions.do_checkin_by_code(
            actor=branch1, session=session, code=q.checkin_code(rep1)
        ),
        lambda: actions.do_roll_call(actor=branch1, session=session, rep=rep1, present=True),
        lambda: actions_agenda.do_add_item(actor=branch1, session=session, title="x"),
        lambda: actions_agenda.do_open_item_vote(actor=branch1, item=item),
        lambda: actions.do_schedule_session(actor=branch1, term=term, date=dt.date(2025, 6, 1)),
        lambda: actions.do_add_representative(
            actor=branch1, term=term, member=personas["worker1"].member_record
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not Attendance.objects.exists()


def test_branch_cadre_runs_the_branch_congress(personas, demo_units, login):
    """The same cadre manages a congress of the branch (分厂职代会) in its own scope."""
    branch1 = personas["branch1"]
    term = make_term(branch1, demo_units["B1"])
    session = actions.do_schedule_session(actor=branch1, term=term, date=dt.date(2025, 3, 1))
    url = reverse("congress:session-detail", args=[session.pk])
    assert login("branch1").get(url).status_code == 200
    assert login("branch2").get(url).status_code == 404
    assert login("chair").get(url).status_code == 200


def test_representative_cannot_check_in_someone_else(api_client, login, personas, enterprise):
    term, session, item, rep1, others = enterprise
    victim = others[0]
    api = api_client("rep1")
    base = f"/api/v1/congress/sessions/{session.pk}"
    desk = api.post(
        f"{base}/checkin",
        data=json.dumps({"code": q.checkin_code(victim)}),
        content_type="application/json",
    )
    assert desk.status_code == 404
    roll = api.post(
        f"{base}/roll-call",
        data=json.dumps({"representative_id": victim.pk, "present": True}),
        content_type="application/json",
    )
    assert roll.status_code == 404
    page = login("rep1").post(
        reverse("congress:checkin-desk", args=[session.pk]), {"code": q.checkin_code(victim)}
    )
    assert page.status_code == 404
    assert not Attendance.objects.exists()
    # The action refuses too, whatever the caller sends.
    with pytest.raises(PermissionDenied):
        actions.do_checkin_by_code(
            actor=personas["rep1"], session=session, code=q.checkin_code(victim)
        )

    # The hall code checks in the caller, and only the caller.
    mine = api.post(
        f"{base}/checkin/self",
        data=json.dumps({"hall_token": session.hall_token}),
        content_type="application/json",
    )
    assert mine.status_code == 200, mine.content
    assert mine.json()["representative_id"] == rep1.pk
    assert list(Attendance.objects.values_list("representative_id", flat=True)) == [rep1.pk]
    # Someone who is not a representative of the term cannot self check in either.
    stranger = api_client("worker1").post(
        f"{base}/checkin/self",
        data=json.dumps({"hall_token": session.hall_token}),
        content_type="application/json",
    )
    assert stranger.status_code == 400
    wrong = api_client("rep1").post(
        f"{base}/checkin/self",
        data=json.dumps({"hall_token": "guess"}),
        content_type="application/json",
    )
    assert wrong.status_code == 404


def test_api_scope(api_client, enterprise):
    term, session, item, rep1, others = enterprise
    urls = [
        f"/api/v1/congress/terms/{term.pk}",
        f"/api/v1/congress/terms/{term.pk}/composition",
        f"/api/v1/congress/terms/{term.pk}/representatives",
        f"/api/v1/congress/terms/{term.pk}/sessions",
        f"/api/v1/congress/sessions/{session.pk}",
        f"/api/v1/congress/sessions/{session.pk}/quorum",
        f"/api/v1/congress/sessions/{session.pk}/items",
        f"/api/v1/congress/items/{item.pk}",
    ]
    chair = api_client("chair")
    for url in urls:
        assert chair.get(url).status_code == 200, url
    for username in OUTSIDERS:
        client = api_client(username)
        for url in urls:
            assert client.get(url).status_code == 404, (username, url)
        assert client.get("/api/v1/congress/terms").json()["items"] == []
        assert client.post(f"/api/v1/congress/sessions/{session.pk}/open").status_code == 404
        assert client.post(f"/api/v1/congress/items/{item.pk}/open").status_code == 404
    from django.test import Client

    assert Client().get(urls[0]).status_code == 401
