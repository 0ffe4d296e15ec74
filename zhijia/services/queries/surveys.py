"""Reads of surveys. Who sees what (404 for anything else, 403 for a role that holds none):

surveys to answer   a member (在册) whose unit is in a survey's audience (a unit covers its
                    subtree), once the survey is open; closed ones they were asked stay listed
a survey to manage  cadres holding services.manage_surveys over the survey's org unit
results             the same cadres; answers with names only for named surveys
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.satisfaction import label
from zhijia.core.tokenizer import tokenizer
from zhijia.org.models import Member, OrgUnit
from zhijia.services import survey_rules as rules
from zhijia.services.models import Survey, SurveyParticipation, SurveyQuestion, SurveyResponse
from zhijia.services.permissions import MANAGE_SURVEYS
from zhijia.services.queries.counseling import is_member

TOP_WORDS = 20
STOP_WORDS = frozenset({"我们", "他们", "你们", "没有", "可以", "希望", "一个", "这个", "就是"})


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


# --- the member's side ---------------------------------------------------------------------------


def _audience_q(unit: OrgUnit) -> Q:
    """Surveys whose audience covers `unit`: an audience unit that is the unit or above it."""
    return Q(audience__path__in=unit.path_prefixes())


def surveys_for_member(user) -> QuerySet[Survey]:
    """Open and closed surveys asked of the user's unit, with `answered` (a mark, no more)."""
    if not is_member(user):
        return Survey.objects.none()
    unit = user.member_record.org_unit
    return (
        Survey.objects.filter(_audience_q(unit))
        .exclude(state=Survey.State.DRAFT)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=timezone.now()))
        .annotate(
            answered=Exists(SurveyParticipation.objects.filter(survey=OuterRef("pk"), user=user))
        )
        .distinct()
        .order_by("state", "-opened_at", "-id")
    )


def open_unanswered(user) -> QuerySet[Survey]:
    """Surveys the user may answer now and has not (the home to-do)."""
    now = timezone.now()
    return (
        surveys_for_member(user)
        .filter(state=Survey.State.OPEN)
        .exclude(participations__user=user)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def access_survey_to_answer(user, survey_id) -> Survey:
    """A survey as a respondent sees it: open or closed, asked of the user's unit."""
    survey = surveys_for_member(user).filter(pk=_pk(survey_id)).first()
    if survey is None:
        raise Http404
    return survey


def in_audience(user, survey: Survey) -> bool:
    if not is_member(user):
        return False
    unit = user.member_record.org_unit
    return survey.audience.filter(path__in=unit.path_prefixes()).exists()


def has_answered(user, survey: Survey) -> bool:
    return SurveyParticipation.objects.filter(survey=survey, user=user).exists()


def accepts_answers(survey: Survey, now=None) -> bool:
    return survey.is_open and rules.within_window(
        now or timezone.now(), survey.opens_at, survey.closes_at
    )


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("position", "id"))


def my_named_response(user, survey: Survey) -> SurveyResponse | None:
    """A named survey's response of the user (anonymous ones are linked to nobody)."""
    if survey.anonymous or not is_member(user):
        return None
    return SurveyResponse.objects.filter(survey=survey, member=user.member_record).first()


# --- the cadre's side ----------------------------------------------------------------------------


def managed_surveys(user, *, state: str = "", kind: str = "", q: str = "") -> QuerySet[Survey]:
    qs = Survey.objects.filter(scope_q(user, MANAGE_SURVEYS)).select_related("org_unit")
    if state in Survey.State.values:
        qs = qs.filter(state=state)
    if kind in Survey.Kind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q[:100])
    return qs.annotate(
        respondents=_participation_count(),
    ).order_by("-created_at", "-id")


def _participation_count():
    return Count("participations", distinct=True)


def access_managed_survey(user, survey_id) -> Survey:
    """403 for a user who manages surveys nowhere, 404 out of scope."""
    if not has_perm(user, MANAGE_SURVEYS):
        raise PermissionDenied(MANAGE_SURVEYS)
    survey = managed_surveys(user).filter(pk=_pk(survey_id)).first()
    if survey is None:
        raise Http404
    return survey


def units_for_manager(user) -> QuerySet[OrgUnit]:
    """Open units in the user's scope, in tree order (owner and audience pickers)."""
    return OrgUnit.objects.filter(scope_q(user, MANAGE_SURVEYS, path_field="path")).filter(
        closed_at__isnull=True
    )


def audience_members(survey: Survey) -> QuerySet[Member]:
    """Members on the roll (在册) with an active account in the survey's audience."""
    prefixes = list(survey.audience.values_list("path", flat=True))
    if not prefixes:
        return Member.objects.none()
    q = Q()
    for prefix in prefixes:
        q |= Q(org_unit__path__startswith=prefix)
    return Member.objects.filter(q, status="active", user__isnull=False, user__is_active=True)


def audience_size(survey: Survey) -> int:
    return audience_members(survey).count()


def respondent_count(survey: Survey) -> int:
    return SurveyParticipation.objects.filter(survey=survey).count()


