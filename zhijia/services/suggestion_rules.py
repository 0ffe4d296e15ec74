"""Pure rules of the rationalisation suggestions (合理化建议, 技术革新, "五小"): no Django import,
tested without a database.

* Scoring criteria: a union unit configures its criteria (name and weight, weights summing to
  100); a unit without its own uses the nearest configured unit above it, else DEFAULT_CRITERIA
  (创新性 30, 可行性 30, 经济效益 25, 推广价值 15). `parse_criteria` reads the cadre's lines.
* The score of a suggestion: each expert gives every criterion 0–100; an expert's score is the
  weighted mean of their marks; the suggestion's score is the mean over the experts who marked
  every criterion (an expert half way through does not count yet), rounded to 0.1.
* Reward tiers: a tier applies when the certified benefit and the score both reach its
  minimums; of those that apply, the one with the highest amount (then the first declared).
  None applies: no reward (the suggestion still closes, with amount 0).
* Yearly figures per unit (its subtree): suggestions per 100 workers, adoption rate (adopted /
  decided), implementation rate (implemented / adopted), certified benefit (sum).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_SCORE = 100
MAX_CRITERIA = 10
MAX_TIERS = 10
MAX_AMOUNT = Decimal("100000000")


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: int  # percent; a unit's criteria sum to 100


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("创新性", 30),
    Criterion("可行性", 30),
    Criterion("经济效益", 25),
    Criterion("推广价值", 15),
)


@dataclass(frozen=True)
class Tier:
    name: str
    min_benefit: Decimal  # certified benefit, yuan
    min_score: Decimal  # 0..100
    amount: Decimal  # the reward, yuan


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("一等奖", Decimal("500000"), Decimal("85"), Decimal("5000")),
    Tier("二等奖", Decimal("100000"), Decimal("75"), Decimal("2000")),
    Tier("三等奖", Decimal("10000"), Decimal("60"), Decimal("800")),
    Tier("鼓励奖", Decimal("0"), Decimal("0"), Decimal("200")),
)


class RuleError(ValueError):
    """A refused input: `code` says why, `params` the values for the message (the Django layer
    words it: zhijia.services.actions.suggestions.rule_message)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except (InvalidOperation, AttributeError):
        raise RuleError("not_a_number", what=what, text=text) from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise RuleError("amount_range", what=what, text=text)
    return value


def check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise RuleError("no_criteria")
    if len(criteria) > MAX_CRITERIA:
        raise RuleError("too_many_criteria", n=MAX_CRITERIA)
    names = [c.name for c in criteria]
    if any(not n or len(n) > 20 for n in names):
        raise RuleError("name_length")
    if len(set(names)) != len(names):
        raise RuleError("duplicate_name")
    if any(not 1 <= c.weight <= 100 for c in criteria):
        raise RuleError("weight_range")
    total = sum(c.weight for c in criteria)
    if total != 100:
        raise RuleError("weight_total", total=total)


def parse_criteria(text: str) -> list[Criterion]:
    """One criterion a line, "名称 权重" (a space, a tab or a comma between)."""
    out = []
    for line in (text or "").splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[1].isdigit():
            raise RuleError("criterion_line", text=line.strip())
        if len(parts[0]) > 20:
            raise RuleError("name_length")
        out.append(Criterion(parts[0], int(parts[1])))
    check_criteria(out)
    return out


def parse_tiers(text: str) -> list[Tier]:
    """One tier a line, "名称 最低认定效益 最低得分 奖金"."""
    out = []
    for line in (text or "").splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 4:
            raise RuleError("tier_line", text=line.strip())
        if len(parts[0]) > 20:
            raise RuleError("name_length")
        score = _decimal(parts[2], "min_score")
        if score > MAX_SCORE:
            raise RuleError("score_range", n=MAX_SCORE)
        out.append(
            Tier(parts[0], _decimal(parts[1], "min_benefit"), score, _decimal(parts[3], "amount"))
        )
    check_tiers(out)
    return out


