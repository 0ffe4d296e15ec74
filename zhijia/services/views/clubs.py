"""Pages of interest groups: members browse, ask to join and leave; leaders and cadres decide
join requests; cadres create groups and name leaders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import first_error, step_view
from zhijia.services.actions import clubs as actions
from zhijia.services.forms.clubs import ClubForm, JoinClubForm
from zhijia.services.models import ClubMembership
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries

M = ClubMembership.Status


def _require_member(request) -> None:
    if queries.member_of(request.user) is None:
        raise PermissionDenied


@login_required
def home(request):
    _require_member(request)
    clubs = paginate(request, club_queries.clubs_for_member(request.user))
    return render(
        request,
        "services/activities/clubs.html",
        {"title": _("兴趣小组"), "clubs": clubs, "mine": list(club_queries.my_clubs(request.user))},
    )


def _club_page(request, club, *, form=None, status=200):
    row = club_queries.membership_of(request.user, club)
    return render(
        request,
        "services/activities/club.html",
        {
            "title": club.name,
            "club": club,
            "row": row,
            "leaders": club_queries.memberships_of(club).filter(status=M.MEMBER, is_leader=True),
            "members_count": club_queries.memberships_of(club).filter(status=M.MEMBER).count(),
            "events": club_queries.club_activities(club),
            "form": form or JoinClubForm(),
            "manager": club_queries.may_manage_club(request.user, club),
        },
        status=status,
    )


@login_required
def detail(request, club_id: int):
    return _club_page(request, club_queries.access_club(request.user, club_id))


@login_required
@require_POST
def join(request, club_id: int):
    _require_member(request)
    club = club_queries.access_club(request.user, club_id)
    return step_view(
        request,
        form=JoinClubForm(request.POST),
        call=lambda data: actions.do_request_club_join(
            actor=request.user, club=club, note=data.get("note", "")
        ),
        on_error=lambda bound, status: _club_page(request, club, form=bound, status=status),
        success_url=reverse("services:clubs-detail", args=[club.pk]),
        message=_("申请已提交，等待小组负责人审核"),
    )


@login_required
@require_POST
def leave(request, club_id: int):
    _require_member(request)
    club = club_queries.access_club(request.user, club_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _club_page(request, club, status=status)

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_leave_club(actor=request.user, club=club),
        on_error=refused,
        success_url=reverse("services:clubs-detail", args=[club.pk]),
        message=_("已退出该兴趣小组"),
    )


# --- managing -------------------------------------------------------------------------------------


@login_required
def manage(request):
    clubs = paginate(request, club_queries.managed_clubs(request.user))
    return render(
        request,
        "services/activities/clubs_manage.html",
        {
            "title": _("兴趣小组管理"),
            "clubs": clubs,
            "may_create": queries.may_manage(request.user),
        },
    )


@login_required
def manage_list_export(request):
    sheet = excel.Sheet(
        _("兴趣小组"),
        [_("名称"), _("所属工会"), _("成员"), _("待审核"), _("活动中")],
        rows=(
            (
                c.name,
                c.org_unit.name,
                getattr(c, "members_count", 0),
                getattr(c, "pending", 0),
                _("是") if c.is_active else "",
            )
            for c in club_queries.managed_clubs(request.user)
        ),
    )
    return excel.xlsx_response("clubs.xlsx", sheet, stamp=True)


@login_required
def create(request):
    if not queries.may_manage(request.user):
        raise PermissionDenied
    form = ClubForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            club, status = run_action(
                form, lambda: actions.do_create_club(actor=request.user, **form.cleaned_data)
            )
            if club is not None:
                messages.success(request, _("兴趣小组已创建"))
                return redirect("services:clubs-manage-detail", club.pk)
        else:
            status = 400
    return render(
        request,
        "services/activities/club_form.html",
        {"title": _("新建兴趣小组"), "form": form},
        status=status,
    )


def _manage_page(request, club, *, status=200):
    rows = paginate(request, club_queries.memberships_of(club), 100)
    return render(
        request,
        "services/activities/club_manage.html",
        {
            "title": club.name,
            "club": club,
            "rows": rows,
            "cadre": club_queries.is_club_cadre(request.user, club),
        },
        status=status,
    )


@login_required
def manage_detail(request, club_id: int):
    return _manage_page(request, club_queries.access_managed_club(request.user, club_id))


@login_required
def manage_export(request, club_id: int):
    club = club_queries.access_managed_club(request.user, club_id)
    sheet = excel.Sheet(
        _("小组成员"),
        [excel.Column(_("工号"), text=True), _("姓名"), _("所属工会"), _("状态"), _("负责人")],
        rows=(
            (
                m.member.employee_no,
                m.member.name,
                m.member.org_unit.name,
                m.get_status_display(),
                _("是") if m.is_leader else "",
            )
            for m in club_queries.memberships_of(club)
        ),
        heading=[[club.name]],
    )
    return excel.xlsx_response(f"club-{club.pk}-members.xlsx", sheet)


def _membership_step(request, membership_id: int, call, message: str):
    row = club_queries.access_managed_membership(request.user, membership_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _manage_page(request, row.club, status=status)

    return step_view(
        request,
        form=None,
        call=lambda data: call(row),
        on_error=refused,
        success_url=reverse("services:clubs-manage-detail", args=[row.club_id]),
        message=message,
    )


@login_required
@require_POST
def decide(request, membership_id: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404
    approve = decision == "approve"
    return _membership_step(
        request,
        membership_id,
        lambda row: actions.do_decide_club_request(
            actor=request.user, membership=row, approve=approve
        ),
        _("已同意入会申请") if approve else _("已拒绝入会申请"),
    )


@login_required
@require_POST
def leader(request, membership_id: int):
    make = request.POST.get("leader") == "1"
    return _membership_step(
        request,
        membership_id,
        lambda row: actions.do_set_club_leader(actor=request.user, membership=row, leader=make),
        _("已设为负责人") if make else _("已取消负责人"),
    )
