"""Writes of a branch union's 建家 assessment (declared workflow homes.assessment): the
branch's cadres save and submit the self-assessment (a score ≤ the maximum and evidence per
criterion, attachments), the committee of the round's unit returns it or reviews it (a score
and a comment per criterion; the review score may differ from the self-score)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.core import attachments
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, precheck
from zhijia.homes import rules
from zhijia.homes.actions.common import rule_message
from zhijia.homes.models import Assessment, Score
from zhijia.homes.permissions import MANAGE
from zhijia.homes.workflows import ASSESSMENT

__all__ = [
    "AssessmentError",
    "do_attach_evidence",
    "do_return_assessment",
    "do_review_assessment",
    "do_save_self_assessment",
    "do_submit_assessment",
    "score_field",
]

EVIDENCE_TYPES = {"image", "pdf", "office"}


class AssessmentError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused)."""


def score_field(criterion_id: int, prefix: str = "score") -> str:
    """The form field (and API error key) of one criterion's score."""
    return f"{prefix}_{criterion_id}"


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round", "round__org_unit", "round__criteria_set", "org_unit")
        .get(pk=assessment.pk)
    )


def _scores(assessment: Assessment) -> list[Score]:
    return list(
        Score.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .select_related("criterion")
        .order_by("criterion__order", "criterion_id")
    )


def _tell(assessment: Assessment, *, unit, kind: str, title: str, body: str) -> None:
    """Tell the nearest cadres of `unit` (the branch, or the round's committee)."""
    notify(
        recipients=holders(MANAGE, unit, nearest=True, include_global=False),
        kind=kind,
        title=title,
        body=body,
        url=assessment.get_absolute_url(),
        unit=unit,
    )


