"""The inbox API: my notifications only, unread first, paginated; unread count; mark read."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from zhijia.core.models import Notification
from zhijia.core.notify import notify, unread_count


@pytest.fixture
def notes(personas, settings):
    settings.ZHIJIA_NOTIFY_CHANNELS = []
    w1, w2 = personas["worker1"], personas["worker2"]
    start = timezone.now() - timedelta(hours=5)
    made = {}
    for i, title in enumerate(["旧的已读", "较早未读", "最新未读", "最新已读"]):
        with time_machine.travel(start + timedelta(hours=i), tick=False):
            made[title] = notify(
                recipients=[w1], kind="test.k", title=title, body=f"正文{i}", url="/org/me/"
            )[0]
    made["他人"] = notify(recipients=[w2], kind="test.k", title="别人的通知", body="私事")[0]
    Notification.objects.filter(pk__in=[made["旧的已读"].pk, made["最新已读"].pk]).update(
        read_at=timezone.now()
    )
    return made


def test_list_is_mine_unread_first_and_paginated(api_client, notes):
    client = api_client("worker1")
    body = client.get("/api/v1/inbox").json()
    assert set(body) == {"items", "count", "count_exact", "page", "pages", "per_page", "unread"}
    assert [i["title"] for i in body["items"]] == ["最新未读", "较早未读", "最新已读", "旧的已读"]
    assert (body["count"], body["unread"], body["pages"]) == (4, 2, 1)
    first = body["items"][0]
    assert first["unread"] is True and first["read_at"] is None
    assert (first["kind"], first["body"], first["url"]) == ("test.k", "正文2", "/org/me/")
    assert body["items"][2]["unread"] is False
    page1 = client.get("/api/v1/inbox?per_page=3").json()
    assert (len(page1["items"]), page1["count"], page1["pages"]) == (3, 4, 2)
    page2 = client.get("/api/v1/inbox?per_page=3&page=2").json()
    assert [i["title"] for i in page2["items"]] == ["旧的已读"] and page2["page"] == 2
    assert client.get("/api/v1/inbox?page=9").json()["items"] == []
    unread = client.get("/api/v1/inbox?unread=true").json()
    assert [i["title"] for i in unread["items"]] == ["最新未读", "较早未读"]
    assert unread["count"] == 2
    other = api_client("worker2").get("/api/v1/inbox").json()
    assert [i["title"] for i in other["items"]] == ["别人的通知"]


def test_unread_count_and_mark_one_read(api_client, notes, personas):
    client = api_client("worker1")
    assert client.get("/api/v1/inbox/unread-count").json() == {"unread": 2}
    note = notes["较早未读"]
    detail = client.get(f"/api/v1/inbox/{note.pk}").json()
    assert detail["title"] == "较早未读" and detail["unread"] is True  # reading is not marking
    response = client.post(f"/api/v1/inbox/{note.pk}/read")
    assert response.status_code == 200
    assert response.json()["unread"] is False and response.json()["read_at"]
    first_read_at = response.json()["read_at"]
    assert client.post(f"/api/v1/inbox/{note.pk}/read").json()["read_at"] == first_read_at
    assert client.get("/api/v1/inbox/unread-count").json() == {"unread": 1}
    assert unread_count(personas["worker1"]) == 1


def test_mark_all_read(api_client, notes, personas):
    client = api_client("worker1")
    assert client.post("/api/v1/inbox/read-all").json() == {"marked": 2, "unread": 0}
    assert client.post("/api/v1/inbox/read-all").json() == {"marked": 0, "unread": 0}
    assert unread_count(personas["worker1"]) == 0
    assert unread_count(personas["worker2"]) == 1  # someone else's inbox is untouched


def test_someone_elses_notification_is_404(api_client, notes):
    theirs = notes["他人"]
    client = api_client("worker1")
    for response in (
        client.get(f"/api/v1/inbox/{theirs.pk}"),
        client.post(f"/api/v1/inbox/{theirs.pk}/read"),
    ):
        assert response.status_code == 404 and response.json()["detail"] == "未找到"
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/inbox/0", 422),
        ("get", "/api/v1/inbox/99999999999999999999999", 422),
        ("post", "/api/v1/inbox/abc/read", 422),
        ("get", "/api/v1/inbox?page=0", 422),
        ("get", "/api/v1/inbox?per_page=100000", 422),
        ("get", "/api/v1/inbox?unread=maybe", 422),
        ("get", "/api/v1/inbox/99999999", 404),
        ("get", "/api/v1/inbox/read-all", 405),
    ],
)
def test_bad_input(api_client, notes, method, path, status):
    response = getattr(api_client("worker1"), method)(path)
    assert response.status_code == status, response.content


def test_requires_a_token(client, notes):
    for path in ("/api/v1/inbox", "/api/v1/inbox/unread-count"):
        response = client.get(path)
        assert response.status_code == 401 and "detail" in response.json()
    assert client.post("/api/v1/inbox/read-all").status_code == 401


def test_openapi_lists_the_inbox(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/inbox",
        "/api/v1/inbox/unread-count",
        "/api/v1/inbox/read-all",
        "/api/v1/inbox/{notification_id}",
        "/api/v1/inbox/{notification_id}/read",
    ]:
        assert path in paths
