"""A counseling note is readable by the counselor who wrote it alone: not by another counselor,
not by the admin, not by the chair — through the pages, the API or the admin console."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection

from zhijia.core.models import AuditEvent, Notification
from zhijia.services.actions import counseling as actions
from zhijia.services.models import CounselingNote
from zhijia.services.tests.counseling_support import make_counselor, publish

SECRET = "来访者提到与班长长期冲突，睡眠差，建议两周后复诊"

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(personas):
    slot = publish(personas["counselor1"], hours_ahead=3)
    booking = actions.do_book_counseling(actor=personas["worker1"], slot=slot)
    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=60)):
        actions.do_record_counseling_outcome(
            actor=personas["counselor1"], booking=booking, outcome="attended"
        )
        return actions.do_write_counseling_note(
            actor=personas["counselor1"], booking=booking, body=SECRET
        )


def test_note_is_encrypted_at_rest(note):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body_encrypted FROM services_counselingnote WHERE id = %s", [note.pk]
        )
        (stored,) = cursor.fetchone()
    assert SECRET not in stored and "睡眠" not in stored
    assert CounselingNote.objects.get(pk=note.pk).get_body() == SECRET
    # keyed to its author: the generic counseling key does not open it
    from cryptography.fernet import InvalidToken

    from zhijia.core import crypto

    with pytest.raises(InvalidToken):
        crypto.decrypt(stored, purpose="counseling")
    with pytest.raises(InvalidToken):
        crypto.decrypt(stored)


def test_nothing_of_the_note_leaks_into_audit_or_notifications(note):
    for event in AuditEvent.objects.all():
        assert "睡眠" not in str(event.data)
    for n in Notification.objects.all():
        assert "睡眠" not in n.title + n.body
    assert str(note) == f"咨询记录 #{note.pk}"


def test_author_reads_it_on_the_page_and_in_the_api(note, login, api_client):
    page = login("counselor1").get(f"/services/counseling/desk/notes/{note.pk}/")
    assert page.status_code == 200 and SECRET in page.content.decode()
    api = api_client("counselor1").get(f"/api/v1/services/counseling/desk/notes/{note.pk}")
    assert api.status_code == 200 and api.json()["body"] == SECRET
    # Each reading is on the member's page of who read her sensitive records (never the note).
    reads = AuditEvent.objects.filter(action="services.read_counseling_note")
    assert reads.count() == 2 and all("睡眠" not in str(e.data) for e in reads)
    mine = login("worker1").get("/core/me/privacy/").content.decode()
    assert "心理咨询记录" in mine and "吴静" in mine and SECRET not in mine


@pytest.mark.parametrize("who,status", [("admin", 403), ("chair", 403), ("counselor2", 404)])
def test_others_cannot_read_it(note, personas, login, api_client, who, status):
    if who == "counselor2":
        personas["counselor2"] = make_counselor()
    client = login(who)
    urls = [
        f"/services/counseling/desk/notes/{note.pk}/",
        "/services/counseling/desk/notes/",
        f"/services/counseling/desk/slots/{note.booking.slot_id}/",
    ]
    for url in urls:
        response = client.get(url)
        body = response.content.decode()
        assert SECRET not in body
        if url.endswith("/desk/notes/"):  # the list: 403 for a role without the code
            assert response.status_code == (200 if who == "counselor2" else 403)
        else:
            assert response.status_code == status, url
    # the list of another counselor is empty of this note
    api = api_client(who)
    got = api.get(f"/api/v1/services/counseling/desk/notes/{note.pk}")
    assert got.status_code == status and SECRET not in got.content.decode()
    listing = api.get("/api/v1/services/counseling/desk/notes")
    if who == "counselor2":
        assert listing.status_code == 200 and listing.json()["items"] == []
    else:
        assert listing.status_code == 403
    edit = api.put(
        f"/api/v1/services/counseling/desk/notes/{note.pk}",
        data={"body": "篡改"},
        content_type="application/json",
    )
    assert edit.status_code == status
    assert CounselingNote.objects.get(pk=note.pk).get_body() == SECRET


def test_admin_console_has_no_counseling(note, login):
    client = login("admin")
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/services/" not in index.content.decode()
    for url in (
        "/admin/services/",
        "/admin/services/counselingnote/",
        f"/admin/services/counselingnote/{note.pk}/change/",
        "/admin/services/counselingbooking/",
        "/admin/services/counselingquestion/",
    ):
        assert client.get(url).status_code == 404, url


def test_chair_sees_the_counts_not_the_people(note, api_client):
    counts = api_client("chair").get(
        "/api/v1/services/counseling/counts", {"year": note.created_at.year}
    )
    assert counts.status_code == 200
    data = counts.json()
    assert data["individual_attended"] == 1
    assert all(isinstance(v, int) for v in data.values())
    assert "陈小红" not in counts.content.decode()
