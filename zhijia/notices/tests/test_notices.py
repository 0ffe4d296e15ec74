"""Notices: audience, drafts, sanitising, reads, non-readers, reminders, the member home."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from zhijia.core.errors import ActionRefused
from zhijia.core.models import Notification
from zhijia.notices.actions import notices as actions
from zhijia.notices.models import Notice, NoticeRead
from zhijia.notices.queries import notices as queries
from zhijia.org.models import Member
from zhijia.org.tests.member_factory import make_member


@pytest.fixture
def extra(demo_units, personas):
    """Members beside the personas: two in each of branch 1 and 2 (one of each with an
    account), one in branch 3 (never in the audience) and a retired one in branch 1."""
    users = get_user_model().objects
    return {
        "b1a": make_member(demo_units["B1-G2"], name="一甲"),
        "b1b": make_member(
            demo_units["B1-G2"], name="一乙", user=users.create_user("t-b1b", password="x")
        ),
        "b2a": make_member(demo_units["B2-G1"], name="二甲"),
        "b2b": make_member(
            demo_units["B2-G2"], name="二乙", user=users.create_user("t-b2b", password="x")
        ),
        "b3": make_member(
            demo_units["B3-G1"], name="三甲", user=users.create_user("t-b3", password="x")
        ),
        "retired": make_member(demo_units["B1"], name="退休", status=Member.Status.RETIRED),
    }


def _member(user) -> Member:
    return Member.objects.get(user=user)


@pytest.fixture
def must_read(personas, demo_units, extra):
    """The chair's must-read notice to branches 1 and 2; worker1, 一甲 and worker2 read it."""
    notice = actions.do_create_notice(
        actor=personas["chair"],
        org_unit=demo_units["U"],
        title="必读通知",
        body="<p>请阅读</p>",
        audience_units=[demo_units["B1"], demo_units["B2"]],
        must_read=True,
    )
    actions.do_publish_notice(actor=personas["chair"], notice=notice)
    for user in (personas["worker1"], personas["worker2"]):
        actions.do_read_notice(actor=user, notice=notice)
    NoticeRead.objects.create(notice=notice, member=extra["b1a"])
    return notice


def _names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_a_must_read_notice_lists_exactly_its_non_readers(personas, extra, must_read):
    everyone = {"李春梅", "赵卫东", "一乙", "张志强", "二甲", "二乙"}
    assert _names(queries.non_readers(personas["chair"], must_read)) == everyone
    # a branch cadre sees only her subtree
    assert _names(queries.non_readers(personas["branch1"], must_read)) == {
        "李春梅",
        "赵卫东",
        "一乙",
    }
    assert _names(queries.non_readers(personas["branch2"], must_read)) == {
        "张志强",
        "二甲",
        "二乙",
    }
    stats = queries.read_stats(personas["chair"], must_read)
    assert (stats.members, stats.readers) == (9, 3)
    by_code = {row.unit.code: (row.members, row.readers) for row in stats.rows}
    assert by_code["B1"] == (5, 2) and by_code["B2"] == (4, 1)
    assert "B3" not in by_code and "U" not in by_code
    own = queries.read_stats(personas["branch1"], must_read)
    assert (own.members, own.readers) == (5, 2)
    assert {row.unit.code for row in own.rows} <= {"B1", "B1-G1", "B1-G2", "B1-G3", "B1-G4"}


def test_reading_is_recorded_once(personas, must_read):
    for _ in range(3):
        assert actions.do_read_notice(actor=personas["worker1"], notice=must_read)
    assert (
        NoticeRead.objects.filter(notice=must_read, member__user=personas["worker1"]).count() == 1
    )
    # outside the audience nothing is recorded (the chair's unit is not addressed)
    assert not actions.do_read_notice(actor=personas["chair"], notice=must_read)
    # the reading is part of her personal data
    from zhijia.core.privacy import personal_data_for

    sheet = next(s for s in personal_data_for(personas["worker1"]) if s.title == "我阅读过的通知")
    assert [row[0] for row in sheet.rows] == ["必读通知"]


def test_script_tags_are_stripped_on_save(personas, demo_units):
    notice = actions.do_create_notice(
        actor=personas["branch1"],
        org_unit=demo_units["B1"],
        title="含脚本",
        body='<p>正文<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">链接</a></p>',
    )
    stored = Notice.objects.get(pk=notice.pk).body
    assert "script" not in stored and "onerror" not in stored and "javascript" not in stored
    assert "正文" in stored
    with pytest.raises(ActionRefused):  # nothing left to read
        actions.do_create_notice(
            actor=personas["branch1"],
            org_unit=demo_units["B1"],
            title="空",
            body="<script>alert(1)</script>",
        )


def test_outside_the_audience_and_drafts_are_404(personas, demo_units, login, must_read):
    draft = actions.do_create_notice(
        actor=personas["branch1"], org_unit=demo_units["B1"], title="草稿", body="草稿正文"
    )
    worker1, worker2 = login("worker1"), login("worker2")
    assert worker1.get(f"/notices/{draft.pk}/").status_code == 404
    assert login("branch1").get(f"/notices/{draft.pk}/").status_code == 200
    actions.do_publish_notice(actor=personas["branch1"], notice=draft)
    assert worker1.get(f"/notices/{draft.pk}/").status_code == 200
    assert worker2.get(f"/notices/{draft.pk}/").status_code == 404  # branch 2: not addressed
    assert login("branch2").get(f"/notices/{draft.pk}/").status_code == 404
    actions.do_withdraw_notice(actor=personas["branch1"], notice=draft, reason="发错了")
    assert worker1.get(f"/notices/{draft.pk}/").status_code == 404
    assert login("chair").get(f"/notices/{must_read.pk}/").status_code == 200


