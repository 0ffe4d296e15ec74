"""Pages of the honours registry and 劳模 care: the worker's 我的荣誉 (phone) and the cadres'
registry, honour, care overview (with Excel). Thin: parse, call one query or action, render.
Roles without access get 403; records outside the caller's scope get 404. The "五型"班组 and
studio pages are in views/honours_teams.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services import honour_rules as rules
from zhijia.services.actions import honours as actions
from zhijia.services.forms.honours import (
    CareItemForm,
    CareRecordForm,
    DocumentsForm,
    HonourEditForm,
    HonourFilterForm,
    HonourForm,
    RevokeForm,
)
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR


def require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def require_configurer(request) -> None:
    if not queries.may_configure(request.user):
        raise PermissionDenied


def chosen_unit(request, units):
    raw = request.GET.get("unit", "")
    return next((u for u in units if str(u.pk) == raw), None) if raw else None


# --- the worker's page ----------------------------------------------------------------------------


@login_required
def mine(request):
    require_member(request)
    return render(
        request,
        "services/honours/mine.html",
        {
            "title": _("我的荣誉"),
            "honours": paginate(request, queries.my_honours(request.user)),
            "studios": list(queries.my_studios(request.user)),
        },
    )


# --- the registry ---------------------------------------------------------------------------------


def _filters(request) -> tuple[HonourFilterForm, queries.HonourFilters, list, object]:
    units = queries.unit_choices(request.user)
    data = request.GET.copy()
    data.setdefault("state", "active")
    form = HonourFilterForm(data)
    unit = chosen_unit(request, units)
    if not form.is_valid():
        return form, queries.HonourFilters(state="active"), units, unit
    d = form.cleaned_data
    filters = queries.HonourFilters(
        q=d["q"] or "",
        kind=d["kind"] or "",
        level=d["level"] or "",
        year=d["year"],
        unit=unit,
        state=d["state"] or "",
    )
    return form, filters, units, unit


@login_required
def desk(request):
    require_manager(request)
    form, filters, units, unit = _filters(request)
    return render(
        request,
        "services/honours/desk.html",
        {
            "title": _("荣誉管理"),
            "form": form,
            "units": units,
            "unit": unit,
            "honours": paginate(request, queries.filtered_honours(request.user, filters)),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def desk_export(request):
    require_manager(request)
    _form, filters, _units, _unit = _filters(request)
    rows = (
        (
            h.year,
            h.get_kind_display(),
            h.get_level_display(),
            h.title,
            h.holder_name,
            h.member.employee_no if h.member_id and h.member else "",
            h.org_unit.name,
            h.awarding_body,
            h.source_label,
            h.state_label,
            h.revoke_reason,
        )
        for h in queries.filtered_honours(request.user, filters).iterator()
    )
    sheet = excel.Sheet(
        _("荣誉名录"),
        [
            _("年度"),
            _("类别"),
            _("级别"),
            _("荣誉称号"),
            _("获得者"),
            excel.Column(_("工号"), text=True),
            _("所属工会"),
            _("授予单位"),
            _("来源"),
            _("状态"),
            _("撤销原因"),
        ],
        rows,
        heading=[[_("荣誉名录")]],
    )
    return excel.xlsx_response("honours.xlsx", sheet, stream=True)


def _member(request, form, employee_no: str):
    if not employee_no.strip():
        return None
    member = queries.member_in_scope(request.user, employee_no)
    if member is None:
        form.add_error("member_employee_no", _("本单位范围内没有该工号的在册会员"))
    return member


@login_required
def desk_new(request):
    require_manager(request)
    form = HonourForm(request.POST or None, units=queries.unit_choices(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = _member(request, form, d["member_employee_no"])
        if not form.errors:
            honour, status = run_action(
                form,
                lambda: actions.do_record_honour(
                    actor=request.user,
                    kind=d["kind"],
                    level=d["level"],
                    year=d["year"],
                    title=d["title"],
                    awarding_body=d["awarding_body"],
                    unit=d["org_unit"],
                    member=member,
                    team_name=d["team_name"],
                    source_label=d["source_label"],
                    source_url=d["source_url"],
                ),
            )
            if status == 200:
                messages.success(request, _("荣誉已登记"))
                return redirect("services:honours-desk-honour", honour.pk)
    return render(
        request,
        "services/honours/form.html",
        {
            "title": _("登记荣誉"),
            "form": form,
            "back": reverse("services:honours-desk"),
            "confirm": _("登记后获得者会收到通知，荣誉显示在其“我的荣誉”和会员档案中。"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _honour_page(request, honour, *, revoke_form=None, documents_form=None, status=200):
    return render(
        request,
        "services/honours/honour.html",
        {
            "title": honour.title,
            "honour": honour,
            "steps": available_transitions(HONOUR, honour, request.user),
            "revoke_form": revoke_form or RevokeForm(),
            "documents_form": documents_form or DocumentsForm(),
            "documents": attachments.attachments_for(honour),
            "history": history_view(honour, request.user),
            "active": honour.in_state(HONOUR.states.active),
        },
        status=status,
    )


@login_required
def desk_honour(request, honour_id: int):
    require_manager(request)
    return _honour_page(request, queries.access_honour(request.user, honour_id))


@login_required
def desk_honour_edit(request, honour_id: int):
    require_manager(request)
    honour = queries.access_honour(request.user, honour_id)
    initial = {
        f: getattr(honour, f)
        for f in (
            "kind",
            "level",
            "year",
            "title",
            "awarding_body",
            "team_name",
            "source_label",
            "source_url",
            "note",
        )
    }
    form = HonourEditForm(request.POST or None, initial=initial)
    if honour.member_id:
        del form.fields["team_name"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _result, status = run_action(
            form,
            lambda: actions.do_update_honour(
                actor=request.user,
                honour=honour,
                kind=d["kind"],
                level=d["level"],
                year=d["year"],
                title=d["title"],
                awarding_body=d["awarding_body"],
                team_name=d.get("team_name", ""),
                source_label=d["source_label"],
                source_url=d["source_url"],
                note=d["note"],
            ),
        )
        if status == 200:
            messages.success(request, _("荣誉已修改"))
            return redirect("services:honours-desk-honour", honour.pk)
    back = reverse("services:honours-desk-honour", args=[honour.pk])
    return render(
        request,
        "services/honours/form.html",
        {"title": _("修改荣誉"), "form": form, "back": back},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def desk_honour_revoke(request, honour_id: int):
    require_manager(request)
    honour = queries.access_honour(request.user, honour_id)
    return step_view(
        request,
        form=RevokeForm(request.POST),
        call=lambda d: actions.do_revoke_honour(
            actor=request.user, honour=honour, reason=d["reason"]
        ),
        on_error=lambda form, status: _honour_page(
            request, honour, revoke_form=form, status=status
        ),
        success_url=reverse("services:honours-desk-honour", args=[honour.pk]),
        message=_("荣誉已撤销"),
    )


@login_required
@require_POST
def desk_honour_documents(request, honour_id: int):
    require_manager(request)
    honour = queries.access_honour(request.user, honour_id)
    return step_view(
        request,
        form=DocumentsForm(request.POST, request.FILES),
        call=lambda d: actions.do_add_honour_documents(
            actor=request.user, honour=honour, files=d["documents"]
        ),
        on_error=lambda form, status: _honour_page(
            request, honour, documents_form=form, status=status
        ),
        success_url=reverse("services:honours-desk-honour", args=[honour.pk]),
        message=_("文件已上传"),
    )


# --- 劳模 care ------------------------------------------------------------------------------------


def _care_lines(request):
    year = queries.year_of(request.GET.get("year"))
    units = queries.unit_choices(request.user)
    unit = chosen_unit(request, units)
    return year, units, unit, queries.care_lines(request.user, year, unit=unit)


STATUS_LABELS = {
    rules.DONE: _("已完成"),
    rules.PENDING: _("未到期"),
    rules.OVERDUE: _("逾期未完成"),
}


def _care_page(request, *, form=None, status=200):
    year, units, unit, lines = _care_lines(request)
    counts = {rules.DONE: 0, rules.PENDING: 0, rules.OVERDUE: 0}
    for line in lines:
        for _item, state, _rec in line.items:
            counts[state] += 1
    return render(
        request,
        "services/honours/care.html",
        {
            "title": _("劳模关爱"),
            "year": year,
            "units": units,
            "unit": unit,
            "lines": [
                (line, [(i, state, rec, STATUS_LABELS[state]) for i, state, rec in line.items])
                for line in lines
            ],
            "counts": counts,
            "form": form,
            "may_configure": queries.may_configure(request.user),
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@login_required
def care(request):
    require_manager(request)
    return _care_page(request)


@login_required
def care_export(request):
    require_manager(request)
    year, _units, _unit, lines = _care_lines(request)
    rows = (
        (
            line.member.employee_no,
            line.member.name,
            line.member.org_unit.name,
            "、".join(f"{h.year} {h.title}" for h in line.honours),
            item.name,
            item.due_month,
            str(STATUS_LABELS[state]),
            rec.done_on if rec else None,
            rec.note if rec else "",
        )
        for line in lines
        for item, state, rec in line.items
    )
    sheet = excel.Sheet(
        _("劳模关爱"),
        [
            excel.Column(_("工号"), text=True),
            _("姓名"),
            _("所属工会"),
            _("荣誉"),
            _("关爱项目"),
            _("应完成月份"),
            _("状态"),
            excel.Column(_("完成日期"), date=True),
            _("说明"),
        ],
        rows,
        heading=[[_("%(year)d 年劳模关爱情况") % {"year": year}]],
    )
    return excel.xlsx_response(f"honour-care-{year}.xlsx", sheet, stream=True)


@login_required
@require_POST
def care_record(request):
    require_manager(request)
    form = CareRecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        member = queries.access_care_member(request.user, d["member_id"])
        item = queries.access_care_item(d["item_id"])
        _rec, status = run_action(
            form,
            lambda: actions.do_record_honour_care(
                actor=request.user,
                member=member,
                item=item,
                year=d["year"],
                done_on=d["done_on"],
                note=d["note"],
            ),
        )
        if status == 200:
            messages.success(request, _("关爱记录已保存"))
            return redirect(reverse("services:honours-care") + f"?year={d['year']}")
    else:
        status = 400
    return _care_page(request, form=form, status=status)


@login_required
def care_items(request):
    require_configurer(request)
    form = CareItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _item, status = run_action(
            form,
            lambda: actions.do_create_honour_care_item(
                actor=request.user,
                name=d["name"],
                kind=d["kind"],
                level=d["level"],
                due_month=d["due_month"],
            ),
        )
        if status == 200:
            messages.success(request, _("关爱项目已添加"))
            return redirect("services:honours-care-items")
    return render(
        request,
        "services/honours/care_items.html",
        {"title": _("劳模关爱项目"), "items": queries.all_care_items(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def care_item_active(request, item_id: int):
    """Retire a care item, or use it again (the button sends active=0 or 1)."""
    require_configurer(request)
    item = queries.access_config_care_item(request.user, item_id)
    active = request.POST.get("active") == "1"
    try:
        actions.do_set_honour_care_item_active(actor=request.user, item=item, active=active)
    except actions.HonourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已启用") if active else _("已停用"))
    return redirect("services:honours-care-items")
