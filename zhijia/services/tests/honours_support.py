"""Helpers for honours tests: the demo members of the personas, an honour, the "五型" criteria."""

from __future__ import annotations

from zhijia.org.models import Member, OrgUnit
from zhijia.services.actions import honours as actions
from zhijia.services.actions import honours_teams as team_actions


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def member_of(user) -> Member:
    return Member.objects.select_related("org_unit").get(user=user)


def honour(
    cadre,
    holder,
    *,
    kind="model_worker",
    level="enterprise",
    year=2024,
    unit_code="B1",
    title="集团公司劳动模范",
    awarding_body="示例能源集团有限公司",
):
    return actions.do_record_honour(
        actor=cadre,
        kind=kind,
        level=level,
        year=year,
        title=title,
        awarding_body=awarding_body,
        unit=unit(unit_code),
        member=member_of(holder),
    )


def criteria(chair, points=("10", "20", "30")):
    """One criterion per given points (types in turn) and the default pass mark, 80 %."""
    types = ["learning", "safety", "clean", "thrift", "harmony"]
    return [
        team_actions.do_add_honour_criterion(
            actor=chair, team_type=types[i % 5], title=f"标准{i + 1}", max_points=p
        )
        for i, p in enumerate(points)
    ]
