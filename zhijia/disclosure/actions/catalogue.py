"""Actions on the disclosure catalogue (公开目录): entries, the default catalogue, and the
due-date notices of periodic disclosures."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhijia.core import audit
from zhijia.core.notify import notify
from zhijia.disclosure import catalogue, rules
from zhijia.disclosure.errors import DisclosureRefused
from zhijia.disclosure.models import (
    Cadence,
    CatalogueEntry,
    DueNotice,
    Level,
    period_label,
)
from zhijia.disclosure.permissions import PUBLISH_ITEM
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries

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

logger = logging.getLogger(__name__)


@transaction.atomic
def do_save_catalogue_entry(
    *, actor, entry: CatalogueEntry | None = None, **fields: Any
) -> CatalogueEntry:
    """Create (entry=None) or change a catalogue entry; only the given fields change."""
    queries_catalogue.require_manage_catalogue(actor)
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
    if target.code and queries_catalogue.code_taken(target.code, exclude=target.pk):
        errors.setdefault("code", []).append(_("该代码已被其他目录事项使用"))
    if target.offset_days is not None and not 0 <= int(target.offset_days) <= 366:
        errors.setdefault("offset_days", []).append(_("公开期限应在 0 到 366 天之间"))
    if target.remind_days is not None and not 0 <= int(target.remind_days) <= 60:
        errors.setdefault("remind_days", []).append(_("提前提醒应在 0 到 60 天之间"))
    if errors:
        raise DisclosureRefused.for_fields(errors)
    try:
        target.full_clean(exclude=["code"] if not creating and "code" not in fields else None)
    except ValidationError as exc:
        raise DisclosureRefused.for_fields(exc.message_dict) from None
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
    queries_catalogue.require_manage_catalogue(actor)
    with transaction.atomic():
        created = catalogue.ensure_default_catalogue()
        audit.record(
            actor=actor, action="disclosure.load_default_catalogue", data={"created": created}
        )
    return created


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
    board = queries_catalogue.obligations(queries_catalogue.all_units(), day=day)
    reminded = queries_catalogue.sent_notices(DueNotice.Kind.REMINDER)
    overdue = queries_catalogue.sent_notices(DueNotice.Kind.OVERDUE)
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
