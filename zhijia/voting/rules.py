"""The voting core: choices, tally, recount, majority and trackers. Pure Python, no Django.

Everything a recount needs is here, so anyone can recompute a published result with the
published choice list and this file alone (plus the option keys shown on the results page).

Kinds
  yes_no_abstain  one option of ("yes", "no", "abstain") per ballot
  approval        at most `seats` distinct candidates out of n (差额选举, surveys); an empty
                  ballot (no candidate marked) is a valid blank ballot

A choice is a tuple of option keys; on a ballot and in the published list it is stored in its
canonical text form: the selected keys in option order joined by "+", "" for a blank ballot.

Rules
  passes(yes, base)   more than half of ALL eligible voters: yes * 2 > base (the caller gives
                      the base: the roll size, or all representatives of the congress term)
  motion_outcome      yes/no/abstain: passed or not, with the counts; a yes/no tie is reported
  election_outcome    approval: elected within the seats, ties at the last seat reported and
                      NOT resolved (those seats stay unfilled), unfilled seats reported
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

YES_NO_ABSTAIN = "yes_no_abstain"
APPROVAL = "approval"
KINDS = (YES_NO_ABSTAIN, APPROVAL)

YES, NO, ABSTAIN = "yes", "no", "abstain"
YNA_OPTIONS = (YES, NO, ABSTAIN)

SEPARATOR = "+"
BLANK = ""

# Decision rules a poll can carry.
RULE_MAJORITY = "majority"  # more than half of the base decides (passes / elected)
RULE_NONE = "none"  # counts only (surveys): nothing is decided, ties are still reported
RULES = (RULE_MAJORITY, RULE_NONE)


class InvalidChoice(ValueError):  # noqa: N818  (a domain error, named as the domain says it)
    """A ballot that may not be cast. `code` is stable, `params` hold the figures the message
    names, `args[0]` explains in Chinese (the application words it through gettext from the
    code: voting.actions.rule_message)."""

    def __init__(self, code: str, message: str, **params: int):
        super().__init__(message)
        self.code = code
        self.params = params


class InvalidPaperResult(ValueError):  # noqa: N818
    def __init__(self, code: str, message: str, **params: int):
        super().__init__(message)
        self.code = code
        self.params = params


# --- choices ------------------------------------------------------------------------------------


def check_options(kind: str, options: Sequence[str], seats: int) -> None:
    """Raise ValueError when a poll's definition is not usable."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if len(set(options)) != len(options):
        raise ValueError("duplicate option keys")
    if any(not key or SEPARATOR in key for key in options):
        raise ValueError("option keys must be non-empty and must not contain '+'")
    if kind == YES_NO_ABSTAIN:
        if tuple(options) != YNA_OPTIONS:
            raise ValueError("yes/no/abstain polls have exactly the options yes, no, abstain")
        if seats != 1:
            raise ValueError("yes/no/abstain polls have one seat")
    else:
        if len(options) < 1:
            raise ValueError("an approval poll needs at least one candidate")
        if not 1 <= seats <= len(options):
            raise ValueError("seats must be between 1 and the number of candidates")


def validate_choice(
    kind: str, selected: Iterable[str], *, options: Sequence[str], seats: int
) -> tuple[str, ...]:
    """The canonical tuple of the selected keys, or InvalidChoice."""
    picked = [str(s) for s in selected]
    if len(set(picked)) != len(picked):
        raise InvalidChoice("duplicate", "同一选项不能重复选择")
    unknown = [s for s in picked if s not in options]
    if unknown:
        raise InvalidChoice("unknown", "选择中含有本表决没有的选项")
    if kind == YES_NO_ABSTAIN:
        if len(picked) != 1:
            raise InvalidChoice("one_required", "请在赞成、反对、弃权中选择一项")
    elif kind == APPROVAL:
        if len(picked) > seats:
            raise InvalidChoice("too_many", f"最多只能选择 {seats} 项", seats=seats)
    else:
        raise InvalidChoice("kind", "未知的表决类型")
    order = {key: i for i, key in enumerate(options)}
    return tuple(sorted(picked, key=order.__getitem__))


def encode_choice(choice: Sequence[str]) -> str:
    """Canonical text of a validated choice ("" for a blank ballot)."""
    return SEPARATOR.join(choice)


