"""Helpers for survey tests: respondents in bulk, surveys made and opened through the actions."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from zhijia.org.models import Member
from zhijia.services.actions import surveys as actions

_batch = itertools.count(1)

QUESTIONS = [
    {"kind": "single", "text": "您对食堂的总体评价", "options": ["好", "一般", "差"]},
    {
        "kind": "multiple",
        "text": "您希望工会组织哪些活动",
        "options": ["球类", "读书会", "旅游", "文艺汇演"],
        "min_picks": 1,
        "max_picks": 2,
    },
    {"kind": "rating", "text": "工会服务打分", "scale": "stars"},
    {"kind": "rating", "text": "对职工之家是否满意", "scale": "satisfaction", "required": False},
    {
        "kind": "matrix",
        "text": "各项服务的评价",
        "rows": ["食堂", "班车"],
        "options": ["满意", "不满意"],
    },
    {"kind": "text", "text": "其他意见", "required": False},
]


def make_respondents(n: int, unit, prefix: str | None = None) -> list:
    """n in-register members of `unit` with active accounts, as users (ordered)."""
    prefix = prefix or f"s{next(_batch):03d}"
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"{prefix}-{i:04d}", full_name=f"职工{prefix}{i}") for i in range(n)
    )
    users = list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))
    Member.objects.bulk_create(
        Member(
            employee_no=f"{prefix.upper()}{i:05d}",
            name=f"职工{prefix}{i}",
            gender="F",
            org_unit=unit,
            user=users[i],
        )
        for i in range(n)
    )
    return list(User.objects.filter(username__startswith=f"{prefix}-").order_by("username"))


def make_survey(actor, unit, *, questions=None, audience=(), open_it=True, **kwargs):
    survey = actions.do_create_survey(
        actor=actor,
        title=kwargs.pop("title", "职工满意度调查"),
        org_unit=unit,
        audience=list(audience),
        questions=QUESTIONS if questions is None else questions,
        **kwargs,
    )
    if open_it:
        survey = actions.do_open_survey(actor=actor, survey=survey)
    return survey


def keys(survey) -> list[str]:
    return [str(pk) for pk in survey.questions.order_by("position").values_list("pk", flat=True)]
