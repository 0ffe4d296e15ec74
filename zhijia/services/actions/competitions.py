"""Writes of competitions, each in one transaction with its audit event; notifications through
the outbox (zhijia.core.notify), sent by the worker after the commit.

Registration and the judges' scores are in actions/competition_entries.py. Closing a stage
locks it, aggregates the scores (competition_rules: mean of the judges per item, the highest
and lowest dropped when the competition says so and at least five judges scored, weighted
sum), ranks the entries with the competition's declared tie rules and lets the advancing
entries into the next stage. The awards are written in one place, do_finalise_competition,
after the 公示 period, once every objection is answered.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.workdays import add_workdays
from zhijia.core.workflow import do_transition, precheck, start
from zhijia.services import competition_rules as rules
from zhijia.services.actions.common import text_field
from zhijia.services.models import (
    Competition,
    CompetitionAward,
    CompetitionEntry,
    CompetitionItem,
    CompetitionJudge,
    CompetitionObjection,
    CompetitionResult,
    CompetitionStage,
)
from zhijia.services.permissions import MANAGE_COMPETITIONS
from zhijia.services.queries import competitions as queries
from zhijia.services.workflows import COMPETITION, COMPETITION_STAGE

MAX_ITEMS = 20
MAX_STAGES = 10
MAX_PUBLICITY_WORKDAYS = 30

__all__ = [
    "CompetitionError",
    "do_add_competition_item",
    "do_add_competition_stage",
    "do_answer_competition_objection",
    "do_appoint_competition_judge",
    "do_cancel_competition",
    "do_close_competition_stage",
    "do_create_competition",
    "do_finalise_competition",
    "do_open_competition",
    "do_open_competition_stage",
    "do_publish_competition",
    "do_raise_competition_objection",
    "do_start_competition",
]


class CompetitionError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=CompetitionError)


def _decimal(value, field: str, label: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CompetitionError(_("请填写%(label)s") % {"label": label}, field=field) from None
    if not number.is_finite() or number < low or number > high:
        raise CompetitionError(
            _("%(label)s应在 %(low)s 到 %(high)s 之间")
            % {"label": label, "low": low, "high": high},
            field=field,
        )
    if number != number.quantize(Decimal("0.01")):
        raise CompetitionError(_("%(label)s最多两位小数") % {"label": label}, field=field)
    return number.quantize(Decimal("0.01"))


def _lock(competition: Competition) -> Competition:
    return Competition.objects.select_for_update().select_related("org_unit").get(pk=competition.pk)


def _require_organiser(actor, competition: Competition) -> None:
    require(actor, MANAGE_COMPETITIONS, unit=competition.org_unit)


# --- the organiser: setting up -------------------------------------------------------------------


@transaction.atomic
def do_create_competition(
    *,
    actor,
    title: str,
    kind: str,
    org_unit,
    theme: str = "",
    rules_text: str = "",
    audience_units=None,
    entry_mode: str = Competition.EntryMode.BOTH,
    tie_rules=rules.DEFAULT_TIE_RULES,
    drop_extremes: bool = False,
    publicity_workdays: int = 5,
    prizes_first: int = 1,
    prizes_second: int = 2,
    prizes_third: int = 3,
    honour_title: str = "",
    honour_count: int = 0,
) -> Competition:
    """An organiser drafts a competition of their unit (its audience defaults to the unit)."""
    require(actor, MANAGE_COMPETITIONS, unit=org_unit)
    title = _text(title, "title", _("竞赛名称"), 100)
    if kind not in Competition.Kind.values:
        raise CompetitionError(_("请选择竞赛类型"), field="kind")
    if entry_mode not in Competition.EntryMode.values:
        raise CompetitionError(_("请选择参赛方式"), field="entry_mode")
    theme = _text(theme, "theme", _("竞赛主题"), 100, required=False)
    rules_text = _text(rules_text, "rules", _("竞赛规则"), 10000, required=False)
    honour_title = _text(honour_title, "honour_title", _("授予称号"), 50, required=False)
    try:
        ties = rules.check_tie_rules(tie_rules)
    except rules.RuleError:
        raise CompetitionError(_("并列规则不正确"), field="tie_rules") from None
    if not 0 <= publicity_workdays <= MAX_PUBLICITY_WORKDAYS:
        raise CompetitionError(
            _("公示期应在 0 到 %(n)d 个工作日之间") % {"n": MAX_PUBLICITY_WORKDAYS},
            field="publicity_workdays",
        )
    units = list(audience_units or []) or [org_unit]
    for unit in units:
        if not unit.path.startswith(org_unit.path):
            raise CompetitionError(_("面向单位须为本单位或其下级单位"), field="audience_units")
    competition = Competition.objects.create(
        title=title,
        kind=kind,
        theme=theme,
        rules=rules_text,
        org_unit=org_unit,
        entry_mode=entry_mode,
        tie_rules=",".join(ties),
        drop_extremes=drop_extremes,
        publicity_workdays=publicity_workdays,
        prizes_first=prizes_first,
        prizes_second=prizes_second,
        prizes_third=prizes_third,
        honour_title=honour_title,
        honour_count=honour_count if honour_title else 0,
        created_by=actor,
    )
    competition.audience_units.set(units)
    start(COMPETITION, competition, actor=actor)
    record(
        actor=actor,
        action="services.create_competition",
        target=competition,
        unit=org_unit,
        data={"kind": kind, "audience": [u.pk for u in units], "tie_rules": list(ties)},
    )
    return competition


@transaction.atomic
def do_add_competition_item(
    *, actor, competition: Competition, name: str, weight, max_points=100
) -> CompetitionItem:
    """A scoring item, while the competition is a draft (scores depend on them)."""
    _require_organiser(actor, competition)
    competition = _lock(competition)
    if not competition.in_state("draft"):
        raise CompetitionError(_("竞赛开放报名后不能再修改评分项"), status=409)
    name = _text(name, "name", _("评分项"), 100)
    weight = _decimal(weight, "weight", _("权重"), low=Decimal("0.01"), high=Decimal(100))
    max_points = _decimal(
        max_points, "max_points", _("满分"), low=Decimal("0.01"), high=Decimal(1000)
    )
    count = competition.items.count()
    if count >= MAX_ITEMS:
        raise CompetitionError(_("评分项不能超过 %(n)d 个") % {"n": MAX_ITEMS}, status=409)
    item = CompetitionItem.objects.create(
        competition=competition, name=name, weight=weight, max_points=max_points, order=count
    )
    record(
        actor=actor,
        action="services.add_competition_item",
        target=item,
        unit=competition.org_unit,
        data={"competition": competition.pk, "weight": str(weight)},
    )
    return item


@transaction.atomic
def do_add_competition_stage(
    *,
    actor,
    competition: Competition,
    name: str,
    advance_count: int | None = None,
    advance_min_total=None,
) -> CompetitionStage:
    """A scored stage, appended after the others, before the competition starts."""
    _require_organiser(actor, competition)
    competition = _lock(competition)
    if not competition.in_state("draft", "registration"):
        raise CompetitionError(_("比赛开始后不能再添加阶段"), status=409)
    name = _text(name, "name", _("阶段名称"), 50)
    if advance_count is not None and advance_count < 1:
        raise CompetitionError(_("晋级名次至少为 1"), field="advance_count")
    if advance_min_total not in (None, ""):
        advance_min_total = _decimal(
            advance_min_total,
            "advance_min_total",
            _("晋级分数线"),
            low=Decimal(0),
            high=Decimal(1000),
        )
    else:
        advance_min_total = None
    count = competition.stages.count()
    if count >= MAX_STAGES:
        raise CompetitionError(_("阶段不能超过 %(n)d 个") % {"n": MAX_STAGES}, status=409)
    stage = CompetitionStage.objects.create(
        competition=competition,
        name=name,
        order=count,
        advance_count=advance_count,
        advance_min_total=advance_min_total,
    )
    start(COMPETITION_STAGE, stage, actor=actor)
    record(
        actor=actor,
        action="services.add_competition_stage",
        target=stage,
        unit=competition.org_unit,
        data={"competition": competition.pk, "advance_count": advance_count},
    )
    return stage


@transaction.atomic
def do_appoint_competition_judge(*, actor, competition: Competition, user) -> CompetitionJudge:
    """Appoint a judge (a person with an account); they are told."""
    _require_organiser(actor, competition)
    competition = _lock(competition)
    if competition.in_state("publicity", "final", "cancelled"):
        raise CompetitionError(_("竞赛已结束，不能再聘请评委"), status=409)
    if user is None:
        raise CompetitionError(_("请填写评委的工号"), field="employee_no")
    try:
        with transaction.atomic():
            judge = CompetitionJudge.objects.create(
                competition=competition, user=user, appointed_by=actor
            )
    except IntegrityError:
        raise CompetitionError(_("该评委已聘请"), status=409) from None
    record(
        actor=actor,
        action="services.appoint_competition_judge",
        target=judge,
        unit=competition.org_unit,
        data={"competition": competition.pk, "user": user.pk},
    )
    notify(
        recipients=[user],
        kind="services.competition_judge",
        title=_("您被聘为竞赛评委"),
        body=_("“%(title)s”聘请您担任评委，请在评分台评分。") % {"title": competition.title},
        url=reverse("services:competitions-judge"),
        unit=competition.org_unit,
    )
    return judge


# --- the competition's steps ----------------------------------------------------------------------


@transaction.atomic
def do_open_competition(*, actor, competition: Competition) -> Competition:
    """Open registration: the items' weights add up to 100 and there is a stage."""
    checked = precheck(COMPETITION, competition, "open", actor)
    try:
        rules.check_weights(i.weight for i in competition.items.all())
    except rules.RuleError:
        raise CompetitionError(_("评分项的权重合计须为 100%"), status=409) from None
    if not competition.stages.exists():
        raise CompetitionError(_("请先添加至少一个比赛阶段"), status=409)
    do_transition(COMPETITION, competition, "open", actor=actor, prechecked=checked)
    return competition


