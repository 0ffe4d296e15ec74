"""Work queues ("我的待办"): what waits for a cadre, handler, mediator or counselor.

Core knows no module: each module registers a queue provider from its AppConfig.ready() (in its
home.py). A provider receives the user and yields the Queues the user has (one per kind of
work the user's permissions give: a user without the permission gets no queue at all, a user
with it gets the queue even when it is empty). Each Queue says how many records wait, how many
of them are overdue (their workflow deadline has passed), the oldest one (when it started to
wait, and a link to it) and the link to the module's list filtered to the queue.

A provider reads through its module's queries (so through the permission layer: it never
counts a record outside the user's scope) and must be cheap: `summarize` answers a queue with
two queries (one aggregate, one for the oldest record's id).

    from zhijia.core.queues import register_queues, summarize

    def queues(user):
        if has_perm(user, ASSIGN_CASE):
            yield summarize(
                queries.queue_for_user(user, QueueFilters(state="submitted", mine=True)),
                key="cases.to_assign",
                label=_("待分派的诉求"),
                url=reverse("cases:queue") + "?state=submitted&mine=on",
                item_url=lambda pk: reverse("cases:grievance-detail", args=[pk]),
            )

    register_queues(queues)

The workspace shows the queues with work, overdue ones first, then the oldest waiting first
(`ordered`); GET /api/v1/me/queues answers every queue of the user.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queue:
    key: str  # "<module>.<queue>", stable: the API and the tests name queues by it
    label: str  # what waits, one name per thing ("待分派的诉求")
    count: int
    url: str  # the module's list, filtered to this queue
    overdue: int = 0  # how many have passed their deadline
    oldest_since: dt.datetime | dt.date | None = None  # when the oldest one started to wait
    oldest_url: str | None = None  # the oldest one
    order: int = 100  # among queues of equal urgency and age, lower first
    note: str = ""  # one more line about what waits outside the count ("另有 2 封来信待开箱")

    @property
    def oldest_date(self) -> dt.date | None:
        since = self.oldest_since
        if isinstance(since, dt.datetime):
            return timezone.localtime(since).date() if timezone.is_aware(since) else since.date()
        return since

    @property
    def upcoming(self) -> bool:
        """The first one lies ahead (a booking's slot), rather than waiting since a date."""
        day = self.oldest_date
        return day is not None and day > timezone.localdate()

    @property
    def waiting_days(self) -> int | None:
        """Calendar days the oldest one has waited (None: nothing waits)."""
        day = self.oldest_date
        return None if day is None else max((timezone.localdate() - day).days, 0)


def summarize(
    qs: QuerySet,
    *,
    key: str,
    label: str,
    url: str,
    item_url: Callable[[object], str] | None = None,
    since_field: str = "state_changed_at",
    deadline_field: str | None = "deadline_at",
    deadline_is_date: bool = False,
    order: int = 100,
    note: str = "",
) -> Queue:
    """A Queue from a scoped queryset: one aggregate (count, overdue, oldest) and, when
    something waits and `item_url` is given, one query for the oldest record's id.

    Overdue: `deadline_field` (the workflow's deadline_at by default; a DateField when
    `deadline_is_date`, overdue from the day after) has passed; None: nothing is overdue."""
    qs = qs.order_by()
    # Names no module query annotates (safety and congress annotate "late").
    aggregates: dict = {
        "queue_n": Count("pk", distinct=True),
        "queue_oldest": Min(since_field),
    }
    if deadline_field:
        now = timezone.localdate() if deadline_is_date else timezone.now()
        aggregates["queue_late"] = Count(
            "pk", filter=Q(**{f"{deadline_field}__lt": now}), distinct=True
        )
    row = qs.aggregate(**aggregates)
    count = row["queue_n"] or 0
    oldest_url = None
    if count and item_url is not None:
        pk = qs.order_by(since_field, "pk").values_list("pk", flat=True).first()
        oldest_url = item_url(pk) if pk is not None else None
    return Queue(
        key=key,
        label=label,
        count=count,
        url=url,
        overdue=row.get("queue_late") or 0,
        oldest_since=row["queue_oldest"] if count else None,
        oldest_url=oldest_url,
        order=order,
        note=note,
    )


QueueProvider = Callable[[object], Iterable[Queue]]
_PROVIDERS: list[QueueProvider] = []


def register_queues(provider: QueueProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def _sort_key(q: Queue):
    since = q.oldest_date or dt.date.max
    return (q.count == 0, q.overdue == 0, since, q.order)


def ordered(queues: Iterable[Queue]) -> list[Queue]:
    """Queues with overdue work first, then the oldest waiting first; empty ones last."""
    return sorted(queues, key=_sort_key)


def queues_for(user) -> list[Queue]:
    """Every registered module's queues for `user`, ordered; a provider that fails is logged
    and skipped (one module cannot take the workspace down)."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Queue] = []
    for provider in _PROVIDERS:
        try:
            found.extend(provider(user))
        except Exception:
            logger.exception("queues: the provider %r failed", provider)
    return ordered(found)
