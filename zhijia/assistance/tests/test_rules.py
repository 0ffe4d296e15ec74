"""The pure rules: the eligibility calculator at the boundaries of its three categories, the
masked names of the public notice, retention and review dates, campaign form answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhijia.assistance import rules
from zhijia.assistance.rules import ACCIDENT, DEEP, NONE, RELATIVE, EligibilityConfig, Household

LINE = EligibilityConfig(dibao_line=D("1000"), relative_factor=D("2"), accident_loss_ratio=D("0.8"))


def cat(size, income, rigid="0", loss="0", config=LINE):
    return rules.assess(Household(size, D(income), D(rigid), D(loss)), config)


@pytest.mark.parametrize(
    ("size", "income", "rigid", "expected"),
    [
        # 深度困难: per-capita income after rigid spending strictly below the line.
        (3, "2999.99", "0", DEEP),  # 999.997 per person
        (3, "3000", "0", RELATIVE),  # exactly on the line: not below it
        (3, "3000.01", "0.02", DEEP),  # rigid spending counts: 2999.99 / 3
        (1, "999.99", "0", DEEP),
        (1, "1000", "0", RELATIVE),
        # 相对困难: below twice the line.
        (4, "7999.99", "0", RELATIVE),
        (4, "8000", "0", NONE),  # exactly twice the line: not below it
        (4, "9000", "1000.01", RELATIVE),  # 7999.99 after rigid spending
        (4, "9000", "1000", NONE),
        # Rigid spending above income: deep, and the per-capita figure is negative.
        (2, "1000", "1500", DEEP),
    ],
)
def test_income_categories_at_their_boundaries(size, income, rigid, expected):
    assert cat(size, income, rigid).category == expected


def test_accident_over_eighty_percent_of_a_years_income():
    # Monthly income 10,000 -> a year's income 120,000; 80% of it is 96,000.
    assert cat(2, "10000", loss="96000.01").category == ACCIDENT
    assert cat(2, "10000", loss="96000").category == NONE  # exactly 80%: not over it
    assert cat(2, "10000", loss="95999.99").category == NONE
    a = cat(2, "10000", loss="120000")
    assert a.category == ACCIDENT and a.loss_ratio == D("1.0000")


def test_accident_uses_income_before_rigid_spending():
    # Rigid spending lowers the per-capita income, not the year's household income.
    a = cat(1, "2500", rigid="600", loss="24000.01")  # 2500*12*0.8 = 24000
    assert a.categories == (RELATIVE, ACCIDENT)
    assert a.category == RELATIVE  # income-based categories first


def test_several_categories_deep_first():
    a = cat(1, "500", loss="10000")
    assert a.categories == (DEEP, ACCIDENT)
    assert a.category == DEEP


def test_no_income_any_loss_is_an_accident_and_deep():
    a = cat(2, "0", loss="1")
    assert a.categories == (DEEP, ACCIDENT)
    assert a.loss_ratio is None
    assert cat(2, "0").categories == (DEEP,)


def test_configuration_changes_the_lines():
    config = EligibilityConfig(
        dibao_line=D("800"), relative_factor=D("1.5"), accident_loss_ratio=D("0.5")
    )
    assert cat(1, "799.99", config=config).category == DEEP
    assert cat(1, "1199.99", config=config).category == RELATIVE
    assert cat(1, "1200", config=config).category == NONE
    assert cat(1, "5000", loss="30000.01", config=config).category == ACCIDENT


def test_per_capita_figure_is_rounded_for_display_only():
    a = cat(3, "2999.99")
    assert a.per_capita_income == D("1000.00")  # 999.9967 shown rounded...
    assert a.category == DEEP  # ...but compared exactly
    assert a.annual_income == D("35999.88")


def test_invalid_households_are_refused():
    with pytest.raises(ValueError):
        cat(0, "100")
    with pytest.raises(ValueError):
        cat(1, "-1")


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("陈小红", "陈*红"),
        ("刘伟", "刘*"),
        ("欧阳小红", "欧**红"),
        ("王", "*"),
        ("", "*"),
        ("陈 小 红", "陈*红"),
    ],
)
def test_mask_name(name, masked):
    assert rules.mask_name(name) == masked


def test_purge_date_is_ten_years_after_exit_by_default():
    assert rules.purge_date(dt.date(2016, 3, 31)) == dt.date(2026, 3, 31)
    assert rules.purge_date(dt.date(2016, 2, 29)) == dt.date(2026, 2, 28)
    assert rules.purge_date(dt.date(2020, 1, 1), 5) == dt.date(2025, 1, 1)


def test_next_review_and_months():
    assert rules.next_review(dt.date(2026, 1, 31)) == dt.date(2027, 1, 31)
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert rules.add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)
    assert rules.parse_month("2026-1") == dt.date(2026, 1, 1)
    assert rules.parse_month("2026-13") is None
    assert rules.parse_month("x") is None
    assert rules.month_bounds(dt.date(2026, 12, 9)) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))


def test_campaign_form_fields_and_answers():
    fields = rules.check_form_fields(rules.CAMPAIGN_DEFAULTS[rules.EDUCATION].form_fields)
    clean, errors = rules.check_answers(fields, {"student": " 王小明 ", "tuition": "abc"})
    assert clean == {"student": "王小明"}
    assert errors == {"school": "required", "tuition": "number"}
    clean, errors = rules.check_answers(
        fields, {"student": "王", "school": "太原理工", "tuition": "5000"}
    )
    assert errors == {} and clean["tuition"] == "5000"
    with pytest.raises(rules.FieldSpecError) as exc:
        rules.check_form_fields([{"key": "a b", "label": "x"}])
    assert exc.value.code == "key"
    with pytest.raises(rules.FieldSpecError) as exc:
        rules.check_form_fields([{"key": "a", "label": "x"}, {"key": "a", "label": "y"}])
    assert exc.value.code == "duplicate"
    date_field = [{"key": "d", "label": "日期", "kind": "date", "required": False}]
    assert rules.check_answers(date_field, {"d": "2026-09-01"}) == ({"d": "2026-09-01"}, {})
    assert rules.check_answers(date_field, {"d": "9月1日"})[1] == {"d": "date"}