@transaction.atomic
def do_start_competition(*, actor, competition: Competition) -> Competition:
    """Close registration; every active entry takes part in the first stage."""
    checked = precheck(COMPETITION, competition, "begin", actor)
    entries = list(queries.active_entries(competition))
    if not entries:
        raise CompetitionError(_("还没有人报名，不能开始比赛"), status=409)
    first = queries.stages_of(competition).first()
    do_transition(COMPETITION, competition, "begin", actor=actor, prechecked=checked)
    CompetitionResult.objects.bulk_create(
        [CompetitionResult(stage=first, entry=e) for e in entries]
    )
    return competition


@transaction.atomic
def do_open_competition_stage(*, actor, stage: CompetitionStage) -> CompetitionStage:
    """Open a stage for scoring: the stages before it are closed."""
    checked = precheck(COMPETITION_STAGE, stage, "open", actor)
    earlier = stage.competition.stages.filter(order__lt=stage.order).exclude(
        state=COMPETITION_STAGE.states.closed
    )
    if earlier.exists():
        raise CompetitionError(_("请先结束前一阶段的评分"), status=409)
    if not stage.competition.judges.exists():
        raise CompetitionError(_("请先聘请评委"), status=409)
    do_transition(COMPETITION_STAGE, stage, "open", actor=actor, prechecked=checked)
    judges = [j.user for j in stage.competition.judges.select_related("user")]
    notify(
        recipients=judges,
        kind="services.competition_stage_open",
        title=_("竞赛评分已开始"),
        body=_("“%(title)s” %(stage)s 已开始评分。")
        % {"title": stage.competition.title, "stage": stage.name},
        url=reverse("services:competitions-judge-stage", args=[stage.pk]),
        unit=stage.competition.org_unit,
    )
    return stage


