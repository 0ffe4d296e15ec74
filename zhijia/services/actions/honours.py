"""Writes of the honours registry, 劳模 care, the "五型"班组 assessment and innovation studios,
each in one transaction with its audit event; notifications through the outbox
(zhijia.core.notify).

`do_record_honour` is the registry's one way in, also for the other subjects (competitions
record their awards with it): kind and level are the codes of zhijia.services.honour_rules
(kind: model_worker, great_craftsman, craftsman, may_day_medal, pioneer, five_type_team,
advanced_individual, advanced_collective, technical_expert, competition_place; level:
national, provincial, city, enterprise). A person's honour names the member (`member`), a
team's its name (`team_name`); `unit` is the holder's union unit (the member's unit or one
above it), whose cadres (services.manage_honours) may record it.

Every honour is indexed in core.search (type services.honour, its unit's path), so the
registry's text search answers within the cadre's scope only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, start
from zhijia.services import honour_rules as rules
from zhijia.services.actions.common import text_field
from zhijia.services.models import (
    Honour,
    HonourAssessment,
    HonourAssessmentConfig,
    HonourAssessmentScore,
    HonourCareItem,
    HonourCareRecord,
    HonourCareReminder,
    HonourCriterion,
    HonourStudio,
    HonourStudioMember,
    HonourStudioProject,
    HonourStudioResult,
)
from zhijia.services.permissions import MANAGE_HONOURS
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR, HONOUR_ASSESSMENT

DOCUMENT_KINDS = {"image", "pdf", "office"}
MAX_DOCUMENTS = 10

__all__ = [
    "HonourError",
    "do_add_honour_criterion",
    "do_add_honour_documents",
    "do_add_honour_studio_member",
    "do_add_honour_studio_project",
    "do_add_honour_studio_result",
    "do_create_honour_assessment",
    "do_create_honour_care_item",
    "do_create_honour_studio",
    "do_record_honour",
    "do_record_honour_care",
    "do_review_honour_assessment",
    "do_revoke_honour",
    "do_save_honour_self_assessment",
    "do_set_honour_pass_percent",
    "do_set_honour_studio_project_status",
    "do_submit_honour_assessment",
    "do_update_honour",
    "ensure_default_honour_care_items",
    "sweep_honour_care",
]


class HonourError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=HonourError)


def _rule_message(code: str) -> str:
    return {
        "kind": _("请选择荣誉类别"),
        "level": _("该荣誉类别没有这个级别"),
        "both": _("个人荣誉与集体荣誉只能选其一"),
        "person": _("个人荣誉请填写获得者工号"),
        "team": _("集体荣誉请填写集体名称"),
        "holder": _("请填写获得者工号或集体名称"),
        "invalid": _("请填写分数"),
        "range": _("分数不能为负数"),
        "decimals": _("分数最多一位小数"),
        "above": _("分数不能超过该项分值"),
    }[code]


def _check_year(year, field: str = "year") -> int:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 1950 <= year <= this_year + 1:
        raise HonourError(_("年度应在 1950 到 %(y)d 之间") % {"y": this_year + 1}, field=field)
    return year


def _check_url(url: str) -> str:
    url = _text(url, "source_url", _("来源链接"), 500, required=False)
    if url and not url.startswith(("https://", "http://", "/")):
        raise HonourError(_("来源链接应以 http:// 或 https:// 开头"), field="source_url")
    return url


def _index(honour: Honour) -> None:
    search.index(
        queries.SEARCH_TYPE,
        honour.pk,
        title=f"{honour.title} · {honour.holder_name}",
        text=queries.index_text(honour),
        unit_path=honour.org_unit.path,
    )


def _require_in_unit(member, unit) -> None:
    if member is not None and not member.org_unit.path.startswith(unit.path):
        raise HonourError(_("获得者不在所选单位范围内"), field="member")


# --- the registry ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_honour(
    *,
    actor,
    kind: str,
    level: str,
    year: int,
    title: str,
    awarding_body: str,
    unit,
    member=None,
    team_name: str = "",
    source_label: str = "",
    source_url: str = "",
) -> Honour:
    """Record an honour of a member (`member`) or of a team (`team_name`) of `unit`'s subtree.
    The member is told (an inbox message) when she has an account."""
    require(actor, MANAGE_HONOURS, unit=unit)
    try:
        rules.check_honour(kind, level, has_member=member is not None, team_name=team_name)
    except rules.HonourError as exc:
        raise HonourError(_rule_message(exc.code), field=exc.field) from None
    _require_in_unit(member, unit)
    honour = Honour.objects.create(
        kind=kind,
        level=level,
        year=_check_year(year),
        title=_text(title, "title", _("荣誉称号"), 200),
        awarding_body=_text(awarding_body, "awarding_body", _("授予单位"), 200),
        org_unit=unit,
        member=member,
        team_name=_text(team_name, "team_name", _("集体名称"), 100, required=False),
        source_label=_text(source_label, "source_label", _("来源"), 200, required=False),
        source_url=_check_url(source_url),
        created_by=actor,
    )
    start(HONOUR, honour, actor=actor)
    _index(honour)
    record(
        actor=actor,
        action="services.record_honour",
        target=honour,
        unit=unit,
        data={"kind": kind, "level": level, "year": year, "member": getattr(member, "pk", None)},
    )
    if member is not None and member.user_id:
        notify(
            recipients=[member.user],
            kind="services.honour_recorded",
            title=_("您的荣誉已登记"),
            body=_("%(year)d 年 %(title)s") % {"year": honour.year, "title": honour.title},
            url=reverse("services:honours-mine"),
            unit=unit,
        )
    return honour


def _lock(honour: Honour) -> Honour:
    return (
        Honour.objects.select_for_update(of=("self",))
        .select_related("org_unit", "member")
        .get(pk=honour.pk)
    )


@transaction.atomic
def do_update_honour(
    *,
    actor,
    honour: Honour,
    kind: str,
    level: str,
    year: int,
    title: str,
    awarding_body: str,
    team_name: str = "",
    source_label: str = "",
    source_url: str = "",
    note: str = "",
) -> Honour:
    """Correct an honour in force (its holder, a member or a team, stays)."""
    require(actor, MANAGE_HONOURS, unit=honour.org_unit)
    honour = _lock(honour)
    if not honour.in_state(HONOUR.states.active):
        raise HonourError(_("荣誉已撤销，不能再修改"), status=409)
    team_name = team_name if honour.member_id is None else ""
    try:
        rules.check_honour(
            kind, level, has_member=honour.member_id is not None, team_name=team_name
        )
    except rules.HonourError as exc:
        raise HonourError(_rule_message(exc.code), field=exc.field) from None
    before = {"kind": honour.kind, "level": honour.level, "year": honour.year}
    honour.kind = kind
    honour.level = level
    honour.year = _check_year(year)
    honour.title = _text(title, "title", _("荣誉称号"), 200)
    honour.awarding_body = _text(awarding_body, "awarding_body", _("授予单位"), 200)
    honour.team_name = _text(team_name, "team_name", _("集体名称"), 100, required=False)
    honour.source_label = _text(source_label, "source_label", _("来源"), 200, required=False)
    honour.source_url = _check_url(source_url)
    honour.note = _text(note, "note", _("备注"), 2000, required=False)
    honour.save()
    _index(honour)
    record(
        actor=actor,
        action="services.update_honour",
        target=honour,
        unit=honour.org_unit,
        data={"before": before, "after": {"kind": kind, "level": level, "year": year}},
    )
    return honour


@transaction.atomic
def do_revoke_honour(*, actor, honour: Honour, reason: str = "") -> Honour:
    """Revoke an honour (with a reason): its row and history stay, the worker's pages and
    her profile no longer show it, and no care falls due for it."""
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise HonourError(_("撤销原因不能超过 300 个字"), field="reason")
    do_transition(HONOUR, honour, "revoke", actor=actor, note=reason)
    Honour.objects.filter(pk=honour.pk).update(revoke_reason=reason)
    honour.revoke_reason = reason
    record(
        actor=actor,
        action="services.revoke_honour",
        target=honour,
        unit=honour.org_unit,
        data={"reason": reason},
    )
    return honour


@transaction.atomic
def do_add_honour_documents(*, actor, honour: Honour, files: list) -> list:
    """Documents of an honour (certificate scans, the award notice): images, PDF, Office."""
    require(actor, MANAGE_HONOURS, unit=honour.org_unit)
    if not files:
        raise HonourError(_("请选择文件"), field="documents")
    if len(files) > MAX_DOCUMENTS:
        raise HonourError(_("一次最多上传 %(n)d 个文件") % {"n": MAX_DOCUMENTS}, field="documents")
    saved = []
    for upload in files:
        try:
            saved.append(
                attachments.save_upload(
                    upload,
                    actor=actor,
                    allowed=DOCUMENT_KINDS,
                    owner=honour,
                    unit_path=honour.org_unit.path,
                )
            )
        except ValidationError as exc:
            raise HonourError(exc.messages[0], field="documents") from exc
    record(
        actor=actor,
        action="services.add_honour_documents",
        target=honour,
        unit=honour.org_unit,
        data={"files": len(saved)},
    )
    return saved


# --- 劳模 care ------------------------------------------------------------------------------------


def _require_configurer(actor) -> None:
    if not queries.may_configure(actor):
        raise PermissionDenied(MANAGE_HONOURS)


@transaction.atomic
def do_create_honour_care_item(
    *, actor, name: str, kind: str, level: str = "", due_month: int | None = None
) -> HonourCareItem:
    """A care item due every year (configuration: the union's top unit's cadres)."""
    _require_configurer(actor)
    name = _text(name, "name", _("关爱项目"), 100)
    if kind not in rules.KINDS:
        raise HonourError(_("请选择荣誉类别"), field="kind")
    if level and level not in rules.levels_for(kind):
        raise HonourError(_("该荣誉类别没有这个级别"), field="level")
    if due_month is None or not 1 <= due_month <= 12:
        raise HonourError(_("应完成月份应在 1 到 12 之间"), field="due_month")
    item = HonourCareItem.objects.create(
        name=name,
        kind=kind,
        level=level or "",
        due_month=due_month,
        order=HonourCareItem.objects.count() + 1,
    )
    record(
        actor=actor,
        action="services.create_honour_care_item",
        target=item,
        data={"kind": kind, "level": level, "due_month": due_month},
    )
    return item


@transaction.atomic
def ensure_default_honour_care_items() -> int:
    """The default care items (honour_rules.DEFAULT_CARE_ITEMS) when none is configured, as
    migration 0006 writes them (for databases built without migrations: tests, demo)."""
    if HonourCareItem.objects.exists():
        return 0
    for order, (name, month) in enumerate(rules.DEFAULT_CARE_ITEMS, start=1):
        HonourCareItem.objects.create(
            name=name, kind=rules.MODEL_WORKER, due_month=month, order=order
        )
    return len(rules.DEFAULT_CARE_ITEMS)


@transaction.atomic
def do_record_honour_care(
    *,
    actor,
    member,
    item: HonourCareItem,
    year: int,
    done_on: dt.date | None,
    note: str = "",
) -> HonourCareRecord:
    """A care item done for a model worker in a year (saved again: corrected)."""
    require(actor, MANAGE_HONOURS, unit=member.org_unit)
    _check_year(year)
    if done_on is None:
        raise HonourError(_("请填写完成日期"), field="done_on")
    if done_on > timezone.localdate():
        raise HonourError(_("完成日期不能晚于今天"), field="done_on")
    held = [(h.kind, h.level) for h in queries.active(Honour.objects.filter(member=member))]
    if not item.active or not rules.care_applies(item.kind, item.level, held):
        raise HonourError(_("该会员没有适用此关爱项目的荣誉"), field="item")
    note = _text(note, "note", _("说明"), 300, required=False)
    care, created = HonourCareRecord.objects.update_or_create(
        member=member,
        item=item,
        year=year,
        defaults={"done_on": done_on, "note": note, "recorded_by": actor},
    )
    record(
        actor=actor,
        action="services.record_honour_care",
        target=care,
        unit=member.org_unit,
        data={"item": item.pk, "year": year, "done_on": done_on.isoformat(), "new": created},
    )
    return care


def sweep_honour_care(today: dt.date | None = None) -> int:
    """Tell the cadres responsible for a model worker (services.manage_honours, nearest level
    over her unit) about each care item of this year not done by the end of its month: once
    per person, item and year (a HonourCareReminder row marks it). Answers how many."""
    today = today or timezone.localdate()
    sent = 0
    for member, item in list(queries.overdue_care(today.year, today)):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    HonourCareReminder.objects.create(
                        member=member, item=item, year=today.year, sent_at=timezone.now()
                    )
            except IntegrityError:
                continue  # already reminded
            notify(
                recipients=holders(MANAGE_HONOURS, member.org_unit, nearest=True),
                kind="services.honour_care_due",
                title=_("劳模关爱项目逾期未完成"),
                body=_("%(name)s（%(unit)s）的%(item)s：%(year)d 年应于 %(month)d 月底前完成。")
                % {
                    "name": member.name,
                    "unit": member.org_unit.name,
                    "item": item.name,
                    "year": today.year,
                    "month": item.due_month,
                },
                url=reverse("services:honours-care") + f"?year={today.year}",
                unit=member.org_unit,
            )
            sent += 1
    return sent


# --- the "五型" assessment ------------------------------------------------------------------------


@transaction.atomic
def do_add_honour_criterion(*, actor, team_type: str, title: str, max_points) -> HonourCriterion:
    _require_configurer(actor)
    if team_type not in rules.TEAM_TYPES:
        raise HonourError(_("请选择班组类型"), field="team_type")
    title = _text(title, "title", _("考核标准"), 200)
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
def do_set_honour_pass_percent(*, actor, pass_percent) -> HonourAssessmentConfig:
    _require_configurer(actor)
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
    team_name = _text(team_name, "team_name", _("班组名称"), 100)
    _check_year(year)
    if HonourAssessment.objects.filter(org_unit=org_unit, team_name=team_name, year=year).exists():
        raise HonourError(_("该班组本年度已有考核"), field="team_name", status=409)
    assessment = HonourAssessment.objects.create(
        team_name=team_name,
        org_unit=org_unit,
        year=year,
        summary=_text(summary, "summary", _("创建情况"), 5000, required=False),
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
        raise HonourError(_rule_message(exc.code), field=exc.field) from None


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
        text = _text(
            evidence.get(criterion.pk, ""), f"e{criterion.pk}", _("佐证说明"), 2000, required=False
        )
        if (raw is None or raw == "") and not text:
            continue
        HonourAssessmentScore.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={
                "self_points": None if raw is None or raw == "" else rules.points(raw),
                "evidence": text,
            },
        )
    if summary is not None:
        assessment.summary = _text(summary, "summary", _("创建情况"), 5000, required=False)
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
    note = _text(note, "note", _("评审意见"), 500, required=False)
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
        raise HonourError(_("请填写领衔人工号"), field="lead")
    if not lead.org_unit.path.startswith(org_unit.path):
        raise HonourError(_("领衔人不在所选单位范围内"), field="lead")
    studio = HonourStudio.objects.create(
        name=_text(name, "name", _("工作室名称"), 100),
        kind=kind,
        lead=lead,
        org_unit=org_unit,
        founded_on=founded_on,
        description=_text(description, "description", _("简介"), 5000, required=False),
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
        raise HonourError(_("请填写成员工号"), field="member")
    if studio.members.filter(member=member).exists() or studio.lead_id == member.pk:
        raise HonourError(_("该会员已是工作室成员"), field="member", status=409)
    row = HonourStudioMember.objects.create(
        studio=studio,
        member=member,
        role=_text(role, "role", _("分工"), 100, required=False),
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
        title=_text(title, "title", _("项目名称"), 200),
        started_on=started_on,
        ended_on=ended_on,
        description=_text(description, "description", _("项目内容"), 5000, required=False),
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
        title=_text(title, "title", _("成果名称"), 200),
        kind=kind,
        benefit=_text(benefit, "benefit", _("效益"), 300, required=False),
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
