"""Personal information (个人信息保护法): who read a member's sensitive records, and everything
zhijia holds about a person, for her to see and download.

Sensitive reads. Where someone other than the person herself opens a sensitive record (the
full 身份证号, a hardship application or file, a counseling note), the module records it with
`record_read`: an event of the hash-chained audit log whose target is the member the record is
about (so the member's page finds it through the audit log's target index) and whose data
names the record. Each module declares its kinds of sensitive read and its personal-data
provider in its privacy.py, found and imported by core's AppConfig.ready:

    privacy.register(personal_data, reads={"assistance.read_file": gettext_lazy("困难职工档案")})

`reads_of(member_id)` lists them for the member's page "谁查看了我的敏感信息".

Personal data. Each module registers a provider that yields what it holds about a user, as
zhijia.core.excel Sheets (one per kind of record); `personal_data_for(user)` gathers them for
the download "下载我的数据" (one workbook). A provider reads through its own queries and
returns only what belongs to the person: records she made under her name, or records about
her member record. Anonymous records (box letters, anonymous counseling questions, secret
ballots) are linked to nobody and so are in nobody's download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from zhijia.core import audit
from zhijia.core.excel import Sheet
from zhijia.core.models import AuditEvent

MEMBER_TARGET = "org.member"  # the audit target type of a member record

_reads: dict[str, Any] = {}  # audit action -> what was read (a lazy label)
_providers: list[Callable[[Any], Iterable[Sheet]]] = []


def register(provider: Callable[[Any], Iterable[Sheet]], *, reads: dict | None = None) -> None:
    """What a module's privacy.py calls once: its personal-data provider and its sensitive
    reads {audit action: what is read}. Modules are found by core's AppConfig.ready."""
    register_personal_data(provider)
    for action, label in (reads or {}).items():
        register_read(action, label)


def register_read(action: str, label) -> None:
    """Declare an audit action as a sensitive read, with the name of what it reads."""
    _reads[action] = label


def read_label(action: str):
    return _reads.get(action, action)


def _record_label(record) -> str:
    if record is None:
        return ""
    if isinstance(record, tuple):
        return f"{record[0]}:{record[1]}"
    meta = record._meta
    return f"{meta.app_label}.{meta.model_name}:{record.pk}"


@transaction.atomic
def record_read(
    *, actor, action: str, member_id: int | None, subject_user_id: int | None, record, unit=None
) -> AuditEvent | None:
    """Record that `actor` read a sensitive record about member `member_id`. Nothing is
    recorded when the person reads her own record (`subject_user_id` is her account) or when
    the record belongs to no member."""
    if action not in _reads:
        raise ValueError(f"{action!r} is not a registered sensitive read")
    if member_id is None or (subject_user_id is not None and subject_user_id == actor.pk):
        return None
    return audit.record(
        actor=actor,
        action=action,
        target=(MEMBER_TARGET, member_id),
        unit=unit,
        data={"record": _record_label(record)},
    )


def reads_of(member_id: int) -> QuerySet[AuditEvent]:
    """The sensitive reads of a member's records, newest first."""
    return AuditEvent.objects.filter(
        target_type=MEMBER_TARGET, target_id=str(member_id), action__in=list(_reads)
    ).order_by("-seq")


def describe_reads(events) -> list[dict]:
    """Rows for the member's page: when, who (the reader's account, or its label when the
    account is gone) and what was read."""
    from django.contrib.auth import get_user_model

    events = list(events)
    ids = {e.actor_id for e in events if e.actor_id}
    readers = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    return [
        {
            "at": e.at,
            "reader": readers.get(e.actor_id) or e.actor_label,
            "what": read_label(e.action),
        }
        for e in events
    ]


# --- the person's own data ---------------------------------------------------------------------


def register_personal_data(provider: Callable[[Any], Iterable[Sheet]]) -> None:
    """A provider: user -> the Sheets of what its module holds about that person."""
    _providers.append(provider)


def personal_data_for(user) -> list[Sheet]:
    sheets: list[Sheet] = []
    for provider in _providers:
        sheets.extend(provider(user))
    return sheets


def _value(record, name: str):
    """A field's value as a person reads it: the label of a choice, the name of a related
    record, dates and numbers as they are."""
    field = record._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(record, f"get_{name}_display")()
    value = getattr(record, name)
    if field.is_relation:
        return str(value) if value is not None else ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def model_sheet(title, records: Iterable, model, fields: list) -> Sheet:
    """A sheet of `records` (of `model`) with one column per field, titled with the field's
    own verbose name, or with the label given as (name, label)."""
    from django.utils import timezone

    from zhijia.core.excel import Column

    columns = []
    names = []
    for spec in fields:
        name, label = spec if isinstance(spec, tuple) else (spec, None)
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        names.append(name)
        columns.append(
            Column(
                label or field.verbose_name,
                date=internal == "DateField",
                money=internal == "DecimalField",
            )
        )
    fields = names

    def rows():
        for record in records:
            row = []
            for name in fields:
                value = _value(record, name)
                if hasattr(value, "tzinfo") and value.tzinfo is not None:
                    value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
                row.append(value)
            yield row

    return Sheet(title, columns, rows())
