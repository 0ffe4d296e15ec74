"""Pages of the dues (会费): a member's ledger, a month's records in a unit (generate the month,
record payments), arrears and their export. Thin: parse, call a query or an action, render.

A member reads their own ledger; everything else needs org.manage_dues (the actions check it
again over each member's unit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.core import excel
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import paginate
from zhijia.core.permissions import require
from zhijia.org import exports, rules
from zhijia.org.actions import dues as actions
from zhijia.org.actions import members as member_actions
from zhijia.org.forms.dues import ArrearsFilterForm, DuesMonthForm
from zhijia.org.models import OrgUnit
from zhijia.org.queries import dues as queries
from zhijia.org.queries import members as member_queries
from zhijia.org.views.members import _querystring, _safe_next


@login_required
@require_GET
def dues_member(request, member_id: int):
    member = queries.access_member_dues(request.user, member_id)
    year = request.GET.get("year")
    year_value = int(year) if year and year.isdigit() and 1900 <= int(year) <= 2999 else None
    records = queries.dues_of(member, year_value)
    return render(
        request,
        "org/dues_member.html",
        {
            "title": _("会费台账"),
            "member": member,
            "records": records,
            "summary": queries.summarize_dues(records),
            "year": year_value,
            "is_own": queries.is_own_record(request.user, member),
        },
    )


@login_required
@require_GET
def dues_overview(request):
    require(request.user, "org.manage_dues")
    units = member_queries.list_units_visible_to(request.user, "org.manage_dues")
    form = DuesMonthForm(request.GET or None, units=units)
    unit: OrgUnit | None
    if form.is_bound and form.is_valid():
        unit, month = form.unit_obj(), form.cleaned_data["month"]
    else:
        unit = units[0] if units else None
        month = rules.month_start(timezone.localdate())
    state = request.GET.get("state", "")
    records = queries.dues_in_unit(request.user, unit, month)
    summary = queries.summarize_dues(records)
    if state == "unpaid":
        records = records.filter(paid_at__isnull=True)
    elif state == "paid":
        records = records.filter(paid_at__isnull=False)
    page = paginate(request, records)
    return render(
        request,
        "org/dues_overview.html",
        {
            "title": _("会费管理"),
            "form": form,
            "unit": unit,
            "month": month,
            "state": state,
            "summary": summary,
            "page": page,
            "querystring": _querystring(request),
            "full_path": request.get_full_path(),
        },
    )


@login_required
@require_POST
def dues_generate(request):
    require(request.user, "org.manage_dues")
    units = member_queries.list_units_visible_to(request.user, "org.manage_dues")
    form = DuesMonthForm(request.POST, units=units)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("org:dues-overview")
    unit, month = form.unit_obj(), form.cleaned_data["month"]
    try:
        result = actions.do_generate_dues(actor=request.user, month=month, unit=unit)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已生成 %(created)d 条会费记录；已有 %(existing)d 条；%(missing)d 人未登记工资")
            % {
                "created": result.created,
                "existing": result.existing,
                "missing": result.without_wage,
            },
        )
    url = reverse("org:dues-overview")
    return redirect(f"{url}?unit={unit.pk}&month={month:%Y-%m}")


@login_required
@require_POST
def dues_pay(request):
    require(request.user, "org.manage_dues")
    records = queries.dues_records_for_payment(request.user, request.POST.getlist("ids"))
    back = _safe_next(request, reverse("org:dues-overview"))
    if not records:
        messages.error(request, _("请先勾选会费记录"))
        return redirect(back)
    count = actions.do_record_dues_payment(actor=request.user, records=records)
    messages.success(request, _("已登记 %(n)d 条会费缴纳") % {"n": count})
    return redirect(back)


def _arrears(request):
    require(request.user, "org.manage_dues")
    units = member_queries.list_units_visible_to(request.user, "org.manage_dues")
    form = ArrearsFilterForm(request.GET or None, units=units)
    unit = form.unit_obj()
    return form, unit, queries.arrears(request.user, unit)


@login_required
@require_GET
def arrears(request):
    form, unit, qs = _arrears(request)
    return render(
        request,
        "org/arrears.html",
        {
            "title": _("欠缴会费"),
            "form": form,
            "unit": unit,
            "page": paginate(request, qs),
            "summary": queries.arrears_summary(request.user, unit),
            "querystring": _querystring(request),
            "export_query": _querystring(request),
        },
    )


@login_required
@require_GET
def arrears_export(request):
    form, unit, qs = _arrears(request)
    sheet = exports.arrears_sheet(qs.iterator())
    response = excel.xlsx_response("arrears.xlsx", sheet, stamp=True, stream=True)
    count = sheet.written
    member_actions.do_record_export(
        actor=request.user,
        kind="arrears",
        count=count,
        filters={"unit": unit.name if unit else ""},
    )
    return response
