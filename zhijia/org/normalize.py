"""Normalising roster cells from HR exports (.xlsx/.csv). Pure Python: no Django import.

HR exports arrive full of noise: full-width digits and letters (１２３, ＡＢＣ), ideographic
spaces (U+3000), non-breaking and zero-width spaces, a lowercase x at the end of an ID number,
phones written +86 139-0000-1234, dates as 2021年3月5日, 2021.03.05, 20210305 or Excel serial
numbers, wages as "¥8,500.00" or "8500元". Each `parse_*` function returns the clean value or
raises `CellError` with a reason in Chinese; `normalize_row` applies them to a whole row.

Reasons are plain Chinese strings marked with `gettext_noop` so `makemessages` extracts them;
the importer translates them when it builds the report.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhijia.org.rules import id_number_error, id_number_gender


def gettext_noop(message: str) -> str:
    """Marks a message for extraction without translating it (no Django import here)."""
    return message


# --- columns ----------------------------------------------------------------------------------
# DESIGN.md "Roster columns", in this order.
EMPLOYEE_NO = "工号"
NAME = "姓名"
GENDER = "性别"
ID_NUMBER = "身份证号"
PHONE = "手机号"
UNIT = "所属工会"
DEPARTMENT = "部门"
JOB = "岗位"
EMPLOYMENT_TYPE = "用工性质"
JOIN_DATE = "入会日期"
WAGE = "月工资收入"
COLUMNS = (
    EMPLOYEE_NO,
    NAME,
    GENDER,
    ID_NUMBER,
    PHONE,
    UNIT,
    DEPARTMENT,
    JOB,
    EMPLOYMENT_TYPE,
    JOIN_DATE,
    WAGE,
)
# 所属工会 may be left out: the importer fills it from the department's default union or the
# importing cadre's unit.
REQUIRED_COLUMNS = (EMPLOYEE_NO, NAME, ID_NUMBER)
# The same header with 码 added, as many HR systems write it.
HEADER_VARIANTS = {"身份证号码": ID_NUMBER, "手机号码": PHONE}

# --- characters -------------------------------------------------------------------------------
_TABLE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～
_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space
        0x2007: " ",
        0x202F: " ",
        0xFFE5: "¥",  # full-width yen/yuan sign
        0xFFE0: "¢",
        0x200B: "",  # zero-width space, non-joiner, joiner, word joiner, BOM
        0x200C: "",
        0x200D: "",
        0x2060: "",
        0xFEFF: "",
        0x00AD: "",  # soft hyphen
    }
)
_SPACES = re.compile(r"\s+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_NAME_DOTS = str.maketrans({c: "·" for c in "•・‧∙⋅●.。"})


class CellError(ValueError):
    """A cell that cannot be normalised; `reason` is Chinese text for the import report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_text(value: Any) -> str:
    """Half-width ASCII, spaces of every kind collapsed to one, trimmed; Chinese kept as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return _number_text(value)
    text = str(value).translate(_TABLE)
    return _SPACES.sub(" ", text).strip()


def clean_compact(value: Any) -> str:
    """`clean_text` without any space at all (codes, numbers)."""
    return clean_text(value).replace(" ", "")


_HEADER_NOTE = re.compile(r"[(\[](必填|选填|可选|必须|元|人民币|元/月)[)\]]$")


def normalize_header(value: Any) -> str:
    """A header cell as a column name: "工 号", "工号＊", "身份证号码（必填）", "月工资收入（元）"
    → the canonical name (unknown headers come back cleaned and are ignored by the importer)."""
    text = clean_compact(value)
    text = _HEADER_NOTE.sub("", text).strip("*")
    return HEADER_VARIANTS.get(text, text)


def normalize_name(value: Any) -> str:
    """A person's name: no spaces between Chinese characters, one kind of middle dot."""
    text = _SPACE_BETWEEN_CJK.sub("", clean_text(value))
    return text.translate(_NAME_DOTS).strip("·")


def normalize_key(value: Any) -> str:
    """How unit and department names and codes are compared: compact and case-folded."""
    return clean_compact(value).casefold()


