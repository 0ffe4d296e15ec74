"""Reads of competitions. Who sees what (404 for anything else):

a competition        the members of its audience units (each with its subtree) once open for
                     registration; its organisers (services.manage_competitions over its unit);
                     its judges
entries              their leader, members and registrant ("my entries"); the organisers
scores               a judge reads ONLY their own scores while a stage is scoring (and before);
                     once the stage is closed its judges and organisers read every judge's
                     scores; organisers see how many scores each judge entered before that,
                     never the points (stage_scores_for)
the ranking          of a closed stage: its organisers and judges; the final ranking: the
                     audience once published (公示 and after)
objections           their author; the organisers
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.models import OrgUnit
from zhijia.services import competition_rules as rules
from zhijia.services.models import (
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionObjection,
    CompetitionResult,
    CompetitionScore,
    CompetitionStage,
)
from zhijia.services.permissions import MANAGE_COMPETITIONS
from zhijia.services.queries.common import member_prefixes as _member_prefixes
from zhijia.services.queries.common import pk_or_404 as _pk
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import COMPETITION, COMPETITION_SHOWN, COMPETITION_STAGE

__all__ = ["is_member"]


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def may_manage(user) -> bool:
    return has_perm(user, MANAGE_COMPETITIONS)


def manages(user, competition: Competition) -> bool:
    return has_perm(user, MANAGE_COMPETITIONS, unit=competition.org_unit)


def is_judge(user) -> bool:
    return _authenticated(user) and CompetitionJudge.objects.filter(user=user).exists()


def judge_of(user, competition: Competition) -> CompetitionJudge | None:
    if not _authenticated(user):
        return None
    return CompetitionJudge.objects.filter(user=user, competition=competition).first()


def may_read(user) -> bool:
    """The member pages: members, and organisers and judges."""
    return is_member(user) or may_manage(user) or is_judge(user)


def in_audience(user, competition: Competition) -> bool:
    prefixes = _member_prefixes(user)
    return bool(prefixes) and competition.audience_units.filter(path__in=prefixes).exists()


def unit_in_audience(unit, competition: Competition) -> bool:
    return competition.audience_units.filter(path__in=unit.path_prefixes()).exists()


# --- competitions ---------------------------------------------------------------------------------


def competitions_for_worker(user) -> QuerySet[Competition]:
    """Competitions open to the member's unit (not drafts, not cancelled), newest first."""
    prefixes = _member_prefixes(user)
    if not prefixes:
        return Competition.objects.none()
    ids = Competition.objects.filter(
        audience_units__path__in=prefixes, state__in=COMPETITION_SHOWN
    ).values("pk")
    return Competition.objects.filter(pk__in=ids).select_related("org_unit")


def access_competition(user, competition_id) -> Competition:
    competition = (
        Competition.objects.filter(pk=_pk(competition_id)).select_related("org_unit").first()
    )
    if competition is None:
        raise Http404
    if manages(user, competition) or judge_of(user, competition) is not None:
        return competition
    if not competition.in_state(*COMPETITION_SHOWN) or not in_audience(user, competition):
        raise Http404
    return competition


def managed_competitions(user) -> QuerySet[Competition]:
    if not _authenticated(user):
        return Competition.objects.none()
    return Competition.objects.filter(scope_q(user, MANAGE_COMPETITIONS)).select_related("org_unit")


def desk_competitions(
    user, *, unit_id: int | None = None, published: DateRange | None = None
) -> QuerySet[Competition]:
    """The organiser's desk: the competitions she manages; `unit_id` keeps a unit's subtree
    (the dashboard's drill-down), `published` the days they were published in."""
    qs = managed_competitions(user)
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if published:
        qs = published.apply(qs, "published_at")
    return qs


def access_managed_competition(user, competition_id) -> Competition:
    competition = managed_competitions(user).filter(pk=_pk(competition_id)).first()
    if competition is None:
        raise Http404
    return competition


def items_of(competition: Competition) -> list:
    return list(competition.items.order_by("order", "id"))


def stages_of(competition: Competition) -> QuerySet[CompetitionStage]:
    return competition.stages.order_by("order", "id")


def final_stage(competition: Competition) -> CompetitionStage | None:
    return stages_of(competition).last()


def current_stage(competition: Competition) -> CompetitionStage | None:
    """The first stage not closed yet."""
    return stages_of(competition).exclude(state=COMPETITION_STAGE.states.closed).first()


# --- entries --------------------------------------------------------------------------------------


def _entries() -> QuerySet[CompetitionEntry]:
    return CompetitionEntry.objects.select_related(
        "leader", "leader__member_record", "org_unit", "competition"
    )


def active_entries(competition: Competition) -> QuerySet[CompetitionEntry]:
    return _entries().filter(competition=competition, status=CompetitionEntry.Status.ACTIVE)


