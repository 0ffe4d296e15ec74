"""Writes of the "五型"班组 assessment (criteria and pass mark, the team's self-assessment
and evidence, the union's review) and of the 劳模/工匠创新工作室 (members, projects, results),
each in one transaction with its audit event. The registry's helpers and refusal
(`HonourError`) are zhijia.services.actions.honours'; a passing review records its honour
through `do_record_honour` there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.core.workflow import do_transition, start
from zhijia.services import honour_rules as rules
from zhijia.services.actions.honours import (
    HonourError,
    check_year,
    do_record_honour,
    require_configurer,
    rule_message,
    save_documents,
    text,
)
from zhijia.services.models import (
    HonourAssessment,
    HonourAssessmentConfig,
    HonourAssessmentScore,
    HonourCriterion,
    HonourStudio,
    HonourStudioMember,
    HonourStudioProject,
    HonourStudioResult,
)
from zhijia.services.permissions import MANAGE_HONOURS
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR_ASSESSMENT

__all__ = [
    "do_add_honour_assessment_documents",
    "do_add_honour_criterion",
    "do_add_honour_studio_member",
    "do_add_honour_studio_project",
    "do_add_honour_studio_result",
    "do_create_honour_assessment",
    "do_create_honour_studio",
    "do_review_honour_assessment",
    "do_save_honour_self_assessment",
    "do_set_honour_criterion_active",
    "do_set_honour_pass_percent",
    "do_set_honour_studio_project_status",
    "do_submit_honour_assessment",
]


# --- the "五型" assessment ------------------------------------------------------------------------


@transaction.atomic
def do_add_honour_criterion(*, actor, team_type: str, title: str, max_points) -> HonourCriterion:
    require_configurer(actor)
    if team_type not in rules.TEAM_TYPES:
        raise HonourError(_("请选择班组类型"), field="team_type")
    title = text(title, "title", _("考核标准"), 200)
    try:
        value = rules.points(max_points)
    except rules.HonourError:
        raise HonourError(_("分值应为正数，最多一位小数"), field="max_points") from None
    if value <= 0 or value > 1000:
        raise HonourError(_("分值应在 0 到 1000 之间"), field="max_points")
    criterion = HonourCriterion.objects.create(
        team_type=team_type,
        title=title,
        max_points=value,
        order=HonourCriterion.objects.filter(team_type=team_type).count() + 1,
    )
    record(
        actor=actor,
        action="services.add_honour_criterion",
        target=criterion,
        data={"team_type": team_type, "max_points": str(value)},
    )
    return criterion


@transaction.atomic
def do_set_honour_criterion_active(
    *, actor, criterion: HonourCriterion, active: bool
) -> HonourCriterion:
    """Retire a criterion (new self-assessments no longer score it; assessments that scored it
    keep it) or use it again."""
    require_configurer(actor)
    criterion = HonourCriterion.objects.select_for_update().get(pk=criterion.pk)
    if criterion.active == active:
        raise HonourError(_("考核标准已是该状态"), status=409)
    criterion.active = active
    criterion.save(update_fields=["active"])
    record(
        actor=actor,
        action="services.set_honour_criterion_active",
        target=criterion,
        data={"active": active},
    )
    return criterion


@transaction.atomic
def do_set_honour_pass_percent(*, actor, pass_percent) -> HonourAssessmentConfig:
    require_configurer(actor)
    try:
        value = rules.points(pass_percent)
    except rules.HonourError:
        raise HonourError(_("请填写 0 到 100 之间的数"), field="pass_percent") from None
    if not Decimal(0) < value <= Decimal(100):
        raise HonourError(_("请填写 0 到 100 之间的数"), field="pass_percent")
    config = HonourAssessmentConfig.objects.order_by("pk").first()
    before = str(config.pass_percent) if config else None
    if config is None:
        config = HonourAssessmentConfig.objects.create(pass_percent=value)
    else:
        config.pass_percent = value
        config.save(update_fields=["pass_percent", "updated_at"])
    record(
        actor=actor,
        action="services.set_honour_pass_percent",
        target=config,
        data={"before": before, "after": str(value)},
    )
    return config


@transaction.atomic
def do_create_honour_assessment(
    *, actor, team_name: str, org_unit, year: int, summary: str = ""
) -> HonourAssessment:
    """A team's self-assessment of a year, drafted by its unit's cadre."""
    require(actor, MANAGE_HONOURS, unit=org_unit)
    team_name = text(team_name, "team_name", _("班组名称"), 100)
    check_year(year)
    if HonourAssessment.objects.filter(org_unit=org_unit, team_name=team_name, year=year).exists():
        raise HonourError(_("该班组本年度已有考核"), field="team_name", status=409)
    assessment = HonourAssessment.objects.create(
        team_name=team_name,
        org_unit=org_unit,
        year=year,
        summary=text(summary, "summary", _("创建情况"), 5000, required=False),
        created_by=actor,
    )
    start(HONOUR_ASSESSMENT, assessment, actor=actor)
    record(
        actor=actor,
        action="services.create_honour_assessment",
        target=assessment,
        unit=org_unit,
        data={"team": team_name, "year": year},
    )
    return assessment


def _lock_assessment(assessment: HonourAssessment) -> HonourAssessment:
    return (
        HonourAssessment.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=assessment.pk)
    )


def _score(criteria, scores) -> rules.Score:
    try:
        return rules.assessment_score(queries.rule_criteria(criteria), scores)
    except rules.HonourError as exc:
        raise HonourError(rule_message(exc.code), field=exc.field) from None


@transaction.atomic
def do_save_honour_self_assessment(
    *,
    actor,
    assessment: HonourAssessment,
    scores: dict[int, object],
    evidence: dict[int, str] | None = None,
    summary: str | None = None,
) -> HonourAssessment:
    """The team's own points per criterion (and evidence), while the assessment is a draft.
    `scores` maps criterion ids to points (a missing one: not scored yet)."""
    require(actor, MANAGE_HONOURS, unit=assessment.org_unit)
    assessment = _lock_assessment(assessment)
    if not assessment.in_state(HONOUR_ASSESSMENT.states.draft):
        raise HonourError(_("自评已提交，不能再修改"), status=409)
    evidence = evidence or {}
    criteria = list(queries.criteria())
    known = {c.pk for c in criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise HonourError(_("没有这项考核标准"), field=f"c{unknown[0]}")
    score = _score(criteria, scores)
    for criterion in criteria:
        raw = scores.get(criterion.pk)
        note = text(
            evidence.get(criterion.pk, ""), f"e{criterion.pk}", _("佐证说明"), 2000, required=False
        )
        if (raw is None or raw == "") and not note:
            continue
        HonourAssessmentScore.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={
                "self_points": None if raw is None or raw == "" else rules.points(raw),
                "evidence": note,
            },
        )
    if summary is not None:
        assessment.summary = text(summary, "summary", _("创建情况"), 5000, required=False)
    assessment.self_total = score.total
    assessment.save(update_fields=["summary", "self_total"])
    record(
        actor=actor,
        action="services.save_honour_self_assessment",
        target=assessment,
        unit=assessment.org_unit,
        data={"total": str(score.total)},
    )
    return assessment


@transaction.atomic
def do_submit_honour_assessment(*, actor, assessment: HonourAssessment) -> HonourAssessment:
    """The self-assessment is complete (every criterion scored): on to the review."""
    missing = [
        c
        for c in queries.criteria()
        if not assessment.scores.filter(criterion=c, self_points__isnull=False).exists()
    ]
    if missing:
        raise HonourError(
            _("请先为每项考核标准自评打分（未评：%(title)s）") % {"title": missing[0].title},
            status=409,
        )
    do_transition(HONOUR_ASSESSMENT, assessment, "submit", actor=actor)
    return assessment


@transaction.atomic
def do_review_honour_assessment(
    *,
    actor,
    assessment: HonourAssessment,
    scores: dict[int, object],
    note: str = "",
    record_honour: bool = False,
    awarding_body: str = "",
) -> HonourAssessment:
    """The union cadres' review: their points for every criterion; the assessment passes
    when the reviewed score reaches the pass mark (a share of the points available), else it
    fails. A pass may record the "五型"班组 honour (enterprise level) at once."""
    require(actor, MANAGE_HONOURS, unit=assessment.org_unit)
    assessment = _lock_assessment(assessment)
    if not assessment.in_state(HONOUR_ASSESSMENT.states.submitted):
        raise HonourError(_("该考核不在待评审状态"), status=409)
    rows = {s.criterion_id: s for s in assessment.scores.select_related("criterion")}
    criteria = [s.criterion for s in rows.values()]
    missing = [c for c in criteria if scores.get(c.pk) in (None, "")]
    if missing:
        raise HonourError(_("请为每项考核标准评分"), field=f"c{missing[0].pk}")
    score = _score(criteria, scores)
    mark = queries.pass_percent()
    passed = rules.passes(score, mark)
    for criterion_id, row in rows.items():
        row.review_points = rules.points(scores[criterion_id])
        row.save(update_fields=["review_points"])
    note = text(note, "note", _("评审意见"), 500, required=False)
    assessment.review_total = score.total
    assessment.review_rate = score.rate
    assessment.pass_percent = mark
    assessment.review_note = note
    assessment.save(update_fields=["review_total", "review_rate", "pass_percent", "review_note"])
    do_transition(
        HONOUR_ASSESSMENT,
        assessment,
        "pass" if passed else "fail",
        actor=actor,
        note=note,
        data={"total": str(score.total), "rate": str(score.rate), "pass_percent": str(mark)},
    )
    if passed and record_honour:
        honour = do_record_honour(
            actor=actor,
            kind=rules.FIVE_TYPE_TEAM,
            level=rules.ENTERPRISE,
            year=assessment.year,
            title=_("“五型”班组"),
            awarding_body=awarding_body.strip() or assessment.org_unit.name,
            unit=assessment.org_unit,
            team_name=assessment.team_name,
            source_label=_("%(year)d 年度“五型”班组考核") % {"year": assessment.year},
            source_url=reverse("services:honours-assessment", args=[assessment.pk]),
        )
        assessment.honour = honour
        assessment.save(update_fields=["honour"])
    record(
        actor=actor,
        action="services.review_honour_assessment",
        target=assessment,
        unit=assessment.org_unit,
        data={"total": str(score.total), "rate": str(score.rate), "passed": passed},
    )
    return assessment


@transaction.atomic
def do_add_honour_assessment_documents(*, actor, assessment: HonourAssessment, files: list) -> list:
    """Evidence of a team's self-assessment (photos, records, certificates), while a draft."""
    require(actor, MANAGE_HONOURS, unit=assessment.org_unit)
    if not assessment.in_state(HONOUR_ASSESSMENT.states.draft):
        raise HonourError(_("自评已提交，不能再上传佐证材料"), status=409)
    saved = save_documents(actor, assessment, files)
    record(
        actor=actor,
        action="services.add_honour_assessment_documents",
        target=assessment,
        unit=assessment.org_unit,
        data={"files": len(saved)},
    )
    return saved


