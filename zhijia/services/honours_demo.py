"""Demo data of honours (荣誉) for `zhijia seed-demo` (called by services/demo.py).


ensure_demo_honours: 劳模 at several levels (the chair 全国, branch2 省部级 with a 五一劳动奖章,
rep1 市级, worker1 企业级 and a 技术能手), a 企业工匠 (worker2), a 工人先锋号 team; the
"五型"班组 criteria (two per type, 100 points, pass mark 80%) with 发电一班组's assessment of
this year reviewed and passed (its honour recorded) and 变电班组's waiting for review; this
year's care records (some done, the others due) and 陈小红劳模创新工作室 with members,
projects and results.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import Member, OrgUnit

HONOURS = [
    # (username, kind, level, year, title, awarding body, unit code)
    ("chair", "model_worker", "national", 2015, "全国劳动模范", "中华人民共和国国务院", "U"),
    ("branch2", "model_worker", "provincial", 2020, "省劳动模范", "省人民政府", "B2"),
    ("branch2", "may_day_medal", "provincial", 2019, "省五一劳动奖章", "省总工会", "B2"),
    ("rep1", "model_worker", "city", 2022, "市劳动模范", "市人民政府", "B1"),
    (
        "worker1",
        "model_worker",
        "enterprise",
        2024,
        "集团公司劳动模范",
        "示例能源集团有限公司",
        "B1",
    ),
    (
        "worker1",
        "technical_expert",
        "enterprise",
        2025,
        "集团技术能手（继电保护）",
        "示例能源集团有限公司",
        "B1",
    ),
    ("worker2", "craftsman", "enterprise", 2025, "集团首席工匠", "示例能源集团有限公司", "B2"),
]
CRITERIA = {
    "learning": ["班组学习计划与培训落实", "岗位练兵与技能提升"],
    "safety": ["安全规程执行与隐患排查", "全年无责任事故"],
    "clean": ["作业现场6S管理", "设备与环境整洁"],
    "thrift": ["节能降耗与修旧利废", "合理化建议与小改小革"],
    "harmony": ["班组民主管理", "互帮互助与职工关爱"],
}
STUDIO_NAME = "陈小红劳模创新工作室"


def _demo_honour_criteria(chair: User) -> list:
    from zhijia.services.actions import honours_teams as team_actions
    from zhijia.services.models import HonourAssessmentConfig, HonourCriterion

    if not HonourCriterion.objects.exists():
        for team_type, titles in CRITERIA.items():
            for title in titles:
                team_actions.do_add_honour_criterion(
                    actor=chair, team_type=team_type, title=title, max_points="10"
                )
    if not HonourAssessmentConfig.objects.exists():
        team_actions.do_set_honour_pass_percent(actor=chair, pass_percent="80")  # noqa: S106
    return list(HonourCriterion.objects.filter(active=True).order_by("team_type", "order", "id"))


def _demo_assessments(users: dict[str, User], criteria: list, year: int) -> None:
    from zhijia.services.actions import honours_teams as team_actions
    from zhijia.services.models import HonourAssessment

    plans = [
        # (team, unit code, cadre, self points, review points or None)
        (
            "发电一班组",
            "B1",
            "branch1",
            [9, 9, 8, 10, 9, 8, 8, 9, 10, 9],
            [9, 8, 8, 10, 8, 8, 8, 9, 9, 9],
        ),
        ("变电班组", "B2", "branch2", [8, 7, 9, 10, 7, 8, 8, 6, 9, 8], None),
    ]
    for team, code, cadre, self_points, review_points in plans:
        unit = OrgUnit.objects.get(code=code)
        if HonourAssessment.objects.filter(team_name=team, org_unit=unit, year=year).exists():
            continue
        actor = users[cadre]
        assessment = team_actions.do_create_honour_assessment(
            actor=actor,
            team_name=team,
            org_unit=unit,
            year=year,
            summary="全年开展班组学习 24 次，实现安全生产 365 天。",
        )
        team_actions.do_save_honour_self_assessment(
            actor=actor,
            assessment=assessment,
            scores={c.pk: p for c, p in zip(criteria, self_points, strict=False)},
            evidence={criteria[0].pk: "学习记录、培训签到表", criteria[2].pk: "隐患排查台账"},
        )
        team_actions.do_submit_honour_assessment(actor=actor, assessment=assessment)
        if review_points is not None:
            team_actions.do_review_honour_assessment(
                actor=users["chair"],
                assessment=assessment,
                scores={c.pk: p for c, p in zip(criteria, review_points, strict=False)},
                note="资料齐全，现场管理规范。",
                record_honour=True,
                awarding_body="示例能源集团工会委员会",
            )


def _demo_studio(users: dict[str, User]) -> None:
    from zhijia.services.actions import honours_teams as team_actions
    from zhijia.services.models import HonourStudio

    if HonourStudio.objects.filter(name=STUDIO_NAME).exists():
        return
    members = {m.user_id: m for m in Member.objects.filter(user__in=users.values())}
    branch1 = users["branch1"]
    studio = team_actions.do_create_honour_studio(
        actor=branch1,
        name=STUDIO_NAME,
        kind="model_worker",
        lead=members[users["worker1"].pk],
        org_unit=OrgUnit.objects.get(code="B1"),
        founded_on=dt.date(2024, 5, 1),
        description="围绕继电保护和发电设备检修开展技术攻关与技能传承。",
    )
    team_actions.do_add_honour_studio_member(
        actor=branch1, studio=studio, member=members[users["rep1"].pk], role="技术骨干"
    )
    team_actions.do_add_honour_studio_member(
        actor=branch1, studio=studio, member=members[branch1.pk], role="联络员"
    )
    relay = team_actions.do_add_honour_studio_project(
        actor=branch1,
        studio=studio,
        title="继电保护定值校验工装研制",
        started_on=dt.date(2024, 6, 1),
    )
    team_actions.do_set_honour_studio_project_status(
        actor=branch1, project=relay, status="completed", ended_on=dt.date(2025, 3, 31)
    )
    team_actions.do_add_honour_studio_project(
        actor=branch1,
        studio=studio,
        title="发电机组检修作业标准化",
        started_on=dt.date(2025, 4, 1),
    )
    team_actions.do_add_honour_studio_result(
        actor=branch1,
        studio=studio,
        title="一种继电保护校验用快速接线装置",
        kind="patent",
        achieved_on=dt.date(2025, 5, 20),
        benefit="校验时间缩短 40%",
        project=relay,
    )
    team_actions.do_add_honour_studio_result(
        actor=branch1,
        studio=studio,
        title="缩短机组小修工期QC成果",
        kind="qc",
        achieved_on=dt.date(2025, 9, 10),
        benefit="年节约检修费用约 12 万元",
    )


@transaction.atomic
def ensure_demo_honours() -> int:
    """The demo registry (see above); answers how many honours it holds."""
    from zhijia.services.actions import honours as honour_actions
    from zhijia.services.models import Honour, HonourCareItem, HonourCareRecord

    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["chair", "branch1", "branch2", "rep1", "worker1", "worker2"]
        )
    }
    members = {m.user_id: m for m in Member.objects.filter(user__in=users.values())}
    honour_actions.ensure_default_honour_care_items()
    cadre_of = {"U": "chair", "B1": "branch1", "B2": "branch2"}
    for username, kind, level, year, title, body, code in HONOURS:
        member = members[users[username].pk]
        if Honour.objects.filter(member=member, kind=kind, year=year).exists():
            continue
        honour_actions.do_record_honour(
            actor=users[cadre_of[code]],
            kind=kind,
            level=level,
            year=year,
            title=title,
            awarding_body=body,
            unit=OrgUnit.objects.get(code=code),
            member=member,
        )
    b1 = OrgUnit.objects.get(code="B1")
    if not Honour.objects.filter(team_name="检修班组", kind="pioneer").exists():
        honour_actions.do_record_honour(
            actor=users["branch1"],
            kind="pioneer",
            level="city",
            year=2025,
            title="市工人先锋号",
            awarding_body="市总工会",
            unit=b1,
            team_name="检修班组",
        )
    today = timezone.localdate()
    criteria = _demo_honour_criteria(users["chair"])
    _demo_assessments(users, criteria, today.year)
    _demo_studio(users)
    # This year's care: the chair's check-up and visit done, rep1's visit done; the rest due.
    done = [("chair", "健康体检"), ("chair", "走访慰问"), ("rep1", "走访慰问")]
    for username, item_name in done:
        item = HonourCareItem.objects.filter(name=item_name, active=True).first()
        if item is None:
            continue
        member = members[users[username].pk]
        if HonourCareRecord.objects.filter(member=member, item=item, year=today.year).exists():
            continue
        actor = users["chair"]
        day = min(today, dt.date(today.year, item.due_month, 1))
        honour_actions.do_record_honour_care(
            actor=actor,
            member=member,
            item=item,
            year=today.year,
            done_on=day,
            note="工会主席带队" if item_name == "走访慰问" else "",
        )
    return Honour.objects.count()
