"""Helpers for competition tests (and the access world): a competition with two weighted
items and its stages, entries, scored stages."""

from __future__ import annotations

from decimal import Decimal

from zhijia.org.models import OrgUnit
from zhijia.services.actions import competition_entries as entry_actions
from zhijia.services.actions import competitions as actions
from zhijia.services.models import Competition, CompetitionEntry, CompetitionStage
from zhijia.services.queries import competitions as queries


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def open_competition(
    organiser,
    *,
    unit_code: str = "U",
    title: str = "焊工技能竞赛",
    judges=(),
    stages=(("初赛", 2), ("决赛", None)),
    **fields,
) -> Competition:
    """A competition open for registration: items 实际操作 (60%) and 理论知识 (40%), the
    stages (name, advance_count) and the judges appointed."""
    competition = actions.do_create_competition(
        actor=organiser,
        title=title,
        kind=Competition.Kind.SKILLS,
        theme="重点工程",
        org_unit=unit(unit_code),
        **fields,
    )
    actions.do_add_competition_item(
        actor=organiser, competition=competition, name="实际操作", weight=Decimal(60)
    )
    actions.do_add_competition_item(
        actor=organiser, competition=competition, name="理论知识", weight=Decimal(40)
    )
    for name, advance in stages:
        actions.do_add_competition_stage(
            actor=organiser, competition=competition, name=name, advance_count=advance
        )
    for judge in judges:
        actions.do_appoint_competition_judge(actor=organiser, competition=competition, user=judge)
    actions.do_open_competition(actor=organiser, competition=competition)
    competition.refresh_from_db()
    return competition


def enter(user, competition: Competition) -> CompetitionEntry:
    return entry_actions.do_register_competition_entry(
        actor=user, competition=competition, kind=CompetitionEntry.Kind.PERSON
    )


def start(organiser, competition: Competition) -> CompetitionStage:
    """Close registration and open the first stage for scoring."""
    actions.do_start_competition(actor=organiser, competition=competition)
    stage = queries.stages_of(competition).first()
    assert stage is not None
    actions.do_open_competition_stage(actor=organiser, stage=stage)
    stage.refresh_from_db()
    return stage


def score(judge, stage: CompetitionStage, entry: CompetitionEntry, *points, finished_at=None):
    """The judge's points for the items in order."""
    items = queries.items_of(stage.competition)
    return entry_actions.do_enter_competition_scores(
        actor=judge,
        stage=stage,
        entry=entry,
        points={i.pk: Decimal(str(p)) for i, p in zip(items, points, strict=True)},
        finished_at=finished_at,
    )
