"""The one CSV writer: formula injection, numbers, dates, the download."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from zhijia.core.csvfile import csv_response, csv_text, safe_cell


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "text", ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", '=HYPERLINK("x")']
)
def test_formula_like_text_gets_an_apostrophe(text):
    assert _rows(csv_text(["列"], [[text]]))[1] == ["'" + text]


def test_numbers_dates_and_plain_text_are_as_they_are():
    moment = datetime.datetime(2026, 3, 5, 1, 30, tzinfo=datetime.UTC)
    row = [-3, Decimal("-12.50"), 0.5, "张三", None, datetime.date(2026, 3, 5), moment, "a-b"]
    assert _rows(csv_text(["a"] * len(row), [row]))[1] == [
        "-3",  # a negative number stays a number
        "-12.50",
        "0.5",
        "张三",
        "",
        "2026-03-05",
        "2026-03-05 09:30",  # local time (Asia/Shanghai)
        "a-b",
    ]
    assert safe_cell(-3) == -3 and safe_cell("-3") == "'-3"


def test_header_and_lazy_text_are_checked_too():
    assert _rows(csv_text([gettext_lazy("=名称")], []))[0] == ["'=名称"]


def test_response_is_a_utf8_download_never_cached():
    response = csv_response("投票.csv", ["选择"], [["=1+1"], ["甲"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E6%8A%95%E7%A5%A8.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert _rows(text.removeprefix("\ufeff")) == [["选择"], ["'=1+1"], ["甲"]]
