"""The pure rules of the 建家 (职工之家) assessment: scores, totals, ranking, title tiers.

No Django import: tested without a database (zhijia/homes/tests/test_rules.py).

* A criterion's score is capped: below 0 counts 0, above its maximum counts the maximum (a
  form refuses such a score first; the cap keeps a total honest whatever was stored).
* The total of an assessment is the sum of its criteria's capped scores; when the criteria set
  is weighted, each capped score is multiplied by its criterion's weight first. Totals are
  rounded to two decimals, half up.
* Ranking across branches is standard competition ranking ("1224"): equal totals share a
  rank, the next rank skips the shared places; an assessment without a total is not ranked.
* Title tiers ("模范职工之家=90"): the highest tier whose threshold the total reaches is the
  suggested title; the committee decides (a suggestion, never an automatic award).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Item:
    """One criterion as scored: the score given (None: not scored), its maximum, its weight."""

    score: Decimal | None
    maximum: Decimal
    weight: Decimal = Decimal("1")


@dataclass(frozen=True)
class Tier:
    """A title and the lowest total that suggests it."""

    name: str
    threshold: Decimal


class RuleError(ValueError):
    """A refused input; `code` names the message (actions translate it)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def check_score(score: Decimal | None, maximum: Decimal) -> None:
    """A score given in a form: 0 ≤ score ≤ maximum, at most two decimals."""
    if score is None:
        return
    if score < 0:
        raise RuleError("negative")
    if score > maximum:
        raise RuleError("over_maximum", maximum=maximum)
    if score != rounded(score):
        raise RuleError("decimals")


def capped(score: Decimal | None, maximum: Decimal) -> Decimal:
    """The score as counted: None and negatives count 0, above the maximum counts the maximum."""
    if score is None or score < 0:
        return ZERO
    return min(score, maximum)


def total(items: Iterable[Item], *, weighted: bool = False) -> Decimal:
    """The sum of the capped scores (each times its weight when the set is weighted)."""
    result = ZERO
    for item in items:
        points = capped(item.score, item.maximum)
        result += points * item.weight if weighted else points
    return rounded(result)


def maximum_total(items: Iterable[Item], *, weighted: bool = False) -> Decimal:
    """The total of an assessment with every criterion at its maximum."""
    return total((Item(i.maximum, i.maximum, i.weight) for i in items), weighted=weighted)


def rank(totals: Sequence[tuple[object, Decimal | None]]) -> dict[object, int]:
    """Standard competition ranking of (key, total) pairs: the highest total ranks 1, equal
    totals share a rank and the next rank skips (100, 90, 90, 80 -> 1, 2, 2, 4). Keys without
    a total are left out."""
    scored = sorted(((t, k) for k, t in totals if t is not None), key=lambda p: -p[0])
    ranks: dict[object, int] = {}
    previous: Decimal | None = None
    place = 0
    for position, (value, key) in enumerate(scored, start=1):
        if value != previous:
            place = position
            previous = value
        ranks[key] = place
    return ranks


DEFAULT_TIERS = "模范职工之家=90\n先进职工之家=80\n职工小家=70"


def parse_tiers(text: str) -> list[Tier]:
    """Title tiers from lines "名称=分数" (blank lines ignored), highest threshold first.
    Refuses a line without "=", an empty name, a threshold that is not a number in 0..1000 and
    a name given twice."""
    tiers: list[Tier] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, sep, value = line.replace("＝", "=").partition("=")
        name = name.strip()
        if not sep or not name:
            raise RuleError("tier_line", line=number)
        try:
            threshold = Decimal(value.strip())
        except InvalidOperation:
            raise RuleError("tier_number", line=number) from None
        if not threshold.is_finite() or not ZERO <= threshold <= 1000:
            raise RuleError("tier_number", line=number)
        if any(t.name == name for t in tiers):
            raise RuleError("tier_twice", line=number)
        tiers.append(Tier(name[:50], rounded(threshold)))
    return sorted(tiers, key=lambda t: -t.threshold)


def suggested_title(value: Decimal | None, tiers: Sequence[Tier]) -> str:
    """The highest tier the total reaches, or "" (no total, or below every tier)."""
    if value is None:
        return ""
    for tier in sorted(tiers, key=lambda t: -t.threshold):
        if value >= tier.threshold:
            return tier.name
    return ""


# --- the default criteria set ---------------------------------------------------------------
# docs/homes.md says where these come from. (heading, title, maximum, evidence, figure keys)
DEFAULT_SET_NAME = "职工之家建设标准（默认）"
DEFAULT_CRITERIA: tuple[tuple[str, str, int, str, tuple[str, ...]], ...] = (
    (
        "组织健全",
        "工会委员会、经费审查委员会、女职工委员会依法建立并按期换届",
        10,
        "选举结果批复、委员名单、换届会议记录",
        (),
    ),
    (
        "组织健全",
        "职工依法入会，会员会籍和档案管理规范",
        8,
        "会员名册、入会登记、会籍接转记录",
        (),
    ),
    (
        "组织健全",
        "工会小组健全，小组长和工会积极分子队伍稳定",
        7,
        "工会小组名单、小组长名单、小组活动记录",
        (),
    ),
    (
        "程序规范",
        "坚持职工代表大会制度，每年至少召开一次，决议和提案落实",
        10,
        "职代会会议记录、决议及落实情况报告",
        ("congress.sessions_held",),
    ),
    (
        "程序规范",
        "厂务公开按目录按时公开，职工提出的问题及时答复",
        8,
        "公开目录、公开记录、问题答复",
        ("disclosure.items_published",),
    ),
    (
        "程序规范",
        "工会经费独立核算，收支按规定审查并向会员公开",
        7,
        "经费收支报表、经审报告、公开记录",
        (),
    ),
    (
        "活动正常",
        "经常开展文体活动、困难职工帮扶和送温暖活动",
        10,
        "活动通知、签到、照片、帮扶台账",
        ("services.events_held",),
    ),
    (
        "活动正常",
        "开展职工教育培训、劳动竞赛和合理化建议活动",
        8,
        "培训计划与学时、竞赛和建议记录",
        ("services.training_hours",),
    ),
    (
        "活动正常",
        "工会小组定期活动，职工之家阵地（活动室、书屋等）正常开放",
        7,
        "阵地照片、开放记录、小组活动记录",
        (),
    ),
    (
        "职工认可",
        "职工对工会工作满意，对职工之家建设评价好",
        15,
        "满意度测评结果、职工评议记录",
        ("core.satisfaction_rate",),
    ),
    (
        "五个结合",
        "建家活动与推进企业民主管理相结合",
        2,
        "职代会、厂务公开与建家工作的安排",
        (),
    ),
    (
        "五个结合",
        "建家活动与维护职工合法权益相结合",
        2,
        "集体合同、劳动争议调解、职工诉求办理情况",
        (),
    ),
    (
        "五个结合",
        "建家活动与企业生产经营和发展相结合",
        2,
        "劳动竞赛、合理化建议、技术创新情况",
        (),
    ),
    (
        "五个结合",
        "建家活动与加强工会自身建设相结合",
        2,
        "工会干部培训、制度建设情况",
        (),
    ),
    (
        "五个结合",
        "建家活动与评比活动相结合",
        2,
        "评比方案、表彰决定",
        (),
    ),
)