# --- ID number, phone, employee number --------------------------------------------------------
def parse_id_number(value: Any) -> str:
    """A 身份证号 as GB 11643 writes it: 18 characters, upper-case X. Checksum not checked here."""
    if isinstance(value, float) and abs(value) >= 1e15:
        # Excel keeps 15 significant digits: an ID number typed into a number cell has lost
        # its last digits for good.
        raise CellError(
            gettext_noop("身份证号被存成了数字，后几位已丢失；请把该列设为文本格式后重新导出")
        )
    text = clean_compact(value).lstrip("'").upper()
    return text.replace("-", "")


def mask_id_number(id_number: str) -> str:
    """1101**********1234, for reports (the same rule as zhijia.core.crypto)."""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def parse_phone(value: Any) -> str:
    """An 11-digit mainland mobile number, or "" for an empty cell."""
    text = clean_compact(value).lstrip("'")
    text = re.sub(r"[\-()（）.]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if text and not _MOBILE.match(text):
        raise CellError(gettext_noop("手机号应为11位大陆手机号码"))
    return text


def parse_employee_no(value: Any) -> str:
    text = clean_compact(value).lstrip("'")
    if len(text) > 32:
        raise CellError(gettext_noop("工号不能超过32个字符"))
    return text


# --- gender and employment type ---------------------------------------------------------------
_GENDERS = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "1": "M",  # GB/T 2261.1: 1 男, 2 女
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
    "2": "F",
}


def parse_gender(value: Any) -> str:
    """'M', 'F', or "" for an empty cell."""
    text = clean_compact(value).casefold()
    if not text:
        return ""
    try:
        return _GENDERS[text]
    except KeyError:
        raise CellError(gettext_noop("性别应为“男”或“女”")) from None


# Values of zhijia.org.models.Member.EmploymentType (kept in step by a test).
EMPLOYMENT_TYPES = {
    "regular": ("正式", "正式工", "正式员工", "正式职工", "合同制", "合同工", "合同制员工", "在编"),
    "dispatched": ("劳务派遣", "派遣", "派遣工", "劳务派遣工", "劳务派遣员工", "派遣员工"),
    "rehired": ("返聘", "退休返聘", "返聘人员"),
    "temporary": ("临时", "临时工", "临时用工", "临时人员"),
    "intern": ("实习", "实习生", "实习人员", "见习", "见习生"),
}
_EMPLOYMENT_LOOKUP = {
    label: value for value, labels in EMPLOYMENT_TYPES.items() for label in (value, *labels)
}
DEFAULT_EMPLOYMENT_TYPE = "regular"


def parse_employment_type(value: Any) -> str:
    """A Member.EmploymentType value; an empty cell means 正式 (regular)."""
    text = clean_compact(value).casefold()
    if not text:
        return DEFAULT_EMPLOYMENT_TYPE
    try:
        return _EMPLOYMENT_LOOKUP[text]
    except KeyError:
        raise CellError(gettext_noop("用工性质应为：正式、劳务派遣、返聘、临时、实习")) from None


# --- dates ------------------------------------------------------------------------------------
EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
EARLIEST_DATE = dt.date(1930, 1, 1)
_TIME = r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = [
    # 2021年3月5日 / 2021 年 03 月 05 号
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"), True),
    # 2021年3月 → the first of the month
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$"), False),
    # 2021-03-05, 2021/3/5, 2021.03.05, with an optional time of day
    (re.compile(r"^(\d{4})\s*([./\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME + "$"), True),
    # 2021-03, 2021.3 → the first of the month
    (re.compile(r"^(\d{4})\s*[./\-]\s*(\d{1,2})$"), False),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), True),  # 20210305
    (re.compile(r"^(\d{4})(\d{2})$"), False),  # 202103
]
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")


def excel_serial_to_date(serial: float, *, epoch_1904: bool = False) -> dt.date:
    """An Excel date serial (the number behind a date cell) as a date."""
    days = int(serial)
    if epoch_1904:
        return EXCEL_EPOCH_1904 + dt.timedelta(days=days)
    if days == 60:  # Excel's fictitious 1900-02-29
        raise CellError(gettext_noop("日期无效"))
    if days < 60:  # before the fictitious leap day the offset is one less
        days += 1
    return EXCEL_EPOCH_1900 + dt.timedelta(days=days)


def _check_range(value: dt.date, today: dt.date | None) -> dt.date:
    if value < EARLIEST_DATE:
        raise CellError(gettext_noop("日期早于1930年，请检查"))
    if today is not None and value > today:
        raise CellError(gettext_noop("日期不能晚于今天"))
    return value