@transaction.atomic
def do_close_competition_stage(*, actor, stage: CompetitionStage) -> CompetitionStage:
    """Close the scoring: aggregate, rank, and let the advancing entries into the next stage."""
    checked = precheck(COMPETITION_STAGE, stage, "close", actor)
    competition = stage.competition
    ranked = rules.rank(queries.aggregate(stage), competition.tie_rule_list)
    later = competition.stages.filter(order__gt=stage.order).order_by("order", "id").first()
    advancing = (
        rules.advancing(ranked, count=stage.advance_count, min_total=stage.advance_min_total)
        if later is not None
        else set()
    )
    by_entry = {r.entry_id: r for r in ranked}
    results = list(CompetitionResult.objects.filter(stage=stage))
    for result in results:
        r = by_entry[result.entry_id]
        result.total = r.total
        result.rank = r.rank
        result.advanced = result.entry_id in advancing
    CompetitionResult.objects.bulk_update(results, ["total", "rank", "advanced"])
    if later is not None:
        CompetitionResult.objects.bulk_create(
            [CompetitionResult(stage=later, entry_id=e) for e in sorted(advancing)]
        )
    stage.closed_at = timezone.now()
    stage.save(update_fields=["closed_at"])
    do_transition(
        COMPETITION_STAGE,
        stage,
        "close",
        actor=actor,
        prechecked=checked,
        data={"ranked": len(ranked), "advancing": len(advancing)},
    )
    return stage


