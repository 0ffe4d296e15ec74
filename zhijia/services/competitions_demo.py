"""Demo data of competitions (劳动竞赛) for `zhijia seed-demo` (called by services/demo.py).

ensure_demo_competitions: the union committee's 技能竞赛 2026年度电焊工技能
竞赛 (重点工程) with two weighted items, a preliminary (top 3 advance) and a final, three judges
(handler1, mediator1, counselor1; counselor1 declared a conflict with branch 1's team), branch 1's
team, branch 2's team and two individuals; both stages scored and closed, the ranking published
for its 公示 period. And 节能减排岗位练兵 open for registration (worker2 entered), where branch1
may enter a team of her branch (the browser test does).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import OrgUnit

CONTEST_TITLE = "2026年度电焊工技能竞赛"
DRILL_TITLE = "节能减排岗位练兵"


def _demo_contest(users: dict[str, User]):
    from decimal import Decimal

    from zhijia.services.actions import competition_entries as entry_actions
    from zhijia.services.actions import competitions as competition_actions
    from zhijia.services.models import Competition, CompetitionEntry
    from zhijia.services.queries import competitions as competition_queries

    existing = Competition.objects.filter(title=CONTEST_TITLE).first()
    if existing is not None:
        return existing
    chair = users["chair"]
    contest = competition_actions.do_create_competition(
        actor=chair,
        title=CONTEST_TITLE,
        kind=Competition.Kind.SKILLS,
        theme="重点工程",
        rules_text="初赛考理论与实操，前 3 名进入决赛；决赛为限时实操，总分相同时比较实操得分，"
        "再比较完成时间。",
        org_unit=OrgUnit.objects.get(code="U"),
        honour_title="技术能手",
        honour_count=3,
    )
    for name, weight in (("实际操作", 70), ("理论知识", 30)):
        competition_actions.do_add_competition_item(
            actor=chair, competition=contest, name=name, weight=Decimal(weight)
        )
    competition_actions.do_add_competition_stage(
        actor=chair, competition=contest, name="初赛", advance_count=3
    )
    competition_actions.do_add_competition_stage(actor=chair, competition=contest, name="决赛")
    judges = [users[n] for n in ("handler1", "mediator1", "counselor1")]
    for judge in judges:
        competition_actions.do_appoint_competition_judge(
            actor=chair, competition=contest, user=judge
        )
    competition_actions.do_open_competition(actor=chair, competition=contest)
    b1, b2 = OrgUnit.objects.get(code="B1"), OrgUnit.objects.get(code="B2")
    team1 = entry_actions.do_register_competition_entry(
        actor=users["branch1"],
        competition=contest,
        kind=CompetitionEntry.Kind.TEAM,
        team_name="一分会焊接突击队",
        unit=b1,
        leader=users["rep1"],
        members=[users["worker1"]],
    )
    team2 = entry_actions.do_register_competition_entry(
        actor=users["branch2"],
        competition=contest,
        kind=CompetitionEntry.Kind.TEAM,
        team_name="二分会精工队",
        unit=b2,
        leader=users["worker2"],
        members=[users["branch2"]],
    )
    solo = [
        entry_actions.do_register_competition_entry(
            actor=users[n], competition=contest, kind=CompetitionEntry.Kind.PERSON
        )
        for n in ("chair", "branch1")
    ]
    entry_actions.do_declare_competition_conflict(
        actor=users["counselor1"], competition=contest, entry=team1, reason="亲属在该团队"
    )
    competition_actions.do_start_competition(actor=chair, competition=contest)
    entries = [team1, team2, *solo]
    # (practical, theory) per judge offset; chair's entry trails
    base = {team1.pk: (92, 85), team2.pk: (88, 90), solo[0].pk: (75, 80), solo[1].pk: (86, 88)}
    start_at = timezone.now() - dt.timedelta(days=3)
    for index, stage in enumerate(competition_queries.stages_of(contest)):
        competition_actions.do_open_competition_stage(actor=chair, stage=stage)
        taking_part = set(stage.results.values_list("entry_id", flat=True))
        items = competition_queries.items_of(contest)
        for j, judge in enumerate(judges):
            for e, entry in enumerate(entries):
                if entry.pk not in taking_part:
                    continue
                if judge == users["counselor1"] and entry.pk == team1.pk:
                    continue  # the declared conflict
                practical, theory = base[entry.pk]
                points = (practical + j - index * 2, theory - j + index)
                entry_actions.do_enter_competition_scores(
                    actor=judge,
                    stage=stage,
                    entry=entry,
                    points={i.pk: Decimal(p) for i, p in zip(items, points, strict=True)},
                    finished_at=start_at + dt.timedelta(minutes=40 + e * 3),
                )
        competition_actions.do_close_competition_stage(actor=chair, stage=stage)
    competition_actions.do_publish_competition(actor=chair, competition=contest)
    return contest


def _demo_drill(users: dict[str, User]):
    from decimal import Decimal

    from zhijia.services.actions import competition_entries as entry_actions
    from zhijia.services.actions import competitions as competition_actions
    from zhijia.services.models import Competition, CompetitionEntry

    existing = Competition.objects.filter(title=DRILL_TITLE).first()
    if existing is not None:
        return existing
    chair = users["chair"]
    drill = competition_actions.do_create_competition(
        actor=chair,
        title=DRILL_TITLE,
        kind=Competition.Kind.DRILL,
        theme="节能减排",
        rules_text="以班组为单位报名，比拼节能操作规范与能耗指标改进。",
        org_unit=OrgUnit.objects.get(code="U"),
        entry_mode=Competition.EntryMode.BOTH,
    )
    for name, weight in (("节能操作规范", 50), ("能耗指标改进", 50)):
        competition_actions.do_add_competition_item(
            actor=chair, competition=drill, name=name, weight=Decimal(weight)
        )
    competition_actions.do_add_competition_stage(actor=chair, competition=drill, name="决赛")
    competition_actions.do_appoint_competition_judge(
        actor=chair, competition=drill, user=users["mediator1"]
    )
    competition_actions.do_open_competition(actor=chair, competition=drill)
    entry_actions.do_register_competition_entry(
        actor=users["worker2"], competition=drill, kind=CompetitionEntry.Kind.PERSON
    )
    return drill


@transaction.atomic
def ensure_demo_competitions():
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "chair",
                "branch1",
                "branch2",
                "rep1",
                "worker1",
                "worker2",
                "handler1",
                "mediator1",
                "counselor1",
            ]
        )
    }
    return _demo_contest(users), _demo_drill(users)