def decode_choice(text: str) -> tuple[str, ...]:
    return tuple(text.split(SEPARATOR)) if text else ()


# --- tally ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    kind: str
    options: tuple[str, ...]
    seats: int
    ballots: int  # valid ballots counted
    counts: dict[str, int]  # every option, in option order
    blank: int = 0  # approval ballots with no candidate marked
    invalid: int = 0  # paper only: spoilt ballots (not in `ballots`)

    def ranking(self) -> list[tuple[str, int]]:
        """Options by votes, most first; equal votes keep option order (ties are reported
        separately by `tied_groups`, never broken)."""
        order = {key: i for i, key in enumerate(self.options)}
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def tally(
    kind: str, choices: Iterable[Sequence[str]], *, options: Sequence[str], seats: int
) -> Tally:
    """Count choices, validating each one (a bad choice is an error, not silently dropped)."""
    options = tuple(options)
    check_options(kind, options, seats)
    counts = dict.fromkeys(options, 0)
    ballots = blank = 0
    for choice in choices:
        valid = validate_choice(kind, choice, options=options, seats=seats)
        ballots += 1
        if not valid:
            blank += 1
        for key in valid:
            counts[key] += 1
    return Tally(kind, options, seats, ballots, counts, blank)


def recount(
    kind: str, published_choices: Iterable[str], *, options: Sequence[str], seats: int
) -> Tally:
    """The tally recomputed from the published choice list (canonical texts)."""
    return tally(kind, (decode_choice(c) for c in published_choices), options=options, seats=seats)


def paper_tally(
    kind: str,
    counts: Mapping[str, int],
    *,
    options: Sequence[str],
    seats: int,
    valid_ballots: int,
    invalid_ballots: int = 0,
    eligible: int | None = None,
) -> Tally:
    """A tally from hall-vote totals entered by hand, checked for consistency."""
    options = tuple(options)
    check_options(kind, options, seats)
    if set(counts) - set(options):
        raise InvalidPaperResult("unknown", "录入的票数含有本表决没有的选项")
    values = {key: counts.get(key, 0) for key in options}
    for value in [*values.values(), valid_ballots, invalid_ballots]:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidPaperResult("negative", "票数必须是不小于 0 的整数")
    if eligible is not None and valid_ballots + invalid_ballots > eligible:
        raise InvalidPaperResult(
            "too_many_ballots",
            f"收回的选票（{valid_ballots + invalid_ballots} 张）多于参加表决的人数"
            f"（{eligible} 人），请核对有效票和无效票",
            ballots=valid_ballots + invalid_ballots,
            eligible=eligible,
        )
    total = sum(values.values())
    if kind == YES_NO_ABSTAIN:
        if total != valid_ballots:
            raise InvalidPaperResult(
                "sum_yna",
                f"赞成、反对、弃权票数之和（{total}）应等于有效票数（{valid_ballots}）",
                total=total,
                valid=valid_ballots,
            )
        blank = 0
    else:
        if any(v > valid_ballots for v in values.values()):
            raise InvalidPaperResult("over", "任何候选人的得票都不能多于有效票数")
        if total > valid_ballots * seats:
            raise InvalidPaperResult(
                "sum", f"得票总数不能多于有效票数 × 应选人数（{seats}）", seats=seats
            )
        blank = 0  # unknown on paper; blank ballots are counted as valid ballots
    return Tally(kind, options, seats, valid_ballots, values, blank, invalid_ballots)


# --- decisions ------------------------------------------------------------------------------------


def passes(yes: int, base: int) -> bool:
    """More than half of ALL eligible voters (not of those present, not of those who voted)."""
    return yes * 2 > base


def majority_threshold(base: int) -> int:
    """The smallest number of votes that passes: base // 2 + 1."""
    return base // 2 + 1


@dataclass(frozen=True)
class MotionOutcome:
    passed: bool
    yes: int
    no: int
    abstain: int
    base: int
    threshold: int
    yes_no_tie: bool


def motion_outcome(t: Tally, base: int) -> MotionOutcome:
    yes, no, abstain = t.counts[YES], t.counts[NO], t.counts[ABSTAIN]
    return MotionOutcome(
        passes(yes, base), yes, no, abstain, base, majority_threshold(base), yes == no
    )