@transaction.atomic
def do_publish_competition(*, actor, competition: Competition) -> Competition:
    """Publish the final ranking for the 公示 period (working days); the entrants are told."""
    checked = precheck(COMPETITION, competition, "publish", actor)
    if competition.stages.exclude(state=COMPETITION_STAGE.states.closed).exists():
        raise CompetitionError(_("还有阶段未结束评分"), status=409)
    now = timezone.now()
    competition.published_at = now
    competition.publicity_ends_on = add_workdays(
        timezone.localdate(now), competition.publicity_workdays
    )
    competition.save(update_fields=["published_at", "publicity_ends_on"])
    do_transition(COMPETITION, competition, "publish", actor=actor, prechecked=checked)
    leaders = [e.leader for e in queries.active_entries(competition)]
    notify(
        recipients=leaders,
        kind="services.competition_published",
        title=_("竞赛结果已公示"),
        body=_("“%(title)s”的结果公示至 %(day)s，如有异议请在公示期内提出。")
        % {"title": competition.title, "day": competition.publicity_ends_on.isoformat()},
        url=reverse("services:competitions-ranking", args=[competition.pk]),
        unit=competition.org_unit,
    )
    return competition


@transaction.atomic
def do_finalise_competition(*, actor, competition: Competition) -> list[CompetitionAward]:
    """After the 公示 period, every objection answered: the results are final and the awards
    (名次, titles) are written — the one place where awards are made."""
    checked = precheck(COMPETITION, competition, "finalise", actor)
    why = rules.may_finalise(
        timezone.localdate(), competition.publicity_ends_on, queries.open_objections(competition)
    )
    if why == "period":
        raise CompetitionError(
            _("公示期至 %(day)s，期满后才能确认结果")
            % {"day": competition.publicity_ends_on or "—"},
            status=409,
        )
    if why == "objections":
        raise CompetitionError(_("还有未答复的异议，答复后才能确认结果"), status=409)
    stage = queries.final_stage(competition)
    ranked = [
        rules.Ranked(r.entry_id, r.rank or 0, r.total or Decimal(0))
        for r in CompetitionResult.objects.filter(stage=stage, rank__isnull=False).order_by(
            "rank", "id"
        )
    ]
    given = rules.awards(
        ranked,
        first=competition.prizes_first,
        second=competition.prizes_second,
        third=competition.prizes_third,
        title=competition.honour_title,
        title_count=competition.honour_count,
    )
    awards = CompetitionAward.objects.bulk_create(
        [
            CompetitionAward(
                competition=competition,
                entry_id=a.entry_id,
                rank=a.rank,
                award=a.award,
                title=a.title,
            )
            for a in given
        ]
    )
    honours = _record_honours(actor, competition, given)
    do_transition(
        COMPETITION,
        competition,
        "finalise",
        actor=actor,
        prechecked=checked,
        data={"awards": len(awards), "honours": len(honours)},
    )
    winners = CompetitionEntry.objects.filter(
        pk__in=[a.entry_id for a in given if not a.award.startswith("第")]
    ).select_related("leader")
    notify(
        recipients=[e.leader for e in winners],
        kind="services.competition_awarded",
        title=_("竞赛结果已确认"),
        body=_("“%(title)s”的结果已确认，恭喜获奖。") % {"title": competition.title},
        url=reverse("services:competitions-ranking", args=[competition.pk]),
        unit=competition.org_unit,
    )
    return awards


