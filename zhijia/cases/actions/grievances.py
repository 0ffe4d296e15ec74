"""Writes on named grievances and on the handling of every grievance (named or anonymous).

Each `do_*` runs in one transaction, goes through the grievance workflow (which writes the
workflow and audit events) or writes its own audit event, and queues notifications in the
same transaction (zhijia.core.notify delivers them from the worker after the commit).
Notifications say *that* something happened, never what the worker wrote.

Anonymous input arrives through actions_box (the daily opening); the union's side of an
anonymous grievance (assign, ask, answer, ...) uses the actions here like any other.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.cases import rules
from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import CaseMessage, Grievance
from zhijia.cases.permissions import VIEW_CASE
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import routing as queries_routing
from zhijia.cases.workflows import GRIEVANCE
from zhijia.core import (
    attachments,
    audit,
    numbering,
    satisfaction,
    satisfaction_index,
    search,
    workdays,
)
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.unordered import forget_insertion_order
from zhijia.core.workflow import do_transition, precheck, start

logger = logging.getLogger(__name__)

TEXT_MAX = 5000
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}
MAX_ATTACHMENTS = 5


def clean_text(text: str, *, field: str = "text", max_length: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if not text:
        raise CasesRefused(_("请填写内容"), field=field)
    if len(text) > max_length:
        raise CasesRefused(
            _("内容最多 %(n)d 个字，请精简后再提交") % {"n": max_length}, field=field
        )
    return text


def _check_choice(value: str, choices, field: str) -> str:
    if value not in dict(choices):
        raise CasesRefused(_("请选择有效的选项"), field=field)
    return value


def route(grievance: Grievance) -> None:
    """Set the responsible level, the department (when a rule names one) and the working
    days to answer, from the routing rules or the defaults."""
    rule = queries_routing.matching_rule(grievance.category, grievance.org_unit)
    unit = rule.target_unit if rule and rule.target_unit_id else None
    grievance.handling_unit = unit or queries_routing.default_handling_unit(grievance.org_unit)
    grievance.department = rule.department if rule and rule.department_id else None
    days = rule.deadline_workdays if rule and rule.deadline_workdays else None
    grievance.deadline_workdays = days or rules.default_deadline(grievance.kind, grievance.category)


def save_new(record) -> None:
    """Insert a record with a random primary key, drawing again on the (unlikely) clash.
    On SQLite the row also gets a random rowid (a random key alone still leaves it at the
    next sequential rowid, in arrival order: issue 11, finding 6)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                record.save(force_insert=True)
                forget_insertion_order(record)
            return
        except IntegrityError:
            if type(record)._default_manager.filter(pk=record.pk).exists():
                record.pk = type(record)._meta.pk.get_default()
                continue
            raise
    raise IntegrityError("no free random id after 5 attempts")


def _notify_new(grievance: Grievance) -> None:
    notify(
        recipients=queries.responsible_users(grievance),
        kind="cases.grievance_new",
        title=_("新的职工%(kind)s待办理（%(category)s）")
        % {"kind": grievance.get_kind_display(), "category": grievance.get_category_display()},
        body=_("请在办理期限内答复。"),
        url=grievance.get_absolute_url(),
        unit=grievance.handling_unit,
    )


def _notify_worker(grievance: Grievance, title: str, body: str = "") -> None:
    if grievance.submitter_id is None:
        return  # anonymous: the worker reads it with the receipt code
    notify(
        recipients=[grievance.submitter],
        kind="cases.grievance_update",
        title=title,
        body=body,
        url=grievance.get_absolute_url(),
        unit=grievance.org_unit,
    )


def index_grievance(grievance: Grievance) -> None:
    """The grievance's entry in the global search: its number, summary and text, under the
    worker's unit and the handling level (refreshed whenever that level changes). Never the
    submitter (an anonymous one has none; a named one is found by its text, and only by
    whoever may open it)."""
    search.index(
        queries.SEARCH_TYPE,
        grievance.pk,
        title=f"{grievance.number or ''} {grievance.title}".strip(),
        text=grievance.text,
        unit_path=grievance.org_unit.path,
        also_path=grievance.handling_unit.path,
    )


def open_grievance(grievance: Grievance, *, actor) -> Grievance:
    """Route, insert and start a new grievance; assign it at once when a rule names a
    department. Shared by named submissions and the opening of the anonymous box."""
    route(grievance)
    numbering.assign_number(grievance, "SQ", grievance.received_on)
    save_new(grievance)
    start(GRIEVANCE, grievance, actor=actor)
    index_grievance(grievance)
    if grievance.department_id:
        do_transition(
            GRIEVANCE,
            grievance,
            "auto_assign",
            actor=None,
            system=True,
            data={"department": grievance.department_id},
        )
    _notify_new(grievance)
    return grievance


