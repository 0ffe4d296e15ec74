"""The honours registry: recorded (also by another subject, through do_record_honour), shown
on the worker's 我的荣誉, the API and her record page; a revoked honour leaves them; the text
search finds an honour within the cadre's scope only; a care item overdue is reminded once;
the "五型" review decides by the pass mark and may record the honour."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from zhijia.accounts.models import ApiToken
from zhijia.core.errors import ActionRefused
from zhijia.core.models import Notification
from zhijia.services.actions import honours as actions
from zhijia.services.actions import honours_teams as team_actions
from zhijia.services.models import Honour, HonourCareItem
from zhijia.services.queries import honours as queries
from zhijia.services.tests.honours_support import criteria, honour, member_of, unit
from zhijia.services.workflows import HONOUR

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def test_a_revoked_honour_leaves_the_workers_pages(personas, login):
    branch1, worker1 = personas["branch1"], personas["worker1"]
    # The competitions subject's call: the exact keyword arguments of the brief.
    h = actions.do_record_honour(
        actor=branch1,
        kind="technical_expert",
        level="enterprise",
        year=2025,
        title="继电保护技术能手",
        awarding_body="示例能源集团有限公司",
        unit=unit("B1"),
        member=member_of(worker1),
        team_name="",
        source_label="2025 年继电保护技能竞赛",
        source_url="/competitions/1/",
    )
    assert Notification.objects.filter(user=worker1, kind="services.honour_recorded").exists()
    page = login("worker1").get("/services/honours/")
    assert page.status_code == 200 and "继电保护技术能手" in page.content.decode()
    assert [
        i["title"] for i in _api(worker1).get("/api/v1/services/honours/mine").json()["items"]
    ] == ["继电保护技术能手"]
    profile = login("branch1").get(f"/org/members/{member_of(worker1).pk}/")
    assert "继电保护技术能手" in profile.content.decode()

    with pytest.raises(ActionRefused):  # a reason is required
        actions.do_revoke_honour(actor=branch1, honour=h, reason=" ")
    actions.do_revoke_honour(actor=branch1, honour=h, reason="经复核不符合条件")

    assert "继电保护技术能手" not in login("worker1").get("/services/honours/").content.decode()
    assert _api(worker1).get("/api/v1/services/honours/mine").json()["count"] == 0
    profile = login("branch1").get(f"/org/members/{member_of(worker1).pk}/")
    assert "继电保护技术能手" not in profile.content.decode()
    kept = Honour.objects.get(pk=h.pk)  # kept in the registry, with its reason and history
    assert kept.in_state(HONOUR.states.revoked) and kept.revoke_reason == "经复核不符合条件"
    desk = login("branch1").get(f"/services/honours/desk/{h.pk}/").content.decode()
    assert "经复核不符合条件" in desk


def test_search_finds_an_honour_within_scope_only(personas):
    honour(
        personas["branch1"], personas["worker1"], title="继电保护技术能手", kind="technical_expert"
    )
    honour(
        personas["branch2"],
        personas["worker2"],
        title="继电保护首席工匠",
        kind="craftsman",
        unit_code="B2",
    )

    def found(persona):
        filters = queries.HonourFilters(q="继电保护")
        return {h.title for h in queries.filtered_honours(personas[persona], filters)}

    assert found("branch1") == {"继电保护技术能手"}
    assert found("branch2") == {"继电保护首席工匠"}
    assert found("chair") == {"继电保护技术能手", "继电保护首席工匠"}
    assert found("worker1") == set()
    api = _api(personas["branch2"]).get("/api/v1/services/honours/honours?q=继电保护").json()
    assert [i["title"] for i in api["items"]] == ["继电保护首席工匠"]
    # By the holder's name too (陈小红 is worker1), still within scope.
    assert (
        _api(personas["branch2"]).get("/api/v1/services/honours/honours?q=陈小红").json()["count"]
        == 0
    )
    assert (
        _api(personas["chair"]).get("/api/v1/services/honours/honours?q=陈小红").json()["count"]
        == 1
    )


def test_a_care_reminder_is_sent_once_when_due(personas):
    branch1, rep1 = personas["branch1"], personas["rep1"]
    actions.ensure_default_honour_care_items()  # as migration 0006 writes them
    items = {i.name: i for i in HonourCareItem.objects.all()}  # the defaults: 2, 9, 10
    assert {n: i.due_month for n, i in items.items()} == {
        "走访慰问": 2,
        "疗休养": 9,
        "健康体检": 10,
    }
    honour(branch1, rep1, level="city", title="市劳动模范", year=2022)
    honour(branch1, personas["worker1"], kind="technical_expert")  # no care for this kind

    def reminders():
        return list(
            Notification.objects.filter(kind="services.honour_care_due").values_list(
                "user__username", flat=True
            )
        )

    with time_machine.travel(dt.datetime(2026, 8, 20, 9, tzinfo=TZ), tick=False):
        actions.do_record_honour_care(
            actor=branch1,
            member=member_of(rep1),
            item=items["走访慰问"],
            year=2026,
            done_on=dt.date(2026, 2, 10),
        )
        assert actions.sweep_honour_care() == 0  # 疗休养 is due by the end of September
    with time_machine.travel(dt.datetime(2026, 10, 3, 9, tzinfo=TZ), tick=False):
        assert actions.sweep_honour_care() == 1  # 疗休养 overdue; 健康体检 still has October
        assert reminders() == ["branch1"]  # the nearest cadres over rep1's unit
        assert actions.sweep_honour_care() == 0  # once
        line = queries.care_lines(branch1, 2026)[0]
        states = {item.name: state for item, state, _rec in line.items}
        assert states == {"走访慰问": "done", "疗休养": "overdue", "健康体检": "pending"}
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=TZ), tick=False):
        assert actions.sweep_honour_care() == 1  # now 健康体检
        assert actions.sweep_honour_care() == 0
    assert len(reminders()) == 2


def test_the_review_decides_by_the_pass_mark_and_may_record_the_honour(personas):
    chair, branch1 = personas["chair"], personas["branch1"]
    c1, c2, c3 = criteria(chair)  # 10 + 20 + 30 = 60 points, pass at 80 % = 48
    with pytest.raises(PermissionDenied):  # configuration is the top unit's
        team_actions.do_set_honour_pass_percent(actor=branch1, pass_percent="60")
    year = timezone.localdate().year
    good = team_actions.do_create_honour_assessment(
        actor=branch1, team_name="发电一班组", org_unit=unit("B1"), year=year
    )
    team_actions.do_save_honour_self_assessment(
        actor=branch1, assessment=good, scores={c1.pk: "9", c2.pk: "18"}, evidence={c1.pk: "记录"}
    )
    with pytest.raises(actions.HonourError) as refused:  # 标准3 not scored yet
        team_actions.do_submit_honour_assessment(actor=branch1, assessment=good)
    assert refused.value.status == 409
    team_actions.do_save_honour_self_assessment(
        actor=branch1, assessment=good, scores={c1.pk: "9", c2.pk: "18", c3.pk: "25"}
    )
    team_actions.do_submit_honour_assessment(actor=branch1, assessment=good)
    # Reviewed 8 + 16 + 24 = 48 of 60 = 80.0 %: exactly the pass mark.
    team_actions.do_review_honour_assessment(
        actor=chair,
        assessment=good,
        scores={c1.pk: "8", c2.pk: "16", c3.pk: "24"},
        record_honour=True,
    )
    good.refresh_from_db()
    assert good.in_state("passed") and good.review_total == Decimal("48")
    assert good.review_rate == Decimal("80.0") and good.self_total == Decimal("52")
    assert good.honour is not None and good.honour.team_name == "发电一班组"
    assert good.honour.kind == "five_type_team"

    weak = team_actions.do_create_honour_assessment(
        actor=branch1, team_name="运行班组", org_unit=unit("B1"), year=year
    )
    team_actions.do_save_honour_self_assessment(
        actor=branch1, assessment=weak, scores={c1.pk: "10", c2.pk: "20", c3.pk: "30"}
    )
    team_actions.do_submit_honour_assessment(actor=branch1, assessment=weak)
    # 8 + 16 + 23.5 = 47.5 of 60 = 79.2 %: below the mark, whatever the team scored itself.
    team_actions.do_review_honour_assessment(
        actor=chair,
        assessment=weak,
        scores={c1.pk: "8", c2.pk: "16", c3.pk: "23.5"},
        record_honour=True,
    )
    weak.refresh_from_db()
    assert weak.in_state("failed") and weak.review_rate == Decimal("79.2")
    assert weak.honour is None


def test_no_care_is_due_for_a_revoked_honour_nor_a_retired_item(personas):
    branch1, rep1, chair = personas["branch1"], personas["rep1"], personas["chair"]
    actions.ensure_default_honour_care_items()
    items = {i.name: i for i in HonourCareItem.objects.all()}
    h = honour(branch1, rep1, level="city", title="市劳动模范", year=2022)
    actions.do_set_honour_care_item_active(actor=chair, item=items["走访慰问"], active=False)
    with pytest.raises(PermissionDenied):  # the configuration is the top unit's
        actions.do_set_honour_care_item_active(actor=branch1, item=items["疗休养"], active=False)
    with time_machine.travel(dt.datetime(2026, 10, 3, 9, tzinfo=TZ), tick=False):
        line = queries.care_lines(branch1, 2026)[0]
        assert [item.name for item, _s, _r in line.items] == ["疗休养", "健康体检"]
        actions.do_revoke_honour(actor=branch1, honour=h, reason="撤销")
        assert queries.care_lines(branch1, 2026) == []
        assert actions.sweep_honour_care() == 0  # 疗休养 is overdue, but nobody holds it now
    assert not Notification.objects.filter(kind="services.honour_care_due").exists()


def test_the_api_refuses_a_level_the_kind_lacks(personas):
    body = {
        "kind": "may_day_medal",
        "level": "enterprise",  # 五一劳动奖章: 全国, 省, 市 only
        "year": 2025,
        "title": "五一劳动奖章",
        "awarding_body": "总工会",
        "org_unit_id": unit("B1").pk,
        "member_employee_no": member_of(personas["worker1"]).employee_no,
    }
    answer = _api(personas["branch1"]).post(
        "/api/v1/services/honours/honours", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"level": ["该荣誉类别没有这个级别"]}
    assert not Honour.objects.exists()
    # A studio is led by a 劳模 or 工匠: rep1 holds no honour yet.
    studio = {
        "name": "赵卫东创新工作室",
        "kind": "model_worker",
        "org_unit_id": unit("B1").pk,
        "lead_employee_no": member_of(personas["rep1"]).employee_no,
    }
    api = _api(personas["branch1"])
    refused = api.post("/api/v1/services/honours/studios", studio, content_type="application/json")
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["lead_employee_no"]
    honour(personas["branch1"], personas["rep1"], level="city", title="市劳动模范")
    made = api.post("/api/v1/services/honours/studios", studio, content_type="application/json")
    assert made.status_code == 201 and made.json()["lead_name"] == "赵卫东"
