"""API of the caller's work queues (GET /api/v1/org/me/queues, beside /org/me): what waits
for a cadre, handler, mediator or counselor, the same queues as the workspace's 我的待办
(zhijia.core.queues; each module registers its own). A member without such work gets an
empty list. Bounded (one entry per kind of work), so not a page."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from zhijia.core.queues import queues_for

router = Router(tags=["org"])


class QueueOut(Schema):
    key: str  # "<module>.<queue>", stable
    label: str
    count: int
    overdue: int  # how many have passed their deadline
    oldest_on: dt.date | None  # when the oldest one started to wait (None: nothing waits)
    waiting_days: int | None
    oldest_url: str | None  # a path on this site
    url: str  # the page of the filtered list, a path on this site
    note: str  # one more line about what waits outside the count, or ""

    @staticmethod
    def resolve_oldest_on(obj) -> dt.date | None:
        return obj.oldest_date


class QueuesOut(Schema):
    total: int  # records waiting, over every queue
    overdue: int
    queues: list[QueueOut]  # overdue first, then the oldest waiting first; empty ones last


@router.get("/me/queues", response=QueuesOut)
def my_queues(request):
    """The caller's work queues, with counts, overdue counts and the oldest item."""
    queues = queues_for(request.user)
    return {
        "total": sum(q.count for q in queues),
        "overdue": sum(q.overdue for q in queues),
        "queues": queues,
    }
