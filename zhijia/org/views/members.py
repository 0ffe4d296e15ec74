"""Pages of module org. Thin: parse, call a query or an action, render.

Permissions: `require` for what needs a permission anywhere, `queries.access_member` (404 out
of scope) for one record, and the actions check again over the record's unit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.core import excel
from zhijia.core.errors import ActionRefused
from zhijia.core.forms import run_action
from zhijia.core.home import profile_panels_for
from zhijia.core.permissions import has_perm, require
from zhijia.org import exports
from zhijia.org.actions import members as actions
from zhijia.org.forms.members import (
    BulkForm,
    MemberFilterForm,
    MemberForm,
    StatusForm,
    TransferForm,
)
from zhijia.org.queries import dues as dues_queries
from zhijia.org.queries import members as queries

# The member's own page shows the latest months of dues and links to every month.
RECENT_DUES_MONTHS = 24


def _querystring(request, drop=("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _filter_form(request, data):
    return MemberFilterForm(
        data,
        units=queries.list_units_visible_to(request.user, include_closed=True),
        departments=queries.list_departments(),
    )


# --- member list, export, bulk actions --------------------------------------------------------


@login_required
@require_GET
def member_list(request):
    require(request.user, "org.view_member")
    form = _filter_form(request, request.GET or None)
    filters = form.to_filters()
    page = queries.page_members(request.user, filters, request.GET.get("page"))
    context = {
        "title": _("会员名册"),
        "form": form,
        "page": page,
        "members": page.items,
        "querystring": _querystring(request),
        "can_export": has_perm(request.user, "org.export_members"),
        "can_import": has_perm(request.user, "org.import_members"),
        "can_change": has_perm(request.user, "org.change_member"),
        "bulk_form": BulkForm(),
    }
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, "org/_member_table.html", context)
    return render(request, "org/member_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_export(request):
    """GET: the filtered list; POST with ids: the rows selected in the list."""
    require(request.user, "org.export_members")
    scope = queries.members_in_scope(request.user, "org.export_members")
    if request.method == "POST":
        ids = queries.parse_ids(request.POST.getlist("ids"))
        qs = scope.filter(pk__in=ids).order_by("employee_no")
        described: dict[str, object] = {"selected": len(ids)}
    else:
        filters = _filter_form(request, request.GET or None).to_filters()
        qs = queries.filter_members(scope, filters)
        described = {
            "q": filters.q,
            "unit": filters.unit.name if filters.unit else "",
            "status": filters.status,
            "employment_type": filters.employment_type,
            "gender": filters.gender,
            "department": filters.department.name if filters.department else "",
            "join_year": filters.join_year,
        }
    sheet = exports.roster_sheet(qs)
    response = excel.xlsx_response("members.xlsx", sheet, stamp=True, stream=True)
    count = sheet.written
    actions.do_record_export(actor=request.user, kind="members", count=count, filters=described)
    return response


@login_required
@require_POST
def member_bulk(request):
    """Bulk actions on the rows ticked in the list: change their status."""
    require(request.user, "org.change_member")
    form = BulkForm(request.POST)
    ids = queries.parse_ids(request.POST.getlist("ids"))
    back = _safe_next(request, reverse("org:member-list"))
    if not ids or not form.is_valid() or not form.cleaned_data.get("status"):
        messages.error(request, _("请勾选会员并选择要改为的状态"))
        return redirect(back)
    members = list(queries.members_in_scope(request.user, "org.change_member").filter(pk__in=ids))
    try:
        changed = actions.do_bulk_change_status(
            actor=request.user,
            members=members,
            status=form.cleaned_data["status"],
            reason=_("批量修改"),
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已修改 %(n)d 名会员的状态") % {"n": changed})
    return redirect(back)


# --- one member -----------------------------------------------------------------------------


def _detail_context(request, member, **extra):
    user = request.user
    unit = member.org_unit
    context = {
        "title": member.name,
        "member": member,
        "is_own": queries.is_own_record(user, member),
        "can_edit": has_perm(user, "org.change_member", unit=unit),
        "can_transfer": has_perm(user, "org.transfer_member", unit=unit)
        and member.status == member.Status.ACTIVE,
        "can_reveal": has_perm(user, "org.view_id_number", unit=unit),
        "can_dues": has_perm(user, "org.manage_dues", unit=unit)
        or queries.is_own_record(user, member),
        "can_set_dues_mode": has_perm(user, "org.manage_dues", unit=unit),
        "transfers": queries.transfers_of(member),
        # Cards other modules add to the record (zhijia.core.home.register_profile_panels).
        "profile_panels": profile_panels_for(request, member),
        "status_form": StatusForm(initial={"status": member.status}),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def member_detail(request, member_id: int):
    member = queries.access_member(request.user, member_id)
    return render(request, "org/member_detail.html", _detail_context(request, member))


@login_required
@require_POST
@never_cache
def member_reveal_id(request, member_id: int):
    """Show the full 身份证号 once, to a cadre holding org.view_id_number; audited."""
    member = queries.access_member(request.user, member_id)
    full = actions.do_reveal_id_number(actor=request.user, member=member)
    if getattr(request, "htmx", False):
        response = render(request, "org/_id_revealed.html", {"id_number": full})
    else:
        response = render(
            request, "org/member_detail.html", _detail_context(request, member, revealed_id=full)
        )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def member_status(request, member_id: int):
    member = queries.access_member(request.user, member_id)
    require(request.user, "org.change_member", unit=member.org_unit)
    form = StatusForm(request.POST)
    status = 400
    if form.is_valid():
        changed, status = run_action(
            form,
            lambda: actions.do_change_member_status(
                actor=request.user,
                member=member,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if status == 200:
            if changed:
                messages.success(request, _("状态已修改"))
            return redirect("org:member-detail", member_id=member.pk)
    return render(
        request,
        "org/member_detail.html",
        _detail_context(request, member, status_form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request):
    require(request.user, "org.change_member")
    form = MemberForm(
        request.POST or None,
        units=queries.list_units_visible_to(request.user, "org.change_member"),
        departments=queries.list_departments(),
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        member, status = run_action(
            form,
            lambda: actions.do_create_member(
                actor=request.user, org_unit=form.org_unit_obj(), **form.changes()
            ),
        )
        if status == 200:
            messages.success(request, _("已新增会员 %(name)s") % {"name": member.name})
            return redirect("org:member-detail", member_id=member.pk)
    return render(
        request,
        "org/member_form.html",
        {"title": _("新增会员"), "form": form, "member": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, member_id: int):
    member = queries.access_member(request.user, member_id)
    require(request.user, "org.change_member", unit=member.org_unit)
    form = MemberForm(
        request.POST or None,
        units=[],
        departments=queries.list_departments(),
        member=member,
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        changed, status = run_action(
            form,
            lambda: actions.do_update_member(
                actor=request.user, member=member, changes=form.changes()
            ),
        )
        if status == 200:
            if changed:
                messages.success(request, _("会员档案已保存"))
            else:
                messages.info(request, _("没有修改任何内容"))
            return redirect("org:member-detail", member_id=member.pk)
    return render(
        request,
        "org/member_form.html",
        {"title": _("修改会员档案"), "form": form, "member": member},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, member_id: int):
    member = queries.access_member(request.user, member_id)
    require(request.user, "org.transfer_member", unit=member.org_unit)
    form = TransferForm(
        request.POST or None,
        units=queries.transfer_target_units(request.user),
        current=member.org_unit,
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        _result, status = run_action(
            form,
            lambda: actions.do_transfer_member(
                actor=request.user,
                member=member,
                to_unit=form.target(),
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if status == 200:
            messages.success(request, _("转移已办理"))
            return redirect("org:member-detail", member_id=member.pk)
    return render(
        request,
        "org/member_transfer.html",
        {
            "title": _("会员转移"),
            "form": form,
            "member": member,
            "transfers": queries.transfers_of(member),
        },
        status=status,
    )


# --- the member's own record (mobile) -------------------------------------------------------


@login_required
@require_GET
def me(request):
    member = queries.own_member(request.user)
    context: dict = {"title": _("我的会员档案"), "member": member}
    if member is not None:
        dues = dues_queries.dues_of(member)
        context.update(
            {
                "dues": dues[:RECENT_DUES_MONTHS],  # the page links to every month
                "dues_summary": dues_queries.summarize_dues(dues),
                "transfers": queries.transfers_of(member),
            }
        )
    return render(request, "org/me.html", context)