def check_tiers(tiers: Sequence[Tier]) -> None:
    if not tiers:
        raise RuleError("no_tiers")
    if len(tiers) > MAX_TIERS:
        raise RuleError("too_many_tiers", n=MAX_TIERS)
    if len({t.name for t in tiers}) != len(tiers):
        raise RuleError("duplicate_name")
    for t in tiers:
        if not t.name or len(t.name) > 20:
            raise RuleError("name_length")
        if not (0 <= t.min_score <= MAX_SCORE):
            raise RuleError("score_range", n=MAX_SCORE)
        for value in (t.min_benefit, t.amount):
            if not value.is_finite() or not (0 <= value <= MAX_AMOUNT):
                raise RuleError("amount_range", what="", text="")


def nearest_configured(
    lineage_paths: Sequence[str], configured: Mapping[str, Sequence]
) -> tuple[str | None, Sequence]:
    """The configuration of the nearest unit (its own first, then upwards) that has one:
    (its path, its items); (None, ()) when no unit of the lineage has any."""
    for path in reversed(lineage_paths):
        items = configured.get(path)
        if items:
            return path, items
    return None, ()


def _round1(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expert_score(criteria: Sequence[Criterion], marks: Mapping[str, int]) -> Decimal | None:
    """The weighted mean of one expert's marks; None until every criterion is marked."""
    if any(c.name not in marks for c in criteria) or not criteria:
        return None
    total = sum(Decimal(c.weight) * Decimal(marks[c.name]) for c in criteria)
    return total / Decimal(sum(c.weight for c in criteria))


def suggestion_score(
    criteria: Sequence[Criterion], marks_by_expert: Mapping[int, Mapping[str, int]]
) -> Decimal | None:
    """The mean of the complete experts' scores, to 0.1; None when no expert is complete."""
    scores = [
        s for s in (expert_score(criteria, m) for m in marks_by_expert.values()) if s is not None
    ]
    if not scores:
        return None
    return _round1(sum(scores, Decimal(0)) / len(scores))


def check_mark(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SCORE:
        raise RuleError("mark_range", n=MAX_SCORE)
    return value


def tier_for(benefit: Decimal, score: Decimal | None, tiers: Iterable[Tier]) -> Tier | None:
    """The reward tier of a certified benefit and a score (see the module docstring)."""
    reached = [
        t for t in tiers if benefit >= t.min_benefit and (score or Decimal(0)) >= t.min_score
    ]
    if not reached:
        return None
    best = max(t.amount for t in reached)
    return next(t for t in reached if t.amount == best)


# --- yearly figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCounts:
    """What is counted for one unit's subtree and one year (by the submission date)."""

    workers: int  # members on the roll (在册) of the subtree
    submitted: int  # suggestions submitted in the year
    adopted: int  # of those, adopted (whatever came after: implementing … closed)
    rejected: int  # of those, rejected
    implemented: int  # of the adopted, implemented (certifying, rewarding or closed)
    benefit: Decimal  # the certified benefit of the year's suggestions, summed


@dataclass(frozen=True)
class YearFigures:
    counts: YearCounts
    per_100: Decimal | None  # suggestions per 100 workers, to 0.1 (None: no workers)
    adoption_rate: Decimal | None  # adopted / decided, percent to 0.1 (None: none decided)
    implementation_rate: Decimal | None  # implemented / adopted, percent (None: none adopted)

    @property
    def decided(self) -> int:
        return self.counts.adopted + self.counts.rejected


def _percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return _round1(Decimal(part) * 100 / Decimal(whole))


def year_figures(counts: YearCounts) -> YearFigures:
    return YearFigures(
        counts=counts,
        per_100=_percent(counts.submitted, counts.workers),
        adoption_rate=_percent(counts.adopted, counts.adopted + counts.rejected),
        implementation_rate=_percent(counts.implemented, counts.adopted),
    )