def _number(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _apply(
    scores: list[Score], given: Mapping[int, tuple[object, str]], *, prefix: str
) -> dict[str, str]:
    """Put the given (score, text) per criterion id on the rows; answer the errors by field."""
    errors: dict[str, str] = {}
    by_criterion = {s.criterion_id: s for s in scores}
    for criterion_id, (value, text) in given.items():
        row = by_criterion.get(criterion_id)
        if row is None:
            continue
        field = score_field(criterion_id, prefix)
        try:
            number = _number(value)
            rules.check_score(number, row.criterion.max_score)
        except ValueError as exc:
            if isinstance(exc, rules.RuleError):
                errors[field] = rule_message(exc)
            else:
                errors[field] = _("请填写数字")
            continue
        if prefix == "score":
            row.self_score = number
            row.evidence = (text or "").strip()[:2000]
        else:
            row.review_score = number
            row.review_comment = (text or "").strip()[:300]
    return errors


def _items(scores: list[Score], attr: str) -> list[rules.Item]:
    return [rules.Item(getattr(s, attr), s.criterion.max_score, s.criterion.weight) for s in scores]


@transaction.atomic
def do_save_self_assessment(
    *, actor, assessment: Assessment, scores: Mapping[int, tuple[object, str]]
) -> Assessment:
    """Save the branch's self-scores and evidence (criterion id -> (score, evidence)) while the
    assessment is a draft; the self-total is recomputed."""
    assessment = _locked(assessment)
    require(actor, MANAGE, unit=assessment.org_unit)
    if not assessment.in_state(ASSESSMENT.states.draft) or assessment.round.is_closed:
        raise AssessmentError(_("自评已提交，不能再修改"), status=409)
    rows = _scores(assessment)
    errors = _apply(rows, scores, prefix="score")
    if errors:
        raise AssessmentError.for_fields(errors)
    Score.objects.bulk_update(rows, ["self_score", "evidence"])
    assessment.self_total = rules.total(
        _items(rows, "self_score"), weighted=assessment.round.criteria_set.weighted
    )
    assessment.save(update_fields=["self_total"])
    record(
        actor=actor,
        action="homes.save_self_assessment",
        target=assessment,
        unit=assessment.org_unit,
        data={"self_total": str(assessment.self_total)},
    )
    return assessment


@transaction.atomic
def do_attach_evidence(*, actor, assessment: Assessment, files) -> list:
    assessment = _locked(assessment)
    require(actor, MANAGE, unit=assessment.org_unit)
    if not assessment.in_state(ASSESSMENT.states.draft):
        raise AssessmentError(_("自评已提交，不能再添加材料"), status=409)
    saved = [
        attachments.save_upload(
            f,
            actor=actor,
            allowed=EVIDENCE_TYPES,
            owner=assessment,
            unit_path=assessment.org_unit.path,
        )
        for f in files
    ]
    record(
        actor=actor,
        action="homes.attach_evidence",
        target=assessment,
        unit=assessment.org_unit,
        data={"files": len(saved)},
    )
    return saved


@transaction.atomic
def do_submit_assessment(*, actor, assessment: Assessment, note: str = "") -> Assessment:
    """Submit the self-assessment: every criterion must have a self-score."""
    assessment = _locked(assessment)
    checked = precheck(ASSESSMENT, assessment, "submit", actor)
    rows = _scores(assessment)
    missing = {score_field(s.criterion_id): _("请填写自评分") for s in rows if s.self_score is None}
    if missing:
        raise AssessmentError.for_fields(missing)
    assessment.self_total = rules.total(
        _items(rows, "self_score"), weighted=assessment.round.criteria_set.weighted
    )
    assessment.submitted_by = actor
    assessment.save(update_fields=["self_total", "submitted_by"])
    do_transition(
        ASSESSMENT,
        assessment,
        "submit",
        actor=actor,
        note=(note or "").strip()[:500],
        prechecked=checked,
        data={"self_total": str(assessment.self_total)},
    )
    _tell(
        assessment,
        unit=assessment.round.org_unit,
        kind="homes.assessment_submitted",
        title=_("%(unit)s提交了建家自评") % {"unit": assessment.org_unit.name},
        body=_("%(round)s：自评总分 %(total)s，请评审。")
        % {"round": assessment.round.title, "total": assessment.self_total},
    )
    return assessment


@transaction.atomic
def do_return_assessment(*, actor, assessment: Assessment, note: str = "") -> Assessment:
    """The committee returns the self-assessment to the branch for changes (a reason)."""
    assessment = _locked(assessment)
    checked = precheck(ASSESSMENT, assessment, "return", actor)
    note = (note or "").strip()
    if not note:
        raise AssessmentError(_("请填写退回原因"), field="note")
    do_transition(
        ASSESSMENT, assessment, "return", actor=actor, note=note[:500], prechecked=checked
    )
    _tell(
        assessment,
        unit=assessment.org_unit,
        kind="homes.assessment_returned",
        title=_("建家自评被退回修改"),
        body=_("%(round)s：%(note)s") % {"round": assessment.round.title, "note": note[:500]},
    )
    return assessment


@transaction.atomic
def do_review_assessment(
    *,
    actor,
    assessment: Assessment,
    reviews: Mapping[int, tuple[object, str]],
    note: str = "",
) -> Assessment:
    """The committee scores each criterion (criterion id -> (score, comment)); every criterion
    needs a review score; the review total is computed."""
    assessment = _locked(assessment)
    checked = precheck(ASSESSMENT, assessment, "review", actor)
    rows = _scores(assessment)
    errors = _apply(rows, reviews, prefix="review")
    for s in rows:
        field = score_field(s.criterion_id, "review")
        if s.review_score is None and field not in errors:
            errors[field] = _("请填写评审分")
    if errors:
        raise AssessmentError.for_fields(errors)
    Score.objects.bulk_update(rows, ["review_score", "review_comment"])
    assessment.review_total = rules.total(
        _items(rows, "review_score"), weighted=assessment.round.criteria_set.weighted
    )
    assessment.review_note = (note or "").strip()[:500]
    assessment.save(update_fields=["review_total", "review_note"])
    do_transition(
        ASSESSMENT,
        assessment,
        "review",
        actor=actor,
        note=assessment.review_note,
        prechecked=checked,
        data={"review_total": str(assessment.review_total)},
    )
    _tell(
        assessment,
        unit=assessment.org_unit,
        kind="homes.assessment_reviewed",
        title=_("建家自评已评审"),
        body=_("%(round)s：评审总分 %(total)s。")
        % {"round": assessment.round.title, "total": assessment.review_total},
    )
    return assessment
