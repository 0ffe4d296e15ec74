"""Registration, the waiting list and its offers, the draw, check-in and rating."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.models import Notification, Rating
from zhijia.services.actions import activities as actions
from zhijia.services.actions.activities import ActivityError
from zhijia.services.models import ActivityRegistration
from zhijia.services.queries import activities as queries
from zhijia.services.tests.activities_support import make_activity, make_member_users

pytestmark = pytest.mark.django_db

R = ActivityRegistration.Status


def _fresh(reg):
    reg.refresh_from_db()
    return reg


def test_full_activity_puts_members_on_the_waiting_list_in_order(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=1)
    users = make_member_users(3, demo_units["B1-G2"])
    a, b, c = (actions.do_register_activity(actor=u, activity=activity) for u in users)
    assert [a.status, b.status, c.status] == [R.REGISTERED, R.WAITING, R.WAITING]
    assert queries.waiting_position(b) == 1 and queries.waiting_position(c) == 2
    with pytest.raises(ActivityError, match="已报名"):
        actions.do_register_activity(actor=users[0], activity=activity)


def test_cancellation_offers_the_place_then_a_lapsed_offer_moves_on(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=1, offer_hours=6)
    a, b, c = make_member_users(3, demo_units["B1-G2"])
    ra = actions.do_register_activity(actor=a, activity=activity)
    rb = actions.do_register_activity(actor=b, activity=activity)
    rc = actions.do_register_activity(actor=c, activity=activity)
    actions.do_cancel_activity_registration(actor=a, registration=ra)
    rb, rc = _fresh(rb), _fresh(rc)
    assert rb.status == R.OFFERED and rc.status == R.WAITING
    assert rb.offer_expires_at is not None
    hours = (rb.offer_expires_at - timezone.now()).total_seconds() / 3600
    assert 5.9 < hours <= 6
    assert Notification.objects.filter(user=b, kind="services.activity_offer").count() == 1
    # an offer holds the place: a newcomer waits
    (d,) = make_member_users(1, demo_units["B1-G3"], prefix="late")
    assert actions.do_register_activity(actor=d, activity=activity).status == R.WAITING
    # b lets it lapse: the sweep offers it to c
    with time_machine.travel(timezone.now() + dt.timedelta(hours=7)):
        counts = actions.sweep_activities()
        assert counts["lapsed"] == 1
        rb, rc = _fresh(rb), _fresh(rc)
        assert rb.status == R.LAPSED and rc.status == R.OFFERED
        assert Notification.objects.filter(user=c, kind="services.activity_offer").exists()
        actions.do_confirm_activity_offer(actor=c, registration=rc)
    assert _fresh(rc).status == R.REGISTERED
    assert queries.places_taken(activity) == 1


def test_declining_an_offer_passes_it_on(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=1)
    a, b, c = make_member_users(3, demo_units["B1"])
    ra = actions.do_register_activity(actor=a, activity=activity)
    rb = actions.do_register_activity(actor=b, activity=activity)
    rc = actions.do_register_activity(actor=c, activity=activity)
    actions.do_cancel_activity_registration(actor=a, registration=ra)
    actions.do_decline_activity_offer(actor=b, registration=_fresh(rb))
    assert _fresh(rb).status == R.DECLINED and _fresh(rc).status == R.OFFERED
    with pytest.raises(PermissionDenied):
        actions.do_confirm_activity_offer(actor=a, registration=rc)


def test_outside_the_audience_is_refused_in_chinese(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"])
    with pytest.raises(ActivityError) as exc:
        actions.do_register_activity(actor=personas["worker2"], activity=activity)  # B2
    assert exc.value.status == 403 and "不在参加范围内" in exc.value.message
    assert "第一分工会" in exc.value.message
    # an audience narrowed to one union group
    narrow = make_activity(
        personas["chair"], demo_units["U"], audience=[demo_units["B1-G1"]], title="班组活动"
    )
    assert actions.do_register_activity(actor=personas["worker1"], activity=narrow)  # B1-G1
    with pytest.raises(ActivityError):
        actions.do_register_activity(actor=personas["branch1"], activity=narrow)  # B1


def test_only_managers_of_the_unit_create(personas, demo_units):
    with pytest.raises(PermissionDenied):
        make_activity(personas["branch2"], demo_units["B1"])
    with pytest.raises(PermissionDenied):
        make_activity(personas["worker1"], demo_units["B1-G1"])


def test_draw_is_reproducible_and_losers_wait_in_draw_order(personas, demo_units):
    from zhijia.services import rules

    activity = make_activity(
        personas["branch1"], demo_units["B1"], capacity=2, draw=True, starts_in=dt.timedelta(days=2)
    )
    assert len(activity.draw_seed) == 16  # published before the draw
    users = make_member_users(5, demo_units["B1"])
    regs = [actions.do_register_activity(actor=u, activity=activity) for u in users]
    assert {r.status for r in regs} == {R.APPLIED}
    with pytest.raises(ActivityError, match="截止后"):
        actions.do_draw_activity(actor=personas["branch1"], activity=activity)
    with time_machine.travel(activity.closes_at + dt.timedelta(minutes=1)):
        with pytest.raises(PermissionDenied):
            actions.do_draw_activity(actor=personas["branch2"], activity=activity)
        result = actions.do_draw_activity(actor=personas["branch1"], activity=activity)
    expected = rules.draw(activity.draw_seed, [u.member_record.pk for u in users], 2)
    assert result == expected
    by_member = {r.member_id: _fresh(r) for r in regs}
    assert {m for m, r in by_member.items() if r.status == R.REGISTERED} == set(expected.winners)
    waiting = sorted(
        (r for r in by_member.values() if r.status == R.WAITING), key=lambda r: r.position
    )
    assert [r.member_id for r in waiting] == list(expected.waiting)


def test_check_in_twice_records_one_attendance(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1))
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    token = actions.checkin_token(reg)
    first, new = actions.do_check_in_activity_token(
        actor=personas["branch1"], activity=activity, token=token
    )
    again, new_again = actions.do_check_in_activity_token(
        actor=personas["branch1"], activity=activity, token=token
    )
    assert new and not new_again
    assert first.checked_in_at == again.checked_in_at
    assert queries.attendance_of(activity).count() == 1
    _, by_list = actions.do_check_in_activity(
        actor=personas["branch1"], activity=activity, registration_id=reg.pk
    )
    assert not by_list and queries.attendance_of(activity).count() == 1
    with pytest.raises(ActivityError, match="无效"):
        actions.do_check_in_activity_token(
            actor=personas["branch1"], activity=activity, token=token + "x"
        )
    with pytest.raises(PermissionDenied):
        actions.do_check_in_activity_token(
            actor=personas["branch2"], activity=activity, token=token
        )


def test_an_attendee_rates_a_finished_activity_once(personas, demo_units):
    activity = make_activity(
        personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1), hours=1
    )
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    other = actions.do_register_activity(actor=personas["rep1"], activity=activity)
    actions.do_check_in_activity(
        actor=personas["branch1"], activity=activity, registration_id=reg.pk
    )
    with pytest.raises(ActivityError, match="结束后"):
        actions.do_rate_activity(actor=personas["worker1"], registration=reg, rating="satisfied")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        assert actions.sweep_activities()["finished"] == 1
        actions.do_rate_activity(actor=personas["worker1"], registration=reg, rating="satisfied")
        with pytest.raises(ActivityError, match="已评价"):
            actions.do_rate_activity(
                actor=personas["worker1"], registration=reg, rating="basically"
            )
        with pytest.raises(ActivityError, match="签到"):
            actions.do_rate_activity(actor=personas["rep1"], registration=other, rating="satisfied")
    # The rating is counted in the union's satisfaction index for the attendee's unit.
    rows = list(Rating.objects.values_list("service", "rating", "unit_path", "record_id"))
    assert rows == [("services.activities", "satisfied", demo_units["B1-G1"].path, str(reg.pk))]


def test_cancelling_the_activity_tells_everyone(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"], capacity=1)
    actions.do_register_activity(actor=personas["worker1"], activity=activity)
    actions.do_register_activity(actor=personas["rep1"], activity=activity)
    actions.do_cancel_activity(actor=personas["chair"], activity=activity, reason="场地维修")
    assert not activity.registrations.filter(status__in=ActivityRegistration.ACTIVE).exists()
    assert Notification.objects.filter(kind="services.activity_cancelled").count() == 2


def test_the_sweep_closes_registration_with_its_window(personas, demo_units):
    activity = make_activity(personas["branch1"], demo_units["B1"])
    with time_machine.travel(activity.closes_at + dt.timedelta(minutes=1)):
        assert actions.sweep_activities()["closed"] == 1
        activity.refresh_from_db()
        assert activity.in_state("closed")
        with pytest.raises(ActivityError, match="不在报名中"):
            actions.do_register_activity(actor=personas["worker1"], activity=activity)
        assert actions.sweep_activities()["closed"] == 0


def test_a_rating_counts_in_the_satisfaction_index(personas, demo_units):
    from zhijia.core.models import Rating, RatingFollowUp

    activity = make_activity(
        personas["branch1"], demo_units["B1"], starts_in=dt.timedelta(hours=1), hours=1
    )
    reg = actions.do_register_activity(actor=personas["worker1"], activity=activity)
    actions.do_check_in_activity(
        actor=personas["branch1"], activity=activity, registration_id=reg.pk
    )
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3)):
        actions.sweep_activities()
        actions.do_rate_activity(actor=personas["worker1"], registration=reg, rating="dissatisfied")
    row = Rating.objects.get(service="services.activities")
    assert (row.unit_path, row.record_id, row.rating) == (
        demo_units["B1-G1"].path,
        str(reg.pk),
        "dissatisfied",
    )
    assert RatingFollowUp.objects.count() == 1  # a 不满意 is followed up