@transaction.atomic
def do_submit_grievance(*, actor, kind: str, category: str, text: str, uploads=()) -> Grievance:
    """A named grievance or legal question from a worker with a member record."""
    unit = queries.member_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有登记在册的会员可以提出实名诉求"))
    kind = _check_choice(kind, Grievance.Kind.choices, "kind")
    category = _check_choice(category, Grievance._meta.get_field("category").choices, "category")
    text = clean_text(text)
    uploads = list(uploads)
    if len(uploads) > MAX_ATTACHMENTS:
        raise CasesRefused(_("最多上传 %(n)d 个附件") % {"n": MAX_ATTACHMENTS}, field="files")
    grievance = Grievance(
        kind=kind,
        category=category,
        text=text,
        submitter=actor,
        org_unit=unit,
        received_on=workdays.local_date(timezone.now()),
    )
    open_grievance(grievance, actor=actor)
    for upload in uploads:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=grievance,
                unit_path=grievance.org_unit.path,
            )
        except ValidationError as exc:
            raise CasesRefused(exc.messages[0], errors={"files": exc.messages}) from exc
    return grievance


@transaction.atomic
def do_open_union_grievance(
    *, actor, unit, title: str, text: str, category: str = "contract"
) -> Grievance:
    """A grievance the union raises for one of its units (e.g. a breached clause of a
    collective contract, through zhijia.core.hooks.grievance_opener): `actor` is a cadre who
    reads the unit's grievances (cases.view_case over it); the grievance is routed and handled
    like a worker's, the cadre stands in the worker's place (answers, rating)."""
    require(actor, VIEW_CASE, unit=unit)
    category = _check_choice(category, Grievance._meta.get_field("category").choices, "category")
    title = clean_text(title, field="title", max_length=200)
    text = clean_text(text)
    grievance = Grievance(
        kind=Grievance.Kind.GRIEVANCE,
        category=category,
        text=f"{title}\n\n{text}",
        submitter=actor,
        org_unit=unit,
        received_on=workdays.local_date(timezone.now()),
    )
    return open_grievance(grievance, actor=actor)


class UnionGrievanceOpener:
    """What cases provides to zhijia.core.hooks.grievance_opener (CasesConfig.ready)."""

    def open_grievance(self, *, actor, unit, title: str, text: str, category: str = "contract"):
        from zhijia.core.hooks import OpenedGrievance

        grievance = do_open_union_grievance(
            actor=actor, unit=unit, title=title, text=text, category=category
        )
        return OpenedGrievance(
            id=grievance.pk, url=grievance.get_absolute_url(), number=grievance.number or ""
        )


def _locked(grievance: Grievance) -> Grievance:
    return (
        Grievance.objects.select_for_update(of=("self",))
        .select_related("handling_unit", "department", "org_unit", "submitter")
        .get(pk=grievance.pk)
    )


@transaction.atomic
def do_assign_grievance(*, actor, grievance: Grievance, department, note: str = "") -> Grievance:
    """Assign to an enterprise department (a reassignment needs a reason)."""
    grievance = _locked(grievance)
    checked = precheck(GRIEVANCE, grievance, "assign", actor)
    if department is None:
        raise CasesRefused(_("请选择承办部门"), field="department")
    if grievance.department_id == department.pk and grievance.in_state("assigned"):
        raise CasesRefused(_("该诉求已由此部门承办"), field="department")
    old = grievance.department
    grievance.department = department
    grievance.save(update_fields=["department"])
    do_transition(
        GRIEVANCE,
        grievance,
        "assign",
        actor=actor,
        note=note.strip(),
        data={"department": department.pk, "previous": old.pk if old else None},
        prechecked=checked,  # against the record before the change
    )
    _notify_new(grievance)
    return grievance


@transaction.atomic
def do_transfer_grievance(*, actor, grievance: Grievance, unit, note: str) -> Grievance:
    """Transfer to another union organisation (the level above, or one in the actor's scope)."""
    grievance = _locked(grievance)
    checked = precheck(GRIEVANCE, grievance, "transfer", actor)
    if unit is None or unit.pk not in {u.pk for u in queries.transfer_targets(actor, grievance)}:
        raise CasesRefused(_("请选择可以转交的工会组织"), field="unit")
    if not note.strip():
        raise CasesRefused(_("转交须填写理由"), field="note")
    previous = grievance.handling_unit
    grievance.handling_unit = unit
    grievance.department = None
    grievance.save(update_fields=["handling_unit", "department"])
    index_grievance(grievance)
    do_transition(
        GRIEVANCE,
        grievance,
        "transfer",
        actor=actor,
        note=note.strip(),
        data={"from_unit": previous.pk, "to_unit": unit.pk},
        prechecked=checked,
    )
    _notify_new(grievance)
    return grievance


