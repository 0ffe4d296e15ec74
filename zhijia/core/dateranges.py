"""The date-range filter of the lists: `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both ends included,
one name across the modules (the dashboard's drill-downs pass the period of a figure with it,
so that the list behind a figure holds as many rows as the figure counts).

    rng = dateranges.parse(request.GET)            # DateRange(start, end, errors)
    qs = rng.apply(qs, "received_on")              # a DateField: __gte / __lte
    qs = rng.apply(qs, "reported_at")              # a DateTimeField: local days, end excluded
    dateranges.query(date(2026, 7, 1), date(2026, 7, 31))   # "from=2026-07-01&to=2026-07-31"

A list built on a Django form adds the two fields with `add_fields(form)` (they render in the
filter form, the errors next to them) and reads them back with `from_form(form)` after
is_valid().

A malformed date is ignored with an error for its field; a start after the end ignores both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FROM = "from"
TO = "to"

Q_ = TypeVar("Q_", bound=models.QuerySet)


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    def query(self) -> str:
        """The range as query parameters ("" when none)."""
        return query(self.start, self.end)

    def apply(self, qs: Q_, field_name: str) -> Q_:
        """Rows whose `field_name` (a date or datetime field of the queryset's model, or a
        path to one through foreign keys) falls within the range, both days included; the
        days of a datetime are those of the local time zone."""
        return qs.filter(self.q(qs.model, field_name)) if self else qs

    def q(self, model: Any, field_name: str) -> models.Q:
        """The range as a condition on `field_name` of `model` (a path through relations
        too), for an annotation's filter or a Q joined with others on the same relation."""
        cond = models.Q()
        if _is_datetime(model, field_name):
            from django.utils import timezone

            tz = timezone.get_default_timezone()
            if self.start is not None:
                lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
                cond &= models.Q(**{f"{field_name}__gte": lo})
            if self.end is not None:
                hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
                cond &= models.Q(**{f"{field_name}__lt": hi})
            return cond
        if self.start is not None:
            cond &= models.Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            cond &= models.Q(**{f"{field_name}__lte": self.end})
        return cond


def _is_datetime(model: Any, path: str) -> bool:
    f = None
    for name in path.split("__"):
        f = model._meta.get_field(name)
        model = f.related_model if f.is_relation else model
    return isinstance(f, models.DateTimeField)


def query(start: date | None, end: date | None) -> str:
    """`from=...&to=...` for a link ("" for no bounds)."""
    params = {}
    if start is not None:
        params[FROM] = start.isoformat()
    if end is not None:
        params[TO] = end.isoformat()
    return urlencode(params)


def _day(raw: Any) -> date | None:
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValueError(raw) from None


def parse(params: Mapping[str, Any]) -> DateRange:
    """The range asked for in `params` (request.GET); a bad date is dropped with an error."""
    errors: dict[str, str] = {}
    bounds: dict[str, date | None] = {}
    for name in (FROM, TO):
        try:
            bounds[name] = _day(params.get(name))
        except ValueError:
            bounds[name] = None
            errors[name] = _("日期格式应为 YYYY-MM-DD")
    start, end = bounds[FROM], bounds[TO]
    if start is not None and end is not None and start > end:
        errors[TO] = _("结束日期不能早于开始日期")
        start = end = None
    return DateRange(start, end, errors)


class DateInput(forms.DateInput):
    input_type = "date"


def add_fields(form: forms.Form, start_label: Any = None, end_label: Any = None) -> forms.Form:
    """Add the `from` and `to` fields to a list's filter form (they cannot be declared in a
    class body: `from` is a Python keyword); the labels name the date filtered on."""
    form.fields[FROM] = forms.DateField(
        label=start_label or gettext_lazy("起始日期"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
    )
    form.fields[TO] = forms.DateField(
        label=end_label or gettext_lazy("截止日期"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
    )
    return form


def from_form(form: forms.Form) -> DateRange:
    """The range of a validated form (fields added by add_fields); none when it is invalid
    (the list then shows everything, with the form's errors)."""
    data = getattr(form, "cleaned_data", None) or {}
    if form.errors.get(FROM) or form.errors.get(TO):
        return DateRange()
    start, end = data.get(FROM), data.get(TO)
    if start and end and start > end:
        form.add_error(TO, _("结束日期不能早于开始日期"))
        return DateRange()
    return DateRange(start, end)
