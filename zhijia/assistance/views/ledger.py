"""Pages of the fund ledger: funds, entries, income, counter-entries, monthly statement with
Excel export, payment runs (maker-checker) and the reconciliation against the union funds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import exports, rules
from zhijia.assistance import permissions as perms
from zhijia.assistance.actions import ledger as actions
from zhijia.assistance.forms.ledger import (
    DecisionForm,
    IncomeForm,
    ReconciliationForm,
    ReverseForm,
    RunForm,
)
from zhijia.assistance.models import LedgerEntry
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.core import dateranges, excel
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import step_view


@dataclass(eq=False)
class EntryRow(Row[LedgerEntry]):
    is_reversed: bool = False


@login_required
def fund_list(request):
    user = request.user
    if not has_perm(user, perms.VIEW_LEDGER):
        raise PermissionDenied
    # The dashboard's drill-down: the unit's subtree and the days paid within (?from=&to=).
    raw_unit = request.GET.get("unit", "")
    unit_id = int(raw_unit) if raw_unit.isdigit() and 0 < int(raw_unit) < 2**63 else None
    booked = dateranges.parse(request.GET)
    funds = queries_ledger.funds_with_spending(user, unit_id=unit_id, booked=booked)
    return render(
        request,
        "assistance/fund_list.html",
        {
            "title": _("帮扶资金"),
            "funds": funds,
            "paid_total": sum((f.paid for f in funds), Decimal("0.00")),
            "unit_id": unit_id,
            "daterange": booked,
            "runs_awaiting": list(queries_ledger.runs_awaiting(user)),
            "can_prepare": has_perm(user, perms.PREPARE_PAYMENT),
        },
    )


def _fund_context(request, fund, **forms):
    user = request.user
    can_manage = queries_ledger.can_manage_fund(user, fund)
    reversed_ids = queries_ledger.reversed_entry_ids(fund)
    entries = paginate(request, queries_ledger.entries_of(fund))
    entries.items = [EntryRow(e, is_reversed=e.pk in reversed_ids) for e in entries.items]
    context = {
        "title": fund.name,
        "fund": fund,
        "entries": entries,
        "runs": paginate(
            request,
            fund.payment_runs.select_related("prepared_by", "checked_by"),
            20,
            param="runs",
        ),
        "campaigns": list(fund.campaigns.all()),
        "can_manage": can_manage,
        "this_month": f"{timezone.localdate():%Y-%m}",
    }
    if can_manage and fund.is_active:
        context["income_form"] = forms.get("income_form") or IncomeForm()
        context["reverse_error"] = forms.get("reverse_error")
    return context


@login_required
def fund_detail(request, fund_id: int):
    fund = queries_ledger.access_fund(request.user, fund_id)
    return render(request, "assistance/fund_detail.html", _fund_context(request, fund))


@login_required
@require_POST
def fund_income(request, fund_id: int):
    fund = queries_ledger.access_fund(request.user, fund_id)
    if not queries_ledger.can_manage_fund(request.user, fund):
        raise PermissionDenied
    return step_view(
        request,
        form=IncomeForm(request.POST),
        call=lambda data: actions.do_record_income(actor=request.user, fund=fund, **data),
        on_error=lambda bound, status: render(
            request,
            "assistance/fund_detail.html",
            _fund_context(request, fund, income_form=bound),
            status=status,
        ),
        success_url=_fund_url(fund),
        message=_("收入已入账"),
    )


def _fund_url(fund) -> str:
    return reverse("assistance:fund-detail", args=[fund.pk])


@login_required
@require_POST
def entry_reverse(request, entry_id: int):
    entry = queries_ledger.access_entry(request.user, entry_id)
    fund = entry.fund
    if not queries_ledger.can_manage_fund(request.user, fund):
        raise PermissionDenied

    def on_error(bound, status):
        errors = [e for errs in bound.errors.values() for e in errs]
        return render(
            request,
            "assistance/fund_detail.html",
            _fund_context(request, fund, reverse_error=(entry.pk, errors)),
            status=status,
        )

    return step_view(
        request,
        form=ReverseForm(request.POST),
        call=lambda data: actions.do_reverse_entry(
            actor=request.user, entry=entry, reason=data["reason"]
        ),
        on_error=on_error,
        success_url=_fund_url(fund),
        message=_("已登记冲正分录"),
    )


def _month(request):
    text = request.GET.get("month") or ""
    return rules.parse_month(text) or timezone.localdate().replace(day=1)


@login_required
def fund_statement(request, fund_id: int):
    fund = queries_ledger.access_fund(request.user, fund_id)
    month = _month(request)
    s = queries_ledger.statement(fund, month)
    return render(
        request,
        "assistance/fund_statement.html",
        {
            "title": _("%(fund)s %(month)s 月报") % {"fund": fund.name, "month": f"{month:%Y-%m}"},
            "fund": fund,
            "s": s,
            "month": f"{month:%Y-%m}",
            "previous": f"{rules.add_months(month, -1):%Y-%m}",
            "next": f"{rules.add_months(month, 1):%Y-%m}",
        },
    )


@login_required
def fund_statement_export(request, fund_id: int):
    fund = queries_ledger.access_fund(request.user, fund_id)
    month = _month(request)
    sheet = exports.statement_sheet(queries_ledger.statement(fund, month))
    return excel.xlsx_response(f"{fund.name}-{month:%Y-%m}.xlsx", sheet)


# --- payment runs ---------------------------------------------------------------------------------


@login_required
def run_list(request):
    user = request.user
    if not (has_perm(user, perms.VIEW_LEDGER) or has_perm(user, perms.PREPARE_PAYMENT)):
        raise PermissionDenied
    return render(
        request,
        "assistance/run_list.html",
        {
            "title": _("发放批次"),
            "runs": paginate(request, queries_ledger.runs_visible_to(user)),
            "funds": queries_ledger.funds_for_preparer(user)
            if has_perm(user, perms.PREPARE_PAYMENT)
            else [],
        },
    )


@login_required
def run_create(request, fund_id: int):
    user = request.user
    if not has_perm(user, perms.PREPARE_PAYMENT):
        raise PermissionDenied
    fund = queries_ledger.fund_for_preparer(user, fund_id)
    payable = list(queries_ledger.payable_applications(user, fund))
    form = RunForm(request.POST or None, payable=payable)

    def page(bound, status=200):
        return render(
            request,
            "assistance/run_form.html",
            {"title": _("编制发放批次"), "fund": fund, "form": bound, "payable": payable},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_prepare_payment_run(
            actor=user, fund=fund, applications=form.chosen(), title=data.get("title") or ""
        ),
        on_error=page,
        success_url=_run_url,
        message=_("发放批次已编制，等待另一位干部审核"),
    )


def _run_url(run) -> str:
    return reverse("assistance:run-detail", args=[run.pk])


def _run_context(request, run, form=None):
    user = request.user
    can_decide = (
        run.status == "prepared"
        and queries_ledger.can_approve_runs(user, run.fund)
        and run.prepared_by_id != user.pk
    )
    return {
        "title": run.title,
        "run": run,
        "items": list(queries_ledger.items_of(run)),
        "can_decide": can_decide,
        "is_preparer": run.prepared_by_id == user.pk,
        "form": form or DecisionForm(),
        "fund_visible": queries_ledger.funds_visible_to(user).filter(pk=run.fund_id).exists(),
    }


@login_required
def run_detail(request, run_id: int):
    run = queries_ledger.access_run(request.user, run_id)
    return render(request, "assistance/run_detail.html", _run_context(request, run))


def _decide(request, run_id: int, call, success: str):
    run = queries_ledger.access_run(request.user, run_id)

    def on_error(bound, status):
        run.refresh_from_db()
        return render(
            request, "assistance/run_detail.html", _run_context(request, run, bound), status=status
        )

    return step_view(
        request,
        form=DecisionForm(request.POST),
        call=lambda data: call(run, data.get("note") or ""),
        on_error=on_error,
        success_url=_run_url(run),
        message=success,
    )


@login_required
@require_POST
def run_approve(request, run_id: int):
    return _decide(
        request,
        run_id,
        lambda run, note: actions.do_approve_payment_run(actor=request.user, run=run, note=note),
        _("发放批次已审核，帮扶金已入账发放"),
    )


@login_required
@require_POST
def run_reject(request, run_id: int):
    return _decide(
        request,
        run_id,
        lambda run, note: actions.do_reject_payment_run(actor=request.user, run=run, note=note),
        _("发放批次已退回"),
    )


@login_required
@require_POST
def run_cancel(request, run_id: int):
    return _decide(
        request,
        run_id,
        lambda run, note: actions.do_cancel_payment_run(actor=request.user, run=run),
        _("发放批次已撤销"),
    )


# --- reconciliation -------------------------------------------------------------------------------


@login_required
def reconciliation(request):
    units = queries_ledger.reconciliation_units(request.user)
    if not units:
        raise PermissionDenied
    form = ReconciliationForm(
        request.GET or None,
        units=units,
        initial={"unit": units[0].pk, "year": timezone.localdate().year},
    )
    result = None
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            result = queries_ledger.reconciliation(
                request.user, data["unit"], data["year"], data.get("payroll")
            )
    else:
        result = queries_ledger.reconciliation(request.user, units[0], timezone.localdate().year)
    return render(
        request,
        "assistance/reconciliation.html",
        {"title": _("帮扶资金与工会经费对账"), "form": form, "r": result},
        status=200 if result is not None else 400,
    )
