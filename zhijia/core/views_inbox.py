"""The inbox page: my notifications, unread first; mark read with htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhijia.core import notify
from zhijia.core.pagination import paginate

PAGE_SIZE = 30


@require_GET
@login_required
def inbox(request):
    page = paginate(request, notify.list_notifications_for_user(request.user), PAGE_SIZE)
    return render(
        request,
        "core/inbox.html",
        {"page": page, "unread": notify.unread_count(request.user)},
    )


@require_POST
@login_required
def mark_read(request, pk: int):
    note = notify.do_mark_read(actor=request.user, notification_id=pk)
    if request.htmx:
        return render(
            request,
            "core/inbox_item_read.html",
            {"note": note, "unread": notify.unread_count(request.user)},
        )
    return redirect("core:inbox")


@require_POST
@login_required
def mark_all_read(request):
    notify.do_mark_all_read(actor=request.user)
    return redirect("core:inbox")


@require_POST
@login_required
def open_notification(request, pk: int):
    """Mark read and go to the page the notification points to (only within this site)."""
    note = notify.do_mark_read(actor=request.user, notification_id=pk)
    if note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.url)
    return redirect("core:inbox")
