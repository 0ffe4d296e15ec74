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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.core import excel
from zhijia.core.errors import ActionRefused
from zhijia.core.forms import put_errors
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm, require
from zhijia.core.views_workflow import step_view
from zhijia.org import exports, rules
from zhijia.org.actions import dues as actions
from zhijia.org.actions import dues_import as importer
from zhijia.org.actions import members as member_actions
from zhijia.org.actions.roster_import import ImportRejected
from zhijia.org.forms.dues import (
    ArrearsFilterForm,
    DeductionUploadForm,
    DuesMonthForm,
    DuesPaidFilterForm,
    MemberDuesModeForm,
    UnitDuesModeForm,
)
from zhijia.org.models import OrgUnit
from zhijia.org.queries import dues as queries
from zhijia.org.queries import members as member_queries
from zhijia.org.views import uploads
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
            "status": queries.member_dues_status(member),
            "can_set_mode": has_perm(request.user, "org.manage_dues", unit=member.org_unit),
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


def _paid(request):
    require(request.user, "org.manage_dues")
    units = member_queries.list_units_visible_to(request.user, "org.manage_dues")
    form = DuesPaidFilterForm(request.GET or None, units=units)
    unit, days = form.unit_obj(), form.days()
    return form, unit, days, queries.dues_paid(request.user, unit, days)


@login_required
@require_GET
def dues_paid(request):
    """The dues paid within the days of payment chosen (the dashboard's 会费收缴 drill-down)."""
    form, unit, days, qs = _paid(request)
    return render(
        request,
        "org/dues_paid.html",
        {
            "title": _("会费收缴明细"),
            "form": form,
            "unit": unit,
            "page": paginate(request, qs),
            "summary": queries.summarize_dues(qs),
            "querystring": _querystring(request),
            "export_query": _querystring(request),
        },
    )


@login_required
@require_GET
def dues_paid_export(request):
    form, unit, days, qs = _paid(request)
    sheet = exports.dues_paid_sheet(qs.iterator())
    response = excel.xlsx_response("dues-paid.xlsx", sheet, stamp=True, stream=True)
    member_actions.do_record_export(
        actor=request.user,
        kind="dues_paid",
        count=sheet.written,
        filters={"unit": unit.name if unit else "", "days": days.query()},
    )
    return response


def _arrears(request):
    require(request.user, "org.manage_dues")
    units = member_queries.list_units_visible_to(request.user, "org.manage_dues")
    form = ArrearsFilterForm(request.GET or None, units=units)
    unit, mode, months = form.unit_obj(), form.mode_value(), form.days()
    return form, unit, mode, months, queries.arrears(request.user, unit, mode=mode, months=months)


@login_required
@require_GET
def arrears(request):
    form, unit, mode, months, qs = _arrears(request)
    return render(
        request,
        "org/arrears.html",
        {
            "title": _("欠缴会费"),
            "form": form,
            "unit": unit,
            "page": paginate(request, qs),
            "summary": queries.arrears_summary(request.user, unit, mode=mode, months=months),
            "querystring": _querystring(request),
            "export_query": _querystring(request),
        },
    )


@login_required
@require_GET
def arrears_export(request):
    form, unit, mode, months, qs = _arrears(request)
    sheet = exports.arrears_sheet(qs.iterator())
    response = excel.xlsx_response("arrears.xlsx", sheet, stamp=True, stream=True)
    count = sheet.written
    member_actions.do_record_export(
        actor=request.user,
        kind="arrears",
        count=count,
        filters={"unit": unit.name if unit else "", "mode": mode, "months": months.query()},
    )
    return response


# --- how the dues are collected ------------------------------------------------------------------


def _dues_mode_step(request, *, form, subject, extra: dict, action: str, back: str, call):
    """The collection-mode page of a unit or a member: the form on GET; on POST the shared
    step view, back to `back` saying whether the mode changed."""

    def page(bound, status=200):
        context = {
            "title": _("会费收缴方式"),
            "subject": subject,
            "form": bound,
            "action": action,
            "back": back,
            **extra,
        }
        return render(request, "org/dues_mode_form.html", context, status=status)

    def success_url(changed) -> str:
        messages.success(request, _("会费收缴方式已保存") if changed else _("没有变化"))
        return back

    if request.method != "POST":
        return page(form)
    return step_view(request, form=form, call=call, on_error=page, success_url=success_url)


