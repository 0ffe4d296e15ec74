"""Pure rules of surveys (no Django import): what a valid answer is, and how answers add up.

An answer set is a mapping question key -> value, one value per question kind:

    single        "2"                 the option's index (0-based, as text)
    multiple      ["0", "3"]          indexes, between min_picks and max_picks of them
    rating        "4"                 stars 1..5, or a satisfaction code (scale "satisfaction")
    matrix        {"0": "1", "1": "2"} row index -> option index, one per row
    text, topic   "free text"         (topic: one suggested topic per line)

`clean_answers(questions, raw)` checks and canonicalises a submission; `tally(questions,
answers)` counts a list of cleaned answer sets per question. The Django side (actions,
queries) stores and reads; the counting here is what the tests compare with a hand count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SINGLE = "single"
MULTIPLE = "multiple"
RATING = "rating"
MATRIX = "matrix"
TEXT = "text"
TOPIC = "topic"
KINDS = (SINGLE, MULTIPLE, RATING, MATRIX, TEXT, TOPIC)
CHOICE_KINDS = (SINGLE, MULTIPLE, MATRIX)

STARS = "stars"
SATISFACTION = "satisfaction"
SATISFACTION_CODES = ("satisfied", "basically", "dissatisfied")
MAX_STARS = 5
MAX_TEXT = 2000
MAX_TOPICS = 5
MAX_TOPIC = 100


@dataclass(frozen=True)
class QuestionSpec:
    """What the rules need of a question."""

    key: str
    kind: str
    required: bool = True
    options: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    min_picks: int = 0
    max_picks: int = 0  # 0: as many as there are options
    scale: str = STARS


class InvalidAnswer(Exception):
    """One refused answer: `code` says why (the Django side turns it into words)."""

    def __init__(self, key: str, code: str, **params: Any) -> None:
        super().__init__(f"{key}: {code}")
        self.key = key
        self.code = code
        self.params = params


def check_question(spec: QuestionSpec) -> str | None:
    """Why a question cannot be asked as written (a code), or None."""
    if spec.kind not in KINDS:
        return "kind"
    if spec.kind in CHOICE_KINDS:
        if len(spec.options) < 2:
            return "options"
        if len(set(spec.options)) != len(spec.options):
            return "duplicate_options"
    if spec.kind == MATRIX and not spec.rows:
        return "rows"
    if spec.kind == MULTIPLE:
        top = spec.max_picks or len(spec.options)
        if not 0 <= spec.min_picks <= top <= len(spec.options):
            return "picks"
    if spec.kind == RATING and spec.scale not in (STARS, SATISFACTION):
        return "scale"
    return None


def _index(value: Any, size: int) -> str | None:
    text = str(value).strip()
    if not text.isdigit():
        return None
    number = int(text)
    return str(number) if 0 <= number < size else None


def normalise_topic(text: str) -> str:
    """A topic as it is grouped: inner spaces and trailing punctuation dropped."""
    text = re.sub(r"\s+", "", str(text))
    return text.strip("。.,，;；:：!！?？、")[:MAX_TOPIC]


def split_topics(text: str) -> list[str]:
    """The topics of a topic answer: one per line (or separated by ；/;), normalised, once
    each, at most MAX_TOPICS."""
    seen: list[str] = []
    for part in re.split(r"[\n;；]+", str(text or "")):
        topic = normalise_topic(part)
        if topic and topic not in seen:
            seen.append(topic)
    return seen[:MAX_TOPICS]


def _clean_one(spec: QuestionSpec, value: Any) -> Any:
    """The canonical value of one answer, or None when not answered; raises InvalidAnswer."""
    key = spec.key
    if spec.kind == SINGLE:
        if value in (None, ""):
            return None
        found = _index(value, len(spec.options))
        if found is None:
            raise InvalidAnswer(key, "unknown")
        return found
    if spec.kind == MULTIPLE:
        values = [value] if isinstance(value, str) else list(value or [])
        picks = [_index(v, len(spec.options)) for v in values if str(v).strip() != ""]
        if any(p is None for p in picks):
            raise InvalidAnswer(key, "unknown")
        if len(set(picks)) != len(picks):
            raise InvalidAnswer(key, "duplicate")
        if not picks:
            return None
        top = spec.max_picks or len(spec.options)
        if len(picks) < spec.min_picks:
            raise InvalidAnswer(key, "too_few", n=spec.min_picks)
        if len(picks) > top:
            raise InvalidAnswer(key, "too_many", n=top)
        return sorted(picks, key=int)  # type: ignore[arg-type]
    if spec.kind == RATING:
        if value in (None, ""):
            return None
        text = str(value).strip()
        if spec.scale == SATISFACTION:
            if text not in SATISFACTION_CODES:
                raise InvalidAnswer(key, "unknown")
            return text
        if not text.isdigit() or not 1 <= int(text) <= MAX_STARS:
            raise InvalidAnswer(key, "stars")
        return str(int(text))
    if spec.kind == MATRIX:
        given = dict(value or {}) if isinstance(value, Mapping) else {}
        rows: dict[str, str] = {}
        for row, pick in given.items():
            r = _index(row, len(spec.rows))
            if r is None:
                raise InvalidAnswer(key, "unknown")
            if pick in (None, ""):
                continue
            p = _index(pick, len(spec.options))
            if p is None:
                raise InvalidAnswer(key, "unknown")
            rows[r] = p
        if not rows:
            return None
        if spec.required and len(rows) != len(spec.rows):
            raise InvalidAnswer(key, "rows_missing")
        return dict(sorted(rows.items(), key=lambda kv: int(kv[0])))
    # text, topic
    text = str(value or "").strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(key, "too_long", n=MAX_TEXT)
    if spec.kind == TOPIC:
        topics = split_topics(text)
        return "\n".join(topics) if topics else None
    return text


def clean_answers(questions: Sequence[QuestionSpec], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical answer set of a submission. Raises InvalidAnswer for the first question
    at fault (a required one left empty: code "required"); unknown keys are ignored."""
    cleaned: dict[str, Any] = {}
    for spec in questions:
        value = _clean_one(spec, raw.get(spec.key))
        if value is None:
            if spec.required:
                raise InvalidAnswer(spec.key, "required")
            continue
        cleaned[spec.key] = value
    return cleaned


