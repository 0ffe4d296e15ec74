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

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, audit, search
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.workflow import do_transition
from zhijia.disclosure import catalogue, rules
from zhijia.disclosure import text as texts
from zhijia.disclosure.errors import Conflict, DisclosureRefused
from zhijia.disclosure.models import (
    CatalogueEntry,
    Item,
    ItemRevision,
    ReadReceipt,
    period_label,
)
from zhijia.disclosure.permissions import PUBLISH_ITEM
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.workflows import QUESTION

logger = logging.getLogger(__name__)

SEARCH_TYPE = "disclosure.item"
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}
MAX_ATTACHMENTS = 20
TITLE_MAX = 200
BODY_MAX = 20_000


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
        raise DisclosureRefused.for_fields(errors)
    return title, body, table, valid_from


def _check_uploads(uploads: Sequence[Any], already: int = 0) -> None:
    if len(uploads) + already > MAX_ATTACHMENTS:
        raise DisclosureRefused.for_fields(
            {"uploads": [_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}]}
        )
    messages = []
    for upload in uploads:
        try:
            attachments.check_upload(upload, allowed=ATTACHMENT_KINDS)
        except ValidationError as exc:
            messages.append(f"{attachments.clean_name(upload.name)}：{'；'.join(exc.messages)}")
    if messages:
        raise DisclosureRefused.for_fields({"uploads": messages})


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
        raise DisclosureRefused.for_fields(
            {
                "period_key": [
                    _("请填写所属期间，格式如 %(example)s") % {"example": examples[entry.cadence]}
                ]
            }
        )
    if period.start > day:
        raise DisclosureRefused.for_fields({"period_key": [_("不能公开尚未开始的期间")]})
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
        raise DisclosureRefused.for_fields({"audience_unit": [_("公开范围须为本单位或其下级单位")]})
    level = rules.level_of_kind(unit.kind)
    if level is None:
        raise DisclosureRefused.for_fields({"unit": [_("该单位不能发布公开事项")]})
    if entry is not None:
        if not entry.active:
            raise DisclosureRefused.for_fields({"entry": [_("该目录事项已停用")]})
        if entry.level != level:
            raise DisclosureRefused.for_fields(
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
        raise DisclosureRefused.for_fields({"reason": [_("请填写修订说明，读者会看到它")]})
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
        raise DisclosureRefused(_("内容没有变化，无需修订"))
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
        raise DisclosureRefused.for_fields({"reason": [_("请填写撤回原因")]})
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
    for question in queries_questions.open_questions_of(item):
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


# --- the catalogue ------------------------------------------------------------------------------


# --- due-date reminders (the sweep) -------------------------------------------------------------


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

    `result` is zhijia.core.hooks.ProposalResult (public fields only). The item belongs to
    the congress's unit, under the catalogue entry "proposal-results" when that unit holds the
    entry's level; a union that retired the entry (inactive) publishes nothing automatically.
    """
    unit = queries.unit_by_path(result.unit_path)
    if unit is None:
        logger.warning("proposal %s: no org unit %s", result.proposal_id, result.unit_path)
        return None
    entry = queries_catalogue.get_entry_by_code(catalogue.PROPOSAL_RESULTS)
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
        # A DisclosureRefused here means nothing changed since the last publication.
        with contextlib.suppress(DisclosureRefused):
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


# --- the congress's report on the follow-up of its resolutions ---------------------------------


def do_publish_resolutions_report(report) -> Item | None:
    """Publish (or update) the congress's report on the follow-up of its resolutions.

    `report` is zhijia.core.hooks.ResolutionsReport (public fields only). The item belongs to
    the congress's unit, under the catalogue entry "congress-resolutions" (职代会决议及落实情况)
    when that unit holds the entry's level; a retired (inactive) entry publishes nothing. A
    report published again for the same session revises the item.
    """
    unit = queries.unit_by_path(report.unit_path)
    if unit is None:
        logger.warning("resolutions report %s: no org unit %s", report.session_id, report.unit_path)
        return None
    entry = queries_catalogue.get_entry_by_code(catalogue.CONGRESS_RESOLUTIONS)
    if entry is not None and not entry.active:
        return None
    if entry is not None and not entry.applies_to(unit):
        entry = None
    title = report.title[:TITLE_MAX]
    source_ref = f"congress.resolutions:{report.session_id}"
    existing = queries.item_by_source(source_ref)
    if existing is not None:
        if existing.status != Item.Status.PUBLISHED:
            return existing
        with contextlib.suppress(DisclosureRefused):
            do_revise_item(
                actor=None,
                item=existing,
                title=title,
                body=report.body,
                table_text=existing.table_text,
                valid_from=existing.valid_from,
                valid_until=existing.valid_until,
                reason=_("决议落实情况更新"),
                system=True,
            )
        return existing
    return do_publish_item(
        actor=None,
        unit=unit,
        audience_unit=unit,
        entry=entry,
        title=title,
        body=report.body,
        source=Item.Source.RESOLUTIONS,
        source_ref=source_ref,
        system=True,
    )


def publish_resolutions_report(report) -> None:
    """The congress hook's receiver: never lets a failure reach the congress's action."""
    try:
        do_publish_resolutions_report(report)
    except Exception:
        logger.exception(
            "publishing the resolutions report of session %s failed", report.session_id
        )
