"""Writes of module disclosure: publish, revise, withdraw, read, ask, answer, the catalogue.

Every action is keyword-only and atomic, checks its permission again over the record's unit
(the pages and API endpoints have already answered out-of-scope records with 404), writes
the audit event and sends notifications through zhijia.core.notify (delivered after commit).

Read receipts are the one exception to auditing: a receipt records a reading, changes no
record, and one per member per item would flood the audit chain; the receipt table is their
record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhijia.core import attachments, audit, search
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.workflow import do_transition, start
from zhijia.disclosure import catalogue, queries, rules
from zhijia.disclosure import text as texts
from zhijia.disclosure.models import (
    Cadence,
    CatalogueEntry,
    DueNotice,
    Item,
    ItemRevision,
    Level,
    Question,
    ReadReceipt,
    period_label,
)
from zhijia.disclosure.permissions import ANSWER_QUESTION, PUBLISH_ITEM
from zhijia.disclosure.workflows import OPEN_STATES, QUESTION

logger = logging.getLogger(__name__)

SEARCH_TYPE = "disclosure.item"
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}
MAX_ATTACHMENTS = 20
TITLE_MAX = 200
BODY_MAX = 20_000
QUESTION_MAX = 1_000
ANSWER_MAX = 5_000
MAX_OPEN_QUESTIONS = 3  # per asker and item, against accidental floods


class Conflict(ActionRefused):
    """A write that clashes with the current state (pages and the API answer 409)."""

    status = 409


# --- helpers -------------------------------------------------------------------------------------


def _label(user) -> str:
    if user is None or getattr(user, "pk", None) is None:
        return ""
    return user.get_full_name()


def _table_error(exc: texts.TableError) -> str:
    if exc.code == "columns":
        return _("第 %(row)d 行超过 %(n)d 列") % {"row": exc.row, "n": exc.limit}
    if exc.code == "rows":
        return _("表格超过 %(n)d 行，请改为附件上传") % {"n": exc.limit}
    if exc.code == "cell":
        return _("第 %(row)d 行有单元格超过 %(n)d 个字") % {"row": exc.row, "n": exc.limit}
    return _("表格的引号不成对，请检查后重新粘贴")


def _clean_content(
    *,
    title: str,
    body: str,
    table_text: str,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    has_files: bool,
) -> tuple[str, str, str, dt.date]:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    table = ""
    if not title:
        errors.setdefault("title", []).append(_("请填写标题"))
    elif len(title) > TITLE_MAX:
        errors.setdefault("title", []).append(_("标题不能超过 %(n)d 个字") % {"n": TITLE_MAX})
    if len(body) > BODY_MAX:
        errors.setdefault("body", []).append(
            _("正文不能超过 %(n)d 个字，较长的材料请作为附件上传") % {"n": BODY_MAX}
        )
    try:
        rows = texts.parse_table(table_text or "")
        table = texts.table_to_text(rows)
    except texts.TableError as exc:
        errors.setdefault("table_text", []).append(_table_error(exc))
        rows = []
    if not body and not rows and not has_files and "title" not in errors:
        errors.setdefault("body", []).append(_("正文、表格、附件至少需要一项"))
    valid_from = valid_from or timezone.localdate()
    if rules.validity_problem(valid_from, valid_until):
        errors.setdefault("valid_until", []).append(_("公开截止日不能早于起始日"))
    if errors:
        raise ValidationError(errors)
    return title, body, table, valid_from


def _check_uploads(uploads: Sequence[Any], already: int = 0) -> None:
    if len(uploads) + already > MAX_ATTACHMENTS:
        raise ValidationError({"uploads": [_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}]})
    messages = []
    for upload in uploads:
        try:
            attachments.check_upload(upload, allowed=ATTACHMENT_KINDS)
        except ValidationError as exc:
            messages.append(f"{attachments.clean_name(upload.name)}：{'；'.join(exc.messages)}")
    if messages:
        raise ValidationError({"uploads": messages})


def _save_uploads(item: Item, uploads: Sequence[Any], actor) -> list[dict]:
    saved = []
    for upload in uploads:
        att = attachments.save_upload(
            upload,
            actor=actor,
            allowed=ATTACHMENT_KINDS,
            owner=item,
            unit_path=item.org_unit.path,
        )
        saved.append({"id": str(att.pk), "name": att.original_name})
    return saved


def _index(item: Item) -> None:
    rows = item.table_rows
    table_words = " ".join(" ".join(r) for r in rows)
    search.index(
        SEARCH_TYPE,
        item.pk,
        title=item.title,
        text=f"{texts.plain_text(item.body)}\n{table_words}",
        unit_path=item.audience_unit.path,
    )


def _check_period(entry: CatalogueEntry | None, period_key: str, day: dt.date) -> str:
    if entry is None or not entry.is_scheduled:
        return ""
    period = rules.parse_period_key(period_key, entry.cadence)
    if period is None:
        examples = {
            rules.MONTHLY: "2026-10",
            rules.QUARTERLY: "2026-Q3",
            rules.HALF_YEARLY: "2026-H1",
            rules.YEARLY: "2026",
        }
        raise ValidationError(
            {
                "period_key": [
                    _("请填写所属期间，格式如 %(example)s") % {"example": examples[entry.cadence]}
                ]
            }
        )
    if period.start > day:
        raise ValidationError({"period_key": [_("不能公开尚未开始的期间")]})
    return period.key


def _revision(item: Item, *, number: int, files: list[dict], reason: str, actor) -> ItemRevision:
    return ItemRevision.objects.create(
        item=item,
        number=number,
        title=item.title,
        body=item.body,
        table_text=item.table_text,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
        attachments=files,
        reason=reason,
        author=actor if getattr(actor, "pk", None) else None,
        author_label=_label(actor) or _("系统"),
    )


# --- publishing ---------------------------------------------------------------------------------


@transaction.atomic
def do_publish_item(
    *,
    actor,
    unit,
    audience_unit=None,
    entry: CatalogueEntry | None = None,
    period_key: str = "",
    title: str,
    body: str = "",
    table_text: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    uploads: Sequence[Any] = (),
    source: str = Item.Source.MANUAL,
    source_ref: str = "",
    system: bool = False,
) -> Item:
    """Publish a disclosure of `unit` to `audience_unit`'s subtree (default: the unit's).

    `system=True` (automatic publications such as proposal results) skips the permission
    check; it is never set for a request's user.
    """
    if not system:
        require(actor, PUBLISH_ITEM, unit=unit)
    day = timezone.localdate()
    audience_unit = audience_unit or unit
    uploads = list(uploads)
    title, body, table, valid_from = _clean_content(
        title=title,
        body=body,
        table_text=table_text,
        valid_from=valid_from,
        valid_until=valid_until,
        has_files=bool(uploads),
    )
    if not audience_unit.path.startswith(unit.path):
        raise ValidationError({"audience_unit": [_("公开范围须为本单位或其下级单位")]})
    level = rules.level_of_kind(unit.kind)
    if level is None:
        raise ValidationError({"unit": [_("该单位不能发布公开事项")]})
    if entry is not None:
        if not entry.active:
            raise ValidationError({"entry": [_("该目录事项已停用")]})
        if entry.level != level:
            raise ValidationError(
                {
                    "entry": [
                        _("“%(title)s”属于%(level)s，应由%(holder)s发布")
                        % {
                            "title": entry.title,
                            "level": entry.get_level_display(),
                            "holder": _level_holder(entry.level),
                        }
                    ]
                }
            )
    key = _check_period(entry, period_key, day)
    if entry is not None and key:
        existing = queries.find_live_item(entry, unit, key)
        if existing is not None:
            raise Conflict(
                _("%(period)s的“%(title)s”已经公开，需要更正请修订已公开的事项")
                % {"period": period_label(key), "title": entry.title},
                field="period_key",
            )
    _check_uploads(uploads)
    item = Item(
        org_unit=unit,
        audience_unit=audience_unit,
        level=level,
        entry=entry,
        period_key=key,
        title=title,
        body=body,
        table_text=table,
        valid_from=valid_from,
        valid_until=valid_until,
        source=source,
        source_ref=source_ref,
        published_by=actor if getattr(actor, "pk", None) else None,
        published_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # A concurrent publication of the same entry, unit and period won.
        raise Conflict(_("该期间已经有人公开，请刷新后查看"), field="period_key") from None
    files = _save_uploads(item, uploads, actor)
    _revision(item, number=1, files=files, reason="", actor=actor)
    _index(item)
    audit.record(
        actor=actor,
        action="disclosure.publish_item",
        target=item,
        unit=unit,
        data={
            "entry": entry.code if entry else "",
            "period": key,
            "audience": audience_unit.pk,
            "attachments": len(files),
            "source": source,
        },
    )
    return item


def _level_holder(level: str) -> str:
    from zhijia.disclosure.models import LEVEL_HOLDERS

    return str(LEVEL_HOLDERS.get(level, ""))


@transaction.atomic
def do_revise_item(
    *,
    actor,
    item: Item,
    title: str,
    body: str = "",
    table_text: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    reason: str,
    uploads: Sequence[Any] = (),
    remove_attachment_ids: Iterable[str] = (),
    system: bool = False,
) -> ItemRevision:
    """Publish a new version; every earlier one stays readable with what changed."""
    if not system:
        require(actor, PUBLISH_ITEM, unit=item.org_unit)
    item = (
        Item.objects.select_for_update().select_related("org_unit", "audience_unit").get(pk=item.pk)
    )
    if item.status != Item.Status.PUBLISHED:
        raise Conflict(_("已撤回的事项不能修订"))
    reason = " ".join((reason or "").split())
    latest = item.revisions.order_by("-number").first()
    current = list(latest.attachments) if latest else []
    remove = {str(x) for x in remove_attachment_ids}
    kept = [a for a in current if str(a["id"]) not in remove]
    uploads = list(uploads)
    title, body, table, valid_from = _clean_content(
        title=title,
        body=body,
        table_text=table_text,
        valid_from=valid_from or item.valid_from,
        valid_until=valid_until,
        has_files=bool(kept or uploads),
    )
    if not reason:
        raise ValidationError({"reason": [_("请填写修订说明，读者会看到它")]})
    unchanged = (
        title == item.title
        and body == item.body
        and table == item.table_text
        and valid_from == item.valid_from
        and valid_until == item.valid_until
        and not uploads
        and len(kept) == len(current)
    )
    if unchanged:
        raise ValidationError(_("内容没有变化，无需修订"))
    _check_uploads(uploads, already=len(kept))
    changed = [
        name
        for name, old, new in (
            ("title", item.title, title),
            ("body", item.body, body),
            ("table", item.table_text, table),
            ("valid_from", item.valid_from, valid_from),
            ("valid_until", item.valid_until, valid_until),
        )
        if old != new
    ]
    item.title, item.body, item.table_text = title, body, table
    item.valid_from, item.valid_until = valid_from, valid_until
    item.revision += 1
    item.revised_at = timezone.now()
    item.save(
        update_fields=[
            "title",
            "body",
            "table_text",
            "valid_from",
            "valid_until",
            "revision",
            "revised_at",
        ]
    )
    files = kept + _save_uploads(item, uploads, actor)
    revision = _revision(item, number=item.revision, files=files, reason=reason, actor=actor)
    _index(item)
    audit.record(
        actor=actor,
        action="disclosure.revise_item",
        target=item,
        unit=item.org_unit,
        data={
            "revision": item.revision,
            "changed": changed,
            "added_files": len(uploads),
            "removed_files": len(current) - len(kept),
        },
    )
    readers = queries.readers_of(item)
    if readers:
        notify(
            recipients=readers,
            kind="disclosure.item_revised",
            title=_("您阅读过的公开事项已更新：%(title)s") % {"title": item.title},
            body=_("修订说明：%(reason)s") % {"reason": reason},
            url=item.get_absolute_url(),
            unit=item.org_unit,
        )
    return revision


@transaction.atomic
def do_withdraw_item(*, actor, item: Item, reason: str) -> Item:
    require(actor, PUBLISH_ITEM, unit=item.org_unit)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Item.Status.PUBLISHED:
        raise Conflict(_("该事项已经撤回"))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("请填写撤回原因")]})
    item.status = Item.Status.WITHDRAWN
    item.withdrawn_at = timezone.now()
    item.withdraw_reason = reason[:200]
    item.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    search.remove(SEARCH_TYPE, item.pk)
    audit.record(
        actor=actor,
        action="disclosure.withdraw_item",
        target=item,
        unit=item.org_unit,
        data={"reason": item.withdraw_reason},
    )
    # Open questions end with the item; their askers are told why.
    note = _("公开事项已撤回：%(reason)s") % {"reason": item.withdraw_reason}
    for question in queries.open_questions_of(item):
        do_transition(QUESTION, question, "close", actor=None, note=note, system=True)
        question.answer = note
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        if question.asker_id:
            notify(
                recipients=[question.asker],
                kind="disclosure.question_closed",
                title=_("您提问的公开事项已撤回：%(title)s") % {"title": item.title},
                body=note,
                url=reverse("disclosure:board"),
                unit=item.org_unit,
            )
    return item


# --- reading ------------------------------------------------------------------------------------


def do_mark_read(*, user, item: Item) -> ReadReceipt | None:
    """Record that a member of the item's audience opened it (once per member; the version
    they last opened is kept). Others (cadres outside the audience) leave no receipt."""
    if not queries.is_audience(user, item):
        return None
    member = queries.own_member(user)
    assert member is not None
    now = timezone.now()
    with transaction.atomic():
        receipt, created = ReadReceipt.objects.get_or_create(
            item=item,
            member=member,
            defaults={
                "org_unit_id": member.org_unit_id,
                "revision": item.revision,
                "read_at": now,
                "last_read_at": now,
            },
        )
        if not created and (receipt.revision != item.revision or receipt.last_read_at < now):
            ReadReceipt.objects.filter(pk=receipt.pk).update(
                revision=max(receipt.revision, item.revision), last_read_at=now
            )
            receipt.revision = max(receipt.revision, item.revision)
            receipt.last_read_at = now
    return receipt


# --- questions ----------------------------------------------------------------------------------


@transaction.atomic
def do_ask_question(*, actor, item: Item, text: str) -> Question:
    """A member of the item's audience asks; the item's unit answers within the deadline."""
    if not queries.is_audience(actor, item):
        raise PermissionDenied("disclosure.ask_question")
    body = (text or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"text": [_("请填写问题")]})
    if len(body) > QUESTION_MAX:
        raise ValidationError({"text": [_("问题不能超过 %(n)d 个字") % {"n": QUESTION_MAX}]})
    open_count = Question.objects.filter(item=item, asker=actor, state__in=OPEN_STATES).count()
    if open_count >= MAX_OPEN_QUESTIONS:
        raise ValidationError(
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
        raise ValidationError({"answer": [_("答复不能超过 %(n)d 个字") % {"n": ANSWER_MAX}]})
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


def notify_question_escalated(question: Question, *, level: int) -> None:
    """The workflow's escalation (after commit): the next level up and the unit are told."""
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