def non_respondents(survey: Survey) -> QuerySet[Member]:
    answered = SurveyParticipation.objects.filter(survey=survey).values("user_id")
    return audience_members(survey).exclude(user_id__in=answered).select_related("user")


def named_responses(survey: Survey) -> QuerySet[SurveyResponse]:
    """The responses of a named survey with their members (none for an anonymous one)."""
    if survey.anonymous:
        return SurveyResponse.objects.none()
    return (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("member", "member__org_unit")
        .order_by("submitted_at", "id")
    )


# --- results -------------------------------------------------------------------------------------


@dataclass
class OptionRow:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    options: list[OptionRow] = field(default_factory=list)
    average: float | None = None
    matrix_rows: list[tuple[str, list[OptionRow]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    words: list[tuple[str, int]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    audience: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> int:
        return rules.percent(self.respondents, self.audience)


def _answer_sets(survey: Survey) -> list[dict]:
    return list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))


def _cut(text: str) -> list[str]:
    return list(tokenizer().cut(text))


def _unordered(texts: list[str], anonymous: bool) -> list[str]:
    """Anonymous texts in an order that reveals nothing: sorted (named: by time of answer)."""
    return sorted(texts) if anonymous else texts


def results_for(survey: Survey) -> SurveyResults:
    questions = questions_of(survey)
    specs = [q.spec() for q in questions]
    answer_sets = (
        _answer_sets(survey)
        if survey.anonymous
        else list(named_responses(survey).values_list("answers", flat=True))
    )
    tallies = rules.tally(specs, answer_sets)
    out: list[QuestionResult] = []
    for question in questions:
        t = tallies[question.key]
        result = QuestionResult(question=question, answered=t.answered)
        if question.kind in (rules.SINGLE, rules.MULTIPLE):
            result.options = [
                OptionRow(label, n, rules.percent(n, t.answered))
                for label, n in zip(question.options, t.counts, strict=True)
            ]
        elif question.kind == rules.RATING and question.scale == rules.STARS:
            result.options = [
                OptionRow(f"{i + 1} ★", n, rules.percent(n, t.answered))
                for i, n in enumerate(t.counts)
            ]
            result.average = t.average
        elif question.kind == rules.RATING:
            result.options = [
                OptionRow(label(code), n, rules.percent(n, t.answered))
                for code, n in t.scale_counts.items()
            ]
        elif question.kind == rules.MATRIX:
            for row_label, counts in zip(question.rows, t.matrix, strict=True):
                row_total = sum(counts)
                result.matrix_rows.append(
                    (
                        row_label,
                        [
                            OptionRow(opt, n, rules.percent(n, row_total))
                            for opt, n in zip(question.options, counts, strict=True)
                        ],
                    )
                )
        else:
            result.texts = _unordered(t.texts, survey.anonymous)
            result.words = rules.frequent_words(t.texts, _cut, top=TOP_WORDS, stop=STOP_WORDS)
            if question.kind == rules.TOPIC:
                result.topics = sorted(t.topics.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(result)
    return SurveyResults(
        survey=survey,
        respondents=respondent_count(survey),
        audience=audience_size(survey),
        questions=out,
    )


def consultation_topics(unit) -> list[tuple[str, int, str]]:
    """(topic, count, survey title) of the consultations run by `unit` or a unit below it,
    open or closed, most suggested first within each survey, the latest survey first
    (zhijia.core.hooks provider for the congress agenda)."""
    if unit is None:
        return []
    surveys = Survey.objects.filter(
        kind=Survey.Kind.CONSULTATION,
        org_unit__path__startswith=unit.path,
        state__in=[Survey.State.OPEN, Survey.State.CLOSED],
    ).order_by("-opened_at", "-id")
    found: list[tuple[str, int, str]] = []
    for survey in surveys:
        specs = [q.spec() for q in questions_of(survey) if q.kind == rules.TOPIC]
        if not specs:
            continue
        tallies = rules.tally(specs, _answer_sets(survey))
        merged: dict[str, int] = {}
        for spec in specs:
            for topic, n in tallies[spec.key].topics.items():
                merged[topic] = merged.get(topic, 0) + n
        found.extend(
            (topic, n, survey.title)
            for topic, n in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    return found


# --- storage (anonymous surveys) -------------------------------------------------------------


def backup_warnings() -> list[str]:
    """For `zhijia backup` (zhijia.core.hooks.register_backup_warning): while an anonymous
    survey is open its responses are stored in no order, but a backup taken before and one
    after a member answers tell that member's answers apart (as for an open poll)."""
    open_surveys = Survey.objects.filter(state=Survey.State.OPEN, anonymous=True).order_by("pk")
    return [
        f"anonymous survey {pk} is open: a backup taken before and one after a member answers "
        "tell that member's answers. Back up after the survey is closed, or keep this file as "
        "secret as the answers."
        for pk in open_surveys.values_list("pk", flat=True)
    ]


def shuffled(items: list) -> list:
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return items