def my_entries(user) -> QuerySet[CompetitionEntry]:
    """The entries the person leads, belongs to or registered."""
    if not _authenticated(user):
        return CompetitionEntry.objects.none()
    ids = CompetitionEntry.objects.filter(
        Q(leader=user) | Q(members__user=user) | Q(registered_by=user)
    ).values("pk")
    return _entries().filter(pk__in=ids).order_by("-registered_at", "-id")


def access_own_entry(user, entry_id) -> CompetitionEntry:
    """An entry the user leads or registered, or one of a competition they organise."""
    entry = _entries().filter(pk=_pk(entry_id)).first()
    if entry is None or not _authenticated(user):
        raise Http404
    if user.pk in (entry.leader_id, entry.registered_by_id) or manages(user, entry.competition):
        return entry
    raise Http404


def may_withdraw(user, entry: CompetitionEntry) -> bool:
    return (
        entry.status == CompetitionEntry.Status.ACTIVE
        and entry.competition.in_state("registration")
        and _authenticated(user)
        and (
            user.pk in (entry.leader_id, entry.registered_by_id) or manages(user, entry.competition)
        )
    )


def entered_users(competition: Competition) -> set[int]:
    """The users already in an active entry (as a person, a leader or a team member)."""
    entries = CompetitionEntry.objects.filter(
        competition=competition, status=CompetitionEntry.Status.ACTIVE
    )
    users = set(entries.values_list("leader_id", flat=True))
    users |= set(entries.values_list("members__user_id", flat=True))
    users.discard(None)
    return users


def entry_members(entry: CompetitionEntry) -> list:
    return [m.user for m in entry.members.select_related("user", "user__member_record")]


def access_entry_of(competition: Competition, entry_id) -> CompetitionEntry:
    entry = active_entries(competition).filter(pk=_pk(entry_id)).first()
    if entry is None:
        raise Http404
    return entry


def team_units(user, competition: Competition) -> list:
    """The units a cadre may register a team for: in their scope and the audience."""
    from zhijia.core.hooks import directory

    return [
        u
        for u in directory().units_visible_to(user, MANAGE_COMPETITIONS)
        if unit_in_audience(u, competition)
    ]


def member_user(employee_no: str, unit_path: str):
    """The account of the 在册 member with this 工号 in the unit's subtree, or None."""
    from zhijia.org.models import Member

    employee_no = (employee_no or "").strip()
    if not employee_no:
        return None
    member = (
        Member.objects.filter(
            employee_no=employee_no,
            status=Member.Status.ACTIVE,
            user__isnull=False,
            org_unit__path__startswith=unit_path,
        )
        .select_related("user")
        .first()
    )
    return member.user if member is not None else None


# --- judges and scores ----------------------------------------------------------------------------


def judges_of(competition: Competition) -> QuerySet[CompetitionJudge]:
    return competition.judges.select_related("user", "user__member_record").annotate(
        n_conflicts=Count("conflicts", distinct=True)
    )


def judge_competitions(user) -> QuerySet[Competition]:
    if not _authenticated(user):
        return Competition.objects.none()
    return Competition.objects.filter(
        judges__user=user, state__in=("running", "publicity", "final")
    ).select_related("org_unit")


def access_judge_stage(user, stage_id) -> tuple[CompetitionStage, CompetitionJudge]:
    """A stage of a competition the user judges (404 otherwise)."""
    stage = (
        CompetitionStage.objects.filter(pk=_pk(stage_id))
        .select_related("competition", "competition__org_unit")
        .first()
    )
    judge = judge_of(user, stage.competition) if stage is not None else None
    if stage is None or judge is None:
        raise Http404
    return stage, judge


def access_managed_stage(user, stage_id) -> CompetitionStage:
    stage = (
        CompetitionStage.objects.filter(
            pk=_pk(stage_id), competition__in=managed_competitions(user).values("pk")
        )
        .select_related("competition", "competition__org_unit")
        .first()
    )
    if stage is None:
        raise Http404
    return stage


def stage_results(stage: CompetitionStage) -> QuerySet[CompetitionResult]:
    """The entries taking part in the stage (ranked once it is closed)."""
    return (
        CompetitionResult.objects.filter(stage=stage)
        .select_related("entry", "entry__leader", "entry__leader__member_record", "entry__org_unit")
        .order_by("rank", "entry__registered_at", "id")
    )


def conflicted_entries(judge: CompetitionJudge) -> set[int]:
    return set(judge.conflicts.values_list("entry_id", flat=True))


def own_scores(judge: CompetitionJudge, stage: CompetitionStage) -> QuerySet[CompetitionScore]:
    """The judge's own scores of the stage (always theirs to read)."""
    return CompetitionScore.objects.filter(judge=judge, stage=stage).select_related("item", "entry")