# --- the catalogue ------------------------------------------------------------------------------

ENTRY_FIELDS = (
    "code",
    "title",
    "level",
    "cadence",
    "description",
    "legal_basis",
    "offset_days",
    "remind_days",
    "effective_from",
    "active",
    "sort_order",
)


@transaction.atomic
def do_save_catalogue_entry(
    *, actor, entry: CatalogueEntry | None = None, **fields: Any
) -> CatalogueEntry:
    """Create (entry=None) or change a catalogue entry; only the given fields change."""
    queries.require_manage_catalogue(actor)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"unknown catalogue fields: {sorted(unknown)}")
    creating = entry is None
    target = entry or CatalogueEntry(effective_from=timezone.localdate())
    before = {name: getattr(target, name) for name in ENTRY_FIELDS}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(target, name, value)
    if creating:
        for name in ("code", "title", "level", "cadence"):
            if not getattr(target, name):
                errors.setdefault(name, []).append(_("此项为必填项"))
    if target.level and target.level not in Level.values:
        errors.setdefault("level", []).append(_("请选择公开层级"))
    if target.cadence and target.cadence not in Cadence.values:
        errors.setdefault("cadence", []).append(_("请选择公开频次"))
    if target.code and queries.code_taken(target.code, exclude=target.pk):
        errors.setdefault("code", []).append(_("该代码已被其他目录事项使用"))
    if target.offset_days is not None and not 0 <= int(target.offset_days) <= 366:
        errors.setdefault("offset_days", []).append(_("公开期限应在 0 到 366 天之间"))
    if target.remind_days is not None and not 0 <= int(target.remind_days) <= 60:
        errors.setdefault("remind_days", []).append(_("提前提醒应在 0 到 60 天之间"))
    if errors:
        raise ValidationError(errors)
    try:
        target.full_clean(exclude=["code"] if not creating and "code" not in fields else None)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    target.save()
    after = {name: getattr(target, name) for name in ENTRY_FIELDS}
    changed = {
        name: [str(before[name]), str(after[name])]
        for name in ENTRY_FIELDS
        if before[name] != after[name]
    }
    audit.record(
        actor=actor,
        action="disclosure.create_catalogue_entry"
        if creating
        else "disclosure.change_catalogue_entry",
        target=target,
        data={"code": target.code, "changed": changed},
    )
    return target