def parse_date(
    value: Any, *, epoch_1904: bool = False, today: dt.date | None = None
) -> dt.date | None:
    """A date from a cell: date/datetime objects, Excel serials (number or text), and the
    written forms 2021年3月5日, 2021年3月 (day 1), 2021.03.05, 2021/3/5, 2021-03-05, 20210305,
    2021-03 and 202103. None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _check_range(value.date(), today)
    if isinstance(value, dt.date):
        return _check_range(value, today)
    if isinstance(value, dt.time):
        raise CellError(gettext_noop("日期格式无法识别，请写成 2021-03-05 或 2021年3月5日"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < 2958466:
            raise CellError(gettext_noop("日期格式无法识别，请写成 2021-03-05 或 2021年3月5日"))
        return _check_range(excel_serial_to_date(value, epoch_1904=epoch_1904), today)
    text = clean_text(value).lstrip("'")
    if not text:
        return None
    for pattern, has_day in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [g for g in match.groups() if g not in {".", "/", "-"}]
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if has_day else 1
        try:
            parsed = dt.date(year, month, day)
        except ValueError:
            raise CellError(gettext_noop("日期无效（没有这一天）")) from None
        return _check_range(parsed, today)
    if re.fullmatch(r"\d{4}\s*年?", text):
        raise CellError(gettext_noop("日期只有年份，请至少写到月份，如 2021年3月"))
    if _SERIAL.match(text):
        return _check_range(excel_serial_to_date(float(text), epoch_1904=epoch_1904), today)
    raise CellError(gettext_noop("日期格式无法识别，请写成 2021-03-05 或 2021年3月5日"))


# --- money ------------------------------------------------------------------------------------
CENT = Decimal("0.01")
MAX_WAGE = Decimal("9999999999.99")  # Member.monthly_wage: 12 digits, 2 decimals
_MONEY_NOISE = re.compile(r"(人民币|rmb|cny|元/月|元每月|/月|每月|元|¥|,|，)", re.IGNORECASE)


def _parse_money(value: Any, *, maximum: Decimal, bad: str, negative: str, large: str):
    """An amount of money: "¥8,500.00", "8500元", 8500 → Decimal("8500.00"); None when empty.
    `bad`, `negative` and `large` are the reasons (gettext_noop) a cell is refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(bad)
    if isinstance(value, int | float):
        text = repr(round(value, 2)) if isinstance(value, float) else str(value)
    else:
        text = _MONEY_NOISE.sub("", clean_compact(value))
        if not text:
            return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(bad) from None
    if not amount.is_finite():
        raise CellError(bad)
    if amount < 0:
        raise CellError(negative)
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > maximum:
        raise CellError(large)
    return amount


def parse_wage(value: Any) -> Decimal | None:
    """A monthly wage: "¥8,500.00", "8500元", 8500 → Decimal("8500.00"); None when empty."""
    return _parse_money(
        value,
        maximum=MAX_WAGE,
        bad=gettext_noop("月工资收入应为金额，如 8500 或 8500.00"),
        negative=gettext_noop("月工资收入不能为负数"),
        large=gettext_noop("月工资收入金额过大"),
    )


# --- CSV text ---------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset
    of GBK and GB2312, which Chinese Excel writes when it saves "CSV")."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CellError(
            gettext_noop("无法识别文件的文字编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件")
        ) from None


# --- a whole row ------------------------------------------------------------------------------
MAX_NAME = 64
MAX_JOB = 64


