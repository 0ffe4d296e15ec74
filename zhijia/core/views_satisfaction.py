"""The satisfaction index's pages: the index by service, month and unit (with its Excel file),
and the follow-ups of 不满意 ratings. Thin: parse, call core.satisfaction_index, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhijia.core import dateranges, excel, satisfaction_index
from zhijia.core.hooks import directory
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.satisfaction_index import FOLLOW_UP_RATING, VIEW_SATISFACTION
from zhijia.core.views_workflow import first_error, step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.core.workflows import FOLLOW_UP

PERIODS = (3, 6, 12, 24)  # months the page offers
BAR_HEIGHT = 40  # the trend's bars, in SVG units


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("回访情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("与职工联系的方式、职工反映的问题、已做或将做的改进。"),
    )


@dataclass
class Filters:
    months: int
    unit_path: str
    units: list
    unit_name: str


def _filters(request) -> Filters:
    user = request.user
    if not has_perm(user, VIEW_SATISFACTION):
        raise PermissionDenied(VIEW_SATISFACTION)
    try:
        months = int(request.GET.get("months") or satisfaction_index.DEFAULT_MONTHS)
    except ValueError:
        months = satisfaction_index.DEFAULT_MONTHS
    if months not in PERIODS:
        months = satisfaction_index.DEFAULT_MONTHS
    units = directory().units_visible_to(user, VIEW_SATISFACTION)
    by_id = {str(u.pk): u for u in units}
    chosen = by_id.get(request.GET.get("unit") or "") or (units[0] if units else None)
    if chosen is None:
        raise PermissionDenied(VIEW_SATISFACTION)
    return Filters(months, chosen.path, units, chosen.name)


def _bars(months) -> list[dict]:
    """The trend as bars: height by the month's index, empty months marked."""
    bars = []
    for index, (day, figure) in enumerate(months):
        value = figure.percent
        height = 0 if value is None else max(1, round(BAR_HEIGHT * value / 100))
        bars.append(
            {
                "x": index * 10,
                "y": BAR_HEIGHT - height,
                "height": height,
                "label": f"{day:%Y-%m}",
                "month": _("%(m)d月") % {"m": day.month},
                "value": value,
                "total": figure.total,
            }
        )
    return bars


def _export_query(request) -> str:
    query = request.GET.copy()
    query["format"] = "xlsx"
    return query.urlencode()


@require_GET
@login_required
def index(request):
    filters = _filters(request)
    since, until = satisfaction_index.period(filters.months)
    # ?from=&to= (the dashboard's drill-down) replaces the last months by those days.
    days = dateranges.parse(request.GET)
    if days.start is not None:
        since = days.start
    if days.end is not None:
        until = days.end + timedelta(days=1)
    result = satisfaction_index.index_for(
        request.user, since=since, until=until, unit_path=filters.unit_path
    )
    units = satisfaction_index.units_for(
        request.user, since=since, until=until, parent_path=filters.unit_path, units=filters.units
    )
    if request.GET.get("format") == "xlsx":
        return excel.xlsx_response(
            f"satisfaction-{since:%Y%m}-{until:%Y%m}.xlsx", *_sheets(result, units, filters)
        )
    rows = [{"row": row, "bars": _bars(row.months)} for row in result.services]
    return render(
        request,
        "core/satisfaction/index.html",
        {
            "filters": filters,
            "daterange": days,
            "export_query": _export_query(request),
            "periods": PERIODS,
            "result": result,
            "rows": rows,
            "trend": _bars(result.months),
            "units": units,
            "codes": Satisfaction.choices,
            "help": satisfaction_index.SERVICE_HELP,
            "chart_width": 10 * len(result.months),
            "bar_height": BAR_HEIGHT,
            "can_follow_up": has_perm(request.user, FOLLOW_UP_RATING),
        },
    )


