"""Shell pages: the home page is the member home or the cadre workspace.

Members and representatives get the mobile-first member home (what to do next, my records, my
dues, notifications); every other role (cadre, admin, viewer, handler, mediator,
counselor) gets the workspace: module cards from the navigation registry and the figures the
user may see. Both only read through the modules' queries.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import Role
from zhijia.core import notify, workdays
from zhijia.core.home import Todo, panels_for, todos_for
from zhijia.core.navigation import group_sections, nav_for
from zhijia.core.permissions import has_perm
from zhijia.org.models import Member
from zhijia.org.queries import members as org_queries

# Roles that open the workspace; members and representatives get the member home.
WORKSPACE_ROLES = frozenset(
    {Role.CADRE, Role.ADMIN, Role.VIEWER, Role.HANDLER, Role.MEDIATOR, Role.COUNSELOR}
)


def _url(name: str, *args) -> str | None:
    """The URL of a page, or None while the module that serves it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def is_workspace_user(user) -> bool:
    return bool(user.role_codes & WORKSPACE_ROLES)


@login_required
def home(request):
    if is_workspace_user(request.user):
        return _workspace(request)
    return _member_home(request)


def _member_home(request):
    user = request.user
    member = org_queries.own_member(user)
    unread = notify.unread_count(user)
    todos: list[Todo] = []
    dues_summary = None
    latest_dues = None
    if member is not None:
        dues = org_queries.dues_of(member)
        dues_summary = org_queries.summarize_dues(dues)
        latest_dues = dues.first()
        dues_url = _url("org:dues-member", member.pk)
        if dues_summary.unpaid and dues_url:
            todos.append(
                Todo(
                    _("缴纳会费"),
                    dues_url,
                    _("有 %(n)d 个月会费未缴，共 ¥%(amount)s")
                    % {"n": dues_summary.unpaid, "amount": f"{dues_summary.amount_unpaid:.2f}"},
                    urgent=True,
                )
            )
    inbox_url = _url("core:inbox")
    if unread and inbox_url:
        todos.append(
            Todo(_("查看未读通知"), inbox_url, _("%(n)d 条未读") % {"n": unread}, urgent=True)
        )
    # Other modules' items (votes to cast, proposals to rate, ...): see zhijia.core.home.
    todos.extend(todos_for(user))
    me_url = _url("org:me")
    if member is not None and me_url:
        todos.append(Todo(_("核对我的会员档案"), me_url, _("手机号、部门、岗位有变化请告诉工会")))
    context = {
        "title": _("首页"),
        "member": member,
        "is_representative": Role.REPRESENTATIVE in user.role_codes,
        "todos": todos,
        "panels": panels_for(request),
        "unread": unread,
        "notifications": list(notify.list_notifications_for_user(user)[:3]),
        "dues_summary": dues_summary,
        "latest_dues": latest_dues,
        "me_url": me_url,
        "dues_url": _url("org:dues-member", member.pk) if member is not None else None,
        "inbox_url": inbox_url,
        "security_url": _url("accounts:security"),
    }
    return render(request, "core/home_member.html", context)


def _previous_month(today: dt.date) -> dt.date:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _workspace(request):
    user = request.user
    figures: list[dict] = []
    if has_perm(user, "org.view_member"):
        active = org_queries.members_in_scope(user).filter(status=Member.Status.ACTIVE)
        count, exact = org_queries.count_capped(active)
        figures.append(
            {
                "label": _("在册会员"),
                "value": count,
                "exact": exact,
                "url": _url("org:member-list"),
            }
        )
    if has_perm(user, "org.manage_dues"):
        until = _previous_month(timezone.localdate())
        arrears = org_queries.arrears_summary(user, until=until)
        figures.append(
            {
                "label": _("欠缴会费会员"),
                "value": arrears["members"],
                "exact": True,
                "detail": _("截至上月，共 ¥%(total)s") % {"total": f"{arrears['total']:,.2f}"},
                "url": _url("org:arrears"),
            }
        )
    unread = notify.unread_count(user)
    figures.append(
        {"label": _("未读通知"), "value": unread, "exact": True, "url": _url("core:inbox")}
    )
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
    context = {
        "title": _("工作台"),
        "calendar_warnings": calendar_warnings,
        "overrides_url": _url("zhijia_admin:core_workdayoverride_changelist"),
        "assignments": assignments,
        "figures": figures,
        "sections": group_sections(nav_for(user)),
        "member": org_queries.own_member(user),
        "me_url": _url("org:me"),
    }
    return render(request, "core/home_workspace.html", context)