def ensure_default_catalogue() -> int:
    """The default catalogue (idempotent); see zhijia.disclosure.catalogue."""
    return catalogue.ensure_default_catalogue()


def do_load_default_catalogue(*, actor) -> int:
    """A committee cadre loads the default entries that are missing (edits are kept)."""
    queries.require_manage_catalogue(actor)
    with transaction.atomic():
        created = catalogue.ensure_default_catalogue()
        audit.record(
            actor=actor, action="disclosure.load_default_catalogue", data={"created": created}
        )
    return created


# --- due-date reminders (the sweep) -------------------------------------------------------------


def _publish_url(entry: CatalogueEntry, unit, period_key: str) -> str:
    query = urlencode({"entry": entry.pk, "unit": unit.pk, "period": period_key})
    return f"{reverse('disclosure:item-publish')}?{query}"


def _send_due_notice(*, kind: str, entry, unit, period_key: str, due: dt.date) -> bool:
    recipients = queries.responsible_cadres(unit)
    if kind == DueNotice.Kind.OVERDUE:
        recipients = recipients + queries.cadres_above(unit, 1, PUBLISH_ITEM)
    try:
        with transaction.atomic():
            DueNotice.objects.create(
                entry=entry,
                org_unit=unit,
                period_key=period_key,
                kind=kind,
                recipients=len({u.pk for u in recipients}),
            )
            args = {
                "unit": unit.name,
                "title": entry.title,
                "period": period_label(period_key),
                "due": f"{due.month}月{due.day}日",
            }
            if kind == DueNotice.Kind.REMINDER:
                title = _("%(unit)s：%(period)s“%(title)s”应于%(due)s前公开") % args
                body = _("该事项尚未公开，请在截止日前发布。")
            else:
                title = _("%(unit)s：%(period)s“%(title)s”已逾期未公开") % args
                body = _("公开截止日为%(due)s，请尽快发布。") % args
            notify(
                recipients=recipients,
                kind=f"disclosure.due_{kind}",
                title=title,
                body=body,
                url=_publish_url(entry, unit, period_key),
                unit=unit,
            )
    except IntegrityError:
        return False  # another sweep sent it
    return True


