"""Pure rules of hardship assistance (帮扶): eligibility, masking, retention, campaign defaults.

No Django import: these are the rules a union's assistance cadre applies on paper, tested
without a database.

Eligibility (the calculator unions use; DESIGN.md module 6, all figures configurable):
  * monthly per-capita income after rigid spending below the local 低保 line  -> 深度困难 (deep)
  * below `relative_factor` (2) times the line                               -> 相对困难 (relative)
  * losses over `accident_loss_ratio` (80%) of a year's household income -> 意外致困 (accident)
"Below" and "over" are strict: exactly on the line is the next category up, exactly 80% is not
an accident. Comparisons are exact (multiplied out, never a rounded division).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")

DEEP = "deep"
RELATIVE = "relative"
ACCIDENT = "accident"
NONE = ""
# Precedence when several apply: income-based categories first, the deeper one first.
CATEGORY_ORDER = (DEEP, RELATIVE, ACCIDENT)

DEFAULT_DIBAO_LINE = Decimal("1000.00")  # yuan per person per month; set the local figure
DEFAULT_RELATIVE_FACTOR = Decimal("2")
DEFAULT_ACCIDENT_LOSS_RATIO = Decimal("0.80")
DEFAULT_NOTICE_WORKDAYS = 5
DEFAULT_RETENTION_YEARS = 10
DEFAULT_REVIEW_INTERVAL_MONTHS = 12
REVIEW_DUE_WITHIN_DAYS = 30  # "due" lists show files whose review falls within a month


@dataclass(frozen=True)
class EligibilityConfig:
    dibao_line: Decimal = DEFAULT_DIBAO_LINE
    relative_factor: Decimal = DEFAULT_RELATIVE_FACTOR
    accident_loss_ratio: Decimal = DEFAULT_ACCIDENT_LOSS_RATIO


@dataclass(frozen=True)
class Household:
    """What the calculator needs: `size` people (the worker included), their total monthly
    income, the monthly rigid spending (medical, education, ...) and losses from an accident or
    disaster within the last twelve months."""

    size: int
    monthly_income: Decimal
    monthly_rigid_spending: Decimal = ZERO
    accident_loss: Decimal = ZERO


@dataclass(frozen=True)
class Assessment:
    category: str  # DEEP, RELATIVE, ACCIDENT or NONE
    categories: tuple[str, ...]  # every category that applies, in CATEGORY_ORDER
    per_capita_income: Decimal  # after rigid spending, rounded to the cent (for display)
    annual_income: Decimal
    loss_ratio: Decimal | None  # losses / annual income, None when there is no income


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def assess(household: Household, config: EligibilityConfig | None = None) -> Assessment:
    """The category a household falls into, with the figures behind it."""
    config = config or EligibilityConfig()
    if household.size < 1:
        raise ValueError("a household has at least one person")
    income = _dec(household.monthly_income)
    rigid = _dec(household.monthly_rigid_spending)
    loss = _dec(household.accident_loss)
    line = _dec(config.dibao_line)
    factor = _dec(config.relative_factor)
    ratio = _dec(config.accident_loss_ratio)
    if income < 0 or rigid < 0 or loss < 0:
        raise ValueError("amounts cannot be negative")

    disposable = income - rigid  # the household's, per month
    size = Decimal(household.size)
    annual = income * 12
    found: list[str] = []
    # disposable / size < line  <=>  disposable < line * size (size > 0): no rounding.
    if disposable < line * size:
        found.append(DEEP)
    elif disposable < line * factor * size:
        found.append(RELATIVE)
    if loss > 0 and loss > annual * ratio:
        found.append(ACCIDENT)
    categories = tuple(c for c in CATEGORY_ORDER if c in found)
    return Assessment(
        category=categories[0] if categories else NONE,
        categories=categories,
        per_capita_income=(disposable / size).quantize(CENT, rounding=ROUND_HALF_UP),
        annual_income=annual.quantize(CENT),
        loss_ratio=(loss / annual).quantize(Decimal("0.0001")) if annual > 0 else None,
    )


# --- the public notice ----------------------------------------------------------------------


def mask_name(name: str) -> str:
    """陈小红 -> 陈*红, 刘伟 -> 刘*, 欧阳小红 -> 欧**红: first and last character kept
    (only the first for two characters), every other character starred."""
    name = "".join((name or "").split())
    if not name:
        return "*"
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# --- retention and review -------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def purge_date(exited_on: dt.date, retention_years: int = DEFAULT_RETENTION_YEARS) -> dt.date:
    """The first day a file that left hardship on `exited_on` may be purged."""
    return add_years(exited_on, retention_years)


def next_review(last: dt.date, interval_months: int = DEFAULT_REVIEW_INTERVAL_MONTHS) -> dt.date:
    return add_months(last, interval_months)


# --- campaigns ------------------------------------------------------------------------------

WARMTH = "warmth"
EDUCATION = "education"
ILLNESS = "illness"
OTHER = "other"


@dataclass(frozen=True)
class CampaignDefaults:
    amount_cap: Decimal
    eligible_categories: tuple[str, ...]
    required_documents: tuple[str, ...]
    form_fields: tuple[dict, ...]


# What a union usually asks for each campaign; every value is editable per campaign.
CAMPAIGN_DEFAULTS: dict[str, CampaignDefaults] = {
    WARMTH: CampaignDefaults(Decimal("2000"), (DEEP, RELATIVE, ACCIDENT), (), ()),
    EDUCATION: CampaignDefaults(
        Decimal("5000"),
        (DEEP, RELATIVE),
        ("录取通知书", "学费缴纳凭证"),
        (
            {"key": "student", "label": "子女姓名", "kind": "text", "required": True},
            {"key": "school", "label": "录取学校", "kind": "text", "required": True},
            {"key": "tuition", "label": "学年学费（元）", "kind": "number", "required": True},
        ),
    ),
    ILLNESS: CampaignDefaults(
        Decimal("20000"),
        (DEEP, RELATIVE, ACCIDENT),
        ("诊断证明", "医疗费用票据"),
        (
            {"key": "hospital", "label": "就诊医院", "kind": "text", "required": True},
            {"key": "cost", "label": "医疗费用总额（元）", "kind": "number", "required": True},
            {"key": "reimbursed", "label": "医保已报销（元）", "kind": "number", "required": False},
        ),
    ),
    OTHER: CampaignDefaults(Decimal("2000"), (), (), ()),
}

FIELD_KINDS = ("text", "number", "date")


class FieldSpecError(ValueError):
    """A campaign's form field definition is invalid: `code` says why, `subject` names it."""

    def __init__(self, code: str, subject: str = "") -> None:
        super().__init__(code, subject)
        self.code = code
        self.subject = subject


