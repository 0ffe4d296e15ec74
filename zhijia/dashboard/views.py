"""Pages of the dashboards: one per unit and period (a year, a quarter or a month of it; the
viewer picks among the units of their subtrees), its Excel, and the reports as PDF and
Word. Read only: nothing here writes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from zhijia.core import excel
from zhijia.core.pdf import pdf_response
from zhijia.dashboard import exports, queries, rules, statistics

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _period(request) -> rules.Period:
    """The period of the GET parameters: year=2026, with quarter=1..4 or month=1..12."""
    get = request.GET.get
    return rules.pick_period(get("year"), get("quarter"), get("month"), timezone.localdate())


def _board(request, report: str = rules.ANNUAL, *, behind_ok: bool = False) -> queries.Dashboard:
    unit = queries.access_unit(request.user, request.GET.get("unit"))
    period = _period(request)
    return queries.dashboard(request.user, unit, period, report=report, behind_ok=behind_ok)


def _slug(board: queries.Dashboard) -> str:
    return board.period.slug if board.period else str(board.year)


def _report(report: str) -> str:
    if report not in rules.REPORT_MODULES:
        raise Http404
    return report


@login_required
def index(request):
    # The page may show a figure as last counted while the worker counts it again (marked
    # with the time); the exports below are always counted on the current data.
    board = _board(request, behind_ok=True)
    return render(
        request,
        "dashboard/index.html",
        {
            "title": _("数据看板"),
            "board": board,
            "units": queries.units_for(request.user),
            "years": rules.selectable_years(timezone.localdate()),
            "quarters": rules.QUARTERS,
            "months": rules.MONTHS,
            "reports": [(code, exports.report_title(code)) for code in rules.REPORT_MODULES],
            "query": board.query,
        },
    )


@login_required
def export(request):
    board = _board(request)
    name = f"dashboard-{_slug(board)}-{board.unit.code}.xlsx"
    return excel.xlsx_response(name, *exports.figure_sheets(board))


@login_required
def report_pdf(request, report: str):
    board = _board(request, _report(report))
    title = exports.report_title(report)
    return pdf_response(
        "dashboard/report_pdf.html",
        {"board": board, "report_title": title},
        f"{title}-{board.unit.name}-{_slug(board)}.pdf",
        request,
        stylesheet="dashboard/print.css",
    )


@login_required
def report_docx(request, report: str):
    board = _board(request, _report(report))
    title = exports.report_title(report)
    response = HttpResponse(exports.report_docx(board, report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{title}-{board.unit.name}-{_slug(board)}.docx") or ""
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def statistics_export(request):
    """The statistics report to the higher union (工会统计年报) of a unit's subtree and a year,
    as Excel: the totals, then one row per direct child unit."""
    unit = queries.access_unit(request.user, request.GET.get("unit"))
    year = rules.pick_year(request.GET.get("year"), timezone.localdate())
    report = statistics.statistics_report(unit, year)
    return excel.xlsx_response(statistics.filename(report), *statistics.statistics_sheets(report))
