"""What dashboard adds to the home pages (registered in DashboardConfig.ready): the link to
the dashboard on the workspace of cadres and viewers."""

from __future__ import annotations

from django.urls import reverse

from zhijia.core.home import Panel
from zhijia.dashboard import queries


def workspace_panel(request):
    if queries.may_view(request.user):
        yield Panel(
            "dashboard/_workspace_panel.html", {"url": reverse("dashboard:index")}, order=10
        )