# --- counting ------------------------------------------------------------------------------------


@dataclass
class QuestionTally:
    """The counts of one question over all responses."""

    key: str
    kind: str
    answered: int = 0
    counts: list[int] = field(default_factory=list)  # per option (single, multiple, stars 1..5)
    scale_counts: dict[str, int] = field(default_factory=dict)  # satisfaction code -> count
    matrix: list[list[int]] = field(default_factory=list)  # rows × options
    texts: list[str] = field(default_factory=list)
    topics: Counter = field(default_factory=Counter)
    total: int = 0  # sum of stars

    @property
    def average(self) -> float | None:
        """Average of the stars (rating, scale stars), None when nobody rated."""
        if self.kind != RATING or not self.answered or self.scale_counts:
            return None
        return self.total / self.answered


def percent(part: int, whole: int) -> int:
    """A share in whole percent, rounded half up; 0 of 0 is 0."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def tally(questions: Sequence[QuestionSpec], answers: Iterable[Mapping[str, Any]]) -> dict:
    """Counts per question key over cleaned answer sets."""
    result: dict[str, QuestionTally] = {}
    for spec in questions:
        t = QuestionTally(spec.key, spec.kind)
        if spec.kind in (SINGLE, MULTIPLE):
            t.counts = [0] * len(spec.options)
        elif spec.kind == RATING and spec.scale == STARS:
            t.counts = [0] * MAX_STARS
        elif spec.kind == RATING:
            t.scale_counts = dict.fromkeys(SATISFACTION_CODES, 0)
        elif spec.kind == MATRIX:
            t.matrix = [[0] * len(spec.options) for _ in spec.rows]
        result[spec.key] = t
    by_key = {spec.key: spec for spec in questions}
    for answer_set in answers:
        for key, value in answer_set.items():
            if key not in by_key:
                continue
            spec = by_key[key]
            t = result[key]
            t.answered += 1
            if spec.kind == SINGLE:
                t.counts[int(value)] += 1
            elif spec.kind == MULTIPLE:
                for pick in value:
                    t.counts[int(pick)] += 1
            elif spec.kind == RATING and spec.scale == STARS:
                t.counts[int(value) - 1] += 1
                t.total += int(value)
            elif spec.kind == RATING:
                t.scale_counts[value] = t.scale_counts.get(value, 0) + 1
            elif spec.kind == MATRIX:
                for row, pick in value.items():
                    t.matrix[int(row)][int(pick)] += 1
            elif spec.kind == TOPIC:
                t.topics.update(str(value).split("\n"))
                t.texts.append(str(value))
            else:
                t.texts.append(str(value))
    return result


def frequent_words(
    texts: Iterable[str], cut, *, top: int = 20, stop: frozenset[str] = frozenset()
) -> list[tuple[str, int]]:
    """The `top` most frequent words of `texts` (cut by `cut(text) -> words`), with counts.
    Single characters, numbers, punctuation and `stop` words are left out; ties by word so
    the order reveals nothing of the order of the texts."""
    counts: Counter = Counter()
    for text in texts:
        for word in cut(text):
            word = word.strip()
            if len(word) < 2 or word in stop or not re.search(r"\w", word) or word.isdigit():
                continue
            counts[word] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def within_window(now, opens_at, closes_at) -> bool:
    """Whether answers are taken at `now` (closes_at None: until closed by hand)."""
    if opens_at is not None and now < opens_at:
        return False
    return closes_at is None or now < closes_at