def check_form_fields(fields: Iterable[dict]) -> list[dict]:
    """Normalise a campaign's extra form fields; raises FieldSpecError (codes: key, duplicate,
    label, kind)."""
    result: list[dict] = []
    keys: set[str] = set()
    for raw in fields:
        key = str(raw.get("key", "")).strip()
        label = str(raw.get("label", "")).strip()
        kind = str(raw.get("kind", "text")).strip() or "text"
        if not key or not key.isascii() or not key.replace("_", "").isalnum():
            raise FieldSpecError("key", key)
        if key in keys:
            raise FieldSpecError("duplicate", key)
        if not label:
            raise FieldSpecError("label", key)
        if kind not in FIELD_KINDS:
            raise FieldSpecError("kind", label)
        keys.add(key)
        result.append(
            {"key": key, "label": label, "kind": kind, "required": bool(raw.get("required"))}
        )
    return result


def check_answers(fields: Iterable[dict], answers: dict) -> tuple[dict, dict[str, str]]:
    """(clean answers, {key: error code}) for a campaign's extra fields.

    Error codes: "required", "number" (not a number >= 0), "date" (not an ISO date).
    """
    clean: dict = {}
    errors: dict[str, str] = {}
    for f in fields:
        key, kind = f["key"], f.get("kind", "text")
        value = answers.get(key)
        text = "" if value is None else str(value).strip()
        if not text:
            if f.get("required"):
                errors[key] = "required"
            continue
        if kind == "number":
            try:
                number = Decimal(text)
            except ArithmeticError:
                errors[key] = "number"
                continue
            if not number.is_finite() or number < 0:
                errors[key] = "number"
                continue
            clean[key] = str(number)
        elif kind == "date":
            try:
                clean[key] = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                errors[key] = "date"
        else:
            clean[key] = text[:500]
    return clean, errors


# --- ledger ---------------------------------------------------------------------------------


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, first day of the next month)."""
    first = month.replace(day=1)
    return first, add_months(first, 1)


def parse_month(text: str | None) -> dt.date | None:
    """'2026-01' or '2026-1' -> date(2026, 1, 1); None when not a month."""
    if not text:
        return None
    parts = str(text).strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (1900 <= year <= 9999 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def money(value) -> Decimal:
    """A yuan amount rounded to the cent."""
    return _dec(value).quantize(CENT, rounding=ROUND_HALF_UP)
