"""API of competitions, mounted at /api/v1/services/competitions. Same queries and actions, so
the same rules, as the pages.

Members:    GET /competitions, GET /competitions/{id}, POST /competitions/{id}/entries (self or
            a team they lead; a cadre's team of one of their units with unit_id),
            GET /entries (mine), GET /competitions/{id}/ranking (published, or a closed
            stage's for organisers and judges), POST /competitions/{id}/objections
Judges:     GET /judge/stages/{id}/entries, GET /judge/stages/{id}/scores (their own while
            scoring; every judge's once closed), POST /judge/stages/{id}/entries/{id}/scores,
            POST /judge/stages/{id}/entries/{id}/conflict
Organisers: /desk/competitions (GET, POST), /desk/competitions/{id}/items, /stages,
            /judges (POST), /entries, /objections (GET), the steps /open, /begin, /publish,
            /finalise, /cancel; /desk/stages/{id}/open, /close; /desk/objections/{id}/answer
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.services.actions import competition_entries as entry_actions
from zhijia.services.actions import competitions as actions
from zhijia.services.models import (
    Competition,
    CompetitionEntry,
    CompetitionObjection,
    CompetitionResult,
    CompetitionScore,
    CompetitionStage,
)
from zhijia.services.queries import competitions as queries
from zhijia.services.workflows import COMPETITION, COMPETITION_STAGE

router = Router(tags=["services-competitions"])


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


def _require_judge(user) -> None:
    if not queries.is_judge(user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not queries.may_manage(user):
        raise PermissionDenied


def _desk_competition(user, competition_id) -> Competition:
    _require_manager(user)
    return queries.access_managed_competition(user, competition_id)


def _desk_stage(user, stage_id) -> CompetitionStage:
    _require_manager(user)
    return queries.access_managed_stage(user, stage_id)


# --- schemas --------------------------------------------------------------------------------------


class CompetitionItemOut(Schema):
    id: int
    name: str
    weight: Decimal
    max_points: Decimal


class CompetitionStageOut(Schema):
    id: int
    name: str
    order: int
    advance_count: int | None
    advance_min_total: Decimal | None
    state: str
    state_label: str


class CompetitionOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    theme: str
    org_unit_id: int
    org_unit_name: str
    entry_mode: str
    state: str
    state_label: str
    publicity_ends_on: dt.date | None


class CompetitionDetail(CompetitionOut):
    rules: str
    tie_rules: list[str]
    drop_extremes: bool
    publicity_workdays: int
    scoring_items: list[CompetitionItemOut]
    stages: list[CompetitionStageOut]


class CompetitionEntryOut(Schema):
    id: int
    competition_id: int
    competition_title: str
    kind: str
    label: str
    leader_name: str
    org_unit_id: int
    org_unit_name: str
    members: list[str]
    status: str
    registered_at: dt.datetime


class CompetitionRankOut(Schema):
    entry_id: int
    label: str
    org_unit_name: str
    rank: int | None
    total: Decimal | None
    items: list[Decimal | None]
    finished_at: dt.datetime | None
    advanced: bool


class CompetitionAwardOut(Schema):
    entry_id: int
    label: str
    rank: int
    award: str
    title: str


class CompetitionRankingOut(Schema):
    competition_id: int
    stage_id: int | None
    stage_name: str
    published: bool
    rows: list[CompetitionRankOut]
    awards: list[CompetitionAwardOut]


class CompetitionScoreOut(Schema):
    id: int
    entry_id: int
    item_id: int
    judge_name: str
    points: Decimal


class CompetitionJudgeEntryOut(Schema):
    entry_id: int
    label: str
    org_unit_name: str
    conflicted: bool
    my_points: list[Decimal | None]


class CompetitionObjectionOut(Schema):
    id: int
    competition_id: int
    author_name: str
    entry_id: int | None
    reason: str
    created_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class CompetitionJudgeOut(Schema):
    id: int
    user_id: int
    name: str


TieRule = Literal["total", "first_item", "items", "finish"]


def _default_ties() -> list[TieRule]:
    return ["total", "first_item", "finish"]


class CompetitionIn(Schema):
    title: str = Field(..., max_length=100)
    kind: Literal["labour", "skills", "drill", "contest", "achieve"]
    theme: str = Field("", max_length=100)
    rules: str = Field("", max_length=10000)
    org_unit_id: Id
    audience_unit_ids: list[Id] = Field(default_factory=list, max_length=200)
    entry_mode: Literal["person", "team", "both"] = "both"
    tie_rules: list[TieRule] = Field(default_factory=_default_ties, max_length=4)
    drop_extremes: bool = False
    publicity_workdays: int = Field(5, ge=0, le=30)
    prizes_first: int = Field(1, ge=0, le=100)
    prizes_second: int = Field(2, ge=0, le=100)
    prizes_third: int = Field(3, ge=0, le=100)
    honour_title: str = Field("", max_length=50)
    honour_count: int = Field(0, ge=0, le=100)


class CompetitionItemIn(Schema):
    name: str = Field(..., max_length=100)
    weight: Decimal = Field(..., gt=0, le=100, max_digits=5, decimal_places=2)
    max_points: Decimal = Field(Decimal(100), gt=0, le=1000, max_digits=6, decimal_places=2)


class CompetitionStageIn(Schema):
    name: str = Field(..., max_length=50)
    advance_count: int | None = Field(None, ge=1, le=10000)
    advance_min_total: Decimal | None = Field(None, ge=0, le=1000, max_digits=6, decimal_places=2)


class CompetitionJudgeIn(Schema):
    employee_no: str = Field(..., max_length=32)


class CompetitionEntryIn(Schema):
    kind: Literal["person", "team"]
    team_name: str = Field("", max_length=100)
    unit_id: Id | None = None
    leader_employee_no: str = Field("", max_length=32)
    member_employee_nos: list[str] = Field(default_factory=list, max_length=30)


class CompetitionScoresIn(Schema):
    points: dict[int, Decimal] = Field(..., max_length=20)
    finished_at: dt.datetime | None = None


class CompetitionReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class CompetitionObjectionIn(Schema):
    reason: str = Field(..., max_length=2000)
    entry_id: Id | None = None


class CompetitionAnswerIn(Schema):
    answer: str = Field(..., max_length=2000)


# --- shaping --------------------------------------------------------------------------------------


def _name(user) -> str:
    member = getattr(user, "member_record", None)
    return member.name if member is not None else user.get_full_name()


def _competition(c: Competition) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "theme": c.theme,
        "org_unit_id": c.org_unit_id,
        "org_unit_name": c.org_unit.name,
        "entry_mode": c.entry_mode,
        "state": c.state,
        "state_label": c.state_label,
        "publicity_ends_on": c.publicity_ends_on,
    }


def _detail(user, c: Competition) -> dict:
    return {
        **_competition(c),
        "rules": c.rules,
        "tie_rules": c.tie_rule_list,
        "drop_extremes": c.drop_extremes,
        "publicity_workdays": c.publicity_workdays,
        "scoring_items": [
            {"id": i.pk, "name": i.name, "weight": i.weight, "max_points": i.max_points}
            for i in queries.items_of(c)
        ],
        "stages": [_stage(s) for s in queries.stages_of(c)],
    }


def _stage(s: CompetitionStage) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "order": s.order,
        "advance_count": s.advance_count,
        "advance_min_total": s.advance_min_total,
        "state": s.state,
        "state_label": s.state_label,
    }


def _entry(e: CompetitionEntry) -> dict:
    return {
        "id": e.pk,
        "competition_id": e.competition_id,
        "competition_title": e.competition.title,
        "kind": e.kind,
        "label": e.label,
        "leader_name": _name(e.leader),
        "org_unit_id": e.org_unit_id,
        "org_unit_name": e.org_unit.name,
        "members": [_name(u) for u in queries.entry_members(e)],
        "status": e.status,
        "registered_at": e.registered_at,
    }


def _rank(r: CompetitionResult, items: tuple) -> dict:
    return {
        "entry_id": r.entry_id,
        "label": r.entry.label,
        "org_unit_name": r.entry.org_unit.name,
        "rank": r.rank,
        "total": r.total,
        "items": list(items),
        "finished_at": r.finished_at,
        "advanced": r.advanced,
    }


def _score(s: CompetitionScore) -> dict:
    return {
        "id": s.pk,
        "entry_id": s.entry_id,
        "item_id": s.item_id,
        "judge_name": _name(s.judge.user),
        "points": s.points,
    }


def _objection(o: CompetitionObjection) -> dict:
    return {
        "id": o.pk,
        "competition_id": o.competition_id,
        "author_name": _name(o.author),
        "entry_id": o.entry_id,
        "reason": o.reason,
        "created_at": o.created_at,
        "answer": o.answer,
        "answered_at": o.answered_at,
    }


def _users(nos, unit_path: str, field: str) -> list:
    people = []
    for no in nos:
        user = queries.member_user(no, unit_path)
        if user is None:
            raise actions.CompetitionError(
                _("%(no)s：没有该工号的在册会员") % {"no": no}, field=field, status=404
            )
        people.append(user)
    return people


# --- members --------------------------------------------------------------------------------------


@router.get("/competitions", response=page_schema(CompetitionOut, name="CompetitionPage"))
def list_competitions(request, paging: Query[PageParams]):
    """Competitions open to the caller's unit (registration, running, published)."""
    _require_member(request)
    return api_page(
        queries.competitions_for_worker(request.user),
        paging.page,
        paging.per_page,
        transform=_competition,
    )


