"""Template helpers of the dashboard's charts (zhijia.dashboard.charts)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import json_script

from zhijia.dashboard import charts

register = template.Library()


@register.simple_tag
def chart_json(figure) -> str:
    """The figure's chart data as a JSON <script> element ("" for a figure without chart)."""
    data = charts.chart_data(figure)
    return json_script(data, charts.element_id(figure.key)) if data is not None else ""


@register.simple_tag
def chart_id(figure) -> str:
    return charts.element_id(figure.key)


@register.filter
def counted_at(moment) -> str:
    """When a value shown was counted: 14:05 today, 12-06 14:05 before (local time)."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%m-%d %H:%M}"


@register.simple_tag
def echarts_url() -> str:
    return charts.echarts_url()
