"""Writing and verifying the audit log.

    record(actor=user, action="org.update_member", target=member, unit=member.org_unit,
           data={"changed": {"phone": ["…", "…"]}})

Call it inside the action's transaction: the event commits or rolls back with the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhijia.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "unit_path": event.unit_path,
        "data": event.data,
    }
    return hashlib.sha256((prev_hash + _canonical(payload)).encode()).hexdigest()


def _target_label(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk)


def record(
    *,
    actor,
    action: str,
    target=None,
    unit=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. `target` is a model instance or (type, id)."""
    target_type, target_id = _target_label(target)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=str(getattr(actor, "username", "") or ("system" if actor is None else "")),
            action=action,
            target_type=target_type,
            target_id=target_id,
            unit_path=getattr(unit, "path", "") or "",
            # Round-trip through JSON so what is hashed is exactly what the database returns.
            data=json.loads(_canonical(data or {})),
            prev_hash=head.hash,
        )
        event.hash = compute_hash(head.hash, event)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Yield every break in the chain: an edited row, a deleted row, a wrong head. The chain
    starts where the retention purge left it (the head's base)."""
    head = AuditHead.objects.filter(pk=1).first()
    prev_hash = head.base_hash if head is not None else GENESIS
    expected_seq = (head.base_seq if head is not None else 0) + 1
    last_seq = expected_seq - 1
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            yield ChainProblem(
                event.seq, f"缺少第 {expected_seq}–{event.seq - 1} 条记录（已被删除）"
            )
        if event.prev_hash != prev_hash:
            yield ChainProblem(event.seq, f"第 {event.seq} 条记录的前序哈希与上一条不符")
        if compute_hash(event.prev_hash, event) != event.hash:
            yield ChainProblem(event.seq, f"第 {event.seq} 条记录的内容已被修改")
        prev_hash = event.hash
        expected_seq = event.seq + 1
        last_seq = event.seq
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        yield ChainProblem(
            head.seq, f"日志末尾与链头不符：链头记录到第 {head.seq} 条，实有 {last_seq} 条"
        )


# --- retention ----------------------------------------------------------------------------------

MIN_RETENTION_DAYS = 180  # 等保 2.0: at least six months


def purge_expired(*, now=None, batch_size: int = 5000) -> int:
    """Delete the audit events older than settings.ZHIJIA_AUDIT_RETENTION_DAYS (never fewer
    than MIN_RETENTION_DAYS; 0 keeps everything), oldest first: always a prefix of the chain,
    whose new start (the last purged event's sequence number and hash) is kept on the head so
    that `verify_chain` still checks every remaining link. Each run that purges records one
    `audit.purge` event (how many, through which sequence number, older than when).
    Idempotent; returns the number of events purged."""
    days = settings.ZHIJIA_AUDIT_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=max(days, MIN_RETENTION_DAYS))
    through = (
        AuditEvent.objects.filter(at__lt=cutoff).order_by("-seq").values_list("seq", flat=True)
    ).first()
    if through is None:
        return 0
    purged = 0
    while True:
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().get(pk=1)
            batch = list(
                AuditEvent.objects.filter(seq__gt=head.base_seq, seq__lte=through)
                .order_by("seq")
                .values_list("seq", "hash")[:batch_size]
            )
            if not batch:
                break
            last_seq, last_hash = batch[-1]
            AuditEvent.objects.filter(seq__gt=head.base_seq, seq__lte=last_seq).delete()
            head.base_seq, head.base_hash = last_seq, last_hash
            head.save(update_fields=["base_seq", "base_hash"])
            purged += len(batch)
    if purged:
        record(
            actor=None,
            action="audit.purge",
            data={"count": purged, "through_seq": through, "older_than": cutoff.isoformat()},
        )
    return purged
