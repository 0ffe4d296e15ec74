"""Pure rules of module org: ID numbers (GB 11643), dues, union funds. No Django imports."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"


def id_check_code(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def id_number_error(id_number: str) -> str | None:
    """Why an 18-character 身份证号 is invalid (in Chinese), or None when it is valid.

    Expects a normalised value (half-width, upper-case X, no spaces).
    """
    if len(id_number) != 18:
        return "身份证号应为18位"
    if not id_number[:17].isdigit() or not (id_number[17].isdigit() or id_number[17] == "X"):
        return "身份证号前17位应为数字，最后一位为数字或X"
    try:
        dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if id_check_code(id_number[:17]) != id_number[17]:
        return "身份证号校验位不正确"
    return None


def id_number_gender(id_number: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(id_number[16]) % 2 else "F"


def id_number_birth_date(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


DUES_RATE = Decimal("0.005")
CENT = Decimal("0.01")


def dues_base(wage_income: Decimal) -> Decimal:
    """The dues base: wage income with the part under ¥10 ignored (5,678.90 → 5,670)."""
    if wage_income <= 0:
        return Decimal("0")
    return (wage_income // 10) * 10


def monthly_dues(wage_income: Decimal, rate: Decimal = DUES_RATE) -> Decimal:
    """Monthly dues: 0.5% of the monthly wage income (bonuses and allowances excluded by the
    caller), the part of the wage under ¥10 ignored, rounded to the cent."""
    return (dues_base(Decimal(wage_income)) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


FUNDS_RATE = Decimal("0.02")
HIGHER_UNION_SHARE = Decimal("0.40")


def union_funds(
    payroll: Decimal, rate: Decimal = FUNDS_RATE, higher_share: Decimal = HIGHER_UNION_SHARE
) -> tuple[Decimal, Decimal, Decimal]:
    """(total, to the higher union, kept) for the enterprise's 2% of payroll."""
    total = (Decimal(payroll) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    higher = (total * higher_share).quantize(CENT, rounding=ROUND_HALF_UP)
    return total, higher, total - higher
