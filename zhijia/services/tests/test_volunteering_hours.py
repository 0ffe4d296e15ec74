"""Hours: recorded after the shift (default its length, a changed figure with a reason),
confirmed by the project's cadre or leader; yearly confirmed hours per worker equal a hand sum."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from zhijia.core.models import Notification
from zhijia.services import volunteering_rules as rules
from zhijia.services.actions import volunteering as actions
from zhijia.services.actions.volunteering import VolunteeringError
from zhijia.services.queries import volunteering as queries
from zhijia.services.tests.volunteering_support import project_with_shift, unit

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def test_shift_hours_and_checks_are_pure():
    start = dt.datetime(2026, 3, 1, 8, 0, tzinfo=TZ)
    assert rules.shift_hours(start, start + dt.timedelta(hours=2, minutes=50)) == Decimal("2.5")
    assert rules.shift_hours(start, start + dt.timedelta(hours=3)) == Decimal("3.0")
    assert rules.check_hours(None, default=Decimal("3"), reason="") == Decimal("3")
    assert rules.check_hours("2", default=Decimal("3"), reason="提前离开") == Decimal("2.0")
    for bad in ("-1", "25", "1.3", "abc"):
        with pytest.raises(rules.HoursError):
            rules.check_hours(bad, default=Decimal("3"), reason="x")
    with pytest.raises(rules.HoursError) as exc:
        rules.check_hours("2", default=Decimal("3"), reason=" ")
    assert exc.value.field == "reason"


def _served(cadre, worker, *, when: dt.datetime, hours: float):
    """A shift at `when` lasting `hours`, `worker` signed up (time travel to before it)."""
    with time_machine.travel(when - dt.timedelta(days=3), tick=False):
        project = actions.do_create_volunteer_project(
            actor=cadre, title=f"项目{when:%m%d}", org_unit=unit("B1")
        )
        shift = actions.do_add_volunteer_shift(
            actor=cadre,
            project=project,
            starts_at=when,
            ends_at=when + dt.timedelta(hours=hours),
            place="社区",
            places=5,
        )
        actions.do_publish_volunteer_project(actor=cadre, project=project)
        return actions.do_sign_up_volunteer(actor=worker, shift=shift)


def test_record_confirm_and_yearly_hand_sum(personas):
    cadre, worker = personas["branch1"], personas["worker1"]
    a = _served(cadre, worker, when=dt.datetime(2025, 3, 8, 9, 0, tzinfo=TZ), hours=3)
    b = _served(cadre, worker, when=dt.datetime(2025, 6, 1, 14, 0, tzinfo=TZ), hours=2.5)
    c = _served(cadre, worker, when=dt.datetime(2025, 9, 10, 9, 0, tzinfo=TZ), hours=4)
    d = _served(cadre, worker, when=dt.datetime(2024, 12, 31, 20, 0, tzinfo=TZ), hours=3)
    e = _served(cadre, personas["rep1"], when=dt.datetime(2025, 5, 5, 9, 0, tzinfo=TZ), hours=2)
    with time_machine.travel(dt.datetime(2025, 12, 31, 12, 0, tzinfo=TZ), tick=False):
        actions.do_record_volunteer_hours(actor=cadre, signup=a)  # default: 3
        with pytest.raises(VolunteeringError, match="调整原因") as exc:
            actions.do_record_volunteer_hours(actor=cadre, signup=b, hours="1.5")
        assert exc.value.field == "reason"
        actions.do_record_volunteer_hours(actor=cadre, signup=b, hours="1.5", reason="提前离开")
        actions.do_record_volunteer_hours(actor=cadre, signup=c)  # 4, stays pending
        actions.do_record_volunteer_hours(actor=cadre, signup=d)  # 3, last year
        actions.do_record_volunteer_hours(actor=cadre, signup=e)  # 2, another worker
        for s in (a, b, d, e):
            actions.do_confirm_volunteer_hours(actor=cadre, signup=s)
        with pytest.raises(VolunteeringError, match="已确认"):
            actions.do_confirm_volunteer_hours(actor=cadre, signup=a)
        with pytest.raises(VolunteeringError, match="不能再修改"):
            actions.do_record_volunteer_hours(actor=cadre, signup=a, hours="5", reason="x")
        # a cadre of another branch may not touch them
        with pytest.raises(PermissionDenied):
            actions.do_confirm_volunteer_hours(actor=personas["branch2"], signup=c)
    # hand sum: 2025 confirmed for worker1 = 3 + 1.5 (c pending, d in 2024)
    assert queries.yearly_hours(worker, 2025) == Decimal("4.5")
    assert queries.pending_hours(worker, 2025) == Decimal("4")
    assert queries.yearly_hours(worker, 2024) == Decimal("3")
    assert queries.yearly_hours(personas["rep1"], 2025) == Decimal("2")
    rows = {r["worker_id"]: r for r in queries.yearly_hours_list(cadre, 2025)}
    assert rows[worker.pk]["total"] == Decimal("4.5") and rows[worker.pk]["shifts"] == 2
    assert rows[personas["rep1"].pk]["total"] == Decimal("2")
    # branch2's cadre sees none of branch1's workers; the chair sees them all
    assert not list(queries.yearly_hours_list(personas["branch2"], 2025))
    assert len(list(queries.yearly_hours_list(personas["chair"], 2025))) == 2
    assert (
        Notification.objects.filter(user=worker, kind="services.volunteer_hours_confirmed").count()
        == 3
    )  # a, b and d


def test_hours_only_after_the_shift_and_by_its_leader_or_cadre(personas):
    project, shift = project_with_shift(personas["chair"], unit_code="U", places=3)
    project.leader = personas["rep1"]
    project.save(update_fields=["leader"])
    signup = actions.do_sign_up_volunteer(actor=personas["worker1"], shift=shift)
    with pytest.raises(VolunteeringError, match="班次结束后"):
        actions.do_record_volunteer_hours(actor=personas["chair"], signup=signup)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        with pytest.raises(PermissionDenied):
            actions.do_record_volunteer_hours(actor=personas["worker2"], signup=signup)
        actions.do_record_volunteer_hours(actor=personas["rep1"], signup=signup)  # the leader
        actions.do_confirm_volunteer_hours(actor=personas["rep1"], signup=signup)
    signup.refresh_from_db()
    assert signup.hours == Decimal("3.0") and signup.hours_status == "confirmed"


def test_member_home_shows_the_years_hours(personas):
    cadre, worker = personas["branch1"], personas["worker1"]
    signup = _served(cadre, worker, when=dt.datetime(2025, 6, 10, 9, 0, tzinfo=TZ), hours=2)

    def home() -> str:
        client = Client()  # a fresh session at each moment
        client.force_login(worker)
        response = client.get("/")
        assert response.status_code == 200, response.get("Location")
        return response.content.decode()

    with time_machine.travel(dt.datetime(2025, 6, 9, 12, 0, tzinfo=TZ), tick=False):
        assert "今年志愿服务 0 小时" in home()  # signed up, nothing confirmed yet
    with time_machine.travel(dt.datetime(2025, 6, 20, 12, 0, tzinfo=TZ), tick=False):
        actions.do_record_volunteer_hours(actor=cadre, signup=signup)
        actions.do_confirm_volunteer_hours(actor=cadre, signup=signup)
        assert "今年志愿服务 2 小时" in home()
    with time_machine.travel(dt.datetime(2026, 2, 1, 12, 0, tzinfo=TZ), tick=False):
        assert "今年志愿服务" not in home()  # no shift this year


def test_confirm_a_whole_shift(personas):
    project, shift = project_with_shift(personas["branch1"], places=3)
    a = actions.do_sign_up_volunteer(actor=personas["worker1"], shift=shift)
    b = actions.do_sign_up_volunteer(actor=personas["rep1"], shift=shift)
    with pytest.raises(VolunteeringError, match="班次结束后"):
        actions.do_confirm_shift_hours(actor=personas["branch1"], shift=shift)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        actions.do_record_volunteer_hours(
            actor=personas["branch1"], signup=b, hours="1", reason="迟到"
        )
        with pytest.raises(PermissionDenied):
            actions.do_confirm_shift_hours(actor=personas["branch2"], shift=shift)
        assert actions.do_confirm_shift_hours(actor=personas["branch1"], shift=shift) == 2
        with pytest.raises(VolunteeringError, match="没有待确认"):
            actions.do_confirm_shift_hours(actor=personas["branch1"], shift=shift)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.hours, a.hours_status) == (Decimal("3.0"), "confirmed")  # the shift's length
    assert (b.hours, b.hours_status) == (Decimal("1.0"), "confirmed")  # as recorded
