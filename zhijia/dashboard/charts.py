"""The dashboard's charts in the browser: the data of each figure's chart as JSON (read by
static/dashboard/charts.js, which draws it with Apache ECharts), and the URL of ECharts in the
site's own static files.

The page keeps its server-drawn SVG bars (rules.bar_chart) as the fallback: without JavaScript,
in the PDF, for a screen reader, and when ECharts is not installed (scripts/vendor-js.sh, run by
make install, puts it under zhijia/static/vendor/echarts/). charts.js hides the SVG only once
ECharts has drawn its chart."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from zhijia.dashboard import rules

ECHARTS = "vendor/echarts/echarts.min.js"
BAR = "bar"
LINE = "line"
# A breakdown whose every label is a month ("2026-03"), in order, is a trend: drawn as a line.
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def element_id(key: str) -> str:
    """The id of the figure's JSON element (figure keys are "module.name")."""
    return f"chart-{key.replace('.', '-')}"


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    return None


def is_trend(labels: list[str]) -> bool:
    """Months in increasing order, at least two of them."""
    return (
        len(labels) >= 2
        and all(MONTH.fullmatch(label) for label in labels)
        and labels == sorted(set(labels))
    )


def with_unit(shown: str, unit: str) -> str:
    """A value as shown with its unit: "50%", "3 件", "—" alone."""
    if not unit or shown == "—":
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def chart_data(figure) -> dict[str, Any] | None:
    """What charts.js draws for one figure of the dashboard (a queries.FigureRow), or None for
    a figure the page draws no chart for: the same rows as the SVG bars, their numbers and
    their values as shown, the figure's unit and its drill-down link ("" when the viewer is not
    shown one); the texts of the tooltips (as the SVG bars' titles) and what a screen reader is
    told instead of the picture: every row with its value."""
    if figure.chart is None:
        return None
    labels = [str(label) for label, _ in figure.raw_rows]
    shown = [rules.show(v) for _, v in figure.raw_rows]
    unit = str(figure.unit)
    values = [with_unit(s, unit) for s in shown]
    return {
        "kind": LINE if is_trend(labels) else BAR,
        "label": str(figure.label),
        "unit": unit,
        "url": figure.url,
        "labels": labels,
        "values": [_number(v) for _, v in figure.raw_rows],
        "shown": shown,
        "tips": [f"{label}：{value}" for label, value in zip(labels, values, strict=True)],
        "description": f"{figure.label}："
        + "；".join(f"{label} {value}" for label, value in zip(labels, values, strict=True)),
    }


def echarts_url() -> str:
    """The URL of ECharts among the site's static files; "" when it is not installed there
    (then the page loads no ECharts and keeps its SVG bars, rather than failing on the missing
    entry of the collected files' manifest)."""
    if finders.find(ECHARTS) is None:
        return ""
    try:
        return staticfiles_storage.url(ECHARTS)
    except ValueError:  # the manifest of the collected files does not list it (yet)
        return ""