@transaction.atomic
def do_answer_grievance(*, actor, grievance: Grievance, text: str) -> Grievance:
    grievance = _locked(grievance)
    text = clean_text(text, field="text")
    grievance.answer = text
    grievance.save(update_fields=["answer"])
    do_transition(GRIEVANCE, grievance, "answer", actor=actor, note=text)
    _notify_worker(
        grievance,
        _("您的诉求已有答复"),
        _("请查看答复，并对办理结果进行评价。"),
    )
    return grievance


@transaction.atomic
def do_ask_worker(*, actor, grievance: Grievance, text: str) -> CaseMessage:
    """A question to the worker (请补充材料、说明情况); the deadline keeps running."""
    grievance = _locked(grievance)
    if not queries.may_ask(actor, grievance):
        raise PermissionDenied("cases.assign_case")
    text = clean_text(text, field="text", max_length=2000)
    message = CaseMessage.objects.create(
        grievance=grievance,
        kind=CaseMessage.Kind.QUESTION,
        author=actor,
        author_label=actor.get_full_name(),
        text=text,
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="cases.ask_worker",
        target=grievance,
        unit=grievance.handling_unit,
        data={"message": message.pk},
    )
    _notify_worker(grievance, _("工会就您的诉求向您询问"), _("请查看并补充说明。"))
    return message


def add_worker_message(grievance: Grievance, *, actor, text: str, now=None) -> CaseMessage:
    """Information the worker adds (named: `actor`; anonymous: None, from the box)."""
    if not grievance.in_state("submitted", "assigned", "answered"):
        raise CasesRefused(_("该诉求已办结，不能再补充信息"), field="text")
    message = CaseMessage.objects.create(
        grievance=grievance,
        kind=CaseMessage.Kind.INFO,
        author=actor,
        author_label=actor.get_full_name() if actor is not None else "",
        from_worker=True,
        text=text,
        created_at=now or timezone.now(),
    )
    audit.record(
        actor=actor,
        action="cases.add_info",
        target=grievance,
        unit=grievance.handling_unit,
        data={"message": message.pk},
    )
    notify(
        recipients=queries.responsible_users(grievance),
        kind="cases.grievance_info",
        title=_("职工对诉求补充了信息"),
        body=_("请查看补充的信息。"),
        url=grievance.get_absolute_url(),
        unit=grievance.handling_unit,
    )
    return message


@transaction.atomic
def do_add_info(*, actor, grievance: Grievance, text: str, uploads=()) -> CaseMessage:
    grievance = _locked(grievance)
    if not queries.is_submitter(actor, grievance):
        raise PermissionDenied(_("只有提出人可以补充信息"))
    text = clean_text(text, field="text", max_length=2000)
    message = add_worker_message(grievance, actor=actor, text=text)
    for upload in list(uploads)[:MAX_ATTACHMENTS]:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=grievance,
                unit_path=grievance.org_unit.path,
            )
        except ValidationError as exc:
            raise CasesRefused(exc.messages[0], errors={"files": exc.messages}) from exc
    return message


@transaction.atomic
def do_rate_grievance(
    *, actor, grievance: Grievance, rating: str, comment: str = "", system: bool = False
) -> Grievance:
    """The worker's rating. The first 不满意 reopens the grievance one level up; otherwise the
    grievance is closed with the rating. `system=True` (actor None): a rating from the box."""
    grievance = _locked(grievance)
    outcome = satisfaction.outcome(rating, grievance.reopen_count)
    if outcome == "invalid":
        raise CasesRefused(_("请选择满意度"), field="rating")
    comment = (comment or "").strip()[:1000]
    if outcome == "reopen":
        if not comment:
            raise CasesRefused(_("评价不满意时，请写明哪里不满意"), field="comment")
        checked = None if system else precheck(GRIEVANCE, grievance, "reopen", actor)
        previous = grievance.handling_unit
        above = previous.parent or previous
        do_transition(
            GRIEVANCE,
            grievance,
            "reopen",
            actor=actor,
            note=comment,
            data={"rating": rating, "from_unit": previous.pk, "to_unit": above.pk},
            system=system,
            prechecked=checked,
        )
        grievance.reopen_count += 1
        grievance.rating = rating
        grievance.rating_comment = comment
        grievance.handling_unit = above
        grievance.department = None
        grievance.save(
            update_fields=[
                "reopen_count",
                "rating",
                "rating_comment",
                "handling_unit",
                "department",
            ]
        )
        index_grievance(grievance)
        _notify_new(grievance)
        _index_rating(grievance, rating, follow_up=False)
        return grievance
    checked = None if system else precheck(GRIEVANCE, grievance, "rate", actor)
    grievance.rating = rating
    grievance.rating_comment = comment
    grievance.save(update_fields=["rating", "rating_comment"])
    _index_rating(grievance, rating, follow_up=True)
    do_transition(
        GRIEVANCE,
        grievance,
        "rate",
        actor=actor,
        note=comment,
        data={"rating": rating},
        system=system,
        prechecked=checked,
    )
    return grievance


