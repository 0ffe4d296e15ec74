"""Pure rules of an inspection tour's checklist (巡视检查清单). No Django import: tested without a
database (congress/tests/test_checklist_rules.py).

The checklist has one entry per subject the congress inspects (每年的巡视和检查: 企务公开工作,
安全生产管理, 办事进度, 集体合同履行情况, 会议决议的落实情况), in that order. Each entry holds a
snapshot of the facts zhijia knew for the tour's unit subtree when the checklist was taken
(dicts of label, value, ok, url) and the participants' finding: 正常 (ok) or 存在问题 (problem);
a problem needs a description (it becomes one of the tour's findings; the action checks the
text with the inspections' own required-text helper).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# The subjects, in the order of the seed's text (the same codes as core.hooks).
DISCLOSURE = "disclosure"
SAFETY = "safety"
PROGRESS = "progress"
CONTRACT = "contract"
RESOLUTIONS = "resolutions"
SUBJECTS = (DISCLOSURE, SAFETY, PROGRESS, CONTRACT, RESOLUTIONS)

OK = "ok"
PROBLEM = "problem"
VERDICTS = (OK, PROBLEM)

# Why a finding is refused (the action turns the code into a message next to its field).
UNKNOWN_SUBJECT = "unknown_subject"
UNKNOWN_VERDICT = "unknown_verdict"
PROBLEM_KEPT = "problem_kept"

MAX_NOTE = 2000


def subject_order(subject: str) -> int:
    """Sort key: the subjects' order; an unknown code last."""
    return SUBJECTS.index(subject) if subject in SUBJECTS else len(SUBJECTS)


def finding_error(subject: str, verdict: str, *, had_problem: bool = False) -> str:
    """The refusal's code, or "" when the finding may be recorded. A subject already found to
    have a problem (it became a tour finding) cannot be turned back to 正常."""
    if subject not in SUBJECTS:
        return UNKNOWN_SUBJECT
    if verdict not in VERDICTS:
        return UNKNOWN_VERDICT
    if had_problem and verdict == OK:
        return PROBLEM_KEPT
    return ""


def fact_record(label: str, value: Any, ok: bool, url: str = "") -> dict[str, Any]:
    """A fact as stored in the snapshot: a number stays a number, anything else becomes text."""
    kept = value if isinstance(value, int) and not isinstance(value, bool) else str(value)
    return {"label": str(label), "value": kept, "ok": bool(ok), "url": str(url or "")}


def attention(facts: Iterable[Mapping[str, Any]]) -> int:
    """How many facts of a snapshot call for attention (ok False)."""
    return sum(1 for f in facts if not f.get("ok", True))


def finding_title(subject_label: str, note: str, *, limit: int = 200) -> str:
    """The title of the tour finding a problem becomes: the subject, then the note's first
    line, cut to `limit` characters."""
    first = (note or "").strip().splitlines()[0] if (note or "").strip() else ""
    title = f"{subject_label}：{first}" if first else str(subject_label)
    return title if len(title) <= limit else title[: limit - 1] + "…"


def note_required(verdict: str) -> bool:
    """A problem must be described; 正常 may be recorded without a word."""
    return verdict == PROBLEM


def progress(verdicts: Iterable[str]) -> tuple[int, int]:
    """(recorded, problems) over the entries' verdicts ("" for not yet recorded)."""
    values = list(verdicts)
    return sum(1 for v in values if v in VERDICTS), sum(1 for v in values if v == PROBLEM)
