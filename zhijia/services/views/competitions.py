"""Pages of competitions: the member's (phone), the judge's scoring desk and the organiser's
desk. Thin: parse, call one query or action, render. Roles without access get 403; records
outside the caller's audience or scope get 404."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import dateranges, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services import competition_exports as exports
from zhijia.services.actions import competition_entries as entry_actions
from zhijia.services.actions import competitions as actions
from zhijia.services.forms.competitions import (
    AnswerForm,
    CompetitionForm,
    ConflictForm,
    EntryForm,
    ItemForm,
    JudgeForm,
    ObjectionForm,
    ReasonForm,
    ScoreForm,
    StageForm,
    TeamForm,
)
from zhijia.services.models import (
    Competition,
    CompetitionEntry,
    CompetitionResult,
    CompetitionStage,
)
from zhijia.services.queries import competitions as queries
from zhijia.services.workflows import COMPETITION, COMPETITION_STAGE


@dataclass(eq=False)
class ScoringRow(Row[CompetitionResult]):
    """An entry of a stage on the judge's desk: their own points (item id -> points)."""

    mine: list = field(default_factory=list)
    conflicted: bool = False
    form: object = None


@dataclass(eq=False)
class RankRow(Row[CompetitionResult]):
    items: tuple = ()


@dataclass(eq=False)
class EntryRow(Row[CompetitionEntry]):
    withdrawable: bool = False


@dataclass(eq=False)
class JudgedRow(Row[Competition]):
    stages: list = field(default_factory=list)


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


def _require_judge(request) -> None:
    if not queries.is_judge(request.user):
        raise PermissionDenied


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _users(employee_nos, unit_path: str, field_name: str) -> list:
    people = []
    for no in employee_nos:
        user = queries.member_user(no, unit_path)
        if user is None:
            raise actions.CompetitionError(
                _("%(no)s：没有该工号的在册会员") % {"no": no}, field=field_name
            )
        people.append(user)
    return people


# --- the member's pages ---------------------------------------------------------------------------


@login_required
def home(request):
    _require_member(request)
    return render(
        request,
        "services/competitions/home.html",
        {
            "title": _("劳动竞赛"),
            "competitions": paginate(request, queries.competitions_for_worker(request.user)),
            "entries": paginate(request, queries.my_entries(request.user), param="epage"),
        },
    )


def _detail_page(request, competition, *, form=None, team_form=None, status=200):
    user = request.user
    team_units = queries.team_units(user, competition) if queries.may_manage(user) else []
    mine = [
        EntryRow(e, withdrawable=queries.may_withdraw(user, e))
        for e in queries.my_entries(user).filter(competition=competition)
    ]
    return render(
        request,
        "services/competitions/detail.html",
        {
            "title": competition.title,
            "competition": competition,
            "state_label": COMPETITION.state_label(competition.state),
            "items": queries.items_of(competition),
            "stages": queries.stages_of(competition),
            "mine": mine,
            "may_register": competition.in_state("registration")
            and queries.in_audience(user, competition)
            and user.pk not in queries.entered_users(competition),
            "form": form or EntryForm(),
            "team_units": team_units,
            "team_form": team_form or TeamForm(units=team_units),
            "published": queries.published_stage(competition) is not None,
            "manages": queries.manages(user, competition),
        },
        status=status,
    )


@login_required
def detail(request, competition_id: int):
    _require_reader(request)
    competition = queries.access_competition(request.user, competition_id)
    return _detail_page(request, competition)


@login_required
@require_POST
def register(request, competition_id: int):
    _require_member(request)
    competition = queries.access_competition(request.user, competition_id)
    form = EntryForm(request.POST)

    def call(d):
        members = []
        if d["kind"] == CompetitionEntry.Kind.TEAM:
            members = _users(d["members"], "", "members")
        return entry_actions.do_register_competition_entry(
            actor=request.user,
            competition=competition,
            kind=d["kind"],
            team_name=d.get("team_name", ""),
            members=members,
        )

    return step_view(
        request,
        form=form,
        call=call,
        on_error=lambda f, status: _detail_page(request, competition, form=f, status=status),
        success_url=reverse("services:competitions-detail", args=[competition.pk]),
        message=_("报名成功"),
    )