def sweep_due_dates(*, day: dt.date | None = None) -> dict[str, int]:
    """Remind the responsible cadres of disclosures due soon, and tell them (and the level
    above) once when one is overdue. Idempotent: each notice goes out once per entry, unit and
    period. Run by the worker's periodic sweep and by `zhijia manage disclosure_sweep`."""
    day = day or timezone.localdate()
    board = queries.obligations(queries.all_units(), day=day)
    reminded = queries.sent_notices(DueNotice.Kind.REMINDER)
    overdue = queries.sent_notices(DueNotice.Kind.OVERDUE)
    report = {"reminders": 0, "overdue": 0}
    for row in board:
        for cell in row.cells:
            if cell.obligation.period is None or cell.obligation.due is None:
                continue
            key = (cell.entry.pk, row.unit.pk, cell.period_key)
            if cell.status == rules.DUE_SOON and key not in reminded:
                kind, counter = DueNotice.Kind.REMINDER, "reminders"
            elif cell.status == rules.OVERDUE and key not in overdue:
                kind, counter = DueNotice.Kind.OVERDUE, "overdue"
            else:
                continue
            try:
                sent = _send_due_notice(
                    kind=kind,
                    entry=cell.entry,
                    unit=row.unit,
                    period_key=cell.period_key,
                    due=cell.obligation.due,
                )
            except Exception:
                logger.exception("disclosure due notice failed for %s", key)
                continue
            if sent:
                report[counter] += 1
    return report


