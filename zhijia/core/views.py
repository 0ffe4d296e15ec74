"""Shell pages: the home page is the member home or the cadre workspace.

Members and representatives get the mobile-first member home (what to do next, the modules'
cards, notifications); every other role (cadre, admin, viewer, handler, mediator, counselor)
gets the workspace: figures the user may see, module cards from the navigation registry, and
the modules' panels. What a module shows on either page it registers in zhijia.core.home (org:
the member's records, dues and e-card, the member and arrears figures); core imports no module.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from zhijia.core import notify, workdays
from zhijia.core.entrances import entrances_for
from zhijia.core.home import (
    GREETING,
    MEMBER,
    WORKSPACE,
    Figure,
    Todo,
    figures_for,
    panels_for,
    todos_for,
)
from zhijia.core.navigation import group_sections, nav_for
from zhijia.core.permissions import has_perm
from zhijia.core.queues import queues_for


def _url(name: str, *args) -> str | None:
    """The URL of a page, or None while the module that serves it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def is_workspace_user(user) -> bool:
    """Cadres and staff open the workspace (the user model says who: opens_workspace)."""
    return bool(getattr(user, "opens_workspace", False))


@login_required
def home(request):
    if is_workspace_user(request.user):
        return _workspace(request)
    return _member_home(request)


def _member_home(request):
    user = request.user
    unread = notify.unread_count(user)
    inbox_url = _url("core:inbox")
    if unread and inbox_url:
        # After the urgent items of the modules that come first (org's dues: order 10).
        inbox_todo = Todo(
            _("查看未读通知"), inbox_url, _("%(n)d 条未读") % {"n": unread}, urgent=True, order=20
        )
        todos = sorted([inbox_todo, *todos_for(user)], key=lambda t: (not t.urgent, t.order))
    else:
        todos = todos_for(user)
    context = {
        "title": _("首页"),
        "entrances": entrances_for(user),
        "todos": todos,
        "greeting_panels": panels_for(request, GREETING),
        "panels": panels_for(request, MEMBER),
        "unread": unread,
        "notifications": list(notify.list_notifications_for_user(user)[:3]),
        "inbox_url": inbox_url,
        "security_url": _url("accounts:security"),
    }
    return render(request, "core/home_member.html", context)


@login_required
def services(request):
    """服务: every service entrance the user may use (the phone tab bar's second tab)."""
    return render(
        request,
        "core/services.html",
        {"title": _("服务"), "entrances": entrances_for(request.user)},
    )


def _workspace(request):
    user = request.user
    unread = notify.unread_count(user)
    figures = [
        *figures_for(user),
        Figure(_("未读通知"), unread, url=_url("core:inbox"), order=1000),
    ]
    assignments = [
        {
            "role": a.get_role_display(),
            "title": a.title,
            "scope": a.org_unit or a.department or _("全局"),
        }
        for a in user.active_assignments()
    ]
    calendar_warnings: list[str] = []
    if has_perm(user, "core.configure"):
        calendar_warnings = workdays.calendar_gap_warnings()
    queues = queues_for(user)
    context = {
        "title": _("工作台"),
        # 我的待办 leads: the queues with work (overdue first, then the oldest waiting).
        "queues": [q for q in queues if q.count],
        "has_queues": bool(queues),
        "calendar_warnings": calendar_warnings,
        "overrides_url": _url("zhijia_admin:core_workdayoverride_changelist"),
        "assignments": assignments,
        "figures": figures,
        "sections": group_sections(nav_for(user)),
        "panels": panels_for(request, WORKSPACE),
    }
    return render(request, "core/home_workspace.html", context)
