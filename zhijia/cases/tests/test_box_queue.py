"""The chair's entry to the anonymous box: the letters opened from it wait in their own work
queue (apart from named grievances), and letters of earlier days still sealed show as a note;
letters written today are never counted before the opening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from zhijia.cases.actions import box as actions_box
from zhijia.cases.actions import grievances as actions_grievances
from zhijia.cases.models import BoxItem, Grievance
from zhijia.cases.tests.support import TEXT
from zhijia.core.queues import queues_for


def _box_queue(user):
    return next(q for q in queues_for(user) if q.key == "cases.box")


def _write(unit, text="食堂饭菜质量差，餐具没有消毒。") -> BoxItem:
    item, _code = actions_box.do_put_in_box(
        kind="grievance", category="other", org_unit=unit, text=text
    )
    return item


def test_sealed_letters_of_earlier_days_show_as_a_note_to_their_level_only(personas, demo_units):
    chair, branch1, branch2 = personas["chair"], personas["branch1"], personas["branch2"]
    today_letter = _write(demo_units["B1"])
    # Written today: not counted, not noted, for anybody.
    for user in (chair, branch1, branch2):
        queue = _box_queue(user)
        assert (queue.count, queue.note) == (0, ""), user.username
    # The opening did not happen (worker down): yesterday's letter is noted for the levels
    # whose scope holds branch 1, never for the sibling branch.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    BoxItem.objects.filter(pk=today_letter.pk).update(received_on=yesterday)
    assert _box_queue(branch1).note == "另有 1 封来信待开箱"
    assert _box_queue(chair).note == "另有 1 封来信待开箱"
    assert _box_queue(branch2).note == ""
    # Messages and ratings on opened letters are not new letters.
    assert BoxItem.objects.filter(kind=BoxItem.Kind.SUBMIT).count() == 1

    assert actions_box.open_box() == 1
    queue = _box_queue(branch1)
    opened = Grievance.objects.get(is_anonymous=True)
    assert (queue.count, queue.note) == (1, "")
    assert queue.oldest_url == reverse("cases:grievance-detail", args=[opened.pk])
    assert _box_queue(branch2).count == 0
    # The named queue does not count the letter twice.
    to_handle = next(q for q in queues_for(branch1) if q.key == "cases.to_handle")
    named = Grievance.objects.filter(
        state="submitted", is_anonymous=False, handling_unit=demo_units["B1"]
    ).count()
    assert to_handle.count == named


def test_the_box_queue_page_lists_opened_letters_only_and_says_why_today_is_hidden(
    login, personas, demo_units
):
    _write(demo_units["B1"], text="宿舍热水器坏了一个月没人修。")
    actions_box.open_box(include_today=True)
    client = login("branch1")
    page = client.get(reverse("cases:queue") + "?state=submitted&mine=on&anonymous=box")
    html = page.content.decode()
    assert page.status_code == 200
    assert "宿舍热水器坏了一个月没人修" in html
    assert "data-box-note" in html and "开箱前不显示当天来信的数量" in html
    named = client.get(reverse("cases:queue") + "?state=submitted&mine=on&anonymous=named")
    assert "宿舍热水器坏了一个月没人修" not in named.content.decode()
    assert "data-box-note" not in named.content.decode()


@pytest.mark.parametrize(("flag", "anonymous"), [("true", True), ("false", False)])
def test_the_api_filters_by_source(api_client, personas, demo_units, flag, anonymous):
    actions_grievances.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    _write(demo_units["B1"])
    actions_box.open_box(include_today=True)
    client = api_client("branch1")
    answer = client.get(f"/api/v1/cases/grievances?state=all&anonymous={flag}")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert items, "the seeded world has both kinds"
    assert {Grievance.objects.get(pk=i["id"]).is_anonymous for i in items} == {anonymous}
