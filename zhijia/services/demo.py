"""Demo data of module services, for `zhijia seed-demo`: one function per subject. Idempotent.

Surveys (ensure_demo_surveys): a closed named survey with answers (the canteen), an open
anonymous one (culture and sports wishes, not yet answered by worker1, whom the browser test
has answer it) and an open pre-congress consultation with suggested topics. The demo members
have no accounts, so the answers come from the demo accounts that have a member record.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.accounts.models import User
from zhijia.org.models import OrgUnit
from zhijia.services.actions import surveys as actions
from zhijia.services.models import Survey

CANTEEN = "2026年职工食堂满意度调查"
CULTURE = "职工文化体育活动需求调查"
CONSULTATION = "第一届职代会第三次会议会前征求意见"

CANTEEN_QUESTIONS = [
    {
        "kind": "single",
        "text": "您多久在职工食堂就餐一次？",
        "options": ["每天", "每周两三次", "很少"],
    },
    {"kind": "rating", "text": "饭菜口味打分", "scale": "stars"},
    {"kind": "rating", "text": "您对职工食堂总体是否满意？", "scale": "satisfaction"},
    {
        "kind": "matrix",
        "text": "请评价以下方面",
        "rows": ["价格", "卫生", "排队时间"],
        "options": ["满意", "一般", "不满意"],
    },
    {"kind": "text", "text": "您对食堂还有什么建议？", "required": False},
]


def _m(*picks: str) -> dict[str, str]:
    """A matrix answer: row index -> option index."""
    return {str(row): pick for row, pick in enumerate(picks)}


CANTEEN_ANSWERS = {
    "chair": ["0", "4", "satisfied", _m("0", "0", "1"), "希望增加夜班职工的供餐时间"],
    "branch1": ["1", "3", "basically", _m("1", "0", "2"), "排队时间太长，希望增加窗口"],
    "branch2": ["0", "5", "satisfied", _m("0", "0", "0"), ""],
    "rep1": ["0", "2", "dissatisfied", _m("2", "1", "2"), "饭菜价格偏高，排队时间太长"],
    "worker1": ["1", "4", "basically", _m("1", "0", "1"), "希望增加清淡的菜品"],
    "worker2": ["2", "3", "basically", _m("1", "1", "2"), "夜班职工吃饭不方便"],
}

CULTURE_QUESTIONS = [
    {
        "kind": "multiple",
        "text": "您希望工会组织哪些活动？（最多选 3 项）",
        "options": ["篮球、羽毛球等球类比赛", "读书会", "职工旅游", "文艺汇演", "健步走"],
        "min_picks": 1,
        "max_picks": 3,
    },
    {
        "kind": "single",
        "text": "哪个时间段参加活动最方便？",
        "options": ["工作日晚上", "周末", "午休时间"],
    },
    {"kind": "rating", "text": "您对工会去年组织的活动打几分？", "scale": "stars"},
    {"kind": "text", "text": "其他想法", "required": False},
]
CULTURE_ANSWERS = {
    "chair": [["0", "2"], "1", "4", "希望多组织户外活动"],
    "branch1": [["1", "3"], "0", "5", ""],
    "branch2": [["0", "4"], "1", "4", "球类比赛可以按分工会组队"],
    "rep1": [["2"], "1", "3", "希望组织职工旅游"],
    "worker2": [["0", "2", "4"], "2", "4", ""],
}

CONSULTATION_QUESTIONS = [
    {
        "kind": "topic",
        "text": "您建议本次职代会讨论哪些议题？（每行写一个）",
    },
    {"kind": "text", "text": "对议题的具体意见", "required": False},
]
CONSULTATION_ANSWERS = {
    "chair": ["职工食堂改善\n夜班津贴标准"],
    "branch1": ["夜班津贴标准\n带薪年休假落实"],
    "branch2": ["职工食堂改善\n班车线路调整"],
    "rep1": ["夜班津贴标准\n职工食堂改善\n劳动防护用品发放"],
    "worker1": ["带薪年休假落实"],
    "worker2": ["夜班津贴标准"],
}


def _answers(survey: Survey, values: list) -> dict:
    keys = [str(pk) for pk in survey.questions.order_by("position").values_list("pk", flat=True)]
    return {k: v for k, v in zip(keys, values, strict=False) if v not in ("", None)}


def _make(title: str, questions, answers: dict, *, anonymous: bool, kind: str, close: bool):
    chair = User.objects.get(username="chair")
    unit = OrgUnit.objects.get(code="U")
    survey = Survey.objects.filter(title=title, org_unit=unit).first()
    if survey is not None:
        return survey
    survey = actions.do_create_survey(
        actor=chair,
        title=title,
        org_unit=unit,
        questions=questions,
        kind=kind,
        anonymous=anonymous,
        intro="本问卷由工会委员会发起，请如实填写。",
        closes_at=None if close else timezone.now() + dt.timedelta(days=14),
    )
    survey = actions.do_open_survey(actor=chair, survey=survey)
    users = {u.username: u for u in User.objects.filter(username__in=list(answers))}
    for username, values in answers.items():
        actions.do_answer_survey(
            actor=users[username], survey=survey, answers=_answers(survey, values)
        )
    if close:
        survey = actions.do_close_survey(actor=chair, survey=survey)
    return survey


@transaction.atomic
def ensure_demo_surveys() -> list[Survey]:
    return [
        _make(
            CANTEEN,
            CANTEEN_QUESTIONS,
            CANTEEN_ANSWERS,
            anonymous=False,
            kind=Survey.Kind.GENERAL,
            close=True,
        ),
        _make(
            CULTURE,
            CULTURE_QUESTIONS,
            CULTURE_ANSWERS,
            anonymous=True,
            kind=Survey.Kind.GENERAL,
            close=False,
        ),
        _make(
            CONSULTATION,
            CONSULTATION_QUESTIONS,
            CONSULTATION_ANSWERS,
            anonymous=True,
            kind=Survey.Kind.CONSULTATION,
            close=False,
        ),
    ]


def seed_demo() -> str:
    lines = []
    surveys = ensure_demo_surveys()
    lines.append(f"services: {len(surveys)} surveys")
    return "; ".join(lines)
