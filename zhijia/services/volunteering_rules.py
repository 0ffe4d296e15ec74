"""Pure rules of volunteering and donation drives (no Django import; tested without a database).

- shift_hours: a shift's default hours, its length rounded down to the half hour;
- check_hours: an hours figure a cadre enters (0 to 24, in half hours; a figure other than the
  default needs a reason);
- mask_name: how the thank-you list masks a name (张三 → 张*, 欧阳修文 → 欧阳**);
- thank_you: the public list from donation facts (opt-outs left out, masked names masked, one
  line per donor with their total, largest first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

MAX_SHIFT_HOURS = Decimal("24")
HALF = Decimal("0.5")

FULL, MASKED, HIDDEN = "full", "masked", "hidden"

# Two-character surnames: masked after them, not after their first character.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "万俟",
    ]
)


def shift_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    """The shift's length in hours, rounded down to the half hour (a 2h50 shift: 2.5)."""
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    hours = seconds / Decimal(3600)
    halves = (hours / HALF).to_integral_value(rounding=ROUND_FLOOR)
    return max(Decimal("0"), halves * HALF).quantize(Decimal("0.1"))


class HoursError(ValueError):
    """An hours figure refused, by `code` (the action words it for the user): "invalid" (not
    a number), "range" (outside 0 to 24), "half" (not in half hours), "reason" (a changed
    figure without a reason, `field` "reason")."""

    def __init__(self, code: str, field: str = "hours") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def check_hours(value, *, default: Decimal, reason: str) -> Decimal:
    """The hours to record: `value` (None: the default) checked; a changed figure needs a
    reason."""
    if value is None or value == "":
        return default
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise HoursError("invalid") from None
    if not hours.is_finite() or hours < 0 or hours > MAX_SHIFT_HOURS:
        raise HoursError("range")
    if (hours / HALF) != (hours / HALF).to_integral_value():
        raise HoursError("half")
    hours = hours.quantize(Decimal("0.1"))
    if hours != default and not (reason or "").strip():
        raise HoursError("reason", field="reason")
    return hours


def mask_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王**, 欧阳修文 → 欧阳**; an organisation's name (longer than 4
    characters, e.g. 某某公司) is shown as given."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) > 4:
        return name
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * max(1, len(name) - keep)


@dataclass(frozen=True)
class DonationFact:
    """A received donation as the thank-you list needs it."""

    donor_key: str  # one donor: "u:<user id>" or "n:<name>" for an outside donor
    name: str
    display: str  # FULL, MASKED or HIDDEN
    amount: Decimal | None  # None for goods
    goods: str = ""


@dataclass(frozen=True)
class ThankYouLine:
    name: str
    total: Decimal  # money, 0 when goods only
    goods: tuple[str, ...]


def thank_you(facts: Iterable[DonationFact]) -> list[ThankYouLine]:
    """One line per donor who did not opt out (a donor who opted out on any donation is left
    out entirely; masked if they asked for it on any), money totals largest first, then by
    name."""
    grouped: dict[str, list[DonationFact]] = {}
    for fact in facts:
        grouped.setdefault(fact.donor_key, []).append(fact)
    lines = []
    for items in grouped.values():
        displays = {f.display for f in items}
        if HIDDEN in displays:
            continue
        name = items[-1].name
        shown = mask_name(name) if MASKED in displays else name
        total = sum((f.amount for f in items if f.amount is not None), Decimal("0"))
        goods = tuple(f.goods for f in items if f.goods)
        lines.append(ThankYouLine(shown, total, goods))
    lines.sort(key=lambda line: (-line.total, line.name))
    return lines
