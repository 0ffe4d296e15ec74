"""Pure rules of the honours registry (荣誉), 劳模 care and the "五型"班组 assessment (no Django
import; tested without a database).

The codes below are the values stored and taken by the API and by
`zhijia.services.actions.honours.do_record_honour` (the competitions subject records its
awards with kind COMPETITION_PLACE or TECHNICAL_EXPERT):

  kind                      holder            levels
  model_worker   劳动模范    person            national, provincial, city, enterprise
  great_craftsman 大国工匠   person            national
  craftsman      企业工匠    person            enterprise (or any)
  may_day_medal  五一劳动奖章 person           national, provincial, city
  pioneer        工人先锋号  team              any
  five_type_team "五型"班组  team              any
  advanced_individual 先进个人 person          any
  advanced_collective 先进集体 team            any
  technical_expert 技术能手  person            any
  competition_place 竞赛名次 person or team    any

  level: national 全国 · provincial 省部级（省） · city 市级 · enterprise 企业级

- check_honour: the holder (a member, or a team name) and the level fit the kind;
- assessment_score: a team's score in the "五型" assessment (per type, total, rate), and
  passes: whether it reaches the pass mark (a percentage of the points available);
- STUDIO_LEAD_KINDS: the honours whose holder may lead an innovation studio;
- care_applies / care_status: which care items a model worker is due, and whether an item of a
  year is done, still pending, or overdue (not done by the end of its month).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MODEL_WORKER = "model_worker"
GREAT_CRAFTSMAN = "great_craftsman"
CRAFTSMAN = "craftsman"
MAY_DAY_MEDAL = "may_day_medal"
PIONEER = "pioneer"
FIVE_TYPE_TEAM = "five_type_team"
ADVANCED_INDIVIDUAL = "advanced_individual"
ADVANCED_COLLECTIVE = "advanced_collective"
TECHNICAL_EXPERT = "technical_expert"
COMPETITION_PLACE = "competition_place"

KINDS = (
    MODEL_WORKER,
    GREAT_CRAFTSMAN,
    CRAFTSMAN,
    MAY_DAY_MEDAL,
    PIONEER,
    FIVE_TYPE_TEAM,
    ADVANCED_INDIVIDUAL,
    ADVANCED_COLLECTIVE,
    TECHNICAL_EXPERT,
    COMPETITION_PLACE,
)

NATIONAL, PROVINCIAL, CITY, ENTERPRISE = "national", "provincial", "city", "enterprise"
LEVELS = (NATIONAL, PROVINCIAL, CITY, ENTERPRISE)

PERSON_KINDS = frozenset(
    {MODEL_WORKER, GREAT_CRAFTSMAN, CRAFTSMAN, MAY_DAY_MEDAL, ADVANCED_INDIVIDUAL, TECHNICAL_EXPERT}
)
TEAM_KINDS = frozenset({PIONEER, FIVE_TYPE_TEAM, ADVANCED_COLLECTIVE})
# The kinds whose levels are restricted; the others take any level.
KIND_LEVELS: Mapping[str, tuple[str, ...]] = {
    MODEL_WORKER: (NATIONAL, PROVINCIAL, CITY, ENTERPRISE),
    GREAT_CRAFTSMAN: (NATIONAL,),
    MAY_DAY_MEDAL: (NATIONAL, PROVINCIAL, CITY),
}

# Who may lead a 劳模/工匠创新工作室: a holder of one of these honours (in force).
STUDIO_LEAD_KINDS = frozenset(
    {MODEL_WORKER, MAY_DAY_MEDAL, GREAT_CRAFTSMAN, CRAFTSMAN, TECHNICAL_EXPERT}
)

# The five types of a "五型"班组: 学习型、安全型、清洁型、节约型、和谐型.
TEAM_TYPES = ("learning", "safety", "clean", "thrift", "harmony")

DEFAULT_PASS_PERCENT = Decimal("80")
# The care items a 劳动模范 is due every year unless configured otherwise: (name, due month).
# (Migration 0006 writes the same three rows once.)
DEFAULT_CARE_ITEMS = (("走访慰问", 2), ("疗休养", 9), ("健康体检", 10))
HUNDRED = Decimal("100")
TENTH = Decimal("0.1")


class HonourError(ValueError):
    """A refused input: `code` names the problem, `field` the field at fault."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def levels_for(kind: str) -> tuple[str, ...]:
    return KIND_LEVELS.get(kind, LEVELS)


def check_honour(kind: str, level: str, *, has_member: bool, team_name: str) -> None:
    """Raise HonourError when the kind, level or holder do not fit together."""
    if kind not in KINDS:
        raise HonourError("kind", "kind")
    if level not in levels_for(kind):
        raise HonourError("level", "level")
    team = bool((team_name or "").strip())
    if has_member and team:
        raise HonourError("both", "team_name")
    if kind in PERSON_KINDS and not has_member:
        raise HonourError("person", "member")
    if kind in TEAM_KINDS and not team:
        raise HonourError("team", "team_name")
    if not has_member and not team:
        raise HonourError("holder", "member")


# --- the "五型" assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    id: int
    team_type: str
    max_points: Decimal


@dataclass(frozen=True)
class Score:
    by_type: dict[str, Decimal]  # points per team type (every type of a criterion given)
    total: Decimal
    maximum: Decimal
    rate: Decimal  # total / maximum × 100, one decimal (half up); 0 without criteria


def points(value) -> Decimal:
    """A score entered: a number with at most one decimal, not negative."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise HonourError("invalid", "points") from None
    if not number.is_finite() or number < 0:
        raise HonourError("range", "points")
    if number != number.quantize(TENTH):
        raise HonourError("decimals", "points")
    return number


def assessment_score(criteria: Iterable[Criterion], scores: Mapping[int, object]) -> Score:
    """The score of every criterion (a missing one counts 0): a score above its criterion's
    maximum or negative is refused (HonourError with field `c<id>`)."""
    by_type: dict[str, Decimal] = {}
    total = maximum = Decimal(0)
    for criterion in criteria:
        raw = scores.get(criterion.id)
        value = Decimal(0) if raw is None or raw == "" else None
        if value is None:
            try:
                value = points(raw)
            except HonourError as exc:
                raise HonourError(exc.code, f"c{criterion.id}") from None
        if value > criterion.max_points:
            raise HonourError("above", f"c{criterion.id}")
        by_type[criterion.team_type] = by_type.get(criterion.team_type, Decimal(0)) + value
        total += value
        maximum += criterion.max_points
    rate = (total * HUNDRED / maximum).quantize(TENTH, ROUND_HALF_UP) if maximum else Decimal(0)
    return Score(by_type=by_type, total=total, maximum=maximum, rate=rate)


def passes(score: Score, pass_percent: Decimal) -> bool:
    """At or above the pass mark (a percentage of the points available)."""
    return score.maximum > 0 and score.rate >= pass_percent


# --- 劳模 care ------------------------------------------------------------------------------------

DONE, PENDING, OVERDUE = "done", "pending", "overdue"


def care_applies(item_kind: str, item_level: str, honours: Iterable[tuple[str, str]]) -> bool:
    """Whether a care item (of a kind, and of one level or of every level when blank) is due
    to a person holding these active (kind, level) honours."""
    return any(k == item_kind and (not item_level or lv == item_level) for k, lv in honours)


def care_status(*, year: int, due_month: int, done: bool, today: dt.date) -> str:
    """DONE, PENDING (still time: up to the end of `due_month` of `year`) or OVERDUE."""
    if done:
        return DONE
    if (today.year, today.month) > (year, due_month):
        return OVERDUE
    return PENDING