@login_required
@require_POST
def team(request, competition_id: int):
    _require_manager(request)
    competition = queries.access_competition(request.user, competition_id)
    units = queries.team_units(request.user, competition)
    form = TeamForm(request.POST, units=units)

    def call(d):
        unit = d["unit"]
        leader = _users([d["leader"]], unit.path, "leader")[0]
        return entry_actions.do_register_competition_entry(
            actor=request.user,
            competition=competition,
            kind=CompetitionEntry.Kind.TEAM,
            team_name=d["team_name"],
            unit=unit,
            leader=leader,
            members=_users(d["members"], unit.path, "members"),
        )

    return step_view(
        request,
        form=form,
        call=call,
        on_error=lambda f, status: _detail_page(request, competition, team_form=f, status=status),
        success_url=reverse("services:competitions-detail", args=[competition.pk]),
        message=_("团队报名成功"),
    )


@login_required
@require_POST
def withdraw(request, entry_id: int):
    """The entrant's (or an organiser's) withdrawal while registration is open."""
    entry = queries.access_own_entry(request.user, entry_id)
    competition = entry.competition
    back = (
        reverse("services:competitions-desk-detail", args=[competition.pk])
        if queries.manages(request.user, competition)
        and request.user.pk not in (entry.leader_id, entry.registered_by_id)
        else reverse("services:competitions-detail", args=[competition.pk])
    )
    return step_view(
        request,
        form=None,
        call=lambda d: entry_actions.do_withdraw_competition_entry(actor=request.user, entry=entry),
        on_error=lambda f, status: _detail_page(request, competition, form=f, status=status),
        success_url=back,
        message=_("已退出该竞赛"),
    )


def _stage_choice(request, competition) -> CompetitionStage | None:
    """The stage whose ranking the page shows: ?stage= (organisers and judges) or the final."""
    raw = request.GET.get("stage", "")
    stages = list(queries.stages_of(competition))
    chosen = next((s for s in stages if str(s.pk) == raw), None)
    return chosen or (stages[-1] if stages else None)


def _ranking_page(request, competition, *, form=None, status=200):
    user = request.user
    stage = _stage_choice(request, competition)
    visible = stage is not None and queries.ranking_visible(user, competition, stage)
    rows = []
    if visible and stage is not None:
        means = queries.item_means(stage)
        rows = [RankRow(r, items=means.get(r.entry_id, ())) for r in queries.stage_results(stage)]
    may_object = (
        competition.in_state("publicity")
        and queries.is_member(user)
        and queries.in_audience(user, competition)
    )
    return render(
        request,
        "services/competitions/ranking.html",
        {
            "title": _("排名"),
            "competition": competition,
            "state_label": COMPETITION.state_label(competition.state),
            "stage": stage,
            "visible": visible,
            "items": queries.items_of(competition),
            "rows": rows,
            "awards": list(queries.awards_of(competition)),
            "may_object": may_object,
            "form": form or ObjectionForm(),
            "objections": list(queries.my_objections(user, competition)),
            "stages": [s for s in queries.stages_of(competition) if s.in_state("closed")]
            if queries.manages(user, competition) or queries.judge_of(user, competition)
            else [],
        },
        status=status,
    )


@login_required
def ranking(request, competition_id: int):
    _require_reader(request)
    competition = queries.access_competition(request.user, competition_id)
    return _ranking_page(request, competition)


@login_required
@require_POST
def objection(request, competition_id: int):
    _require_member(request)
    competition = queries.access_competition(request.user, competition_id)
    form = ObjectionForm(request.POST)
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_raise_competition_objection(
            actor=request.user, competition=competition, reason=d["reason"]
        ),
        on_error=lambda f, status: _ranking_page(request, competition, form=f, status=status),
        success_url=reverse("services:competitions-ranking", args=[competition.pk]),
        message=_("异议已提交，主办单位答复后会通知您"),
    )


# --- the judge's scoring desk ---------------------------------------------------------------------


