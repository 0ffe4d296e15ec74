"""The pages around the actions: the home to-do for an offered place, the draw seed shown
before the draw, the QR ticket, the attendance export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import signing
from openpyxl import load_workbook

from zhijia.services.actions import activities as actions
from zhijia.services.tests.activities_support import make_activity

pytestmark = pytest.mark.django_db


def test_an_offer_is_a_home_todo(personas, demo_units, login):
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=1)
    first = actions.do_register_activity(actor=personas["rep1"], activity=activity)
    actions.do_register_activity(actor=personas["worker1"], activity=activity)
    page = login("worker1")
    assert "有一个活动名额待确认" not in page.get("/").content.decode()
    actions.do_cancel_activity_registration(actor=personas["rep1"], registration=first)
    home = page.get("/").content.decode()
    assert "有一个活动名额待确认" in home and activity.title in home
    detail = page.get(f"/services/activities/{activity.pk}/").content.decode()
    assert "确认参加" in detail


def test_seed_on_the_page_before_the_draw(personas, demo_units, login):
    activity = make_activity(personas["branch1"], demo_units["B1"], draw=True)
    page = login("worker1").get(f"/services/activities/{activity.pk}/").content.decode()
    assert activity.draw_seed in page and "报名参加抽签" in page


def test_ticket_and_attendance_export(personas, demo_units, login):
    activity = make_activity(personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1))
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    ticket = login("worker1").get(f"/services/activities/registrations/{reg.pk}/")
    assert ticket["Cache-Control"].startswith("no-store")
    # The QR code's token names this registration (its timestamp is the moment of the page,
    # so it is read back rather than compared with one made a second later).
    payload = actions.checkin_token(reg).split(":")[0]
    found = re.search(re.escape(payload) + r":[\w-]+:[\w-]+", ticket.content.decode())
    assert found is not None
    assert signing.loads(found.group(0), salt=actions.TOKEN_SALT) == {
        "a": activity.pk,
        "r": reg.pk,
    }
    cadre = login("branch1")
    cadre.post(f"/services/activities/manage/{activity.pk}/checkin/{reg.pk}/")
    response = cadre.get(f"/services/activities/manage/{activity.pk}/attendance.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "陈小红" in text and personas["worker1"].member_record.employee_no in text


def test_photos_after_the_start_seen_by_the_audience(personas, demo_units, login, private_storage):
    from zhijia.safety.tests.support import photo

    activity = make_activity(
        personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(minutes=-10), publish=False
    )
    cadre = login("branch1")
    url = f"/services/activities/manage/{activity.pk}/photos/"
    assert cadre.post(url, {"photos": [photo("a.png"), photo("b.png")]}).status_code == 302
    not_image = cadre.post(url, {"photos": [io.BytesIO(b"%PDF-1.4 nope")]})
    assert not_image.status_code == 400
    from zhijia.services.queries.activities import photos_of

    shots = list(photos_of(activity))
    assert len(shots) == 2
    assert cadre.get(f"/files/{shots[0].pk}/").status_code == 200
    assert login("worker2").get(f"/files/{shots[0].pk}/").status_code == 404  # branch 2
    later = make_activity(personas["branch1"], demo_units["B1"])
    refused = cadre.post(f"/services/activities/manage/{later.pk}/photos/", {"photos": [photo()]})
    assert refused.status_code == 409


def test_the_qr_link_opens_the_check_in_page_with_the_token(personas, demo_units, login):
    activity = make_activity(personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1))
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    token = actions.checkin_token(reg)
    link = f"http://testserver/services/activities/manage/{activity.pk}/checkin/?token={token}"
    cadre = login("branch1")
    page = cadre.get(link).content.decode()
    assert f'value="{token}"' in page
    assert not activity.registrations.filter(checked_in_at__isnull=False).exists()  # GET
    assert cadre.post(link.split("?")[0], {"token": link}).status_code == 302  # the link too
    assert activity.registrations.filter(checked_in_at__isnull=False).count() == 1


def test_rating_on_the_page_once_over(personas, demo_units, login):
    import time_machine
    from django.utils import timezone

    activity = make_activity(
        personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1), hours=1
    )
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    actions.do_check_in_activity(
        actor=personas["branch1"], activity=activity, registration_id=reg.pk
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        actions.sweep_activities()
        page = login("worker1")
        assert "评价本次活动" in page.get(f"/services/activities/{activity.pk}/").content.decode()
        url = f"/services/activities/registrations/{reg.pk}/rate/"
        assert page.post(url, {"rating": "basically"}).status_code == 302
        assert page.post(url, {"rating": "satisfied"}).status_code == 409
    reg.refresh_from_db()
    assert reg.rating == "basically"
