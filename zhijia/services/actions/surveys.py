"""Writes of surveys, each in one transaction with its audit event; notifications through the
outbox after commit.

Anonymous surveys follow the secret ballot of module voting (zhijia/voting/actions.py):
- answering writes the participation marker (who) and the response (what) in one transaction,
  under the survey's row lock, with nothing in common: the response has a random key, no
  member, no time, and sits at a random SQLite rowid (zhijia.core.unordered);
- no audit event and no notification per anonymous answer (a chain of "X answered" events,
  paired with any order the responses keep, would name every respondent's answers); the close
  records how many answered;
- closing re-stores every response of the survey in a fresh random order with fresh random
  keys and rewrites the participation markers, in the closing transaction, so that rowid/ctid,
  key order and PostgreSQL's xmin carry nothing about who answered when; after the commit the
  tables are vacuumed (PostgreSQL) or the write-ahead log truncated (SQLite).

Reminders: only for named surveys, to the audience members without a participation row (as
issue 13 asks). Anonymous surveys keep participation rows too (that is what refuses a second
answer), so a reminder would reveal nothing more than those rows; we still send none, so that
a cadre cannot use repeated reminders to narrow down, between two dumps, who answered when.

Named surveys: the response names the member and the time, and each answer writes an audit
event (who answered which survey, never what).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm, require
from zhijia.core.unordered import compact_storage, forget_insertion_order, truncate_wal_now
from zhijia.org.models import OrgUnit
from zhijia.services import survey_rules as rules
from zhijia.services.models import Survey, SurveyParticipation, SurveyQuestion, SurveyResponse
from zhijia.services.permissions import MANAGE_SURVEYS
from zhijia.services.queries import surveys as queries

MAX_QUESTIONS = 100
MAX_OPTIONS = 50
BATCH = 1000

__all__ = [
    "SurveyError",
    "do_answer_survey",
    "do_close_survey",
    "do_create_survey",
    "do_edit_survey",
    "do_open_survey",
    "do_remind_survey",
    "sweep_surveys",
]


class SurveyError(ActionRefused):
    """A refused survey write (zhijia.core.errors.ActionRefused)."""


def answer_message(exc: rules.InvalidAnswer) -> str:
    """The words of a refusal of the pure rules, from its code."""
    messages = {
        "required": _("这道题必须回答"),
        "unknown": _("所选的选项不在本题中"),
        "duplicate": _("同一选项不能重复选择"),
        "too_few": _("请至少选择 %(n)d 项"),
        "too_many": _("最多只能选择 %(n)d 项"),
        "stars": _("评分应在 1 到 5 星之间"),
        "rows_missing": _("矩阵题的每一行都要选择"),
        "too_long": _("不能超过 %(n)d 字"),
    }
    template = messages.get(exc.code, _("回答不符合要求"))
    return template % exc.params if exc.params else template


def _question_message(code: str) -> str:
    return {
        "kind": _("请选择题型"),
        "options": _("选择题和矩阵题至少要有两个选项"),
        "duplicate_options": _("选项有重复"),
        "rows": _("矩阵题至少要有一行"),
        "picks": _("最少、最多选择项数不合理"),
        "scale": _("请选择评分方式"),
    }.get(code, _("题目不完整"))


def _lines(value: Any) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else [str(v) for v in value or []]
    return [i.strip()[:200] for i in items if i.strip()]


def _clean_questions(questions: Sequence[Mapping[str, Any]]) -> list[SurveyQuestion]:
    built: list[SurveyQuestion] = []
    errors: dict[str, str] = {}
    if len(questions) > MAX_QUESTIONS:
        raise SurveyError(_("一份问卷最多 %(n)d 道题") % {"n": MAX_QUESTIONS}, field="questions")
    for i, raw in enumerate(questions):
        kind = str(raw.get("kind") or "")
        text = str(raw.get("text") or "").strip()
        scale = str(raw.get("scale") or rules.STARS)
        question = SurveyQuestion(
            position=i + 1,
            kind=kind,
            text=text[:300],
            required=bool(raw.get("required", True)),
            options=_lines(raw.get("options")) if kind in rules.CHOICE_KINDS else [],
            rows=_lines(raw.get("rows")) if kind == rules.MATRIX else [],
            min_picks=int(raw.get("min_picks") or 0) if kind == rules.MULTIPLE else 0,
            max_picks=int(raw.get("max_picks") or 0) if kind == rules.MULTIPLE else 0,
            scale=scale if kind == rules.RATING else rules.STARS,
        )
        problem = None if text else "text"
        if problem is None and len(question.options) > MAX_OPTIONS:
            problem = "too_many_options"
        if problem is None:
            problem = rules.check_question(question.spec())
        if problem is not None:
            message = {
                "text": _("第 %(n)d 题：请填写题目"),
                "too_many_options": _("第 %(n)d 题：选项最多 50 个"),
            }.get(problem, _("第 %(n)d 题：") + _question_message(problem))
            errors[f"questions.{i}"] = message % {"n": i + 1}
        built.append(question)
    if errors:
        raise SurveyError.for_fields(errors)
    return built


def _check_survey(
    actor, *, title: str, org_unit: OrgUnit, audience: Iterable[OrgUnit], opens_at, closes_at
) -> tuple[str, list[OrgUnit]]:
    require(actor, MANAGE_SURVEYS, unit=org_unit)
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写标题")
    units = list({u.pk: u for u in audience}.values()) or [org_unit]
    if any(not has_perm(actor, MANAGE_SURVEYS, unit=u) for u in units):
        errors["audience"] = _("调查对象只能是您管理范围内的组织")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("截止时间应晚于开始时间")
    if errors:
        raise SurveyError.for_fields(errors)
    return title[:200], units


@transaction.atomic
def do_create_survey(
    *,
    actor,
    title: str,
    org_unit: OrgUnit,
    questions: Sequence[Mapping[str, Any]] = (),
    audience: Iterable[OrgUnit] = (),
    intro: str = "",
    kind: str = Survey.Kind.GENERAL,
    anonymous: bool = True,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Survey:
    """A draft survey with its questions (each a mapping: kind, text, required, options,
    rows, min_picks, max_picks, scale). An empty audience means the owning unit's subtree."""
    title, units = _check_survey(
        actor,
        title=title,
        org_unit=org_unit,
        audience=audience,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if kind not in Survey.Kind.values:
        raise SurveyError(_("请选择问卷类型"), field="kind")
    built = _clean_questions(questions)
    survey = Survey.objects.create(
        title=title,
        intro=(intro or "")[:5000],
        kind=kind,
        org_unit=org_unit,
        anonymous=bool(anonymous),
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    survey.audience.set(units)
    for question in built:
        question.survey = survey
    SurveyQuestion.objects.bulk_create(built)
    record(
        actor=actor,
        action="services.create_survey",
        target=survey,
        unit=org_unit,
        data={"title": title, "kind": kind, "anonymous": survey.anonymous, "questions": len(built)},
    )
    return survey


def _locked(survey: Survey) -> Survey:
    """The survey under a row lock: answering and closing both take it, so no answer slips in
    while a survey is being closed and re-stored."""
    return Survey.objects.select_for_update().select_related("org_unit").get(pk=survey.pk)


@transaction.atomic
def do_edit_survey(
    *,
    actor,
    survey: Survey,
    title: str,
    questions: Sequence[Mapping[str, Any]],
    audience: Iterable[OrgUnit] = (),
    intro: str = "",
    kind: str = Survey.Kind.GENERAL,
    anonymous: bool = True,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Survey:
    """Rewrite a draft: its fields and all its questions. An open or closed survey's questions
    cannot change (409)."""
    survey = _locked(survey)
    require(actor, MANAGE_SURVEYS, unit=survey.org_unit)
    if not survey.is_draft:
        raise SurveyError(_("问卷已发布，题目不能再修改"), status=409)
    title, units = _check_survey(
        actor,
        title=title,
        org_unit=survey.org_unit,
        audience=audience,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if kind not in Survey.Kind.values:
        raise SurveyError(_("请选择问卷类型"), field="kind")
    built = _clean_questions(questions)
    survey.title, survey.intro, survey.kind = title, (intro or "")[:5000], kind
    survey.anonymous, survey.opens_at, survey.closes_at = bool(anonymous), opens_at, closes_at
    survey.save(update_fields=["title", "intro", "kind", "anonymous", "opens_at", "closes_at"])
    survey.audience.set(units)
    survey.questions.all().delete()
    for question in built:
        question.survey = survey
    SurveyQuestion.objects.bulk_create(built)
    record(
        actor=actor,
        action="services.edit_survey",
        target=survey,
        unit=survey.org_unit,
        data={"title": title, "anonymous": survey.anonymous, "questions": len(built)},
    )
    return survey


def _survey_url(survey: Survey) -> str:
    return reverse("services:survey-answer", args=[survey.pk])


@transaction.atomic
def do_open_survey(*, actor, survey: Survey) -> Survey:
    """Publish a draft: from now on its questions are fixed; the audience is told."""
    survey = _locked(survey)
    require(actor, MANAGE_SURVEYS, unit=survey.org_unit)
    if not survey.is_draft:
        raise SurveyError(_("只有草稿状态的问卷可以发布"), status=409)
    if not survey.questions.exists():
        raise SurveyError(_("请先添加至少一道题"), field="questions")
    now = timezone.now()
    if survey.closes_at and survey.closes_at <= now:
        raise SurveyError(_("截止时间已过，请修改截止时间"), field="closes_at")
    survey.state = Survey.State.OPEN
    survey.opened_at = now
    survey.save(update_fields=["state", "opened_at"])
    record(
        actor=actor,
        action="services.open_survey",
        target=survey,
        unit=survey.org_unit,
        data={"audience": queries.audience_size(survey)},
    )
    users = [m.user for m in queries.audience_members(survey).select_related("user")]
    title = _("请填写问卷：%(title)s") % {"title": survey.title}
    body = _("%(unit)s发起了问卷，请在截止前填写。") % {"unit": survey.org_unit.name}
    url, unit = _survey_url(survey), survey.org_unit
    transaction.on_commit(
        lambda: notify(
            recipients=users, kind="services.survey", title=title, body=body, url=url, unit=unit
        )
    )
    return survey


@transaction.atomic
def do_answer_survey(*, actor, survey: Survey, answers: Mapping[str, Any]) -> None:
    """Record the actor's answers, once. Returns nothing: an anonymous response is linked to
    nobody, not even in what this function hands back.

    At most once, also under concurrent requests: the participation row's unique constraint
    refuses a second one, and the refusal rolls the response back with it."""
    survey = _locked(survey)
    if not queries.in_audience(actor, survey):
        raise SurveyError(_("您不在本问卷的调查范围内"), status=404)
    if survey.is_closed or (survey.closes_at and timezone.now() >= survey.closes_at):
        raise SurveyError(_("问卷已经结束，不能再填写"), status=409)
    if not queries.accepts_answers(survey):
        raise SurveyError(_("问卷尚未开始"), status=409)
    specs = [q.spec() for q in queries.questions_of(survey)]
    try:
        cleaned = rules.clean_answers(specs, answers)
    except rules.InvalidAnswer as exc:
        raise SurveyError(answer_message(exc), field=f"answers.{exc.key}") from exc
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(survey=survey, user=actor)
    except IntegrityError:
        raise SurveyError(_("您已经填写过这份问卷，每人只能填写一次"), status=409) from None
    if survey.anonymous:
        response = SurveyResponse.objects.create(survey=survey, answers=cleaned)
        forget_insertion_order(response)
        transaction.on_commit(truncate_wal_now)
        return
    member = actor.member_record
    SurveyResponse.objects.create(
        survey=survey, member=member, submitted_at=timezone.now(), answers=cleaned
    )
    record(
        actor=actor,
        action="services.answer_survey",
        target=survey,
        unit=member.org_unit,
        data={"questions": len(cleaned)},  # how many answered, never what
    )


@transaction.atomic
def do_close_survey(*, actor, survey: Survey) -> Survey:
    """Close an open survey; an anonymous one's responses are re-stored in random order."""
    caller, survey = survey, _locked(survey)
    if actor is not None:
        require(actor, MANAGE_SURVEYS, unit=survey.org_unit)
    if not survey.is_open:
        raise SurveyError(_("只有进行中的问卷可以结束"), status=409)
    survey.state = Survey.State.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["state", "closed_at"])
    if survey.anonymous:
        _restore_shuffled(survey)
        transaction.on_commit(lambda: _compact(actor=actor, caller=caller, survey=survey))
    record(
        actor=actor,
        action="services.close_survey",
        target=survey,
        unit=survey.org_unit,
        # The only trace of anonymous answering in the audit chain: how many, not who when.
        data={"respondents": queries.respondent_count(survey)},
    )
    return survey


def _compact(*, actor, caller: Survey, survey: Survey) -> None:
    """After the close has committed: compact the response storage and tell the caller how it
    went (`caller.storage_compacted`); a failure is written to the audit chain too."""
    report = compact_storage(
        SurveyResponse, SurveyParticipation, label="services: an anonymous survey closed"
    )
    caller.storage_compacted = survey.storage_compacted = report.ok
    if not report.ok:
        record(
            actor=actor,
            action="services.storage_not_compacted",
            target=survey,
            unit=survey.org_unit,
            data={"attempts": report.attempts, "detail": report.detail},
        )


def _restore_shuffled(survey: Survey) -> None:
    """Copy out, delete and re-insert every response in a random order with fresh keys (the
    deleted cells are zeroed: secure_delete is on for every SQLite connection,
    zhijia.core.datafiles), and rewrite the participation markers so that their PostgreSQL
    xmin is the closing transaction's, like every re-inserted response's."""
    answer_sets = queries.shuffled(
        list(SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True))
    )
    SurveyResponse.objects.filter(survey=survey).delete()
    SurveyResponse.objects.bulk_create(
        (SurveyResponse(id=uuid.uuid4(), survey=survey, answers=a) for a in answer_sets),
        batch_size=BATCH,
    )
    SurveyParticipation.objects.filter(survey=survey).update(survey=survey)


@transaction.atomic
def do_remind_survey(*, actor, survey: Survey) -> int:
    """Remind the named survey's audience members who have not answered; returns how many."""
    survey = _locked(survey)
    require(actor, MANAGE_SURVEYS, unit=survey.org_unit)
    if survey.anonymous:
        raise SurveyError(_("匿名问卷不发送催填提醒"), status=409)
    if not queries.accepts_answers(survey):
        raise SurveyError(_("只有进行中的问卷可以提醒"), status=409)
    users = [m.user for m in queries.non_respondents(survey)]
    survey.reminded_at = timezone.now()
    survey.save(update_fields=["reminded_at"])
    record(
        actor=actor,
        action="services.remind_survey",
        target=survey,
        unit=survey.org_unit,
        data={"reminded": len(users)},
    )
    title = _("提醒：请填写问卷「%(title)s」") % {"title": survey.title}
    body = _("您还没有填写这份问卷，请在截止前填写。")
    url, unit = _survey_url(survey), survey.org_unit
    transaction.on_commit(
        lambda: notify(
            recipients=users, kind="services.survey", title=title, body=body, url=url, unit=unit
        )
    )
    return len(users)


def sweep_surveys() -> int:
    """Close the open surveys whose closing time has passed (the worker's sweep); each close
    in its own transaction. Returns how many were closed."""
    closed = 0
    due = Survey.objects.filter(state=Survey.State.OPEN, closes_at__lte=timezone.now())
    for survey in due.order_by("pk"):
        try:
            do_close_survey(actor=None, survey=survey)
        except SurveyError:
            continue
        closed += 1
    return closed