@router.get("/competitions/{int:competition_id}", response=CompetitionDetail)
def get_competition(request, competition_id: Id):
    _require_reader(request)
    return _detail(request.user, queries.access_competition(request.user, competition_id))


@router.post("/competitions/{int:competition_id}/entries", response={201: CompetitionEntryOut})
def register_entry(request, competition_id: Id, payload: CompetitionEntryIn):
    """Register oneself (kind person) or a team one leads; a cadre registers a team of one of
    their units (unit_id, leader_employee_no, member_employee_nos within that unit)."""
    cadre_team = payload.kind == "team" and payload.unit_id is not None
    if cadre_team:
        _require_manager(request.user)
    else:
        _require_member(request)
    competition = queries.access_competition(request.user, competition_id)
    unit = leader = None
    members: list = []
    if cadre_team:
        unit = record_in_body(queries.scope_units(request.user), payload.unit_id, "unit_id")
        leader = _users([payload.leader_employee_no], unit.path, "leader_employee_no")[0]
        members = _users(payload.member_employee_nos, unit.path, "member_employee_nos")
    elif payload.kind == "team":
        members = _users(payload.member_employee_nos, "", "member_employee_nos")
    entry = entry_actions.do_register_competition_entry(
        actor=request.user,
        competition=competition,
        kind=payload.kind,
        team_name=payload.team_name,
        unit=unit,
        leader=leader,
        members=members,
    )
    return Status(201, _entry(entry))