def _sheets(result, units, filters) -> list[excel.Sheet]:
    heading = [
        [
            _("满意度指数 · %(unit)s · %(since)s 至 %(until)s")
            % {
                "unit": filters.unit_name,
                "since": f"{result.since:%Y-%m}",
                "until": f"{result.months[-1][0]:%Y-%m}" if result.months else "",
            }
        ],
        [str(satisfaction_index.SERVICE_HELP)],
    ]
    counts = [str(label) for _code, label in Satisfaction.choices]
    by_service = excel.Sheet(
        _("按服务"),
        [excel.Column(_("服务"), width=20), _("评价数"), *counts, _("满意度指数（%）")],
        (
            [
                str(r.service.label),
                r.figure.total,
                *r.figure.by_code,
                r.figure.percent,
            ]
            for r in [*result.services]
        ),
        heading=heading,
    )
    by_month = excel.Sheet(
        _("按月"),
        [_("月份"), _("服务"), _("评价数"), _("满意度指数（%）")],
        (
            [f"{day:%Y-%m}", str(r.service.label), fig.total, fig.percent]
            for r in result.services
            for day, fig in r.months
            if fig.total
        ),
        heading=heading,
    )
    by_unit = excel.Sheet(
        _("按单位"),
        [excel.Column(_("单位"), width=28), _("评价数"), *counts, _("满意度指数（%）")],
        (
            [
                u.name,
                u.figure.total,
                *u.figure.by_code,
                u.figure.percent,
            ]
            for u in units
        ),
        heading=heading,
    )
    return [by_service, by_month, by_unit]


# --- follow-ups -------------------------------------------------------------------------------


@require_GET
@login_required
def follow_ups(request):
    if not has_perm(request.user, FOLLOW_UP_RATING):
        raise PermissionDenied(FOLLOW_UP_RATING)
    state = request.GET.get("state", FOLLOW_UP.states.open)
    qs = satisfaction_index.follow_ups_visible_to(request.user)
    if state in FOLLOW_UP.states:
        qs = qs.filter(state=state)
    qs = qs.order_by("deadline_at", "-id") if state == FOLLOW_UP.states.open else qs
    if request.GET.get("format") == "xlsx":
        return excel.xlsx_response("satisfaction-follow-ups.xlsx", _follow_up_sheet(qs))
    page = paginate(request, qs)
    for item in page:
        item.service_label = satisfaction_index.service_label(item.rating.service)
        item.state_label = FOLLOW_UP.state_label(item.state)
    return render(
        request,
        "core/satisfaction/follow_ups.html",
        {"page": page, "state": state, "states": list(FOLLOW_UP.states.items())},
    )


def _follow_up_sheet(qs) -> excel.Sheet:
    return excel.Sheet(
        _("满意度回访"),
        [
            _("服务"),
            excel.Column(_("记录"), width=24),
            _("评价时间"),
            _("状态"),
            _("期限"),
            excel.Column(_("回访情况"), width=40),
        ],
        (
            [
                satisfaction_index.service_label(f.rating.service),
                f.rating.record_label,
                f.rating.rated_at,
                FOLLOW_UP.state_label(f.state),
                f.deadline_at,
                f.note,
            ]
            for f in qs.iterator(chunk_size=500)
        ),
    )


def _follow_up_page(request, follow_up, *, status=200, form=None, error=None):
    can = {t.name for t in available_transitions(FOLLOW_UP, follow_up, request.user)}
    return render(
        request,
        "core/satisfaction/follow_up.html",
        {
            "follow_up": follow_up,
            "service_label": satisfaction_index.service_label(follow_up.rating.service),
            "state_label": FOLLOW_UP.state_label(follow_up.state),
            "form": form or (FollowUpForm() if "complete" in can else None),
            "error": error,
            "events": history_view(follow_up, request.user),
        },
        status=status,
    )


@require_GET
@login_required
def follow_up(request, follow_up_id: int):
    found = satisfaction_index.access_follow_up(request.user, follow_up_id)
    return _follow_up_page(request, found)


@require_POST
@login_required
def follow_up_complete(request, follow_up_id: int):
    found = satisfaction_index.access_follow_up(request.user, follow_up_id)

    def on_error(bound, status):
        return _follow_up_page(request, found, status=status, form=bound, error=first_error(bound))

    return step_view(
        request,
        form=FollowUpForm(request.POST),
        call=lambda data: satisfaction_index.do_complete_follow_up(
            actor=request.user, follow_up=found, note=data["note"]
        ),
        on_error=on_error,
        success_url=reverse("core:follow-up", args=[found.pk]),
        message=_("已记录回访情况"),
    )
