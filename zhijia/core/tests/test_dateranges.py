"""The shared ?from=&to= filter of the lists (zhijia.core.dateranges)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import QueryDict

from zhijia.core import dateranges


def test_a_range_is_read_from_the_query_and_written_back():
    rng = dateranges.parse(QueryDict("from=2025-07-01&to=2025-07-31"))
    assert (rng.start, rng.end, rng.errors) == (date(2025, 7, 1), date(2025, 7, 31), {})
    assert rng.query() == "from=2025-07-01&to=2025-07-31"
    assert dateranges.query(date(2025, 1, 1), None) == "from=2025-01-01"
    assert not dateranges.parse(QueryDict(""))
    assert dateranges.parse(QueryDict("to=2025-02-28")).end == date(2025, 2, 28)


def test_a_bad_date_or_a_reversed_range_is_dropped_with_an_error():
    bad = dateranges.parse(QueryDict("from=2025-02-30&to=2025-03-01"))
    assert (bad.start, bad.end) == (None, date(2025, 3, 1))
    assert bad.errors["from"] == "日期格式应为 YYYY-MM-DD"
    reversed_ = dateranges.parse({"from": "2025-03-02", "to": "2025-03-01"})
    assert not reversed_ and reversed_.errors["to"] == "结束日期不能早于开始日期"


class _Form(forms.Form):
    q = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dateranges.add_fields(self)


def test_a_form_takes_the_range_and_shows_its_errors_next_to_the_fields():
    form = _Form({"from": "2025-01-01", "to": "2025-01-31"})
    assert form.is_valid()
    rng = dateranges.from_form(form)
    assert (rng.start, rng.end) == (date(2025, 1, 1), date(2025, 1, 31))
    reversed_ = _Form({"from": "2025-02-01", "to": "2025-01-31"})
    assert reversed_.is_valid()
    assert not dateranges.from_form(reversed_)
    assert reversed_.errors["to"] == ["结束日期不能早于开始日期"]
    bad = _Form({"from": "nope"})
    assert not bad.is_valid() and "from" in bad.errors
    assert not dateranges.from_form(bad)