@router.get("/entries", response=page_schema(CompetitionEntryOut, name="CompetitionEntryPage"))
def my_entries(request, paging: Query[PageParams]):
    _require_member(request)
    return api_page(
        queries.my_entries(request.user), paging.page, paging.per_page, transform=_entry
    )


@router.post("/entries/{int:entry_id}/withdraw", response=CompetitionEntryOut)
def withdraw_entry(request, entry_id: Id):
    """Its leader or registrant (or an organiser) withdraws an entry while registration is
    open."""
    entry = queries.access_own_entry(request.user, entry_id)
    entry_actions.do_withdraw_competition_entry(actor=request.user, entry=entry)
    return _entry(queries.access_own_entry(request.user, entry_id))


class RankingParams(Schema):
    stage_id: Id | None = None


@router.get("/competitions/{int:competition_id}/ranking", response=CompetitionRankingOut)
def get_ranking(request, competition_id: Id, params: Query[RankingParams]):
    """The final ranking once published (公示 and after); organisers and judges also read a
    closed stage's (stage_id). A ranking not visible yet answers with no rows."""
    _require_reader(request)
    competition = queries.access_competition(request.user, competition_id)
    stages = list(queries.stages_of(competition))
    stage = stages[-1] if stages else None
    if params.stage_id is not None:
        stage = record_in_body(queries.stages_of(competition), params.stage_id, "stage_id")
    visible = stage is not None and queries.ranking_visible(request.user, competition, stage)
    rows = []
    if visible and stage is not None:
        means = queries.item_means(stage)
        rows = [_rank(r, means.get(r.entry_id, ())) for r in queries.stage_results(stage)]
    return {
        "competition_id": competition.pk,
        "stage_id": stage.pk if stage is not None else None,
        "stage_name": stage.name if stage is not None else "",
        "published": queries.published_stage(competition) is not None,
        "rows": rows,
        "awards": [
            {
                "entry_id": a.entry_id,
                "label": a.entry.label,
                "rank": a.rank,
                "award": a.award,
                "title": a.title,
            }
            for a in queries.awards_of(competition)
        ],
    }


