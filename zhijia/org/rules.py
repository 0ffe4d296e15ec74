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


# --- input normalisation (pure; used by forms, actions and the API) -------------------------


def to_half_width(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３, full-width space) to half-width."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def strip_control(text: str) -> str:
    """Control characters (NUL, tabs, line breaks, ...) become spaces."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)


def normalize_id_number(raw: str) -> str:
    """A 身份证号 as typed (full-width digits, spaces, lower-case x) in its canonical form."""
    return "".join(to_half_width(raw or "").split()).upper()


def normalize_employee_no(raw: str) -> str:
    """A 工号 as typed: half-width, inner and outer spaces removed."""
    return "".join(to_half_width(raw or "").split())


def normalize_phone(raw: str) -> str:
    """A phone number as typed: half-width digits, no spaces or dashes, no +86 prefix."""
    value = "".join(ch for ch in to_half_width(raw or "") if ch not in " -\t")
    if value.startswith("+86"):
        value = value[3:]
    return value


def phone_error(phone: str) -> str | None:
    """Why a normalised phone number is invalid (in Chinese); empty means not given."""
    if not phone:
        return None
    if not phone.isdigit() or not 5 <= len(phone) <= 15:
        return "手机号应为5至15位数字"
    if len(phone) == 11 and not phone.startswith("1"):
        return "11位手机号应以1开头"
    return None


def id_number_gender_error(id_number: str, gender: str) -> str | None:
    """The gender given must agree with the 17th digit of a valid 18-digit 身份证号."""
    if gender not in {"M", "F"}:
        return "请选择性别"
    if id_number_gender(id_number) != gender:
        return "性别与身份证号不符（第17位奇数为男、偶数为女）"
    return None


def gender_from_masked(masked: str) -> str | None:
    """The gender kept visible in a masked number (1101**********1234 keeps digits 15–18)."""
    if len(masked) == 18 and masked[16].isdigit():
        return "M" if int(masked[16]) % 2 else "F"
    return None


# --- months and arrears ---------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_month(text: str) -> dt.date | None:
    """ "2024-03", "2024-3", "2024/03", "202403" or "2024年3月" → 2024-03-01; None if invalid."""
    value = to_half_width(text or "").strip().replace("年", "-").replace("月", "")
    value = value.replace("/", "-").replace(".", "-")
    if "-" in value:
        parts = value.split("-")
        if len(parts) < 2:
            return None
        year_s, month_s = parts[0], parts[1]
    elif len(value) == 6:
        year_s, month_s = value[:4], value[4:]
    else:
        return None
    if not (year_s.isdigit() and month_s.isdigit() and len(year_s) == 4):
        return None
    year, month = int(year_s), int(month_s)
    if not 1900 <= year <= 9999 or not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first` to `last` inclusive."""
    months = []
    cur = month_start(first)
    end = month_start(last)
    while cur <= end:
        months.append(cur)
        cur = dt.date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
    return months


# --- the org tree -----------------------------------------------------------------------------

# committee → branch → group: the kind a unit's parent must have (None: a top-level unit).
PARENT_KIND = {"committee": None, "branch": "committee", "group": "branch"}
CHILD_KIND = {"committee": "branch", "branch": "group", "group": None}
CODE_LETTER = {"committee": "U", "branch": "B", "group": "G"}
CODE_MAX = 32
NAME_MAX = 100


def kind_error(kind: str, parent_kind: str | None) -> str | None:
    """Why a unit of `kind` cannot sit under a parent of `parent_kind` (None: at the top)."""
    if kind not in PARENT_KIND:
        return "层级应为工会委员会、分工会或工会小组"
    expected = PARENT_KIND[kind]
    if expected == parent_kind:
        return None
    if parent_kind == "group":
        return "工会小组之下不能再设下级组织"
    if expected is None:
        return "工会委员会是最上级组织，不能设在其他组织之下"
    if kind == "branch":
        return "分工会的上级应为工会委员会"
    return "工会小组的上级应为分工会"


def normalize_name(raw: str) -> str:
    """A unit or department name as stored: half-width, no control characters, single spaces."""
    return " ".join(to_half_width(strip_control(raw or "")).split())


def name_key(name: str) -> str:
    """What two sibling names are compared by (spaces and letter case ignored)."""
    return "".join(normalize_name(name).split()).casefold()