# --- studios --------------------------------------------------------------------------------------


@transaction.atomic
def do_create_honour_studio(
    *,
    actor,
    name: str,
    kind: str,
    lead,
    org_unit,
    founded_on: dt.date | None = None,
    description: str = "",
) -> HonourStudio:
    """A 劳模/工匠创新工作室 led by a member of the unit's subtree."""
    require(actor, MANAGE_HONOURS, unit=org_unit)
    if kind not in HonourStudio.Kind.values:
        raise HonourError(_("请选择工作室类型"), field="kind")
    if lead is None:
        raise HonourError(_("请填写领衔人工号"), field="lead_employee_no")
    if not lead.org_unit.path.startswith(org_unit.path):
        raise HonourError(_("领衔人不在所选单位范围内"), field="lead_employee_no")
    if not queries.honours_of_member(lead).filter(kind__in=rules.STUDIO_LEAD_KINDS).exists():
        raise HonourError(
            _("领衔人须是劳动模范、五一劳动奖章获得者、工匠或技术能手（以登记的荣誉为准）"),
            field="lead_employee_no",
        )
    studio = HonourStudio.objects.create(
        name=text(name, "name", _("工作室名称"), 100),
        kind=kind,
        lead=lead,
        org_unit=org_unit,
        founded_on=founded_on,
        description=text(description, "description", _("简介"), 5000, required=False),
        created_by=actor,
    )
    record(
        actor=actor,
        action="services.create_honour_studio",
        target=studio,
        unit=org_unit,
        data={"lead": lead.pk, "kind": kind},
    )
    return studio


