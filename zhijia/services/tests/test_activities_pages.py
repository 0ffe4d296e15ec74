"""The pages around the actions: the home to-do for an offered place, the draw seed shown
before the draw, the QR ticket, the attendance export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
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
    assert actions.checkin_token(reg) in ticket.content.decode()
    cadre = login("branch1")
    cadre.post(f"/services/activities/manage/{activity.pk}/checkin/{reg.pk}/")
    response = cadre.get(f"/services/activities/manage/{activity.pk}/attendance.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "陈小红" in text and personas["worker1"].member_record.employee_no in text