# The grievances' line in the satisfaction index (registered in CasesConfig.ready).
SATISFACTION_SERVICE = "cases.grievance"


def _index_rating(grievance: Grievance, rating: str, *, follow_up: bool) -> None:
    """Count the rating in the union's index. A reopened grievance goes back to be handled one
    level up, so only a final 不满意 asks the cadres for a call-back."""
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=grievance.org_unit,
        record_id=grievance.pk,
        label=grievance.number,
        url=grievance.get_absolute_url(),
        follow_up=follow_up,
    )


@transaction.atomic
def do_withdraw_grievance(*, actor, grievance: Grievance, note: str = "") -> Grievance:
    grievance = _locked(grievance)
    do_transition(GRIEVANCE, grievance, "withdraw", actor=actor, note=note.strip())
    notify(
        recipients=queries.responsible_users(grievance),
        kind="cases.grievance_withdrawn",
        title=_("职工撤回了一件诉求"),
        body="",
        url=grievance.get_absolute_url(),
        unit=grievance.handling_unit,
    )
    return grievance


# --- escalation and reminders (run by the worker) -------------------------------------------


def apply_escalation(grievance: Grievance, event) -> None:
    """The escalation's effect (workflows.GRIEVANCE, Escalation.effect): run by the sweep in
    the escalation's own transaction, under its row lock, so it commits or rolls back with it.

    An open grievance moves up one union level (a department keeps the assignment and the
    level above supervises); an unrated answer closed by the sweep tells the worker.
    """
    if not grievance.in_state("submitted", "assigned"):
        if grievance.in_state("closed"):
            _notify_worker(
                grievance, _("您的诉求已办结"), _("答复后在期限内未评价，系统已自动办结。")
            )
        return
    previous = grievance.handling_unit
    unit = previous.parent or previous
    grievance.handling_unit = unit
    grievance.save(update_fields=["handling_unit"])
    index_grievance(grievance)
    audit.record(
        actor=None,
        action="cases.escalate_grievance",
        target=grievance,
        unit=grievance.org_unit,
        data={"level": grievance.escalation_level, "from_unit": previous.pk, "to_unit": unit.pk},
    )
    notify(
        recipients=queries.responsible_users(grievance),
        kind="cases.grievance_escalated",
        title=_("诉求超期未办结，已升级由本级督办"),
        body=_("该诉求已超过办理期限，请督促办理。"),
        url=grievance.get_absolute_url(),
        unit=unit,
    )
    _notify_worker(
        grievance,
        _("您的诉求已提交上一级工会督办"),
        _("您的诉求超过办理期限仍未答复，已自动升级到上一级工会。"),
    )


def notify_reminder(grievance: Grievance) -> None:
    """The reminder before a deadline (workflows.GRIEVANCE.on_reminder, after commit)."""
    g = (
        Grievance.objects.select_related("handling_unit", "department", "submitter", "org_unit")
        .filter(pk=grievance.pk)
        .first()
    )
    if g is None:
        return
    if g.in_state("answered"):
        _notify_worker(g, _("请对诉求的答复进行评价"), _("逾期未评价的，系统将自动办结。"))
        return
    deadline = timezone.localtime(g.deadline_at).strftime("%Y-%m-%d") if g.deadline_at else ""
    notify(
        recipients=queries.responsible_users(g),
        kind="cases.grievance_reminder",
        title=_("诉求即将到期：请于 %(date)s 前答复") % {"date": deadline},
        body=_("逾期未答复的诉求将自动升级到上一级工会督办。"),
        url=g.get_absolute_url(),
        unit=g.handling_unit,
    )
