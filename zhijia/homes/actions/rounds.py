"""Writes of the 建家 rounds: the committee opens a round of a year for the child units it
chooses (each gets its assessment, one score row per criterion) and closes it, awarding the
titles it chooses; a title is recorded in the honours registry (core.hooks.honour_recorder)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import hooks
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, start
from zhijia.homes import rules
from zhijia.homes.actions.common import rule_message
from zhijia.homes.models import Assessment, CriteriaSet, Round, Score
from zhijia.homes.permissions import MANAGE
from zhijia.homes.workflows import ASSESSMENT

__all__ = ["RoundError", "do_close_round", "do_open_round", "do_set_round_tiers"]


class RoundError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def _tiers(text: str) -> list[rules.Tier]:
    try:
        tiers = rules.parse_tiers(text or "")
    except rules.RuleError as exc:
        raise RoundError(rule_message(exc), field="tiers") from None
    if not tiers:
        raise RoundError(_("请至少填写一个称号及其分数线"), field="tiers")
    return tiers


def _tiers_text(tiers: list[rules.Tier]) -> str:
    return "\n".join(f"{t.name}={t.threshold.normalize():f}" for t in tiers)


@transaction.atomic
def do_open_round(
    *,
    actor,
    unit,
    year,
    title: str,
    criteria_set: CriteriaSet,
    due_on,
    branches,
    tiers: str = rules.DEFAULT_TIERS,
) -> Round:
    require(actor, MANAGE, unit=unit)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    this_year = timezone.localdate().year
    if not this_year - 5 <= year <= this_year + 1:
        raise RoundError(_("年度应在近五年至明年之间"), field="year")
    title = (title or "").strip()
    if not title or len(title) > 100:
        raise RoundError(_("请填写名称（不超过100字）"), field="title")
    if criteria_set is None or not unit.path.startswith(criteria_set.org_unit.path):
        raise RoundError(_("请选择本单位或上级的建家标准"), field="criteria_set")
    if not criteria_set.criteria.exists():
        raise RoundError(_("该建家标准还没有评分项"), field="criteria_set")
    if not isinstance(due_on, dt.date):
        raise RoundError(_("请填写自评截止日期"), field="due_on")
    branches = list({b.pk: b for b in branches or []}.values())  # each branch once
    if not branches:
        raise RoundError(_("请至少选择一个参评的下级工会"), field="branches")
    for branch in branches:
        if branch.parent_id != unit.pk or branch.closed_at is not None:
            raise RoundError(_("参评单位应为本单位的直属下级工会"), field="branches")
    round_ = Round.objects.create(
        org_unit=unit,
        year=year,
        title=title,
        criteria_set=criteria_set,
        tiers=_tiers_text(_tiers(tiers)),
        due_on=due_on,
        created_by=actor,
    )
    criteria = list(criteria_set.criteria.all())
    for branch in branches:
        assessment = Assessment.objects.create(round=round_, org_unit=branch)
        start(ASSESSMENT, assessment, actor=actor)
        Score.objects.bulk_create(Score(assessment=assessment, criterion=c) for c in criteria)
        notify(
            recipients=holders(MANAGE, branch, nearest=True, include_global=False),
            kind="homes.round_opened",
            title=_("请填报建家自评：%(round)s") % {"round": title},
            body=_("自评截止 %(due)s。") % {"due": due_on.isoformat()},
            url=assessment.get_absolute_url(),
            unit=branch,
        )
    record(
        actor=actor,
        action="homes.open_round",
        target=round_,
        unit=unit,
        data={"year": year, "branches": [b.pk for b in branches]},
    )
    return round_


def _locked(round_: Round) -> Round:
    return (
        Round.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=round_.pk)
    )


@transaction.atomic
def do_set_round_tiers(*, actor, round_: Round, tiers: str) -> Round:
    """Change the title tiers (the suggestion of each branch's title) while the round is open."""
    round_ = _locked(round_)
    require(actor, MANAGE, unit=round_.org_unit)
    if round_.is_closed:
        raise RoundError(_("评比已结束"), status=409)
    round_.tiers = _tiers_text(_tiers(tiers))
    round_.save(update_fields=["tiers"])
    record(actor=actor, action="homes.set_round_tiers", target=round_, unit=round_.org_unit)
    return round_


@transaction.atomic
def do_close_round(
    *, actor, round_: Round, titles: dict[int, str], awarding_body: str = ""
) -> Round:
    """Close the round: every submitted assessment must be reviewed first; `titles` maps an
    assessment id to the title awarded (one of the round's tiers; missing or "": none). Each
    title is recorded in the honours registry when services provides it."""
    round_ = _locked(round_)
    require(actor, MANAGE, unit=round_.org_unit)
    if round_.is_closed:
        raise RoundError(_("评比已结束"), status=409)
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(round=round_)
        .select_related("org_unit", "round__org_unit")
    )
    if any(a.in_state(ASSESSMENT.states.submitted) for a in assessments):
        raise RoundError(_("还有待评审的自评，评审后才能结束评比"), status=409)
    names = {t.name for t in rules.parse_tiers(round_.tiers)}
    by_id = {a.pk: a for a in assessments}
    for assessment_id, title in titles.items():
        title = (title or "").strip()
        assessment = by_id.get(assessment_id)
        if not title:
            continue
        if assessment is None or title not in names:
            raise RoundError(_("称号应为本次评比设定的称号之一"), field="titles")
        if not assessment.in_state(ASSESSMENT.states.reviewed):
            raise RoundError(_("只能向已评审的分工会授予称号"), field="titles")
    body = (awarding_body or "").strip()[:200] or round_.org_unit.name
    for assessment in assessments:
        title = (titles.get(assessment.pk) or "").strip()
        if title:
            assessment.title = title
            if hooks.has_honour_recorder():
                honour = hooks.honour_recorder().record_unit_honour(
                    actor=actor,
                    unit=assessment.org_unit,
                    year=round_.year,
                    title=title,
                    awarding_body=body,
                    source_label=round_.title,
                    source_url=assessment.get_absolute_url(),
                )
                assessment.honour_url = honour.url
            assessment.save(update_fields=["title", "honour_url"])
        do_transition(
            ASSESSMENT, assessment, "close", actor=actor, data={"title": assessment.title}
        )
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at"])
    record(
        actor=actor,
        action="homes.close_round",
        target=round_,
        unit=round_.org_unit,
        data={"titles": {str(k): v for k, v in titles.items() if v}},
    )
    return round_