@login_required
def judge(request):
    _require_judge(request)
    competitions = paginate(request, queries.judge_competitions(request.user))
    return render(
        request,
        "services/competitions/judge.html",
        {
            "title": _("评分台"),
            "competitions": competitions,
            "rows": [
                JudgedRow(
                    c,
                    stages=list(
                        queries.stages_of(c).exclude(state=COMPETITION_STAGE.states.pending)
                    ),
                )
                for c in competitions
            ],
        },
    )


def _judge_page(request, stage, judge_row, *, failed=None, form=None, status=200):
    competition = stage.competition
    items = queries.items_of(competition)
    mine: dict[int, dict] = {}
    for s in queries.own_scores(judge_row, stage):
        mine.setdefault(s.entry_id, {})[s.item_id] = s.points
    conflicted = queries.conflicted_entries(judge_row)
    rows = []
    for r in queries.stage_results(stage):
        initial = {f"item_{k}": v for k, v in mine.get(r.entry_id, {}).items()}
        row_form = (
            form
            if failed == r.entry_id and form is not None
            else ScoreForm(initial=initial, items=items)
        )
        rows.append(
            ScoringRow(
                r,
                mine=[mine.get(r.entry_id, {}).get(i.pk) for i in items],
                conflicted=r.entry_id in conflicted,
                form=row_form,
            )
        )
    all_scores = (
        list(queries.stage_scores_for(request.user, stage)) if stage.in_state("closed") else []
    )
    return render(
        request,
        "services/competitions/judge_stage.html",
        {
            "title": stage.name,
            "stage": stage,
            "competition": competition,
            "items": items,
            "rows": rows,
            "scoring": stage.in_state("scoring"),
            "all_scores": all_scores,
            "conflict_form": ConflictForm(),
            "error_form": form,
        },
        status=status,
    )


@login_required
def judge_stage(request, stage_id: int):
    _require_judge(request)
    stage, judge_row = queries.access_judge_stage(request.user, stage_id)
    return _judge_page(request, stage, judge_row)


@login_required
@require_POST
def judge_score(request, stage_id: int, entry_id: int):
    _require_judge(request)
    stage, judge_row = queries.access_judge_stage(request.user, stage_id)
    entry = queries.access_entry_of(stage.competition, entry_id)
    form = ScoreForm(request.POST, items=queries.items_of(stage.competition))
    return step_view(
        request,
        form=form,
        call=lambda d: entry_actions.do_enter_competition_scores(
            actor=request.user,
            stage=stage,
            entry=entry,
            points=form.points(),
            finished_at=d.get("finished_at"),
        ),
        on_error=lambda f, status: _judge_page(
            request, stage, judge_row, failed=entry.pk, form=f, status=status
        ),
        success_url=reverse("services:competitions-judge-stage", args=[stage.pk]),
        message=_("评分已保存"),
    )


@login_required
@require_POST
def judge_conflict(request, stage_id: int, entry_id: int):
    _require_judge(request)
    stage, judge_row = queries.access_judge_stage(request.user, stage_id)
    entry = queries.access_entry_of(stage.competition, entry_id)
    return step_view(
        request,
        form=ConflictForm(request.POST),
        call=lambda d: entry_actions.do_declare_competition_conflict(
            actor=request.user, competition=stage.competition, entry=entry, reason=d["reason"]
        ),
        on_error=lambda f, status: _judge_page(
            request, stage, judge_row, failed=entry.pk, form=f, status=status
        ),
        success_url=reverse("services:competitions-judge-stage", args=[stage.pk]),
        message=_("已声明回避"),
    )


# --- the organiser's desk -------------------------------------------------------------------------


@login_required
def desk(request):
    _require_manager(request)
    unit = request.GET.get("unit", "")
    # The dashboard's drill-down: the unit's subtree, published ?from=&to=.
    unit_id = int(unit) if unit.isdigit() and 0 < int(unit) < 2**63 else None
    published = dateranges.parse(request.GET)
    competitions = queries.desk_competitions(request.user, unit_id=unit_id, published=published)
    return render(
        request,
        "services/competitions/desk.html",
        {
            "title": _("竞赛管理"),
            "competitions": paginate(request, competitions),
            "unit_id": unit_id,
            "daterange": published,
        },
    )


