"""Writes of learning's question banks and online tests.

The time limit is the server's: an attempt carries its deadline; an answer or a submission at
or after it is refused, and an attempt left open past it is closed and scored with the answers
saved before the deadline, by the server: on the next read of it
(queries.learning.access_own_attempt) and by the sweep (`sweep_learning`, registered with
core.workflow.register_sweep). Each attempt draws its questions at random from the bank,
preferring those the member has not been given yet (learning_rules.draw).

A bank is imported from the Excel template (learning_rules.TEMPLATE_HEADERS): every row is
checked first and, when any row is wrong, nothing is saved and each error names its row.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.permissions import require
from zhijia.services import learning_rules as rules
from zhijia.services.actions.learning import LearningError, complete_enrolment
from zhijia.services.models import (
    LearningAttempt,
    LearningCourse,
    LearningEnrolment,
    LearningQuestion,
)
from zhijia.services.permissions import MANAGE_LEARNING

MAX_ROWS = 2000
MAX_ANSWER = 200

__all__ = [
    "close_overdue_attempt",
    "do_answer_learning_attempt",
    "do_import_learning_questions",
    "do_start_learning_attempt",
    "do_submit_learning_attempt",
    "read_question_rows",
    "sweep_learning",
]


# --- the question bank ---------------------------------------------------------------------------


def read_question_rows(upload) -> list[tuple]:
    """The data rows of the uploaded workbook (the first sheet, under its heading row)."""
    from openpyxl import load_workbook

    try:
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (any unreadable file is the same refusal for the user)
        raise LearningError(_("无法读取该文件，请使用下载的 Excel 模板"), field="file") from None
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    workbook.close()
    if not rows or [str(c or "").strip() for c in rows[0][:2]] != rules.TEMPLATE_HEADERS[:2]:
        raise LearningError(_("第一行应为模板的表头（题型、题目……）"), field="file")
    return rows[1:]


@transaction.atomic
def do_import_learning_questions(*, actor, course: LearningCourse, rows) -> list[LearningQuestion]:
    """Add the rows to the course's bank, all or nothing: any bad row refuses the whole file,
    each error as "第 N 行：…" (N the row in the workbook)."""
    require(actor, MANAGE_LEARNING, unit=course.org_unit)
    course = LearningCourse.objects.select_for_update().get(pk=course.pk)
    if course.in_state("closed"):
        raise LearningError(_("课程已结束，不能再导入题目"), status=409)
    parsed, errors = [], []
    for index, cells in enumerate(rows, start=2):
        if cells is None or not any(str(c or "").strip() for c in cells):
            continue
        result = rules.parse_question_row(list(cells))
        if isinstance(result, str):
            errors.append(_("第 %(row)d 行：%(error)s") % {"row": index, "error": _(result)})
        else:
            parsed.append(result)
    if len(parsed) + len(errors) > MAX_ROWS:
        raise LearningError(_("一次最多导入 %(n)d 道题") % {"n": MAX_ROWS}, field="file")
    if errors:
        summary = _("有 %(n)d 行有误，未导入任何题目") % {"n": len(errors)}
        raise LearningError(summary, errors={"file": [summary, *errors]})
    if not parsed:
        raise LearningError(_("文件里没有题目"), field="file")
    created = LearningQuestion.objects.bulk_create(
        LearningQuestion(
            course=course,
            kind=q.kind,
            text=q.text,
            options=list(q.options),
            answer=q.answer,
            explanation=q.explanation,
        )
        for q in parsed
    )
    record(
        actor=actor,
        action="services.import_learning_questions",
        target=course,
        unit=course.org_unit,
        data={"added": len(created)},
    )
    return created


# --- attempts ------------------------------------------------------------------------------------


def _score(attempt: LearningAttempt, *, closed_by: str, now) -> LearningAttempt:
    """Mark the attempt (its row locked by the caller) and, when it passes, complete the
    enrolment (hours credited once, certificate)."""
    questions = {q.pk: q for q in LearningQuestion.objects.filter(pk__in=attempt.question_ids)}
    marked = rules.score(
        [
            (q.pk, q.kind, q.answer)
            for q in (questions.get(i) for i in attempt.question_ids)
            if q is not None
        ],
        attempt.answers or {},
    )
    course = attempt.enrolment.course
    attempt.status = LearningAttempt.Status.SUBMITTED
    attempt.submitted_at = now
    attempt.closed_by = closed_by
    attempt.correct = marked.correct
    attempt.score = marked.score
    attempt.passed = rules.passed(marked.score, course.pass_mark)
    attempt.save(
        update_fields=["status", "submitted_at", "closed_by", "correct", "score", "passed"]
    )
    record(
        actor=attempt.enrolment.worker if closed_by == LearningAttempt.ClosedBy.WORKER else None,
        action="services.score_learning_attempt",
        target=attempt,
        unit=course.org_unit,
        data={"score": marked.score, "passed": attempt.passed, "closed_by": closed_by},
    )
    if attempt.passed:
        complete_enrolment(
            attempt.enrolment, LearningEnrolment.How.TEST, actor=attempt.enrolment.worker
        )
    return attempt


def _lock_attempt(attempt_id: int) -> LearningAttempt:
    return (
        LearningAttempt.objects.select_for_update()
        .select_related("enrolment", "enrolment__course", "enrolment__worker")
        .get(pk=attempt_id)
    )


def close_overdue_attempt(attempt_id: int) -> bool:
    """Close and score an open attempt past its deadline (inside the caller's transaction);
    False when it is not open or not overdue (idempotent, for the sweep and the reads)."""
    attempt = _lock_attempt(attempt_id)
    now = timezone.now()
    if attempt.status != LearningAttempt.Status.OPEN or not rules.is_overdue(now, attempt.deadline):
        return False
    _score(attempt, closed_by=LearningAttempt.ClosedBy.SERVER, now=now)
    return True


def sweep_learning() -> int:
    """Close every open attempt past its deadline; each in its own transaction."""
    done = 0
    for pk in LearningAttempt.objects.filter(
        status=LearningAttempt.Status.OPEN, deadline__lte=timezone.now()
    ).values_list("pk", flat=True):
        with transaction.atomic():
            done += close_overdue_attempt(pk)
    return done


@transaction.atomic
def do_start_learning_attempt(*, actor, enrolment: LearningEnrolment) -> LearningAttempt:
    """Start an attempt (or return the one still running): N questions drawn from the bank,
    the deadline set now."""
    enrolment = (
        LearningEnrolment.objects.select_for_update()
        .select_related("course", "course__org_unit")
        .get(pk=enrolment.pk)
    )
    if enrolment.worker_id != actor.pk:
        raise PermissionDenied
    course = enrolment.course
    if not course.has_test:
        raise LearningError(_("本课程没有在线测试"), status=409)
    if not course.in_state("published"):
        raise LearningError(_("该课程不在报名学习中"), status=409)
    now = timezone.now()
    running = enrolment.attempts.filter(status=LearningAttempt.Status.OPEN).first()
    if running is not None:
        if not rules.is_overdue(now, running.deadline):
            return running
        close_overdue_attempt(running.pk)
    attempts = list(enrolment.attempts.all())
    if any(a.passed for a in attempts):
        raise LearningError(_("您已通过本课程的测试"), status=409)
    if rules.attempts_left(course.test_attempts, len(attempts)) == 0:
        raise LearningError(_("测试次数已用完"), status=409)
    bank = list(course.questions.values_list("pk", flat=True))
    if len(bank) < course.test_questions:
        raise LearningError(_("题库题目不足，暂不能测试"), status=409)
    seen = {q for a in attempts for q in a.question_ids}
    attempt = LearningAttempt.objects.create(
        enrolment=enrolment,
        number=len(attempts) + 1,
        question_ids=rules.draw(bank, course.test_questions, seen),
        answers={},
        status=LearningAttempt.Status.OPEN,
        started_at=now,
        deadline=rules.deadline(now, course.test_minutes),
    )
    record(
        actor=actor,
        action="services.start_learning_attempt",
        target=attempt,
        unit=course.org_unit,
        data={
            "course": course.pk,
            "number": attempt.number,
            "deadline": attempt.deadline.isoformat(),
        },
    )
    return attempt


def _check_open(actor, attempt: LearningAttempt, now) -> None:
    if attempt.enrolment.worker_id != actor.pk:
        raise PermissionDenied
    if attempt.status != LearningAttempt.Status.OPEN:
        raise LearningError(_("本次测试已交卷"), status=409)
    if rules.is_overdue(now, attempt.deadline):
        raise LearningError(
            _("已超过答题时限，答案未被接受；系统将按时限前保存的答案评分"), status=409
        )


def _clean_answers(attempt: LearningAttempt, answers: dict) -> dict[str, str]:
    allowed = {str(q) for q in attempt.question_ids}
    clean = {}
    for key, value in (answers or {}).items():
        key = str(key)
        if key not in allowed:
            raise LearningError(_("不是本次测试的题目"), field="question_id", status=404)
        text = str(value or "").strip()
        if len(text) > MAX_ANSWER:
            raise LearningError(_("答案不能超过 %(n)d 个字") % {"n": MAX_ANSWER}, field="answer")
        clean[key] = text
    return clean


@transaction.atomic
def do_answer_learning_attempt(
    *, actor, attempt: LearningAttempt, question_id: int, answer: str
) -> LearningAttempt:
    """Save one answer of a running attempt (refused at and after the deadline)."""
    attempt = _lock_attempt(attempt.pk)
    _check_open(actor, attempt, timezone.now())
    attempt.answers = {**(attempt.answers or {}), **_clean_answers(attempt, {question_id: answer})}
    attempt.save(update_fields=["answers"])
    return attempt


@transaction.atomic
def do_submit_learning_attempt(
    *, actor, attempt: LearningAttempt, answers: dict | None = None
) -> LearningAttempt:
    """Hand the attempt in (with the last answers, when given): scored at once; passing
    completes the course (hours, certificate)."""
    attempt = _lock_attempt(attempt.pk)
    now = timezone.now()
    _check_open(actor, attempt, now)
    if answers:
        attempt.answers = {**(attempt.answers or {}), **_clean_answers(attempt, answers)}
        attempt.save(update_fields=["answers"])
    return _score(attempt, closed_by=LearningAttempt.ClosedBy.WORKER, now=now)
