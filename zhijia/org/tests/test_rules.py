"""Pure rules of module org: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from zhijia.org import rules

VALID_MALE = "11010519491231002X"  # the GB 11643 example number (female: 17th digit 2)


def test_id_number_checksum_examples():
    assert rules.id_number_error(VALID_MALE) is None
    assert rules.id_number_error("110105194912310021") == "身份证号校验位不正确"
    assert rules.id_number_error("11010519491231002") == "身份证号应为18位"
    assert (
        rules.id_number_error("1101051949123100AX") == "身份证号前17位应为数字，最后一位为数字或X"
    )
    assert rules.id_number_error("110105194902300025") == "身份证号中的出生日期无效"


def test_id_number_gender_and_birth():
    assert rules.id_number_gender(VALID_MALE) == "F"
    assert rules.id_number_birth_date(VALID_MALE) == dt.date(1949, 12, 31)
    assert rules.id_number_gender_error(VALID_MALE, "F") is None
    assert "性别与身份证号不符" in rules.id_number_gender_error(VALID_MALE, "M")
    assert rules.gender_from_masked("1101**********002X") == "F"
    assert rules.gender_from_masked("1101**********0011") == "M"
    assert rules.gender_from_masked("") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", VALID_MALE),
        (" 110105 1949 1231 002X ", VALID_MALE),
        ("１１０１０５１９４９１２３１００２ｘ", VALID_MALE),
        ("110105\u300019491231002X", VALID_MALE),
    ],
)
def test_normalize_id_number(raw, expected):
    assert rules.normalize_id_number(raw) == expected


def test_normalize_phone_and_employee_no():
    assert rules.normalize_phone("+86 139-0000-1234") == "13900001234"
    assert rules.normalize_phone("１３９００００１２３４") == "13900001234"
    assert rules.phone_error("13900001234") is None
    assert rules.phone_error("") is None
    assert rules.phone_error("23900001234") == "11位手机号应以1开头"
    assert rules.phone_error("139abc") == "手机号应为5至15位数字"
    assert rules.normalize_employee_no(" Ｅ０１ ０３ ") == "E0103"


@pytest.mark.parametrize(
    ("wage", "base", "dues"),
    [
        ("5679.99", "5670", "28.35"),
        ("5678.90", "5670", "28.35"),
        ("5680.00", "5680", "28.40"),
        ("9.99", "0", "0.00"),
        ("10.00", "10", "0.05"),
        ("19.99", "10", "0.05"),
        ("0", "0", "0.00"),
        ("-100", "0", "0.00"),
        ("8000", "8000", "40.00"),
        # the base drops the part under ¥10, then 0.5% is rounded half up to the cent
        ("2345.67", "2340", "11.70"),
        ("2350", "2350", "11.75"),
    ],
)
def test_dues_rule_at_boundaries(wage, base, dues):
    assert rules.dues_base(Decimal(wage)) == Decimal(base)
    assert rules.monthly_dues(Decimal(wage)) == Decimal(dues)


def test_union_funds_default_share():
    total, higher, kept = rules.union_funds(Decimal("1000000"))
    assert (total, higher, kept) == (Decimal("20000.00"), Decimal("8000.00"), Decimal("12000.00"))
    total, higher, kept = rules.union_funds(Decimal("1000000"), higher_share=Decimal("0.5"))
    assert higher == kept == Decimal("10000.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", dt.date(2024, 3, 1)),
        ("2024-3", dt.date(2024, 3, 1)),
        ("2024/03", dt.date(2024, 3, 1)),
        ("202403", dt.date(2024, 3, 1)),
        ("2024年3月", dt.date(2024, 3, 1)),
        ("２０２４－０３", dt.date(2024, 3, 1)),  # full-width digits and dash
        ("2024-13", None),
        ("2024", None),
        ("abc", None),
        ("", None),
        ("99999-01", None),
    ],
)
def test_parse_month(text, expected):
    assert rules.parse_month(text) == expected


def test_months_between_crosses_the_year():
    assert rules.months_between(dt.date(2023, 11, 15), dt.date(2024, 2, 3)) == [
        dt.date(2023, 11, 1),
        dt.date(2023, 12, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
    ]
    assert rules.months_between(dt.date(2024, 2, 1), dt.date(2024, 1, 1)) == []