def test_a_branch_cadre_cannot_address_a_sibling_branch(personas, demo_units):
    with pytest.raises(ActionRefused) as refused:
        actions.do_create_notice(
            actor=personas["branch1"],
            org_unit=demo_units["B1"],
            title="越界",
            body="正文",
            audience_units=[demo_units["B2"]],
        )
    assert "audience_units" in refused.value.errors


def test_reminders_go_to_non_readers_only_once_an_hour(personas, extra, must_read):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        reminder = actions.do_remind_non_readers(actor=personas["chair"], notice=must_read)
        reminded = set(
            Notification.objects.filter(kind="notices.reminder").values_list(
                "user__username", flat=True
            )
        )
        # the non-readers with an account: branch1, rep1, 一乙, branch2, 二乙
        assert reminded == {"branch1", "rep1", "t-b1b", "branch2", "t-b2b"}
        assert reminder.recipients == 5
        with pytest.raises(ActionRefused) as again:
            actions.do_remind_non_readers(actor=personas["branch1"], notice=must_read)
        assert again.value.status == 409
        clock.move_to(start + dt.timedelta(hours=1, minutes=1))
        actions.do_read_notice(actor=personas["rep1"], notice=must_read)
        later = actions.do_remind_non_readers(actor=personas["branch1"], notice=must_read)
    assert later.recipients == 2  # branch 1 only, without rep1 who has read it since
    assert Notification.objects.filter(kind="notices.reminder").count() == 7


def test_the_member_home_shows_a_must_read_until_read(personas, login, must_read):
    client = login("rep1")
    home = client.get("/").content.decode()
    assert "必读通知" in home and f"/notices/{must_read.pk}/" in home
    assert client.get(f"/notices/{must_read.pk}/").status_code == 200
    assert queries.unread_must_reads(personas["rep1"]) == []
    assert "阅读必读通知" not in client.get("/").content.decode()


def test_pinned_first(personas, demo_units):
    made = []
    for title, pinned in (("旧置顶", True), ("新的", False)):
        n = actions.do_create_notice(
            actor=personas["chair"],
            org_unit=demo_units["U"],
            title=title,
            body="正文",
            pinned=pinned,
        )
        actions.do_publish_notice(actor=personas["chair"], notice=n)
        made.append(n)
    titles = [n.title for n in queries.notices_for_member(personas["worker1"])]
    assert titles[:2] == ["旧置顶", "新的"]


def test_the_api_drops_nul_characters(api_client, demo_units):
    """PostgreSQL's text refuses NUL: the API must not answer 500 for it."""
    client = api_client("branch1")
    answer = client.post(
        "/api/v1/notices/notices",
        {"org_unit_id": demo_units["B1"].pk, "title": "标\x00题", "body": "正\x00文"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["title"] == "标题"
    guide = client.put(
        f"/api/v1/notices/guides/{demo_units['B1'].pk}",
        {"about": "工\x00会", "contact_name": "李\x00", "hotlines": "12351\x00 热线"},
        content_type="application/json",
    )
    assert guide.status_code == 200, guide.content
    assert guide.json()["contact_name"] == "李"


def test_an_attachment_is_downloaded_by_those_who_see_the_notice(personas, login, private_storage):
    from tests.access.world_disclosure import photo
    from zhijia.core.attachments import attachments_for

    cadre = login("branch1")
    answer = cadre.post(
        "/notices/new/",
        {
            "org_unit": personas["branch1"].member_record.org_unit_id,
            "kind": "notice",
            "title": "带附件的通知",
            "body": "见附件",
            "uploads": [photo("plan.png")],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    notice = Notice.objects.get(title="带附件的通知")
    (file,) = attachments_for(notice)
    assert login("worker1").get(f"/files/{file.pk}/").status_code == 404  # a draft
    actions.do_publish_notice(actor=personas["branch1"], notice=notice)
    assert login("worker1").get(f"/files/{file.pk}/").status_code == 200
    assert login("worker2").get(f"/files/{file.pk}/").status_code == 404
    assert "plan.png" in login("worker1").get(f"/notices/{notice.pk}/").content.decode()


def test_the_cadres_list_filters_and_exports(personas, demo_units, login):
    import io

    from openpyxl import load_workbook

    actions.do_create_notice(
        actor=personas["branch1"], org_unit=demo_units["B1"], title="分工会草稿", body="正文"
    )
    cadre = login("branch1")
    drafts = cadre.get("/notices/manage/?state=draft").content.decode()
    assert "分工会草稿" in drafts
    assert "分工会草稿" not in cadre.get("/notices/manage/?state=published").content.decode()
    answer = cadre.get("/notices/manage/export/?state=draft")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["分工会草稿"]
    # a sibling branch's cadre does not list it
    assert "分工会草稿" not in login("branch2").get("/notices/manage/").content.decode()