# --- congress proposal results ------------------------------------------------------------------


def _proposal_body(result) -> tuple[str, str]:
    lines = [
        _("提案类别：%(v)s") % {"v": result.category_label},
        _("办理结果：%(v)s") % {"v": result.outcome_label},
    ]
    if result.lead_department:
        lines.append(_("主办部门：%(v)s") % {"v": result.lead_department})
    if result.co_departments:
        lines.append(_("协办部门：%(v)s") % {"v": "、".join(result.co_departments)})
    if result.rating_label:
        lines.append(_("提案人评价：%(v)s") % {"v": result.rating_label})
    body = "\n".join(lines)
    if result.answer_summary:
        body += "\n\n" + _("## 办理情况") + "\n" + result.answer_summary
    number = _("第%(n)s号提案") % {"n": result.number} if result.number else _("提案")
    title = _("%(number)s办理结果：%(title)s") % {"number": number, "title": result.title}
    return title[:TITLE_MAX], body


def do_publish_proposal_result(result) -> Item | None:
    """Publish (or update) a handled congress proposal's result on the disclosure board.

    `result` is zhijia.congress.hooks.ProposalResult (public fields only). The item belongs to
    the congress's unit, under the catalogue entry "proposal-results" when that unit holds the
    entry's level; a union that retired the entry (inactive) publishes nothing automatically.
    """
    unit = queries.unit_by_path(result.unit_path)
    if unit is None:
        logger.warning("proposal %s: no org unit %s", result.proposal_id, result.unit_path)
        return None
    entry = queries.get_entry_by_code(catalogue.PROPOSAL_RESULTS)
    if entry is not None and not entry.active:
        return None
    if entry is not None and not entry.applies_to(unit):
        entry = None
    title, body = _proposal_body(result)
    source_ref = f"congress.proposal:{result.proposal_id}"
    existing = queries.item_by_source(source_ref)
    if existing is not None:
        if existing.status != Item.Status.PUBLISHED:
            return existing
        # A ValidationError here means nothing changed since the last publication.
        with contextlib.suppress(ValidationError):
            do_revise_item(
                actor=None,
                item=existing,
                title=title,
                body=body,
                table_text=existing.table_text,
                valid_from=existing.valid_from,
                valid_until=existing.valid_until,
                reason=_("提案办理结果更新"),
                system=True,
            )
        return existing
    return do_publish_item(
        actor=None,
        unit=unit,
        audience_unit=unit,
        entry=entry,
        title=title,
        body=body,
        source=Item.Source.PROPOSAL,
        source_ref=source_ref,
        system=True,
    )


def publish_proposal_result(result) -> None:
    """The congress hook's receiver: never lets a failure reach the proposal."""
    try:
        do_publish_proposal_result(result)
    except Exception:
        logger.exception("publishing the result of proposal %s failed", result.proposal_id)
