"""Pure rules of competitions (no Django import; tested without a database).

Aggregation, once a stage closes:
- an item's score of an entry is the mean of its judges' points for that item; with
  `drop_extremes` and at least DROP_MIN_JUDGES judges, one highest and one lowest are dropped
  first (item_score);
- the entry's weighted total is the sum over the items of item score × weight / 100, weights
  being percents that add up to 100 (check_weights); an item nobody scored counts 0
  (weighted_total).

Ranking (rank), by the competition's declared tie rules, in order (TIE_RULES):
  total       higher weighted total first
  first_item  higher score on the first item
  items       higher score on each item in turn (the first, then the second, ...)
  finish      earlier finish time (an entry without one after those with one)
Entries equal under every declared rule share a rank; the next rank skips (1, 2, 2, 4).
`total` is always the first criterion: it is added in front when the declaration omits it.

Advancing (advancing): the entries ranked within the cut-off `count` (those tied at the cut-off
all advance), or with a total of at least `min_total`.

Awards (awards): ranks 1.. are 一等奖 for the first `first` places, then 二等奖, 三等奖;
beyond them 第N名 is not an award. An unbroken tie shares the award of its rank. A title
(技术能手) goes to the entries ranked within `title_count`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

DROP_MIN_JUDGES = 5
TIE_RULES = ("total", "first_item", "items", "finish")
DEFAULT_TIE_RULES = ("total", "first_item", "finish")
HUNDRED = Decimal("100")
PLACES = Decimal("0.001")

FIRST, SECOND, THIRD = "一等奖", "二等奖", "三等奖"


class RuleError(ValueError):
    """A declaration refused, by `code`: "unknown_tie_rule", "weights"."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def check_tie_rules(codes: Iterable[str]) -> tuple[str, ...]:
    """The declared rules, `total` first, each once; an unknown code is refused."""
    rules: list[str] = []
    for code in codes:
        code = code.strip()
        if not code:
            continue
        if code not in TIE_RULES:
            raise RuleError("unknown_tie_rule", code)
        if code not in rules:
            rules.append(code)
    if "total" in rules:
        rules.remove("total")
    return ("total", *rules)


def check_weights(weights: Iterable[Decimal]) -> None:
    """The items' weights (percents) must add up to 100."""
    weights = list(weights)
    if not weights or sum(weights, Decimal(0)) != HUNDRED:
        raise RuleError("weights")


def item_score(points: Sequence[Decimal], *, drop_extremes: bool = False) -> Decimal | None:
    """The mean of the judges' points (None when nobody scored), one highest and one lowest
    dropped first when asked and at least DROP_MIN_JUDGES judges scored."""
    values = sorted(Decimal(p) for p in points)
    if not values:
        return None
    if drop_extremes and len(values) >= DROP_MIN_JUDGES:
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(PLACES)


def weighted_total(item_scores: Sequence[Decimal | None], weights: Sequence[Decimal]) -> Decimal:
    total = Decimal(0)
    for score, weight in zip(item_scores, weights, strict=True):
        if score is not None:
            total += score * Decimal(weight) / HUNDRED
    return total.quantize(PLACES)


@dataclass(frozen=True)
class EntryScores:
    """An entry's aggregated scores in a stage, as the ranking needs them."""

    entry_id: int
    total: Decimal
    items: tuple[Decimal | None, ...] = ()  # in item order
    finished_at: dt.datetime | None = None


@dataclass(frozen=True)
class Ranked:
    entry_id: int
    rank: int
    total: Decimal
    tied: bool = False  # shares its rank with another entry
    decided_by: str = ""  # the tie rule that set it apart from the entry above
    scores: EntryScores | None = field(default=None, compare=False)


def _key(entry: EntryScores, rules: Sequence[str]) -> tuple:
    """Smaller is better, rule by rule."""
    parts: list = []
    for rule in rules:
        if rule == "total":
            parts.append(-entry.total)
        elif rule == "first_item":
            first = entry.items[0] if entry.items else None
            parts.append(-(first if first is not None else Decimal(-1)))
        elif rule == "items":
            parts.append(tuple(-(s if s is not None else Decimal(-1)) for s in entry.items))
        elif rule == "finish":
            # no finish time: after every entry with one
            parts.append((0, entry.finished_at.timestamp()) if entry.finished_at else (1, 0.0))
    return tuple(parts)


def rank(
    entries: Iterable[EntryScores], tie_rules: Sequence[str] = DEFAULT_TIE_RULES
) -> list[Ranked]:
    """The ranking (see the module docstring); ties of every rule share a rank, then by
    entry id for a stable order."""
    rules = check_tie_rules(tie_rules)
    ordered = sorted(entries, key=lambda e: (_key(e, rules), e.entry_id))
    keys = [_key(e, rules) for e in ordered]
    out: list[Ranked] = []
    for i, entry in enumerate(ordered):
        position = out[-1].rank if i and keys[i] == keys[i - 1] else i + 1
        tied = (i > 0 and keys[i] == keys[i - 1]) or (
            i + 1 < len(ordered) and keys[i] == keys[i + 1]
        )
        decided = ""
        if i and keys[i] != keys[i - 1]:
            decided = next(r for r, a, b in zip(rules, keys[i - 1], keys[i], strict=True) if a != b)
        out.append(Ranked(entry.entry_id, position, entry.total, tied, decided, entry))
    return out


def advancing(
    ranked: Sequence[Ranked], *, count: int | None = None, min_total: Decimal | None = None
) -> set[int]:
    """The entries that take part in the next stage (all of them without a cut-off)."""
    chosen = set()
    for r in ranked:
        if count is not None and r.rank > count:
            continue
        if min_total is not None and r.total < min_total:
            continue
        chosen.add(r.entry_id)
    return chosen


@dataclass(frozen=True)
class Award:
    entry_id: int
    rank: int
    award: str  # 一等奖, 二等奖, 三等奖 or 第N名
    title: str = ""


def awards(
    ranked: Sequence[Ranked],
    *,
    first: int = 1,
    second: int = 2,
    third: int = 3,
    title: str = "",
    title_count: int = 0,
) -> list[Award]:
    """One award per entry ranked within the prizes (a tie shares its rank's prize); the
    others are given their place, 第N名, without a prize."""
    out = []
    for r in ranked:
        if r.rank <= first:
            name = FIRST
        elif r.rank <= first + second:
            name = SECOND
        elif r.rank <= first + second + third:
            name = THIRD
        else:
            name = f"第{r.rank}名"
        given = title if title and r.rank <= title_count else ""
        out.append(Award(r.entry_id, r.rank, name, given))
    return out


def honours_of(given: Iterable[Award]) -> list[tuple[int, str, str]]:
    """What the final awards write to the honours registry: (entry id, "place", 一/二/三等奖)
    for an award within the prizes and (entry id, "title", the title) for a title such as
    技术能手. A place beyond the prizes (第N名) is not an honour."""
    out = []
    for a in given:
        if a.award in (FIRST, SECOND, THIRD):
            out.append((a.entry_id, "place", a.award))
        if a.title:
            out.append((a.entry_id, "title", a.title))
    return out


def may_finalise(today: dt.date, publicity_ends_on: dt.date | None, open_objections: int) -> str:
    """ "" when the results may become final, else why not: "period" (the 公示 period is not
    over: it ends at the end of `publicity_ends_on`), "objections" (some are unanswered)."""
    if publicity_ends_on is None or today <= publicity_ends_on:
        return "period"
    if open_objections:
        return "objections"
    return ""
