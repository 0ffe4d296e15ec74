"""Pages of module org. Thin: parse, call a query or an action, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhijia.core.permissions import require
from zhijia.org import queries


@login_required
def member_list(request):
    require(request.user, "org.view_member")
    members = queries.members_visible_to(request.user)[:50]
    return render(request, "org/member_list.html", {"members": members})
