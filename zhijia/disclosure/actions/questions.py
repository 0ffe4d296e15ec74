"""Actions on workers' questions about a disclosed item (职工提问): ask, answer, close, withdraw,
and the reminder and escalation notices of the question workflow."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.notify import notify
from zhijia.core.workflow import do_transition, start
from zhijia.disclosure.errors import DisclosureRefused
from zhijia.disclosure.models import (
    Item,
    Question,
)
from zhijia.disclosure.permissions import ANSWER_QUESTION
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.workflows import OPEN_STATES, QUESTION

QUESTION_MAX = 1_000

ANSWER_MAX = 5_000

MAX_OPEN_QUESTIONS = 3  # per asker and item, against accidental floods


@transaction.atomic
def do_ask_question(*, actor, item: Item, text: str) -> Question:
    """A member of the item's audience asks; the item's unit answers within the deadline."""
    if not queries.is_audience(actor, item):
        raise PermissionDenied("disclosure.ask_question")
    body = (text or "").replace("\r\n", "\n").strip()
    if not body:
        raise DisclosureRefused.for_fields({"text": [_("请填写问题")]})
    if len(body) > QUESTION_MAX:
        raise DisclosureRefused.for_fields(
            {"text": [_("问题不能超过 %(n)d 个字") % {"n": QUESTION_MAX}]}
        )
    open_count = Question.objects.filter(item=item, asker=actor, state__in=OPEN_STATES).count()
    if open_count >= MAX_OPEN_QUESTIONS:
        raise DisclosureRefused.for_fields(
            {"text": [_("您在本事项上已有 %(n)d 个问题待答复，请等答复后再提") % {"n": open_count}]}
        )
    member = queries.own_member(actor)
    question = Question.objects.create(
        item=item,
        org_unit=item.org_unit,
        asker=actor,
        asker_unit=member.org_unit if member else None,
        text=body,
    )
    start(QUESTION, question, actor=actor)
    notify(
        recipients=queries.responsible_cadres(item.org_unit, ANSWER_QUESTION),
        kind="disclosure.question_asked",
        title=_("公开事项有新的职工提问：%(title)s") % {"title": item.title},
        body=_("请在期限内答复。"),
        url=question.get_absolute_url(),
        unit=item.org_unit,
    )
    return question


@transaction.atomic
def do_answer_question(*, actor, question: Question, answer: str, public: bool = True) -> Question:
    answer = (answer or "").replace("\r\n", "\n").strip()
    if len(answer) > ANSWER_MAX:
        raise DisclosureRefused.for_fields(
            {"answer": [_("答复不能超过 %(n)d 个字") % {"n": ANSWER_MAX}]}
        )
    question.answer = answer
    question.public = bool(public)
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "public", "answered_by", "answered_at"])
    do_transition(QUESTION, question, "answer", actor=actor, data={"public": bool(public)})
    if question.asker_id:
        notify(
            recipients=[question.asker],
            kind="disclosure.question_answered",
            title=_("您对“%(title)s”的提问已答复") % {"title": question.item.title},
            body=_("请查看答复。"),
            url=question.item.get_absolute_url() + f"#q{question.pk}",
            unit=question.org_unit,
        )
    return question


@transaction.atomic
def do_close_question(*, actor, question: Question, reason: str) -> Question:
    reason = " ".join((reason or "").split())
    do_transition(QUESTION, question, "close", actor=actor, note=reason)
    question.answer = reason
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.public = False
    question.save(update_fields=["answer", "answered_by", "answered_at", "public"])
    if question.asker_id:
        notify(
            recipients=[question.asker],
            kind="disclosure.question_closed",
            title=_("您对“%(title)s”的提问已关闭") % {"title": question.item.title},
            body=_("请查看说明。"),
            url=question.item.get_absolute_url() + f"#q{question.pk}",
            unit=question.org_unit,
        )
    return question


@transaction.atomic
def do_withdraw_question(*, actor, question: Question) -> Question:
    do_transition(QUESTION, question, "withdraw", actor=actor)
    return question


def notify_question_reminder(question: Question) -> None:
    """The workflow's reminder (after commit): the deadline is one working day away."""
    notify(
        recipients=queries.responsible_cadres(question.org_unit, ANSWER_QUESTION),
        kind="disclosure.question_due",
        title=_("职工提问即将到期，请尽快答复：%(title)s") % {"title": question.item.title},
        body=_("答复期限：%(deadline)s")
        % {"deadline": timezone.localtime(question.deadline_at).strftime("%Y-%m-%d %H:%M")},
        url=question.get_absolute_url(),
        unit=question.org_unit,
    )


def question_escalated(question: Question, event) -> None:
    """The escalation's effect (workflows.QUESTION; in its transaction, under the row lock)."""
    notify_question_escalated(question, level=int(event.data.get("level", 1)))


def notify_question_escalated(question: Question, *, level: int) -> None:
    """The workflow's escalation: the next level up and the unit are told."""
    recipients = queries.cadres_above(question.org_unit, level) + queries.responsible_cadres(
        question.org_unit, ANSWER_QUESTION
    )
    notify(
        recipients=recipients,
        kind="disclosure.question_overdue",
        title=_("职工提问超期未答复（第 %(level)d 次督办）：%(title)s")
        % {"level": level, "title": question.item.title},
        body=_("%(unit)s未在期限内答复职工提问，请督促办理。") % {"unit": question.org_unit.name},
        url=question.get_absolute_url(),
        unit=question.org_unit,
    )
