"""Downloading attachments: the only way an uploaded file leaves the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from zhijia.core.attachments import can_access, get_attachment_or_404, serve_attachment


@require_GET
@login_required
def download(request, attachment_id):
    """The file when the owning record's access function allows it, otherwise 404.

    `?inline=1` shows an image in the page instead of downloading it.
    """
    attachment = get_attachment_or_404(attachment_id)
    allowed = can_access(request.user, attachment)
    return serve_attachment(request, attachment, allowed, inline=request.GET.get("inline") == "1")