@router.post(
    "/competitions/{int:competition_id}/objections", response={201: CompetitionObjectionOut}
)
def raise_objection(request, competition_id: Id, payload: CompetitionObjectionIn):
    """An objection during the 公示 period (members of the audience)."""
    _require_member(request)
    competition = queries.access_competition(request.user, competition_id)
    entry = None
    if payload.entry_id is not None:
        entry = record_in_body(queries.active_entries(competition), payload.entry_id, "entry_id")
    objection = actions.do_raise_competition_objection(
        actor=request.user, competition=competition, reason=payload.reason, entry=entry
    )
    return Status(201, _objection(objection))


# --- judges ---------------------------------------------------------------------------------------


def _judge_stage(user, stage_id):
    _require_judge(user)
    return queries.access_judge_stage(user, stage_id)


@router.get(
    "/judge/stages/{int:stage_id}/entries",
    response=page_schema(CompetitionJudgeEntryOut, name="CompetitionJudgeEntryPage"),
)
def judge_entries(request, stage_id: Id, paging: Query[PageParams]):
    """The stage's entries with the caller's own points (item order) and conflicts."""
    stage, judge = _judge_stage(request.user, stage_id)
    items = queries.items_of(stage.competition)
    mine: dict[int, dict] = {}
    for s in queries.own_scores(judge, stage):
        mine.setdefault(s.entry_id, {})[s.item_id] = s.points
    conflicted = queries.conflicted_entries(judge)
    return api_page(
        queries.stage_results(stage),
        paging.page,
        paging.per_page,
        transform=lambda r: {
            "entry_id": r.entry_id,
            "label": r.entry.label,
            "org_unit_name": r.entry.org_unit.name,
            "conflicted": r.entry_id in conflicted,
            "my_points": [mine.get(r.entry_id, {}).get(i.pk) for i in items],
        },
    )


@router.get(
    "/judge/stages/{int:stage_id}/scores",
    response=page_schema(CompetitionScoreOut, name="CompetitionScorePage"),
)
def judge_scores(request, stage_id: Id, paging: Query[PageParams]):
    """The caller's own scores while the stage is scoring; every judge's once it is closed."""
    stage, _judge = _judge_stage(request.user, stage_id)
    return api_page(
        queries.stage_scores_for(request.user, stage),
        paging.page,
        paging.per_page,
        transform=_score,
    )


@router.post(
    "/judge/stages/{int:stage_id}/entries/{int:entry_id}/scores",
    response=list[CompetitionScoreOut],
)
def enter_scores(request, stage_id: Id, entry_id: Id, payload: CompetitionScoresIn):
    """Enter or correct the caller's points for every item of the entry (item id -> points)."""
    stage, _judge = _judge_stage(request.user, stage_id)
    entry = queries.access_entry_of(stage.competition, entry_id)
    scores = entry_actions.do_enter_competition_scores(
        actor=request.user,
        stage=stage,
        entry=entry,
        points=payload.points,
        finished_at=payload.finished_at,
    )
    return [_score(s) for s in scores]


class CompetitionConflictOut(Schema):
    entry_id: int
    reason: str


@router.post(
    "/judge/stages/{int:stage_id}/entries/{int:entry_id}/conflict",
    response={201: CompetitionConflictOut},
)
def declare_conflict(request, stage_id: Id, entry_id: Id, payload: CompetitionReasonIn):
    stage, _judge = _judge_stage(request.user, stage_id)
    entry = queries.access_entry_of(stage.competition, entry_id)
    conflict = entry_actions.do_declare_competition_conflict(
        actor=request.user, competition=stage.competition, entry=entry, reason=payload.reason
    )
    return Status(201, {"entry_id": conflict.entry_id, "reason": conflict.reason})


# --- the organisers -------------------------------------------------------------------------------


@router.get("/desk/competitions", response=page_schema(CompetitionOut, name="CompetitionDeskPage"))
def desk_competitions(request, paging: Query[PageParams]):
    _require_manager(request.user)
    return api_page(
        queries.managed_competitions(request.user),
        paging.page,
        paging.per_page,
        transform=_competition,
    )


