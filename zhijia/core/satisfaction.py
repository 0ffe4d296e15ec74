"""The one satisfaction scale (满意 / 基本满意 / 不满意) of every rated thing: a worker rating the
answer to a grievance, a proposer rating the handling of a proposal, and whatever is rated next.

    rating = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    outcome(rating, reopen_count)      -> "close" / "reopen" / "invalid"
    satisfaction_rate(ratings)         -> share of 满意 + 基本满意 among the rated, or None

The stored codes ("satisfied", "basically", "dissatisfied") are the same everywhere, so a rate
is computed the same way for every module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


CODES: tuple[str, ...] = tuple(Satisfaction.values)
# Counted as satisfied in a rate (基本满意 included, as the union's reports count it).
CONTENT = frozenset({Satisfaction.SATISFIED.value, Satisfaction.BASICALLY.value})
# A 不满意 sends the matter back to be handled again this many times; after that it closes.
MAX_REOPENS = 1


def is_rating(code: object) -> bool:
    return code in CODES


def label(code: str) -> str:
    """The Chinese label of a code ("" for none; the code itself when unknown)."""
    if not code:
        return ""
    return str(Satisfaction(code).label) if code in CODES else str(code)


def outcome(rating: str, reopen_count: int, *, max_reopens: int = MAX_REOPENS) -> str:
    """What a rating does: "close"; "reopen" (a 不满意 while the matter has been reopened fewer
    than `max_reopens` times); "invalid" for anything off the scale."""
    if rating not in CODES:
        return "invalid"
    if rating == Satisfaction.DISSATISFIED and reopen_count < max_reopens:
        return "reopen"
    return "close"


def satisfaction_rate(ratings: Iterable[str] | Mapping[str, int]) -> Fraction | None:
    """满意度: (满意 + 基本满意) / all rated, from the codes or from counts per code; codes off
    the scale and empty ones (not rated) are left out. None when nothing was rated."""
    counts: Mapping[str, int]
    if isinstance(ratings, Mapping):
        counts = ratings
    else:
        tally: dict[str, int] = {}
        for code in ratings:
            tally[code] = tally.get(code, 0) + 1
        counts = tally
    rated = sum(n for code, n in counts.items() if code in CODES)
    if not rated:
        return None
    return Fraction(sum(n for code, n in counts.items() if code in CONTENT), rated)


def percent(rate: Fraction | None) -> int | None:
    """A rate as a whole percentage, rounded half up (None stays None)."""
    if rate is None:
        return None
    return int(rate * 100 + Fraction(1, 2))