@login_required
def desk_new(request):
    _require_manager(request)
    units = queries.organiser_units(request.user)
    form = CompetitionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        competition, status = run_action(
            form,
            lambda: actions.do_create_competition(
                actor=request.user,
                title=d["title"],
                kind=d["kind"],
                theme=d["theme"],
                rules_text=d["rules"],
                org_unit=d["org_unit"],
                audience_units=list(d["audience_units"]),
                entry_mode=d["entry_mode"],
                tie_rules=d["tie_rules"],
                drop_extremes=d["drop_extremes"],
                publicity_workdays=d["publicity_workdays"],
                prizes_first=d["prizes_first"],
                prizes_second=d["prizes_second"],
                prizes_third=d["prizes_third"],
                honour_title=d["honour_title"],
                honour_count=d.get("honour_count") or 0,
            ),
        )
        if status == 200:
            messages.success(request, _("竞赛已创建，请添加评分项和比赛阶段后开放报名"))
            return redirect("services:competitions-desk-detail", competition.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/competitions/form.html",
        {"title": _("新建竞赛"), "form": form},
        status=status,
    )


def _desk_page(request, competition, *, forms=None, status=200):
    forms = forms or {}
    user = request.user
    stages = [
        (s, available_transitions(COMPETITION_STAGE, s, user))
        for s in queries.stages_of(competition)
    ]
    return render(
        request,
        "services/competitions/desk_detail.html",
        {
            "title": competition.title,
            "competition": competition,
            "state_label": COMPETITION.state_label(competition.state),
            "steps": available_transitions(COMPETITION, competition, user),
            "items": queries.items_of(competition),
            "stages": stages,
            "judges": list(queries.judges_of(competition)),
            "entries": paginate(request, queries.active_entries(competition)),
            "registration": competition.in_state("registration"),
            "objections": list(queries.objections_of(competition)),
            "awards": list(queries.awards_of(competition)),
            "item_form": forms.get("item") or ItemForm(),
            "stage_form": forms.get("stage") or StageForm(),
            "judge_form": forms.get("judge") or JudgeForm(),
            "step_form": forms.get("step") or ReasonForm(),
            "answer_form": forms.get("answer") or AnswerForm(),
            "history": history_view(competition, user),
        },
        status=status,
    )


@login_required
def desk_detail(request, competition_id: int):
    _require_manager(request)
    competition = queries.access_managed_competition(request.user, competition_id)
    return _desk_page(request, competition)


def _desk_post(request, competition_id: int, key: str, form, call, message: str):
    competition = queries.access_managed_competition(request.user, competition_id)
    return step_view(
        request,
        form=form,
        call=lambda d: call(competition, d),
        on_error=lambda f, status: _desk_page(request, competition, forms={key: f}, status=status),
        success_url=reverse("services:competitions-desk-detail", args=[competition.pk]),
        message=message,
    )


@login_required
@require_POST
def desk_item(request, competition_id: int):
    _require_manager(request)
    return _desk_post(
        request,
        competition_id,
        "item",
        ItemForm(request.POST),
        lambda c, d: actions.do_add_competition_item(
            actor=request.user,
            competition=c,
            name=d["name"],
            weight=d["weight"],
            max_points=d["max_points"],
        ),
        _("评分项已添加"),
    )


@login_required
@require_POST
def desk_stage(request, competition_id: int):
    _require_manager(request)
    return _desk_post(
        request,
        competition_id,
        "stage",
        StageForm(request.POST),
        lambda c, d: actions.do_add_competition_stage(
            actor=request.user,
            competition=c,
            name=d["name"],
            advance_count=d.get("advance_count"),
            advance_min_total=d.get("advance_min_total"),
        ),
        _("比赛阶段已添加"),
    )


