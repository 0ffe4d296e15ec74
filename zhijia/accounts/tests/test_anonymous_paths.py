"""The anonymous channels leave the visitor's session untouched (docs/security.md,
"Anonymous channels"; issue 11, finding 6)."""

import time

import pytest
from django.contrib.sessions.models import Session

from zhijia.accounts.middleware import LAST_SEEN_KEY, is_anonymous_path, read_only_session


def test_box_request_does_not_stamp_the_session(login):
    client = login("worker1")
    session = client.session
    stamp = time.time() - 3600  # seen an hour ago: an ordinary page would re-stamp it
    session[LAST_SEEN_KEY] = stamp
    session.save()
    assert client.get("/cases/box/").status_code == 200
    assert client.session[LAST_SEEN_KEY] == stamp
    client.get("/")
    assert client.session[LAST_SEEN_KEY] > stamp


# --- the session row stays byte-identical -------------------------------------------------------


def _row(client):
    """The worker's session row as a database dump shows it."""
    key = client.cookies["sessionid"].value
    row = Session.objects.filter(session_key=key).values_list(
        "session_key", "session_data", "expire_date"
    )
    return list(row)


@pytest.fixture
def stale_worker(login):
    """worker1 signed in, last seen an hour ago: any ordinary request would rewrite the row."""
    client = login("worker1")
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 3600
    session.save()
    return client


def _anonymous_requests(units):
    box = {"category": "safety", "org_unit": units["B1"].pk, "text": "配电柜漏电。"}
    wrong = {"code": "0000-0000-0000-0000"}
    apply = {"name": "赵六", "phone": "13900009999", "org_unit": units["B1"].pk}
    ask = {"text": "最近睡不好"}
    return [
        ("post", "/api/v1/cases/box", box, "application/json"),
        ("post", "/api/v1/cases/box/lookup", wrong, "application/json"),
        ("post", "/api/v1/cases/box/message", {**wrong, "text": "补充"}, "application/json"),
        ("post", "/api/v1/cases/box/rate", {**wrong, "rating": "satisfied"}, "application/json"),
        ("get", "/api/v1/org/join/status?code=0000-0000-0000-0000&phone_last4=0000", None, None),
        ("post", "/api/v1/org/join", apply, "application/json"),
        ("post", "/api/v1/services/counseling/questions", ask, "application/json"),
        ("post", "/api/v1/services/counseling/questions/lookup", wrong, "application/json"),
        ("post", "/cases/box/", {**box, "kind": "grievance", "category": "wages"}, None),
        ("post", "/cases/box/follow/", wrong, None),
        ("post", "/services/counseling/follow/", wrong, None),
        ("post", "/org/join/status/", {**wrong, "phone_last4": "0000"}, None),
    ]


@pytest.mark.django_db
def test_anonymous_channels_leave_the_session_row_byte_identical(stale_worker, demo_units):
    before = _row(stale_worker)
    assert before
    # The session is still read there: a page of the channel that needs a signed-in member
    # (asking a counselor) sees her.
    assert stale_worker.get("/services/counseling/ask/").status_code == 200
    assert _row(stale_worker) == before
    for method, url, data, content_type in _anonymous_requests(demo_units):
        kwargs = {"content_type": content_type} if content_type else {}
        if method == "get":
            response = stale_worker.get(url)
        else:
            response = stale_worker.post(url, data, **kwargs)
        assert response.status_code < 500, url
        assert _row(stale_worker) == before, url
        # Nor is the session cookie sent again (a new expiry in the browser).
        assert "sessionid" not in response.cookies, url
    # An ordinary page still stamps it.
    stale_worker.get("/")
    assert _row(stale_worker) != before


@pytest.mark.django_db
def test_a_write_to_the_session_on_an_anonymous_path_goes_nowhere(stale_worker, settings):
    """The root: on an anonymous path the session is read-only for everything that runs."""
    from django.contrib.sessions.backends.base import SessionBase

    before = _row(stale_worker)
    session = stale_worker.session
    user_id = session["_auth_user_id"]
    read_only_session(session)
    assert isinstance(session, SessionBase)
    assert session["_auth_user_id"] == user_id  # still decodes (same signing salt)
    session["anything"] = 1
    session.set_expiry(10)
    session.save()
    assert session.modified is False
    assert _row(stale_worker) == before


def test_which_paths_are_anonymous():
    assert is_anonymous_path("/api/v1/cases/box/lookup")
    assert is_anonymous_path("/org/join/") and is_anonymous_path("/api/v1/org/join")
    # The cadres' side of the same modules is not.
    assert not is_anonymous_path("/org/join/review/")
    assert not is_anonymous_path("/api/v1/org/join/applications")
    assert not is_anonymous_path("/api/v1/services/counseling/desk/questions")