@dataclass(frozen=True)
class ElectionOutcome:
    elected: tuple[str, ...]  # in order of votes
    tied: tuple[str, ...]  # tied for the last seat(s): not elected, to be decided by the body
    unfilled: int  # seats not filled (for lack of a majority or because of the tie)
    qualified: tuple[str, ...] = field(default=())  # reached the threshold (or all, rule none)
    threshold: int | None = None


def election_outcome(t: Tally, *, base: int, require_majority: bool = True) -> ElectionOutcome:
    """Who is elected within t.seats. A tie at the last seat is reported, never resolved."""
    ranking = [(k, v) for k, v in t.ranking() if v > 0]
    if require_majority:
        ranking = [(k, v) for k, v in ranking if passes(v, base)]
    qualified = tuple(k for k, _ in ranking)
    seats = t.seats
    if len(ranking) <= seats:
        elected = qualified
        tied: tuple[str, ...] = ()
    else:
        cutoff = ranking[seats - 1][1]
        above = tuple(k for k, v in ranking if v > cutoff)
        at = tuple(k for k, v in ranking if v == cutoff)
        if len(above) + len(at) <= seats:  # the next candidate has fewer votes: no tie
            elected, tied = above + at, ()
        else:
            elected, tied = above, at
    return ElectionOutcome(
        elected=elected,
        tied=tied,
        unfilled=seats - len(elected),
        qualified=qualified,
        threshold=majority_threshold(base) if require_majority else None,
    )


def tied_groups(t: Tally) -> list[tuple[str, ...]]:
    """Groups of two or more options with the same (non-zero) number of votes."""
    by_votes: dict[int, list[str]] = {}
    for key, votes in t.ranking():
        if votes > 0:
            by_votes.setdefault(votes, []).append(key)
    return [tuple(keys) for votes, keys in by_votes.items() if len(keys) > 1]


# --- trackers -------------------------------------------------------------------------------------

# Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is unambiguous.
TRACKER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKER_CHARS = 16  # 16 × 5 = 80 random bits
TRACKER_GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_tracker() -> str:
    """A random tracker, 80 bits from the OS CSPRNG, shown as XXXX-XXXX-XXXX-XXXX."""
    value = secrets.randbits(TRACKER_CHARS * 5)
    chars = []
    for _ in range(TRACKER_CHARS):
        chars.append(TRACKER_ALPHABET[value & 31])
        value >>= 5
    raw = "".join(chars)
    return "-".join(raw[i : i + TRACKER_GROUP] for i in range(0, TRACKER_CHARS, TRACKER_GROUP))


def normalize_tracker(text: str) -> str | None:
    """A typed tracker in canonical form (case, spaces, hyphens and O/I/L forgiven), or None."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(raw) != TRACKER_CHARS or any(ch not in TRACKER_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + TRACKER_GROUP] for i in range(0, TRACKER_CHARS, TRACKER_GROUP))


# --- statistics for the secrecy tests and audits --------------------------------------------------


def rank_correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (0.0 when either side is constant)."""
    if len(xs) != len(ys):
        raise ValueError("sequences differ in length")
    rx, ry = _ranks(xs), _ranks(ys)
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return 0.0
    return cov / (vx * vy) ** 0.5


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = average
        i = j + 1
    return ranks


# --- trustees of an encrypted poll ----------------------------------------------------------------

MIN_TRUSTEES = 3
MAX_TRUSTEES = 5


def default_quorum(trustees: int) -> int:
    """k of n when the manager gives none: a strict majority of the trustees (3 -> 2, 4 -> 3,
    5 -> 3), so that no minority can decrypt and a minority's absence cannot block the
    count."""
    return trustees // 2 + 1


def trustee_problem(trustees: int, quorum: int) -> str | None:
    """Why n trustees with quorum k cannot hold an election key, or None. k >= 2: a single
    trustee must never be able to decrypt a ballot alone."""
    if not MIN_TRUSTEES <= trustees <= MAX_TRUSTEES:
        return "trustee_count"
    if not 2 <= quorum <= trustees:
        return "quorum"
    return None