def normalize_row(
    raw: Mapping[str, Any], *, epoch_1904: bool = False, today: dt.date | None = None
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Normalise one roster row given as {column name: cell value}.

    Returns (values, problems). `values` has every column of COLUMNS that is present in `raw`,
    normalised, or None where the cell is invalid; `problems` lists (column, shown value,
    reason). A missing 性别 is taken from the ID number; a 性别 that contradicts it is a
    problem. Columns absent from `raw` are absent from `values` (the importer leaves those
    fields alone on update), except 所属工会, always present ("" when left out).
    """
    values: dict[str, Any] = {}
    problems: list[tuple[str, str, str]] = []

    def shown(column: str) -> str:
        text = clean_text(raw.get(column))
        return mask_id_number(text.upper()) if column == ID_NUMBER else text[:100]

    def required(column: str, text: str) -> str | None:
        if not text:
            problems.append((column, "", gettext_noop("不能为空")))
            return None
        return text

    try:
        values[EMPLOYEE_NO] = required(EMPLOYEE_NO, parse_employee_no(raw.get(EMPLOYEE_NO)))
    except CellError as exc:
        values[EMPLOYEE_NO] = None
        problems.append((EMPLOYEE_NO, shown(EMPLOYEE_NO), exc.reason))

    name = normalize_name(raw.get(NAME))
    if len(name) > MAX_NAME:
        problems.append((NAME, shown(NAME), gettext_noop("姓名不能超过64个字符")))
        values[NAME] = None
    else:
        values[NAME] = required(NAME, name)

    id_number: str | None = None
    try:
        id_number = required(ID_NUMBER, parse_id_number(raw.get(ID_NUMBER)))
    except CellError as exc:
        problems.append((ID_NUMBER, shown(ID_NUMBER), exc.reason))
    if id_number:
        error = id_number_error(id_number)
        if error:
            problems.append((ID_NUMBER, shown(ID_NUMBER), error))
            id_number = None
    values[ID_NUMBER] = id_number

    gender: str | None = ""
    if GENDER in raw:
        try:
            gender = parse_gender(raw.get(GENDER))
        except CellError as exc:
            gender = None
            problems.append((GENDER, shown(GENDER), exc.reason))
    if gender == "" and id_number:
        gender = id_number_gender(id_number)
    elif gender and id_number and gender != id_number_gender(id_number):
        problems.append(
            (
                GENDER,
                shown(GENDER),
                gettext_noop("性别与身份证号不符（身份证号第17位奇数为男、偶数为女）"),
            )
        )
        gender = None
    elif gender == "":
        gender = None  # neither given nor derivable; the ID number's problem is reported
    values[GENDER] = gender

    values[UNIT] = clean_text(raw.get(UNIT))  # "" when left out: the importer fills it in
    if DEPARTMENT in raw:
        values[DEPARTMENT] = clean_text(raw.get(DEPARTMENT))
    if JOB in raw:
        job = clean_text(raw.get(JOB))
        if len(job) > MAX_JOB:
            problems.append((JOB, shown(JOB), gettext_noop("岗位不能超过64个字符")))
            job = ""
        values[JOB] = job

    optional: tuple[tuple[str, Callable[..., Any], dict[str, Any]], ...] = (
        (PHONE, parse_phone, {}),
        (EMPLOYMENT_TYPE, parse_employment_type, {}),
        (JOIN_DATE, parse_date, {"epoch_1904": epoch_1904, "today": today}),
        (WAGE, parse_wage, {}),
    )
    for column, parse, kwargs in optional:
        if column not in raw:
            continue
        try:
            values[column] = parse(raw.get(column), **kwargs)
        except CellError as exc:
            values[column] = None
            problems.append((column, shown(column), exc.reason))
    return values, problems


# --- the payroll office's deduction file (zhijia.org.actions.dues_import) ----------------------
MAX_DUES_AMOUNT = Decimal("99999999.99")  # DuesRecord.amount: 10 digits, 2 decimals


def parse_deduction(value: Any) -> Decimal | None:
    """An amount deducted: "¥40.00", "40元", 40 → Decimal("40.00"); None when empty."""
    return _parse_money(
        value,
        maximum=MAX_DUES_AMOUNT,
        bad=gettext_noop("扣缴金额应为金额，如 40 或 40.00"),
        negative=gettext_noop("扣缴金额不能为负数"),
        large=gettext_noop("扣缴金额过大"),
    )


_YEAR_MONTH_NUMBER = re.compile(r"^(19|20|21)\d{2}(0[1-9]|1[0-2])$")


def parse_month_cell(value: Any, *, epoch_1904: bool = False) -> dt.date | None:
    """The month of a cell, as its first day: a date cell, 2026-11, 2026/11, 2026.11,
    2026年11月, 202611 (also typed as a number) or a whole date; None when empty."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and float(value).is_integer() and _YEAR_MONTH_NUMBER.match(str(int(value))):
        value = str(int(value))  # 202611 typed into a number cell, not a date serial
    try:
        day = parse_date(value, epoch_1904=epoch_1904)
    except CellError:
        raise CellError(gettext_noop("月份无法识别，请写成 2026-11 或 2026年11月")) from None
    return day.replace(day=1) if day else None
