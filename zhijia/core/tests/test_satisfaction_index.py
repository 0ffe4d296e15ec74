"""The satisfaction index: a hand count on fixed ratings, scoped to the viewer; the follow-up
of a final 不满意; and the three services that write to it (grievances, proposals through the
same call, counseling without a unit)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhijia.core import satisfaction_index as index
from zhijia.core.errors import ActionRefused
from zhijia.core.models import Notification, Rating, RatingFollowUp
from zhijia.core.workflow import TransitionError
from zhijia.org.models import OrgUnit

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SH)


def _rate(service, code, unit, when):
    with time_machine.travel(when, tick=False):
        return index.record_rating(service=service, rating=code, unit=unit, follow_up=False)


@pytest.fixture
def fixed(personas):
    """Branch1 (group B1-G1): grievances 满意, 满意, 基本满意, 不满意 and proposals 满意, 不满意
    this month; a grievance 不满意 last month. Branch2: grievances 不满意, 不满意, 满意. One
    grievance 满意 a year before the period."""
    units = {u.code: u for u in OrgUnit.objects.all()}
    b1, b2 = units["B1-G1"], units["B2-G1"]
    this, last = TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=31)
    for code in ("satisfied", "satisfied", "basically", "dissatisfied"):
        _rate("cases.grievance", code, b1, this)
    for code in ("satisfied", "dissatisfied"):
        _rate("congress.proposal", code, units["B1"], this)
    _rate("cases.grievance", "dissatisfied", b1, last)
    for code in ("dissatisfied", "dissatisfied", "satisfied"):
        _rate("cases.grievance", code, b2, this)
    _rate("cases.grievance", "satisfied", b2, TODAY - dt.timedelta(days=400))
    return units


def _service(result, code):
    return next(r for r in result.services if r.service.code == code)


def test_the_index_equals_a_hand_count_within_the_viewer_scope(fixed, personas):
    since, until = index.period(12, today=TODAY.date())
    assert (since, until) == (dt.date(2025, 12, 1), dt.date(2026, 12, 1))
    chair = index.index_for(personas["chair"], since=since, until=until)
    grievances = _service(chair, "cases.grievance")
    # 满意 2+1, 基本满意 1, 不满意 1+1+2 of 8 grievances: (3 + 1) / 8 = 50 %.
    assert grievances.figure.counts == {"satisfied": 3, "basically": 1, "dissatisfied": 4}
    assert (grievances.figure.total, grievances.figure.percent) == (8, 50)
    assert _service(chair, "congress.proposal").figure.percent == 50
    assert (chair.total.total, chair.total.percent) == (10, 50)
    months = dict(grievances.months)
    assert months[dt.date(2026, 11, 1)].total == 7
    assert (months[dt.date(2026, 10, 1)].total, months[dt.date(2026, 10, 1)].percent) == (1, 0)

    branch1 = index.index_for(personas["branch1"], since=since, until=until)
    # Only branch1's: grievances 2 + 1 of 5 content (60 %), proposals 1 of 2.
    assert (_service(branch1, "cases.grievance").figure.total, branch1.total.total) == (5, 7)
    assert _service(branch1, "cases.grievance").figure.percent == 60
    branch2 = index.index_for(personas["branch2"], since=since, until=until)
    assert (branch2.total.total, branch2.total.percent) == (3, 33)
    with pytest.raises(StopIteration):
        next(r for r in branch2.services if r.figure.counts.get("basically"))


def test_the_units_of_a_level_add_up_to_it(fixed, personas):
    since, until = index.period(12, today=TODAY.date())
    units = [
        u
        for u in OrgUnit.objects.filter(path__startswith=fixed["U"].path)
        if u.path.count("/") <= fixed["U"].path.count("/") + 1
    ]
    rows = index.units_for(
        personas["chair"], since=since, until=until, parent_path=fixed["U"].path, units=units
    )
    by_path = {r.path: r.figure for r in rows}
    assert by_path[fixed["B1"].path].total == 7
    assert by_path[fixed["B2"].path].total == 3
    assert by_path[fixed["U"].path].total == 0  # nothing rated at the committee's own level
    assert sum(f.total for f in by_path.values()) == 10


def test_the_index_page_and_its_excel_file(fixed, personas, client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(personas["branch2"])
    with time_machine.travel(TODAY, tick=False):
        page = client.get("/core/satisfaction/")
        assert page.status_code == 200
        assert "33%" in page.content.decode()
        book = load_workbook(BytesIO(client.get("/core/satisfaction/?format=xlsx").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("职工诉求", 3, 1, 0, 2, 33) in rows


def test_a_final_dissatisfied_opens_a_follow_up_for_the_unit_cadres(personas):
    b1 = OrgUnit.objects.get(code="B1-G1")
    rating = index.record_rating(
        service="cases.grievance", rating="dissatisfied", unit=b1, record_id=7, label="SQ7"
    )
    follow_up = RatingFollowUp.objects.get(rating=rating)
    assert follow_up.in_state("open") and follow_up.deadline_at is not None
    index.record_rating(service="cases.grievance", rating="basically", unit=b1)
    assert RatingFollowUp.objects.count() == 1
    # branch2 cannot see it; branch1 must write what the call-back found.
    assert not index.follow_ups_visible_to(personas["branch2"]).exists()
    with pytest.raises(TransitionError):
        index.do_complete_follow_up(actor=personas["branch2"], follow_up=follow_up, note="x")
    with pytest.raises(ActionRefused):
        index.do_complete_follow_up(actor=personas["branch1"], follow_up=follow_up, note=" ")
    index.do_complete_follow_up(actor=personas["branch1"], follow_up=follow_up, note="已回访")
    follow_up.refresh_from_db()
    assert follow_up.in_state("done") and follow_up.note == "已回访"


def test_the_branch_cadre_is_told_after_commit(personas, django_capture_on_commit_callbacks):
    b1 = OrgUnit.objects.get(code="B1-G1")
    with django_capture_on_commit_callbacks(execute=True):
        index.record_rating(service="cases.grievance", rating="dissatisfied", unit=b1)
    told = set(
        Notification.objects.filter(kind="core.rating_follow_up").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"branch1"}


def test_a_rating_off_the_scale_or_of_an_unknown_service_is_refused(personas):
    b1 = OrgUnit.objects.get(code="B1-G1")
    with pytest.raises(ActionRefused):
        index.record_rating(service="cases.grievance", rating="great", unit=b1)
    with pytest.raises(LookupError):
        index.record_rating(service="nowhere", rating="satisfied", unit=b1)
    assert not Rating.objects.exists()


def test_grievance_ratings_reach_the_index_and_only_the_final_one_is_followed_up(personas):
    from zhijia.cases.actions import grievances as actions

    worker1, branch1, chair = personas["worker1"], personas["branch1"], personas["chair"]
    g = actions.do_submit_grievance(
        actor=worker1, kind="grievance", category="contract", text="劳动合同到期未续签，怎么办？"
    )
    actions.do_answer_grievance(actor=branch1, grievance=g, text="按规定办理。")
    actions.do_rate_grievance(actor=worker1, grievance=g, rating="dissatisfied", comment="没解决")
    assert not RatingFollowUp.objects.exists()  # reopened one level up instead
    actions.do_answer_grievance(actor=chair, grievance=g, text="已协调续签。")
    actions.do_rate_grievance(actor=worker1, grievance=g, rating="dissatisfied", comment="太慢")
    ratings = list(Rating.objects.order_by("id").values_list("service", "rating", "record_id"))
    assert ratings == [("cases.grievance", "dissatisfied", str(g.pk))] * 2
    follow_up = RatingFollowUp.objects.get()
    assert follow_up.unit_path == g.org_unit.path
    assert follow_up.rating.record_url == g.get_absolute_url()


def test_counseling_is_rated_once_after_attending_and_counted_without_a_unit(personas):
    from zhijia.services.actions import counseling as actions
    from zhijia.services.tests.counseling_support import publish

    counselor, worker1 = personas["counselor1"], personas["worker1"]
    slot = publish(counselor, hours_ahead=1)
    booking = actions.do_book_counseling(actor=worker1, slot=slot)
    with pytest.raises(ActionRefused):  # not attended yet
        actions.do_rate_counseling(actor=worker1, booking=booking, rating="satisfied")
    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=5)):
        actions.do_record_counseling_outcome(actor=counselor, booking=booking, outcome="attended")
    with pytest.raises(PermissionDenied):
        actions.do_rate_counseling(actor=personas["worker2"], booking=booking, rating="satisfied")
    actions.do_rate_counseling(actor=worker1, booking=booking, rating="dissatisfied")
    with pytest.raises(ActionRefused):
        actions.do_rate_counseling(actor=worker1, booking=booking, rating="satisfied")
    row = Rating.objects.get()
    root = OrgUnit.objects.get(parent=None)
    assert (row.service, row.unit_path, row.record_id, row.record_label) == (
        "services.counseling",
        root.path,
        "",
        "",
    )
    assert not RatingFollowUp.objects.exists()