@transaction.atomic
def do_add_honour_studio_member(
    *, actor, studio: HonourStudio, member, role: str = "", joined_on: dt.date | None = None
) -> HonourStudioMember:
    require(actor, MANAGE_HONOURS, unit=studio.org_unit)
    if member is None:
        raise HonourError(_("请填写成员工号"), field="employee_no")
    if studio.members.filter(member=member).exists() or studio.lead_id == member.pk:
        raise HonourError(_("该会员已是工作室成员"), field="employee_no", status=409)
    row = HonourStudioMember.objects.create(
        studio=studio,
        member=member,
        role=text(role, "role", _("分工"), 100, required=False),
        joined_on=joined_on or timezone.localdate(),
    )
    record(
        actor=actor,
        action="services.add_honour_studio_member",
        target=studio,
        unit=studio.org_unit,
        data={"member": member.pk},
    )
    return row


def _dates(started_on, ended_on) -> None:
    if started_on is None:
        raise HonourError(_("请填写开始日期"), field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise HonourError(_("结束日期不能早于开始日期"), field="ended_on")


@transaction.atomic
def do_add_honour_studio_project(
    *,
    actor,
    studio: HonourStudio,
    title: str,
    started_on: dt.date | None,
    ended_on: dt.date | None = None,
    description: str = "",
) -> HonourStudioProject:
    require(actor, MANAGE_HONOURS, unit=studio.org_unit)
    if started_on is None:
        raise HonourError(_("请填写开始日期"), field="started_on")
    _dates(started_on, ended_on)
    project = HonourStudioProject.objects.create(
        studio=studio,
        title=text(title, "title", _("项目名称"), 200),
        started_on=started_on,
        ended_on=ended_on,
        description=text(description, "description", _("项目内容"), 5000, required=False),
    )
    record(
        actor=actor,
        action="services.add_honour_studio_project",
        target=project,
        unit=studio.org_unit,
        data={"studio": studio.pk},
    )
    return project


@transaction.atomic
def do_set_honour_studio_project_status(
    *, actor, project: HonourStudioProject, status: str, ended_on: dt.date | None = None
) -> HonourStudioProject:
    """The project's status (进行中, 已完成, 已暂停), set again at will."""
    require(actor, MANAGE_HONOURS, unit=project.studio.org_unit)
    if status not in HonourStudioProject.Status.values:
        raise HonourError(_("请选择项目状态"), field="status")
    if status == HonourStudioProject.Status.COMPLETED and ended_on is None:
        ended_on = timezone.localdate()
    _dates(project.started_on, ended_on)
    before = project.status
    project.status = status
    project.ended_on = ended_on
    project.save(update_fields=["status", "ended_on"])
    record(
        actor=actor,
        action="services.set_honour_studio_project_status",
        target=project,
        unit=project.studio.org_unit,
        data={"before": before, "after": status},
    )
    return project


@transaction.atomic
def do_add_honour_studio_result(
    *,
    actor,
    studio: HonourStudio,
    title: str,
    kind: str,
    achieved_on: dt.date | None,
    benefit: str = "",
    project: HonourStudioProject | None = None,
) -> HonourStudioResult:
    require(actor, MANAGE_HONOURS, unit=studio.org_unit)
    if kind not in HonourStudioResult.Kind.values:
        raise HonourError(_("请选择成果类型"), field="kind")
    if achieved_on is None:
        raise HonourError(_("请填写取得日期"), field="achieved_on")
    if achieved_on > timezone.localdate():
        raise HonourError(_("取得日期不能晚于今天"), field="achieved_on")
    if project is not None and project.studio_id != studio.pk:
        raise HonourError(_("该项目不属于本工作室"), field="project_id", status=404)
    result = HonourStudioResult.objects.create(
        studio=studio,
        project=project,
        title=text(title, "title", _("成果名称"), 200),
        kind=kind,
        benefit=text(benefit, "benefit", _("效益"), 300, required=False),
        achieved_on=achieved_on,
    )
    record(
        actor=actor,
        action="services.add_honour_studio_result",
        target=result,
        unit=studio.org_unit,
        data={"studio": studio.pk, "kind": kind},
    )
    return result