def name_error(name: str) -> str | None:
    if not name:
        return "请填写名称"
    if len(name) > NAME_MAX:
        return f"名称不能超过{NAME_MAX}个字符"
    return None


def normalize_code(raw: str) -> str:
    return "".join(to_half_width(strip_control(raw or "")).split()).upper()


def code_error(code: str) -> str | None:
    if len(code) > CODE_MAX:
        return f"代码不能超过{CODE_MAX}个字符"
    if not all(ch.isalnum() or ch in "-_." for ch in code) or not code.isascii():
        return "代码只能包含字母、数字和 - _ ."
    return None


def code_prefix(parent_code: str | None, letter: str, top: str) -> str:
    """The prefix of generated codes: the parent's code and a letter ("B1-G"), or `top` for a
    top-level node or when the parent's code leaves no room for a number."""
    if not parent_code:
        return top
    prefix = f"{parent_code}-{letter}"
    return prefix if len(prefix) + 4 <= CODE_MAX else top


def next_code(prefix: str, taken: set[str]) -> str:
    """The first free code `prefix` + n (n = 1, 2, ...), compared without letter case."""
    taken_upper = {c.upper() for c in taken}
    n = 1
    while f"{prefix}{n}".upper() in taken_upper:
        n += 1
    return f"{prefix}{n}"


def mobile_error(phone: str) -> str | None:
    """Why a normalised number cannot receive the activation SMS (a mainland mobile number)."""
    if not phone:
        return "请填写手机号"
    if not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        return "请填写11位手机号码"
    return None


def mask_name(name: str) -> str:
    """A name as a verifier may see it: 陈小红 → 陈*红, 李明 → 李*, 欧阳娜娜 → 欧**娜."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def member_number(pk: int) -> str:
    """The member number (会员编号) printed on the e-card: the record's id on eight digits and a
    Luhn check digit, stable for the life of the record and unrelated to the 身份证号."""
    body = f"{pk:08d}"
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


# --- how dues are collected ---------------------------------------------------------------------

PAYROLL = "payroll"  # 工资代扣: the payroll office deducts the dues from the wage (the default)
SELF_PAY = "self"  # 自缴: the member pays the union herself
DUES_MODES = (PAYROLL, SELF_PAY)
DEFAULT_DUES_MODE = PAYROLL
INHERIT = ""  # a unit or member without its own mode takes the one above it
PAYMENT_NOTE_MAX = 200
EARLIEST_DUES_MONTH = dt.date(2000, 1, 1)
MAX_DUES_AMOUNT = Decimal("99999999.99")  # DuesRecord.amount: 10 digits, 2 decimals


def resolve_dues_mode(own: str, lineage: list[str]) -> str:
    """The mode that applies: `own` (a member's or a unit's) when set, else the nearest unit
    above that sets one (`lineage` lists the modes of the units from the top down to the
    nearest), else the default (payroll deduction)."""
    for mode in (own, *reversed(lineage)):
        if mode in DUES_MODES:
            return mode
    return DEFAULT_DUES_MODE


def resolve_payment_note(lineage: list[str]) -> str:
    """The nearest non-empty payment note, `lineage` from the top down to the unit itself."""
    for note in reversed(lineage):
        if note.strip():
            return note.strip()
    return ""


def resolve_unit_modes(units: dict[int, tuple[str, str]]) -> dict[int, str]:
    """The mode in force in every unit: {id: (path "/1/4/17/", own mode)} -> {id: mode}
    (a unit whose ancestors are missing from `units` resolves from those present)."""
    resolved: dict[int, str] = {}
    for unit_id, (path, _own) in units.items():
        ids = [int(part) for part in path.strip("/").split("/") if part]
        lineage = [units[i][1] for i in ids if i in units]
        resolved[unit_id] = resolve_dues_mode("", lineage)
    return resolved


def dues_month_error(month: dt.date, today: dt.date) -> str | None:
    """Why a month cannot be recorded, as a code (actions.dues_import.MONTH_ERRORS words it):
    "too_early" before 2000 (a typo), "future" after the current month."""
    if month < EARLIEST_DUES_MONTH:
        return "too_early"
    if month_start(month) > month_start(today):
        return "future"
    return None


def paid_through(months: list[tuple[dt.date, bool]]) -> dt.date | None:
    """The last month up to which every month is paid (`months`: (month, paid) of the
    months that have a record, in any order); None when the first month is unpaid."""
    last = None
    for month, paid in sorted(months):
        if not paid:
            break
        last = month
    return last
