"""A competition from registration to awards: registration rules, the judges' sealed scores
(queries, pages and API), conflicts of interest, ranking at close with ties and advancing, the
公示 period with an objection blocking the finalising, and the awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhijia.core.workdays import add_workdays
from zhijia.org.models import Member
from zhijia.services.actions import competition_entries as entry_actions
from zhijia.services.actions import competitions as actions
from zhijia.services.actions.competitions import CompetitionError
from zhijia.services.models import (
    CompetitionAward,
    CompetitionEntry,
    CompetitionResult,
    Honour,
)
from zhijia.services.queries import competitions as queries
from zhijia.services.queries import honours as honour_queries
from zhijia.services.tests.competitions_support import enter, open_competition, score, start

API = "/api/v1/services/competitions"


@pytest.fixture
def judges(personas):
    return [personas["handler1"], personas["mediator1"]]


@pytest.mark.django_db
def test_registration_person_and_team_rules(personas, judges):
    comp = open_competition(personas["chair"], judges=judges)
    entry = enter(personas["worker1"], comp)
    with pytest.raises(CompetitionError, match="已报名") as exc:
        enter(personas["worker1"], comp)
    assert exc.value.status == 409
    # a member's team: worker1 is already entered as a person
    with pytest.raises(CompetitionError, match="已报名"):
        entry_actions.do_register_competition_entry(
            actor=personas["rep1"],
            competition=comp,
            kind="team",
            team_name="突击队",
            members=[personas["worker1"]],
        )
    # branch1 registers a team of her branch; worker2 (branch 2) cannot be in it
    b1 = personas["branch1"].member_record.org_unit
    with pytest.raises(CompetitionError, match="不在"):
        entry_actions.do_register_competition_entry(
            actor=personas["branch1"],
            competition=comp,
            kind="team",
            team_name="一分会突击队",
            unit=b1,
            leader=personas["rep1"],
            members=[personas["worker2"]],
        )
    team = entry_actions.do_register_competition_entry(
        actor=personas["branch1"],
        competition=comp,
        kind="team",
        team_name="一分会突击队",
        unit=b1,
        leader=personas["rep1"],
        members=[personas["branch1"]],
    )
    assert team.registered_by == personas["branch1"] and team.org_unit == b1
    assert {m.pk for m in queries.entry_members(team)} == {
        personas["rep1"].pk,
        personas["branch1"].pk,
    }
    # branch2 may not register a team for branch 1
    with pytest.raises(PermissionDenied):
        entry_actions.do_register_competition_entry(
            actor=personas["branch2"],
            competition=comp,
            kind="team",
            team_name="别人的队",
            unit=b1,
            leader=personas["worker1"],
            members=[personas["branch1"]],
        )
    # outside the audience: a competition of branch 1 refuses worker2
    b1_comp = open_competition(personas["branch1"], unit_code="B1", title="一分会岗位练兵")
    with pytest.raises(CompetitionError) as exc:
        enter(personas["worker2"], b1_comp)
    assert exc.value.status == 403
    assert entry in queries.my_entries(personas["worker1"])
    assert team in queries.my_entries(personas["rep1"])
    # withdrawn while registration is open: its member may enter again (a team now)
    with pytest.raises(PermissionDenied):
        entry_actions.do_withdraw_competition_entry(actor=personas["rep1"], entry=entry)
    entry_actions.do_withdraw_competition_entry(actor=personas["worker1"], entry=entry)
    with pytest.raises(CompetitionError, match="已退出"):
        entry_actions.do_withdraw_competition_entry(actor=personas["worker1"], entry=entry)
    again = enter(personas["worker1"], comp)
    actions.do_start_competition(actor=personas["chair"], competition=comp)
    with pytest.raises(CompetitionError, match="报名已截止") as exc:
        entry_actions.do_withdraw_competition_entry(actor=personas["chair"], entry=again)
    assert exc.value.status == 409


@pytest.mark.django_db
def test_judges_read_only_their_own_scores_until_the_stage_closes(
    personas, judges, client, api_client, login
):
    comp = open_competition(personas["chair"], judges=judges, stages=(("决赛", None),))
    a = enter(personas["worker1"], comp)
    enter(personas["worker2"], comp)
    stage = start(personas["chair"], comp)
    first, second = judges
    # the judges' to-do: the stage is scoring
    from zhijia.core.home import todos_for

    assert any(t.label == "竞赛评分" for t in todos_for(first))
    assert not any(t.label == "竞赛评分" for t in todos_for(personas["worker1"]))
    score(first, stage, a, 91.25, 82.5)
    score(second, stage, a, 77.75, 66.5)
    # queries: each judge only their own; the organiser none while scoring
    assert {s.points for s in queries.stage_scores_for(first, stage)} == {
        Decimal("91.25"),
        Decimal("82.50"),
    }
    assert not queries.stage_scores_for(personas["chair"], stage).exists()
    # the page: the second judge's 77.75 is not shown to the first
    client.force_login(first)
    page = client.get(f"/services/competitions/judge/stages/{stage.pk}/").content.decode()
    assert "91.25" in page and "77.75" not in page and "66.5" not in page
    # the API: the same
    first_api = api_client("handler1")
    api = first_api.get(f"{API}/judge/stages/{stage.pk}/scores").json()
    assert sorted(Decimal(s["points"]) for s in api["items"]) == [Decimal("82.5"), Decimal("91.25")]
    entries = first_api.get(f"{API}/judge/stages/{stage.pk}/entries").json()["items"]
    mine = {e["entry_id"]: e["my_points"] for e in entries}
    assert [Decimal(p) for p in mine[a.pk]] == [Decimal("91.25"), Decimal("82.5")]
    # the organiser's stage page shows how many scores each judge entered, not the points
    desk = login("chair").get(f"/services/competitions/desk/stages/{stage.pk}/").content.decode()
    assert "91.25" not in desk and "77.75" not in desk
    # a member who is no judge is refused the desk
    worker = api_client("worker1")
    assert worker.get(f"{API}/judge/stages/{stage.pk}/scores").status_code == 403
    # closed: every judge's scores, to judges and organisers
    actions.do_close_competition_stage(actor=personas["chair"], stage=stage)
    stage.refresh_from_db()
    assert queries.stage_scores_for(first, stage).count() == 4
    assert queries.stage_scores_for(personas["chair"], stage).count() == 4
    assert first_api.get(f"{API}/judge/stages/{stage.pk}/scores").json()["count"] == 4
    page = client.get(f"/services/competitions/judge/stages/{stage.pk}/").content.decode()
    assert "77.75" in page


@pytest.mark.django_db
def test_a_conflicted_judge_cannot_score_that_entry(personas, judges, api_client):
    comp = open_competition(personas["chair"], judges=judges, stages=(("决赛", None),))
    a = enter(personas["worker1"], comp)
    b = enter(personas["worker2"], comp)
    stage = start(personas["chair"], comp)
    judge = judges[0]
    entry_actions.do_declare_competition_conflict(
        actor=judge, competition=comp, entry=a, reason="同一班组"
    )
    with pytest.raises(CompetitionError, match="回避") as exc:
        score(judge, stage, a, 90, 90)
    assert exc.value.status == 403
    items = queries.items_of(comp)
    response = api_client("handler1").post(
        f"{API}/judge/stages/{stage.pk}/entries/{a.pk}/scores",
        {"points": {str(i.pk): "80" for i in items}},
        content_type="application/json",
    )
    assert response.status_code == 403
    score(judge, stage, b, 80, 70)  # another entry: fine
    # a conflict declared after scoring is refused (the scores would stay)
    with pytest.raises(CompetitionError, match="已为该参赛者评分"):
        entry_actions.do_declare_competition_conflict(
            actor=judge, competition=comp, entry=b, reason="后来想起"
        )
    # points beyond an item's maximum are refused
    with pytest.raises(CompetitionError, match="之间"):
        score(judges[1], stage, b, 120, 70)


@pytest.mark.django_db
def test_close_ranks_with_ties_advances_and_objection_blocks_finalising(personas, judges):
    chair = personas["chair"]
    comp = open_competition(
        chair,
        judges=judges,
        stages=(("初赛", 2), ("决赛", None)),
        honour_title="技术能手",
        honour_count=1,
    )
    w1 = enter(personas["worker1"], comp)
    w2 = enter(personas["worker2"], comp)
    r1 = enter(personas["rep1"], comp)
    b2 = enter(personas["branch2"], comp)
    stage = start(chair, comp)
    t0 = timezone.now()
    for judge in judges:
        score(judge, stage, w1, 90, 80, finished_at=t0 + dt.timedelta(minutes=20))  # 86
        score(judge, stage, w2, 80, 95, finished_at=t0 + dt.timedelta(minutes=10))  # 86
        score(judge, stage, r1, 90, 80, finished_at=t0 + dt.timedelta(minutes=5))  # 86
        score(judge, stage, b2, 60, 60)  # 60
    actions.do_close_competition_stage(actor=chair, stage=stage)
    ranks = {
        r.entry_id: (r.rank, r.total, r.advanced)
        for r in CompetitionResult.objects.filter(stage=stage)
    }
    # tie on 86: the first item puts w1 and r1 ahead of w2; r1 finished earlier than w1
    assert ranks[r1.pk] == (1, Decimal("86.000"), True)
    assert ranks[w1.pk] == (2, Decimal("86.000"), True)
    assert ranks[w2.pk][0] == 3 and not ranks[w2.pk][2]
    assert ranks[b2.pk] == (4, Decimal("60.000"), False)
    final = queries.stages_of(comp).last()
    assert set(
        CompetitionResult.objects.filter(stage=final).values_list("entry_id", flat=True)
    ) == {r1.pk, w1.pk}
    # publishing needs every stage closed
    with pytest.raises(CompetitionError, match="未结束"):
        actions.do_publish_competition(actor=chair, competition=comp)
    actions.do_open_competition_stage(actor=chair, stage=final)
    for judge in judges:
        score(judge, final, w1, 95, 90)
        score(judge, final, r1, 85, 90)
    actions.do_close_competition_stage(actor=chair, stage=final)
    actions.do_publish_competition(actor=chair, competition=comp)
    comp.refresh_from_db()
    assert comp.publicity_ends_on == add_workdays(timezone.localdate(), 5)
    # the audience reads the final ranking now
    assert queries.ranking_visible(personas["worker2"], comp, final)
    objection = actions.do_raise_competition_objection(
        actor=personas["worker2"], competition=comp, reason="初赛计时有误"
    )
    after = timezone.make_aware(
        dt.datetime.combine(comp.publicity_ends_on + dt.timedelta(days=1), dt.time(10))
    )
    with pytest.raises(CompetitionError, match="公示期"):
        actions.do_finalise_competition(actor=chair, competition=comp)
    with time_machine.travel(after):
        with pytest.raises(CompetitionError, match="未答复的异议") as exc:
            actions.do_finalise_competition(actor=chair, competition=comp)
        assert exc.value.status == 409
        # no objection after the period
        with pytest.raises(CompetitionError, match="不在公示期"):
            actions.do_raise_competition_objection(
                actor=personas["worker1"], competition=comp, reason="晚了"
            )
        actions.do_answer_competition_objection(
            actor=chair, objection=objection, answer="经核查计时无误"
        )
        actions.do_finalise_competition(actor=chair, competition=comp)
    comp.refresh_from_db()
    assert comp.in_state("final")
    awards = {a.entry_id: (a.rank, a.award, a.title) for a in CompetitionAward.objects.all()}
    assert awards == {w1.pk: (1, "一等奖", "技术能手"), r1.pk: (2, "二等奖", "")}
    # the awards are in the honours registry, on the holders' member records
    honours = {
        (h.member.user_id, h.kind, h.title, h.level)
        for h in Honour.objects.filter(source_label=comp.title).select_related("member")
    }
    assert honours == {
        (personas["worker1"].pk, "competition_place", f"{comp.title}一等奖", "enterprise"),
        (personas["worker1"].pk, "technical_expert", "技术能手", "enterprise"),
        (personas["rep1"].pk, "competition_place", f"{comp.title}二等奖", "enterprise"),
    }
    mine = honour_queries.honours_of_member(Member.objects.get(user=personas["rep1"]))
    assert [h.title for h in mine] == [f"{comp.title}二等奖"]


@pytest.mark.django_db
def test_setup_rules_weights_and_states(personas):
    chair = personas["chair"]
    comp = actions.do_create_competition(
        actor=chair, title="降本增效劳动竞赛", kind="labour", org_unit=chair.member_record.org_unit
    )
    actions.do_add_competition_item(actor=chair, competition=comp, name="成本", weight=50)
    actions.do_add_competition_stage(actor=chair, competition=comp, name="决赛")
    with pytest.raises(CompetitionError, match="100%"):
        actions.do_open_competition(actor=chair, competition=comp)
    actions.do_add_competition_item(actor=chair, competition=comp, name="效益", weight=50)
    actions.do_open_competition(actor=chair, competition=comp)
    with pytest.raises(CompetitionError, match="评分项"):
        actions.do_add_competition_item(actor=chair, competition=comp, name="晚了", weight=10)
    with pytest.raises(CompetitionError, match="还没有人报名"):
        actions.do_start_competition(actor=chair, competition=comp)
    # a branch cadre does not organise the committee's competition
    with pytest.raises(PermissionDenied):
        actions.do_add_competition_stage(actor=personas["branch1"], competition=comp, name="x")
    assert CompetitionEntry.objects.count() == 0


@pytest.mark.django_db
def test_demo_competitions_are_seeded_once_with_a_published_ranking(personas):
    from zhijia.services.competitions_demo import ensure_demo_competitions
    from zhijia.services.models import CompetitionScore

    contest, drill = ensure_demo_competitions()
    counts = (CompetitionEntry.objects.count(), CompetitionScore.objects.count())
    assert ensure_demo_competitions() == (contest, drill)
    assert (CompetitionEntry.objects.count(), CompetitionScore.objects.count()) == counts
    assert contest.in_state("publicity") and drill.in_state("registration")
    final = queries.final_stage(contest)
    assert queries.ranking_visible(personas["worker1"], contest, final)
    ranked = list(queries.stage_results(final))
    assert [r.rank for r in ranked] == [1, 2, 3]
    # counselor1's declared conflict: no score of hers for branch 1's team
    team = CompetitionEntry.objects.get(team_name="一分会焊接突击队")
    assert not CompetitionScore.objects.filter(
        entry=team, judge__user=personas["counselor1"]
    ).exists()
