"""The world of tests/access/test_honours.py, built once per module.

Targets "b1" / "b2": records of branch1's / branch2's unit. Each has a 劳动模范 honour of a
member (worker1 / worker2, who are due the default care items), a "五型" assessment in draft
(fully self-scored) and one submitted for review, and an innovation studio (led by the same
member) with a project. The criteria (three, configured by the chair) are the union's.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from tests.access.framework import World, fingerprint, make_clients

REC = ("b1", "b2")
KEYS = ("honour", "member", "draft", "submitted", "studio", "project")


def build_world() -> World:
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Member, OrgUnit
    from zhijia.services.actions import honours as actions
    from zhijia.services.actions import honours_teams as team_actions

    cache.clear()
    ensure_demo_structure()
    personas = ensure_demo_accounts()
    actions.ensure_default_honour_care_items()
    cadre = {"b1": personas["branch1"], "b2": personas["branch2"]}
    holder = {"b1": personas["worker1"], "b2": personas["worker2"]}
    other = {"b1": personas["rep1"], "b2": personas["branch2"]}  # a studio member to add
    units = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    chair = personas["chair"]
    criteria = [
        team_actions.do_add_honour_criterion(
            actor=chair, team_type=t, title=f"标准{i}", max_points="10"
        )
        for i, t in enumerate(["learning", "safety", "clean"], start=1)
    ]
    year = timezone.localdate().year
    data: dict = {
        "personas": personas,
        "unit": {t: u.pk for t, u in units.items()},
        "criteria": [c.pk for c in criteria],
        "year": year,
        "today": timezone.localdate().isoformat(),
        "employee_no": {},
        "other_no": {},
        **{k: {} for k in KEYS},
    }
    for t in REC:
        member = Member.objects.get(user=holder[t])
        honour = actions.do_record_honour(
            actor=cadre[t],
            kind="model_worker",
            level="enterprise",
            year=year - 1,
            title=f"劳动模范{t}",
            awarding_body="示例能源集团有限公司",
            unit=units[t],
            member=member,
        )
        scores = {c.pk: "8" for c in criteria}
        drafts = []
        for team in ("甲班组", "乙班组"):
            a = team_actions.do_create_honour_assessment(
                actor=cadre[t], team_name=f"{team}{t}", org_unit=units[t], year=year
            )
            team_actions.do_save_honour_self_assessment(actor=cadre[t], assessment=a, scores=scores)
            drafts.append(a)
        team_actions.do_submit_honour_assessment(actor=cadre[t], assessment=drafts[1])
        studio = team_actions.do_create_honour_studio(
            actor=cadre[t],
            name=f"创新工作室{t}",
            kind="model_worker",
            lead=member,
            org_unit=units[t],
        )
        project = team_actions.do_add_honour_studio_project(
            actor=cadre[t], studio=studio, title="技术攻关", started_on=timezone.localdate()
        )
        data["honour"][t] = honour.pk
        data["member"][t] = member.pk
        data["draft"][t] = drafts[0].pk
        data["submitted"][t] = drafts[1].pk
        data["studio"][t] = studio.pk
        data["project"][t] = project.pk
        data["employee_no"][t] = member.employee_no
        data["other_no"][t] = Member.objects.get(user=other[t]).employee_no
    data["care_item"] = actions.queries.care_items().first().pk
    cache.clear()

    def ids(persona: str, target) -> dict:
        common = {"care_item": data["care_item"], "criterion": data["criteria"][0]}
        if target not in REC:
            return common
        return {**common, **{key: data[key][target] for key in KEYS}}

    return World(
        data=data, ids=ids, fingerprint=honours_fingerprint, clients=make_clients(personas)
    )


def honours_fingerprint() -> tuple:
    from zhijia.core.models import Attachment, SearchEntry
    from zhijia.services.models import (
        Honour,
        HonourAssessment,
        HonourAssessmentConfig,
        HonourAssessmentScore,
        HonourCareItem,
        HonourCareRecord,
        HonourCriterion,
        HonourStudio,
        HonourStudioMember,
        HonourStudioProject,
        HonourStudioResult,
    )

    return fingerprint(
        Honour,
        HonourAssessment,
        HonourAssessmentConfig,
        HonourAssessmentScore,
        HonourCareItem,
        HonourCareRecord,
        HonourCriterion,
        HonourStudio,
        HonourStudioMember,
        HonourStudioProject,
        HonourStudioResult,
        Attachment,
        SearchEntry,
    )