@login_required
@require_http_methods(["GET", "POST"])
def unit_dues_mode(request, unit_id: int):
    """A unit's collection mode and payment note (org.manage_dues over the unit)."""
    require(request.user, "org.manage_dues")
    unit = queries.access_dues_unit(request.user, unit_id)
    settings = queries.unit_dues_settings(unit)
    form = UnitDuesModeForm(
        request.POST if request.method == "POST" else None,
        inherited_mode=settings.inherited_mode,
        top=unit.parent_id is None,
        initial={"dues_mode": unit.dues_mode, "dues_payment_note": unit.dues_payment_note},
    )
    return _dues_mode_step(
        request,
        form=form,
        subject=unit,
        extra={"settings": settings},
        action=reverse("org:unit-dues-mode", args=[unit.pk]),
        back=reverse("org:unit-detail", args=[unit.pk]),
        call=lambda data: actions.do_set_unit_dues_mode(
            actor=request.user,
            unit=unit,
            dues_mode=data["dues_mode"],
            dues_payment_note=data["dues_payment_note"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_dues_mode(request, member_id: int):
    """One member's own collection mode (org.manage_dues over her unit)."""
    member = member_queries.access_member(request.user, member_id)
    require(request.user, "org.manage_dues", unit=member.org_unit)
    form = MemberDuesModeForm(
        request.POST if request.method == "POST" else None,
        unit_mode=queries.unit_mode(member.org_unit),
        initial={"dues_mode": member.dues_mode},
    )
    return _dues_mode_step(
        request,
        form=form,
        subject=member,
        extra={"status": queries.member_dues_status(member)},
        action=reverse("org:member-dues-mode", args=[member.pk]),
        back=reverse("org:dues-member", args=[member.pk]),
        call=lambda data: actions.do_set_member_dues_mode(
            actor=request.user, member=member, dues_mode=data["dues_mode"]
        ),
    )


# --- the payroll office's deduction file ---------------------------------------------------------

MAX_SHOWN_ROWS = 500  # per table of the preview; the page says how many more there are


def _preview_context(plan: importer.DeductionPlan, token: str | None) -> dict:
    def shown(rows):
        return {"rows": rows[:MAX_SHOWN_ROWS], "more": max(0, len(rows) - MAX_SHOWN_ROWS)}

    return {
        "plan": plan,
        "token": token,
        "problems": shown(plan.problems),
        "already_paid": shown(plan.already_paid),
        "to_record": shown(plan.to_record),
    }


def _keep(request, data: bytes, plan: importer.DeductionPlan) -> str | None:
    if not plan.to_record:
        return None  # nothing to confirm
    return uploads.keep_pending(
        request.user,
        data,
        plan.filename,
        kind="dues",
        month=plan.month.strftime("%Y-%m"),
        digest=plan.digest(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dues_import(request):
    """Upload the payroll office's deduction file, preview every row, confirm to record."""
    require(request.user, "org.manage_dues")
    context: dict = {"title": _("导入工资代扣会费"), "columns": importer.COLUMNS}
    form = DeductionUploadForm()
    status = 200
    if request.method == "POST" and ("token" in request.POST or "cancel" in request.POST):
        if "cancel" in request.POST:
            uploads.take_pending(request.user, request.POST["cancel"], kind="dues")
            messages.info(request, _("已取消导入，未登记任何缴费。"))
            return redirect("org:dues-import")
        pending = uploads.take_pending(request.user, request.POST["token"], kind="dues")
        if pending is None:
            messages.error(request, _("待确认的导入已过期，请重新上传文件。"))
            return redirect("org:dues-import")
        month = rules.parse_month(pending["month"])
        assert month is not None, "kept by this view"
        try:
            result = importer.do_import_deductions(
                actor=request.user,
                source=pending["data"],
                filename=pending["filename"],
                month=month,
                expected=pending["digest"],
            )
        except importer.DeductionsChanged as changed:
            token = _keep(request, pending["data"], changed.plan)
            context.update(_preview_context(changed.plan, token), changed_since=True)
            status = changed.status
        else:
            messages.success(request, _import_message(result))
            return redirect("org:dues-import")
    elif request.method == "POST":
        form = DeductionUploadForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data, filename = upload.read(), upload.name[:200]
            try:
                plan = importer.plan_deductions(
                    data,
                    actor=request.user,
                    filename=filename,
                    month=form.cleaned_data["month"],
                )
            except ImportRejected as rejected:
                context.update(rejected=rejected, filename=filename)
            except ActionRefused as refused:
                put_errors(form, refused)
            else:
                status = 200
                context.update(_preview_context(plan, _keep(request, data, plan)))
    context["form"] = form
    return render(request, "org/dues_import.html", context, status=status)


def _import_message(result: importer.DeductionResult) -> str:
    text = _("已登记工资代扣 %(n)d 条，共 ¥%(amount)s") % {
        "n": result.recorded,
        "amount": f"{result.amount:,.2f}",
    }
    if result.already_paid:
        text += _("；%(n)d 条此前已登记，未重复登记") % {"n": result.already_paid}
    if result.problems:
        text += _("；%(n)d 行有问题未登记") % {"n": result.problems}
    if result.differing:
        text += _("；%(n)d 条扣缴金额与应缴不一致，已按扣缴金额登记") % {"n": result.differing}
    return text


@login_required
@require_GET
def dues_import_template(request):
    require(request.user, "org.manage_dues")
    return excel.bytes_response(importer.template_xlsx(), _("工资代扣会费导入模板.xlsx"))