@login_required
@require_POST
def desk_judge(request, competition_id: int):
    _require_manager(request)

    def call(c, d):
        user = queries.member_user(d["employee_no"], "")
        if user is None:
            raise actions.CompetitionError(_("没有该工号的在册会员"), field="employee_no")
        return actions.do_appoint_competition_judge(actor=request.user, competition=c, user=user)

    return _desk_post(
        request, competition_id, "judge", JudgeForm(request.POST), call, _("评委已聘请")
    )


_STEPS = {
    "open": lambda user, c, d: actions.do_open_competition(actor=user, competition=c),
    "begin": lambda user, c, d: actions.do_start_competition(actor=user, competition=c),
    "publish": lambda user, c, d: actions.do_publish_competition(actor=user, competition=c),
    "finalise": lambda user, c, d: actions.do_finalise_competition(actor=user, competition=c),
    "cancel": lambda user, c, d: actions.do_cancel_competition(
        actor=user, competition=c, reason=d.get("reason", "")
    ),
}


@login_required
@require_POST
def desk_step(request, competition_id: int, step: str):
    _require_manager(request)
    if step not in _STEPS:
        raise Http404
    return _desk_post(
        request,
        competition_id,
        "step",
        ReasonForm(request.POST) if step == "cancel" else None,
        lambda c, d: _STEPS[step](request.user, c, d),
        _("已办理：%(action)s") % {"action": COMPETITION.transition_label(step)},
    )


_STAGE_STEPS = {
    "open": actions.do_open_competition_stage,
    "close": actions.do_close_competition_stage,
}


@login_required
@require_POST
def desk_stage_step(request, stage_id: int, step: str):
    _require_manager(request)
    if step not in _STAGE_STEPS:
        raise Http404
    stage = queries.access_managed_stage(request.user, stage_id)
    return _desk_post(
        request,
        stage.competition_id,
        "step",
        None,
        lambda c, d: _STAGE_STEPS[step](actor=request.user, stage=stage),
        _("已办理：%(action)s") % {"action": COMPETITION_STAGE.transition_label(step)},
    )


@login_required
def desk_stage_detail(request, stage_id: int):
    _require_manager(request)
    stage = queries.access_managed_stage(request.user, stage_id)
    closed = stage.in_state("closed")
    means = queries.item_means(stage) if closed else {}
    return render(
        request,
        "services/competitions/desk_stage.html",
        {
            "title": stage.name,
            "stage": stage,
            "competition": stage.competition,
            "state_label": COMPETITION_STAGE.state_label(stage.state),
            "items": queries.items_of(stage.competition),
            "closed": closed,
            "progress": queries.scoring_progress(stage),
            "rows": [
                RankRow(r, items=means.get(r.entry_id, ())) for r in queries.stage_results(stage)
            ],
            "history": history_view(stage, request.user),
        },
    )


@login_required
@require_POST
def desk_answer(request, objection_id: int):
    _require_manager(request)
    objection_row = queries.access_managed_objection(request.user, objection_id)
    return _desk_post(
        request,
        objection_row.competition_id,
        "answer",
        AnswerForm(request.POST),
        lambda c, d: actions.do_answer_competition_objection(
            actor=request.user, objection=objection_row, answer=d["answer"]
        ),
        _("异议已答复"),
    )


@login_required
def desk_entries_export(request, competition_id: int):
    _require_manager(request)
    competition = queries.access_managed_competition(request.user, competition_id)
    return excel.xlsx_response(
        f"competition-{competition.pk}-entries.xlsx",
        exports.entries_sheet(competition),
        stream=True,
    )


@login_required
def desk_scores_export(request, stage_id: int):
    _require_manager(request)
    stage = queries.access_managed_stage(request.user, stage_id)
    return excel.xlsx_response(
        f"competition-stage-{stage.pk}-scores.xlsx",
        exports.scores_sheet(request.user, stage),
        stream=True,
    )


@login_required
def desk_ranking_export(request, stage_id: int):
    _require_manager(request)
    stage = queries.access_managed_stage(request.user, stage_id)
    return excel.xlsx_response(
        f"competition-stage-{stage.pk}-ranking.xlsx", exports.ranking_sheet(stage), stream=True
    )