@router.post("/desk/competitions", response={201: CompetitionDetail})
def create_competition(request, payload: CompetitionIn):
    _require_manager(request.user)
    units = queries.scope_units(request.user)
    org_unit = record_in_body(units, payload.org_unit_id, "org_unit_id")
    audience = [record_in_body(units, i, "audience_unit_ids") for i in payload.audience_unit_ids]
    competition = actions.do_create_competition(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        theme=payload.theme,
        rules_text=payload.rules,
        org_unit=org_unit,
        audience_units=audience,
        entry_mode=payload.entry_mode,
        tie_rules=payload.tie_rules,
        drop_extremes=payload.drop_extremes,
        publicity_workdays=payload.publicity_workdays,
        prizes_first=payload.prizes_first,
        prizes_second=payload.prizes_second,
        prizes_third=payload.prizes_third,
        honour_title=payload.honour_title,
        honour_count=payload.honour_count,
    )
    return Status(201, _detail(request.user, competition))


@router.post("/desk/competitions/{int:competition_id}/items", response={201: CompetitionItemOut})
def add_item(request, competition_id: Id, payload: CompetitionItemIn):
    competition = _desk_competition(request.user, competition_id)
    item = actions.do_add_competition_item(
        actor=request.user,
        competition=competition,
        name=payload.name,
        weight=payload.weight,
        max_points=payload.max_points,
    )
    return Status(
        201,
        {"id": item.pk, "name": item.name, "weight": item.weight, "max_points": item.max_points},
    )


@router.post("/desk/competitions/{int:competition_id}/stages", response={201: CompetitionStageOut})
def add_stage(request, competition_id: Id, payload: CompetitionStageIn):
    competition = _desk_competition(request.user, competition_id)
    stage = actions.do_add_competition_stage(
        actor=request.user,
        competition=competition,
        name=payload.name,
        advance_count=payload.advance_count,
        advance_min_total=payload.advance_min_total,
    )
    return Status(201, _stage(stage))


@router.post("/desk/competitions/{int:competition_id}/judges", response={201: CompetitionJudgeOut})
def appoint_judge(request, competition_id: Id, payload: CompetitionJudgeIn):
    competition = _desk_competition(request.user, competition_id)
    user = _users([payload.employee_no], "", "employee_no")[0]
    judge = actions.do_appoint_competition_judge(
        actor=request.user, competition=competition, user=user
    )
    return Status(201, {"id": judge.pk, "user_id": user.pk, "name": _name(user)})


@router.get(
    "/desk/competitions/{int:competition_id}/entries",
    response=page_schema(CompetitionEntryOut, name="CompetitionDeskEntryPage"),
)
def desk_entries(request, competition_id: Id, paging: Query[PageParams]):
    competition = _desk_competition(request.user, competition_id)
    return api_page(
        queries.active_entries(competition), paging.page, paging.per_page, transform=_entry
    )


@router.get(
    "/desk/competitions/{int:competition_id}/objections",
    response=page_schema(CompetitionObjectionOut, name="CompetitionObjectionPage"),
)
def desk_objections(request, competition_id: Id, paging: Query[PageParams]):
    competition = _desk_competition(request.user, competition_id)
    return api_page(
        queries.objections_of(competition), paging.page, paging.per_page, transform=_objection
    )


add_step_routes(
    router,
    COMPETITION,
    path="/desk/competitions/{int:competition_id}",
    access=_desk_competition,
    record_arg="competition",
    response=CompetitionDetail,
    result=_detail,
    names=["open", "begin", "publish", "finalise", "cancel"],
    schemas={
        "open": None,
        "begin": None,
        "publish": None,
        "finalise": None,
        "cancel": CompetitionReasonIn,
    },
    function_names={
        "open": "open_competition",
        "begin": "begin_competition",
        "publish": "publish_competition",
        "finalise": "finalise_competition",
        "cancel": "cancel_competition",
    },
)

add_step_routes(
    router,
    COMPETITION_STAGE,
    path="/desk/stages/{int:stage_id}",
    access=_desk_stage,
    record_arg="stage",
    response=CompetitionStageOut,
    result=lambda user, stage: _stage(stage),
    names=["open", "close"],
    schemas={"open": None, "close": None},
    function_names={"open": "open_stage", "close": "close_stage"},
)


def _desk_objection(user, objection_id) -> CompetitionObjection:
    _require_manager(user)
    return queries.access_managed_objection(user, objection_id)


@router.post("/desk/objections/{int:objection_id}/answer", response=CompetitionObjectionOut)
def answer_objection(request, objection_id: Id, payload: CompetitionAnswerIn):
    objection = _desk_objection(request.user, objection_id)
    actions.do_answer_competition_objection(
        actor=request.user, objection=objection, answer=payload.answer
    )
    return _objection(_desk_objection(request.user, objection_id))
