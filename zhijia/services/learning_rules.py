"""Pure rules of learning (培训): no Django import, tested without a database.

- `draw`: the questions of one attempt, N at random from the bank, preferring those the member
  was not given before, so two attempts differ whenever the bank allows it;
- `is_correct` / `score`: marking an attempt (choice letters in any order, true/false in words,
  fill-in against the accepted answers, full-width and case forgiven);
- `deadline`, `is_overdue`: the server's time limit;
- `mask_name`: the name on the public verification page (王*);
- `target_for`, `report_row`: the hours target of a worker and the completion report's line;
- `parse_question_row`: one row of the question bank's Excel template, or its error.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

SINGLE, MULTIPLE, TRUE_FALSE, FILL = "single", "multiple", "true_false", "fill"
KINDS = {"单选": SINGLE, "单选题": SINGLE, "多选": MULTIPLE, "多选题": MULTIPLE}
KINDS |= {"判断": TRUE_FALSE, "判断题": TRUE_FALSE, "填空": FILL, "填空题": FILL}
LETTERS = "ABCDEF"
TRUE_WORDS = {"对", "正确", "是", "√", "T", "TRUE", "Y"}
FALSE_WORDS = {"错", "错误", "否", "×", "F", "FALSE", "N"}
MAX_TEXT = 2000
MAX_OPTION = 200


def draw(
    bank: Sequence[int], n: int, seen: Iterable[int] = (), rng: random.Random | None = None
) -> list[int]:
    """N question ids from the bank: first from those not in `seen` (the member's earlier
    attempts), then from the others; in a random order."""
    rng = rng or random.SystemRandom()
    seen_set = set(seen)
    fresh = [q for q in bank if q not in seen_set]
    old = [q for q in bank if q in seen_set]
    n = min(n, len(bank))
    picked = rng.sample(fresh, min(n, len(fresh)))
    if len(picked) < n:
        picked += rng.sample(old, n - len(picked))
    rng.shuffle(picked)
    return picked


def normalize(text: str) -> str:
    """Full-width to half-width, no spaces, upper case: how answers are compared."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(text.split()).upper()


def choice_key(text: str) -> str:
    """ "A,C" / "ca" / "Ａ Ｃ" -> "AC" (letters sorted, once each)."""
    return "".join(sorted({c for c in normalize(text) if c in LETTERS}))


def truth(text: str) -> bool | None:
    value = normalize(text)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return None


def is_correct(kind: str, key: str, given: str) -> bool:
    if not str(given or "").strip():
        return False
    if kind in (SINGLE, MULTIPLE):
        return choice_key(given) == choice_key(key)
    if kind == TRUE_FALSE:
        return truth(given) is not None and truth(given) == truth(key)
    accepted = {normalize(a) for a in str(key).split("|") if a.strip()}
    return normalize(given) in accepted


@dataclass(frozen=True)
class Marked:
    correct: int
    total: int
    score: int  # 0..100
    wrong: tuple[int, ...]  # the ids answered wrongly (or not at all)


def score(questions: Sequence[tuple[int, str, str]], answers: dict[str, str]) -> Marked:
    """questions: (id, kind, key) in the attempt's order; answers keyed by str(id)."""
    wrong = tuple(
        qid for qid, kind, key in questions if not is_correct(kind, key, answers.get(str(qid), ""))
    )
    total = len(questions)
    correct = total - len(wrong)
    percent = round(100 * correct / total) if total else 0
    return Marked(correct=correct, total=total, score=percent, wrong=wrong)


def passed(score_value: int, pass_mark: int) -> bool:
    return score_value >= pass_mark


def deadline(started: dt.datetime, minutes: int) -> dt.datetime:
    return started + dt.timedelta(minutes=minutes)


def is_overdue(now: dt.datetime, due: dt.datetime) -> bool:
    """An answer at the deadline or after it is refused."""
    return now >= due


def attempts_left(allowed: int, used: int) -> int:
    return max(0, allowed - used)


def mask_name(name: str) -> str:
    """王小明 -> 王**, 李四 -> 李*; the first character only."""
    name = (name or "").strip()
    if not name:
        return "*"
    return name[0] + "*" * max(1, len(name) - 1)


def target_for(targets: Iterable[Decimal]) -> Decimal | None:
    """A worker in several plans (all workers, and cadres) meets the highest target."""
    values = [Decimal(t) for t in targets]
    return max(values) if values else None


@dataclass(frozen=True)
class ReportRow:
    employee_no: str
    name: str
    unit: str
    enrolled: int
    completed: int
    hours: Decimal
    target: Decimal | None
    met: bool | None  # None: no plan applies


def report_row(
    employee_no: str,
    name: str,
    unit: str,
    *,
    enrolled: int,
    completed: int,
    hours: Decimal,
    targets: Iterable[Decimal],
) -> ReportRow:
    target = target_for(targets)
    return ReportRow(
        employee_no=employee_no,
        name=name,
        unit=unit,
        enrolled=enrolled,
        completed=completed,
        hours=Decimal(hours),
        target=target,
        met=None if target is None else Decimal(hours) >= target,
    )


# --- the question bank's Excel rows -----------------------------------------------------------

TEMPLATE_HEADERS = ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F"]
TEMPLATE_HEADERS += ["答案", "解析"]


@dataclass(frozen=True)
class ParsedQuestion:
    kind: str
    text: str
    options: tuple[str, ...]
    answer: str
    explanation: str


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def parse_question_row(cells: Sequence) -> ParsedQuestion | str:
    """One row of the template (TEMPLATE_HEADERS) -> a question, or the error in Chinese."""
    cells = [_cell(c) for c in cells] + [""] * len(TEMPLATE_HEADERS)
    kind_word, text = cells[0], cells[1]
    options = tuple(c for c in cells[2:8])
    answer, explanation = cells[8], cells[9]
    kind = KINDS.get(kind_word)
    if kind is None:
        return "题型应为 单选、多选、判断 或 填空"
    if not text:
        return "题目不能为空"
    if len(text) > MAX_TEXT:
        return f"题目不能超过 {MAX_TEXT} 个字"
    if not answer:
        return "答案不能为空"
    if kind in (SINGLE, MULTIPLE):
        # options are the filled cells from A on, without gaps
        filled = [o for o in options if o]
        if any(not o for o in options[: len(filled)]):
            return "选项须从 A 起连续填写"
        if len(filled) < 2:
            return "选择题至少要有两个选项"
        if any(len(o) > MAX_OPTION for o in filled):
            return f"选项不能超过 {MAX_OPTION} 个字"
        key = choice_key(answer)
        letters = LETTERS[: len(filled)]
        if (
            not key
            or any(c not in letters for c in key)
            or len(key) != len([c for c in normalize(answer) if c.isalpha()])
        ):
            return f"答案应为选项字母（{letters[0]}–{letters[-1]}）"
        if kind == SINGLE and len(key) != 1:
            return "单选题的答案只能是一个字母"
        if kind == MULTIPLE and len(key) < 2:
            return "多选题的答案至少两个字母"
        return ParsedQuestion(kind, text, tuple(filled), key, explanation)
    if any(options):
        return "判断题和填空题不填选项"
    if kind == TRUE_FALSE:
        value = truth(answer)
        if value is None:
            return "判断题的答案应为 对 或 错"
        return ParsedQuestion(kind, text, (), "对" if value else "错", explanation)
    if len(answer) > 200:
        return "答案不能超过 200 个字"
    return ParsedQuestion(kind, text, (), answer, explanation)
