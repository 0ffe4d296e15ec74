"""Writes about a competition's entries, each in one transaction with its audit event:
registration (a person, a member's team, a cadre's team of their unit) and withdrawal, and
the judges' declared conflicts and scores. A judge writes only their own scores, only while
the stage is scoring, never for an entry they declared a conflict with (403) nor one outside
the stage (404). The competition's own steps are in actions/competitions.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.services.actions.competitions import (
    CompetitionError,
    _decimal,
    _lock,
    _require_organiser,
    _text,
)
from zhijia.services.models import (
    Competition,
    CompetitionConflict,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionResult,
    CompetitionScore,
    CompetitionStage,
    CompetitionTeamMember,
)
from zhijia.services.queries import competitions as queries

MAX_TEAM = 30

__all__ = [
    "do_declare_competition_conflict",
    "do_enter_competition_scores",
    "do_register_competition_entry",
    "do_withdraw_competition_entry",
]


# --- registration --------------------------------------------------------------------------------


@transaction.atomic
def do_register_competition_entry(
    *,
    actor,
    competition: Competition,
    kind: str,
    team_name: str = "",
    unit=None,
    leader=None,
    members=(),
) -> CompetitionEntry:
    """A member of the audience registers themselves, or a team they lead; a cadre
    (services.manage_competitions over `unit`, a unit of the audience) registers a team of
    that unit. Nobody is in two active entries of one competition."""
    competition = _lock(competition)
    if kind not in CompetitionEntry.Kind.values:
        raise CompetitionError(_("请选择个人或团队参赛"), field="kind")
    mode = competition.entry_mode
    if mode != Competition.EntryMode.BOTH and mode != kind:
        raise CompetitionError(
            _("本竞赛为%(mode)s") % {"mode": competition.get_entry_mode_display()}, field="kind"
        )
    if kind == CompetitionEntry.Kind.PERSON or unit is None:
        if not queries.is_member(actor):
            raise PermissionDenied
        if not queries.in_audience(actor, competition):
            raise CompetitionError(_("本竞赛不面向您所在的单位"), status=403)
        unit = actor.member_record.org_unit
        if kind == CompetitionEntry.Kind.PERSON or leader is None:
            leader = actor
        scope_path = None  # any member of the audience
    else:
        if not queries.manages(actor, competition) and not (
            queries.may_manage(actor)
            and unit.pk in {u.pk for u in queries.team_units(actor, competition)}
        ):
            raise PermissionDenied
        if not queries.unit_in_audience(unit, competition):
            raise CompetitionError(_("该单位不在本竞赛的面向范围内"), field="unit")
        scope_path = unit.path
    if not competition.in_state("registration"):
        raise CompetitionError(_("竞赛不在报名阶段"), status=409)
    people = []
    if kind == CompetitionEntry.Kind.TEAM:
        team_name = _text(team_name, "team_name", _("团队名称"), 100)
        if leader is None:
            raise CompetitionError(_("请填写队长的工号"), field="leader")
        people = [leader, *[m for m in members if m.pk != leader.pk]]
        if len({p.pk for p in people}) != len(people):
            raise CompetitionError(_("团队成员有重复"), field="members")
        if len(people) < 2:
            raise CompetitionError(_("团队至少 2 人（含队长）"), field="members")
        if len(people) > MAX_TEAM:
            raise CompetitionError(_("团队不能超过 %(n)d 人") % {"n": MAX_TEAM}, field="members")
        for person in people:
            member = getattr(person, "member_record", None)
            if member is None:
                raise CompetitionError(_("团队成员须为在册会员"), field="members")
            path = member.org_unit.path
            if scope_path is not None and not path.startswith(scope_path):
                raise CompetitionError(
                    _("%(name)s 不在 %(unit)s") % {"name": member.name, "unit": unit.name},
                    field="members",
                )
            if not competition.audience_units.filter(
                path__in=member.org_unit.path_prefixes()
            ).exists():
                raise CompetitionError(
                    _("%(name)s 不在本竞赛的面向范围内") % {"name": member.name}, field="members"
                )
    else:
        team_name = ""
        people = [leader]
    taken = queries.entered_users(competition)
    for person in people:
        if person.pk in taken:
            who = getattr(getattr(person, "member_record", None), "name", "") or str(person)
            raise CompetitionError(
                _("%(name)s 已报名本竞赛") % {"name": who},
                status=409,
                field="members" if kind == CompetitionEntry.Kind.TEAM else None,
            )
    try:
        with transaction.atomic():
            entry = CompetitionEntry.objects.create(
                competition=competition,
                kind=kind,
                team_name=team_name,
                leader=leader,
                org_unit=unit,
                registered_by=actor,
            )
    except IntegrityError:
        raise CompetitionError(_("该团队名称已被使用"), status=409, field="team_name") from None
    if kind == CompetitionEntry.Kind.TEAM:
        CompetitionTeamMember.objects.bulk_create(
            [CompetitionTeamMember(entry=entry, user=p) for p in people]
        )
    record(
        actor=actor,
        action="services.register_competition_entry",
        target=entry,
        unit=unit,
        data={"competition": competition.pk, "kind": kind, "members": [p.pk for p in people]},
    )
    return entry


@transaction.atomic
def do_withdraw_competition_entry(*, actor, entry: CompetitionEntry) -> CompetitionEntry:
    """Its leader or registrant, or an organiser, withdraws an entry while registration is
    open; its people may then enter again."""
    if actor.pk not in (entry.leader_id, entry.registered_by_id):
        _require_organiser(actor, entry.competition)
    competition = _lock(entry.competition)
    entry = CompetitionEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != CompetitionEntry.Status.ACTIVE:
        raise CompetitionError(_("该报名已退出"), status=409)
    if not competition.in_state("registration"):
        raise CompetitionError(_("报名已截止，不能再退出"), status=409)
    entry.status = CompetitionEntry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    record(
        actor=actor,
        action="services.withdraw_competition_entry",
        target=entry,
        unit=entry.org_unit,
        data={"competition": competition.pk},
    )
    return entry


# --- judging --------------------------------------------------------------------------------------


def _judge(actor, competition: Competition) -> CompetitionJudge:
    judge = queries.judge_of(actor, competition)
    if judge is None:
        raise PermissionDenied
    return judge


@transaction.atomic
def do_declare_competition_conflict(
    *, actor, competition: Competition, entry: CompetitionEntry, reason: str
) -> CompetitionConflict:
    """A judge declares a conflict of interest with an entry: they may no longer score it
    (refused once they have scored it: the organiser then replaces the judge)."""
    judge = _judge(actor, competition)
    if entry.competition_id != competition.pk:
        raise CompetitionError(_("该参赛者不属于本竞赛"), status=404)
    reason = _text(reason, "reason", _("回避原因"), 200)
    if CompetitionScore.objects.filter(judge=judge, entry=entry).exists():
        raise CompetitionError(_("您已为该参赛者评分，请联系主办单位"), status=409)
    try:
        with transaction.atomic():
            conflict = CompetitionConflict.objects.create(judge=judge, entry=entry, reason=reason)
    except IntegrityError:
        raise CompetitionError(_("您已声明回避该参赛者"), status=409) from None
    record(
        actor=actor,
        action="services.declare_competition_conflict",
        target=conflict,
        unit=competition.org_unit,
        data={"competition": competition.pk, "entry": entry.pk},
    )
    return conflict


@transaction.atomic
def do_enter_competition_scores(
    *,
    actor,
    stage: CompetitionStage,
    entry: CompetitionEntry,
    points: dict,
    finished_at: dt.datetime | None = None,
) -> list[CompetitionScore]:
    """A judge enters (or corrects) their points per item for an entry of a scoring stage."""
    competition = stage.competition
    judge = _judge(actor, competition)
    stage = CompetitionStage.objects.select_for_update().get(pk=stage.pk)
    result = CompetitionResult.objects.filter(stage=stage, entry=entry).first()
    if result is None:
        raise CompetitionError(_("该参赛者不在本阶段"), status=404)
    if entry.pk in queries.conflicted_entries(judge):
        raise CompetitionError(_("您已声明回避该参赛者，不能为其评分"), status=403)
    if not stage.in_state("scoring"):
        raise CompetitionError(_("本阶段不在评分中"), status=409)
    items = queries.items_of(competition)
    values: dict[int, Decimal] = {}
    for item in items:
        raw = points.get(item.pk, points.get(str(item.pk)))
        if raw in (None, ""):
            raise CompetitionError(
                _("请填写“%(item)s”的得分") % {"item": item.name}, field=f"item_{item.pk}"
            )
        values[item.pk] = _decimal(
            raw, f"item_{item.pk}", item.name, low=Decimal(0), high=item.max_points
        )
    unknown = {str(k) for k in points} - {str(i.pk) for i in items}
    if unknown:
        raise CompetitionError(_("评分项不属于本竞赛"), status=404, field="points")
    scores = []
    for item in items:
        score, _created = CompetitionScore.objects.update_or_create(
            stage=stage, entry=entry, judge=judge, item=item, defaults={"points": values[item.pk]}
        )
        scores.append(score)
    if finished_at is not None:
        result.finished_at = finished_at
        result.save(update_fields=["finished_at"])
    record(
        actor=actor,
        action="services.enter_competition_scores",
        target=entry,
        unit=competition.org_unit,
        data={"stage": stage.pk, "items": len(values)},
    )
    return scores
