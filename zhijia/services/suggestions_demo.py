"""Demo data of suggestions (合理化建议) for `zhijia seed-demo` (called by services/demo.py).

ensure_demo_suggestions: a year of suggestions spread over the three branches (by the demo
accounts and by demo members, who have accounts too), in every state: in department review,
in scoring (one half scored), adopted with milestones (some done), implemented, certified,
closed with rewards, rejected with reasons. Two handler accounts do what handler1 (人力资源部)
cannot: "tech1" reviews for 生产技术部 and 设备管理部, "finance1" certifies for 财务部 (both
with the demo password). Branch 2 has its own reward tiers. Dates are spread over the year
(submission dates moved back; the workflow history keeps the day it was seeded).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import Member, OrgUnit

_SUGGESTIONS = [
    # (title, category, department, branch, target state, benefit)
    ("汽轮机润滑油滤网快速更换工装", "innovation", "D-EQUIP", "B1", "closed", "380000"),
    ("变电站巡检路线优化", "rationalisation", "D-PROD", "B2", "closed", "126000"),
    ("废旧电缆回收再利用", "renovation", "D-EQUIP", "B2", "closed", "45800"),
    ("检修工具定置管理看板", "design", "D-PROD", "B1", "closed", "8200"),
    ("锅炉吹灰程序参数调整", "innovation", "D-PROD", "B1", "certified", "210000"),
    ("班组交接班记录电子化", "small", "D-HR", "B3", "implemented", None),
    ("输煤皮带跑偏自动纠正装置", "invention", "D-EQUIP", "B1", "adopted", None),
    ("配电柜防误操作提示牌", "creation", "D-PROD", "B2", "adopted", None),
    ("新员工岗前培训视频化", "small", "D-HR", "B3", "adopted", None),
    ("冷却塔风机变频改造", "innovation", "D-EQUIP", "B2", "scoring", None),
    ("食堂错峰就餐排班", "small", "D-HR", "B3", "scoring", None),
    ("仓库物资二维码管理", "rationalisation", "D-PROD", "B3", "submitted", None),
    ("高压试验接地线收放架", "invention", "D-EQUIP", "B1", "submitted", None),
    ("夜班通勤车路线调整", "small", "D-HR", "B2", "submitted", None),
    ("办公区全部更换智能照明", "rationalisation", "D-PROD", "B3", "rejected", None),
    ("恢复纸质工作票", "small", "D-PROD", "B1", "rejected", None),
]
_REASONS = {
    "办公区全部更换智能照明": "投资回收期过长，今年已列入节能改造计划的区域不再重复建设",
    "恢复纸质工作票": "电子工作票系统已上线，纸质票不符合安全管理要求",
}
_B2_TIERS = "一等奖 300000 85 6000\n二等奖 100000 75 2500\n三等奖 20000 60 1000\n鼓励奖 0 0 300"


def _demo_handler(username: str, full_name: str, codes: list[str]) -> User:
    from django.contrib.auth.hashers import make_password

    from zhijia.accounts.models import Role, RoleAssignment
    from zhijia.org.demo import DEMO_PASSWORD
    from zhijia.org.models import Department

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    for code in codes:
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.HANDLER, department=Department.objects.get(code=code)
        )
    return user


def _demo_authors() -> dict[str, list[User]]:
    """Per branch, the accounts of members there: demo accounts first, then demo members."""
    authors: dict[str, list[User]] = {}
    for code in ("B1", "B2", "B3"):
        branch = OrgUnit.objects.get(code=code)
        members = Member.objects.filter(
            org_unit__path__startswith=branch.path,
            status=Member.Status.ACTIVE,
            user__isnull=False,
            user__is_active=True,
        ).order_by("employee_no")
        authors[code] = [m.user for m in members[:6] if m.user is not None]
    return authors


@transaction.atomic
def ensure_demo_suggestions() -> int:
    """The demo suggestions (see above); returns how many were created this time."""
    from decimal import Decimal

    from zhijia.org.models import Department
    from zhijia.services import suggestion_rules
    from zhijia.services.actions import suggestions as sa
    from zhijia.services.models import Suggestion

    users = {
        u.username: u for u in User.objects.filter(username__in=["chair", "branch1", "branch2"])
    }
    if len(users) < 3:
        return 0
    handlers = {
        "D-HR": User.objects.filter(username="handler1").first(),
        "D-PROD": _demo_handler("tech1", "郑明远", ["D-PROD", "D-EQUIP"]),
    }
    handlers["D-EQUIP"] = handlers["D-PROD"]
    finance = _demo_handler("finance1", "钱丽华", ["D-FIN"])
    fin = Department.objects.get(code="D-FIN")
    cadres = {"B1": users["branch1"], "B2": users["branch2"], "B3": users["chair"]}
    b2 = OrgUnit.objects.get(code="B2")
    if not sa.queries.has_own_config(b2)[1]:
        sa.do_set_suggestion_config(
            actor=users["branch2"],
            org_unit=b2,
            criteria=list(suggestion_rules.DEFAULT_CRITERIA),
            tiers=suggestion_rules.parse_tiers(_B2_TIERS),
        )
    authors = _demo_authors()
    experts = [users["chair"], users["branch1"], users["branch2"]]
    today = timezone.localdate()
    created = 0
    for index, (title, category, dept, branch, target, benefit) in enumerate(_SUGGESTIONS):
        if Suggestion.objects.filter(title=title).exists() or not authors.get(branch):
            continue
        author = authors[branch][index % len(authors[branch])]
        handler = handlers.get(dept)
        if handler is None:
            continue
        s = sa.do_submit_suggestion(
            actor=author,
            title=title,
            category=category,
            problem=f"现状：{title}所涉及的环节效率不高、存在浪费或安全隐患，班组反映较多。",
            proposal=f"建议：{title}，先在本班组试点，成熟后推广。",
            expected_benefit="预计每年可节约成本、提高工效，具体以财务认定为准。",
            department=Department.objects.get(code=dept),
            team_name="QC攻关小组" if index % 4 == 0 else "",
        )
        created += 1
        # spread over this year so far: the oldest (closed) first
        days_back = (
            (today.timetuple().tm_yday - 1) * (len(_SUGGESTIONS) - index) // (len(_SUGGESTIONS) + 1)
        )
        submitted = timezone.now() - dt.timedelta(days=days_back)
        Suggestion.objects.filter(pk=s.pk).update(
            submitted_at=submitted, year=timezone.localtime(submitted).year
        )
        if target == "submitted":
            continue
        if target == "rejected":
            sa.do_reject_suggestion(actor=handler, suggestion=s, reason=_REASONS[title])
            continue
        sa.do_review_suggestion(actor=handler, suggestion=s, note="情况属实，建议组织专家评审")
        chosen = [e for e in experts if e.pk != author.pk][:2]
        sa.do_appoint_suggestion_experts(actor=cadres[branch], suggestion=s, experts=chosen)
        base = 70 + index % 4 * 5
        for n, expert in enumerate(chosen):
            if target == "scoring" and n == 1:
                break  # one expert still to mark
            if target == "scoring" and index % 2:
                break  # nobody has marked this one yet
            marks = {
                c.name: min(100, base + n * 3 + k * 2)
                for k, c in enumerate(sa.queries.criteria_of(s))
            }
            sa.do_score_suggestion(actor=expert, suggestion=s, marks=marks, comment="方案可行")
        if target == "scoring":
            continue
        sa.do_adopt_suggestion(
            actor=cadres[branch], suggestion=s, finance_department=fin, note="同意采纳，抓紧实施"
        )
        first = sa.do_add_suggestion_milestone(
            actor=handler, suggestion=s, title="方案细化与物资准备", workdays=10
        )
        second = sa.do_add_suggestion_milestone(
            actor=handler, suggestion=s, title="试点运行与验收", workdays=30
        )
        if target == "adopted":
            if index % 2 == 0:
                sa.do_complete_suggestion_milestone(actor=handler, milestone=first, note="已完成")
            continue
        for milestone in (first, second):
            sa.do_complete_suggestion_milestone(actor=handler, milestone=milestone, note="已完成")
        sa.do_implement_suggestion(actor=handler, suggestion=s, note="已在班组试点并推广")
        if target == "implemented":
            continue
        sa.do_certify_suggestion_benefit(
            actor=finance, suggestion=s, benefit=Decimal(benefit or "0"), note="按年节约费用测算"
        )
        if target == "certified":
            continue
        sa.do_reward_suggestion(actor=cadres[branch], suggestion=s, note="奖金随当月工资发放")
    return created
