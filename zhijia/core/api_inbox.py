"""API of the in-app inbox (/api/v1/inbox): the caller's own notifications.

Thin: the same reads and writes as the inbox page (zhijia.core.notify). Every caller sees only
their own messages; someone else's notification is 404, as on the page. Marking read is the
user's own state and is not audited.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from zhijia.core import notify
from zhijia.core.api_types import Id
from zhijia.core.pagination import MAX_PER_PAGE, PageParams, api_page, page_schema

router = Router(tags=["inbox"])

PAGE_SIZE = 30


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str  # a path on this site, or empty
    created_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


NotificationPage = page_schema(NotificationOut, name="NotificationPage", unread=int)


class InboxQuery(PageParams):
    unread: bool = Field(False, description="只列出未读通知")
    per_page: int = Field(PAGE_SIZE, ge=1, le=MAX_PER_PAGE, description="每页条数，1–200")


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int
    unread: int


@router.get("", response=NotificationPage)
def inbox(request, filters: Query[InboxQuery]):
    """My notifications, unread first and newest first within each group."""
    qs = notify.list_notifications_for_user(request.user)
    if filters.unread:
        qs = qs.filter(read_at__isnull=True)
    return {
        **api_page(qs, filters.page, filters.per_page),
        "unread": notify.unread_count(request.user),
    }


@router.get("/unread-count", response=UnreadOut)
def unread_count(request):
    """How many of my notifications are unread (for a badge)."""
    return {"unread": notify.unread_count(request.user)}


@router.post("/read-all", response=MarkedOut)
def mark_all_read(request):
    """Mark all my notifications read; `marked` says how many were unread."""
    marked = notify.do_mark_all_read(actor=request.user)
    return {"marked": marked, "unread": notify.unread_count(request.user)}


@router.get("/{notification_id}", response=NotificationOut)
def notification_detail(request, notification_id: Id):
    """One of my notifications (reading it here does not mark it read)."""
    return notify.access_notification(request.user, notification_id)


@router.post("/{notification_id}/read", response=NotificationOut)
def mark_read(request, notification_id: Id):
    """Mark one of my notifications read (again: no change)."""
    return notify.do_mark_read(actor=request.user, notification_id=notification_id)