def stage_scores_for(user, stage: CompetitionStage) -> QuerySet[CompetitionScore]:
    """The scores of the stage `user` may read: every judge's once the stage is closed (for
    its judges and organisers); before that a judge's own only, and none for anyone else."""
    scores = CompetitionScore.objects.filter(stage=stage).select_related(
        "item", "entry", "judge", "judge__user", "judge__user__member_record"
    )
    judge = judge_of(user, stage.competition)
    if stage.in_state("closed") and (judge is not None or manages(user, stage.competition)):
        return scores.order_by("entry_id", "item__order", "judge_id")
    if judge is not None:
        return scores.filter(judge=judge).order_by("entry_id", "item__order")
    return CompetitionScore.objects.none()


def scoring_progress(stage: CompetitionStage) -> list[dict]:
    """How many scores each judge entered (the organisers' view while a stage is scoring:
    counts, never points)."""
    counts = dict(
        CompetitionScore.objects.filter(stage=stage)
        .values_list("judge_id")
        .annotate(n=Count("id"))
        .values_list("judge_id", "n")
    )
    return [{"judge": j, "scores": counts.get(j.pk, 0)} for j in judges_of(stage.competition)]


def aggregate(stage: CompetitionStage) -> list[rules.EntryScores]:
    """The entries' aggregated scores in the stage (competition_rules: mean of the judges per
    item, extremes dropped when declared, weighted total)."""
    competition = stage.competition
    items = items_of(competition)
    weights = [i.weight for i in items]
    points: dict[tuple[int, int], list[Decimal]] = {}
    for entry_id, item_id, value in CompetitionScore.objects.filter(stage=stage).values_list(
        "entry_id", "item_id", "points"
    ):
        points.setdefault((entry_id, item_id), []).append(value)
    out = []
    for result in CompetitionResult.objects.filter(stage=stage).order_by("id"):
        per_item = tuple(
            rules.item_score(
                points.get((result.entry_id, i.pk), []),
                drop_extremes=competition.drop_extremes,
            )
            for i in items
        )
        out.append(
            rules.EntryScores(
                entry_id=result.entry_id,
                total=rules.weighted_total(per_item, weights),
                items=per_item,
                finished_at=result.finished_at,
            )
        )
    return out


def item_means(stage: CompetitionStage) -> dict[int, tuple]:
    """entry id -> its item scores (item order), for a closed stage's pages and exports."""
    return {e.entry_id: e.items for e in aggregate(stage)}


# --- ranking and objections -----------------------------------------------------------------------


def ranking_visible(user, competition: Competition, stage: CompetitionStage) -> bool:
    """A closed stage's ranking: organisers and judges; the final one for the audience once
    published."""
    if not stage.in_state("closed"):
        return False
    if manages(user, competition) or judge_of(user, competition) is not None:
        return True
    final = final_stage(competition)
    return (
        final is not None
        and final.pk == stage.pk
        and competition.in_state("publicity", "final")
        and in_audience(user, competition)
    )


def published_stage(competition: Competition) -> CompetitionStage | None:
    if not competition.in_state("publicity", "final"):
        return None
    return final_stage(competition)


def objections_of(competition: Competition) -> QuerySet[CompetitionObjection]:
    return competition.objections.select_related(
        "author", "author__member_record", "entry", "answered_by"
    )


def my_objections(user, competition: Competition) -> QuerySet[CompetitionObjection]:
    if not _authenticated(user):
        return CompetitionObjection.objects.none()
    return competition.objections.filter(author=user)


def open_objections(competition: Competition) -> int:
    return competition.objections.filter(answered_at__isnull=True).count()


def access_managed_objection(user, objection_id) -> CompetitionObjection:
    objection = (
        CompetitionObjection.objects.filter(
            pk=_pk(objection_id), competition__in=managed_competitions(user).values("pk")
        )
        .select_related("competition", "competition__org_unit", "author")
        .first()
    )
    if objection is None:
        raise Http404
    return objection


def awards_of(competition: Competition):
    return competition.awards.select_related("entry", "entry__leader", "entry__org_unit")


def scope_units(user) -> QuerySet:
    """The units of the organiser's scope (ids named in an API body)."""
    from zhijia.core.hooks import directory
    from zhijia.org.models import OrgUnit

    units = directory().units_visible_to(user, MANAGE_COMPETITIONS)
    return OrgUnit.objects.filter(pk__in=[u.pk for u in units])


def organiser_units(user) -> list:
    from zhijia.core.hooks import directory

    return directory().units_visible_to(user, MANAGE_COMPETITIONS)


def judging_todo(user) -> QuerySet[CompetitionStage]:
    """Stages scoring now in the competitions the user judges (the judge's to-do)."""
    if not _authenticated(user):
        return CompetitionStage.objects.none()
    return CompetitionStage.objects.filter(
        competition__judges__user=user,
        state=COMPETITION_STAGE.states.scoring,
        competition__state=COMPETITION.states.running,
    ).select_related("competition")