def _record_honours(actor, competition: Competition, given) -> list:
    """The places within the prizes and the titles (技术能手) into the honours registry, at
    the enterprise level, awarded by the competition's unit: a person's to her member record, a
    team's under its name in its unit. The one who finalises records them (cadres hold both
    codes over the competition's unit)."""
    from zhijia.org.models import Member
    from zhijia.services import honour_rules
    from zhijia.services.actions.honours import do_record_honour

    entries = CompetitionEntry.objects.select_related("org_unit", "leader").in_bulk(
        [entry_id for entry_id, _what, _name in rules.honours_of(given)]
    )
    year = timezone.localdate().year
    source = reverse("services:competitions-ranking", args=[competition.pk])
    written = []
    for entry_id, what, name in rules.honours_of(given):
        entry = entries[entry_id]
        person = entry.kind == CompetitionEntry.Kind.PERSON
        member = Member.objects.filter(user=entry.leader).first() if person else None
        if person and member is None:
            continue  # the leader's member record is gone: nobody to hold it
        if what == "title" and person:
            kind, title = honour_rules.TECHNICAL_EXPERT, name
        else:
            kind, title = honour_rules.COMPETITION_PLACE, f"{competition.title}{name}"
        written.append(
            do_record_honour(
                actor=actor,
                kind=kind,
                level=honour_rules.ENTERPRISE,
                year=year,
                title=title[:200],
                awarding_body=competition.org_unit.name,
                unit=member.org_unit if member is not None else entry.org_unit,
                member=member,
                team_name="" if person else entry.team_name,
                source_label=competition.title,
                source_url=source,
            )
        )
    return written


@transaction.atomic
def do_cancel_competition(*, actor, competition: Competition, reason: str = "") -> Competition:
    reason = (reason or "").strip()
    do_transition(COMPETITION, competition, "cancel", actor=actor, note=reason)
    leaders = [e.leader for e in queries.active_entries(competition)]
    if leaders:
        notify(
            recipients=leaders,
            kind="services.competition_cancelled",
            title=_("您报名的竞赛已取消"),
            body=_("“%(title)s”已取消：%(reason)s")
            % {"title": competition.title, "reason": reason},
            url=reverse("services:competitions-home"),
            unit=competition.org_unit,
        )
    return competition


# --- publicity ------------------------------------------------------------------------------------


@transaction.atomic
def do_raise_competition_objection(
    *, actor, competition: Competition, reason: str, entry: CompetitionEntry | None = None
) -> CompetitionObjection:
    """A member of the audience objects during the 公示 period; the organisers are told."""
    if not queries.is_member(actor):
        raise PermissionDenied
    if not queries.in_audience(actor, competition):
        raise CompetitionError(_("本竞赛不面向您所在的单位"), status=403)
    competition = _lock(competition)
    if not competition.in_state("publicity") or (
        competition.publicity_ends_on is not None
        and timezone.localdate() > competition.publicity_ends_on
    ):
        raise CompetitionError(_("不在公示期内，不能提出异议"), status=409)
    if entry is not None and entry.competition_id != competition.pk:
        raise CompetitionError(_("该参赛者不属于本竞赛"), status=404, field="entry")
    reason = _text(reason, "reason", _("异议理由"), 2000)
    objection = CompetitionObjection.objects.create(
        competition=competition, author=actor, entry=entry, reason=reason
    )
    record(
        actor=actor,
        action="services.raise_competition_objection",
        target=objection,
        unit=competition.org_unit,
        data={"competition": competition.pk, "entry": getattr(entry, "pk", None)},
    )
    from zhijia.core.permissions import holders

    notify(
        recipients=holders(MANAGE_COMPETITIONS, competition.org_unit, nearest=True),
        kind="services.competition_objection",
        title=_("竞赛结果收到异议"),
        body=_("“%(title)s”的公示收到一条异议，请答复。") % {"title": competition.title},
        url=reverse("services:competitions-desk-detail", args=[competition.pk]),
        unit=competition.org_unit,
    )
    return objection


@transaction.atomic
def do_answer_competition_objection(
    *, actor, objection: CompetitionObjection, answer: str
) -> CompetitionObjection:
    """The organiser answers an objection (once); its author is told."""
    _require_organiser(actor, objection.competition)
    objection = CompetitionObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered_at is not None:
        raise CompetitionError(_("该异议已答复"), status=409)
    objection.answer = _text(answer, "answer", _("答复"), 2000)
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    competition = objection.competition
    record(
        actor=actor,
        action="services.answer_competition_objection",
        target=objection,
        unit=competition.org_unit,
        data={"competition": competition.pk},
    )
    notify(
        recipients=[objection.author],
        kind="services.competition_objection_answered",
        title=_("您的异议已答复"),
        body=_("“%(title)s”：%(answer)s")
        % {"title": competition.title, "answer": objection.answer},
        url=reverse("services:competitions-ranking", args=[competition.pk]),
        unit=competition.org_unit,
    )
    return objection
