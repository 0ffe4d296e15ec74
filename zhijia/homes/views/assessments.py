"""Pages of a branch's 建家 assessment: the self-assessment form (a card per criterion, usable
on a phone) with the evidence zhijia already has, evidence files, submission; the committee's
review and return; the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.core.workflow import can_transition, history_view
from zhijia.homes.actions import assessments as actions
from zhijia.homes.actions.assessments import score_field
from zhijia.homes.forms.assessments import EvidenceForm, ReturnForm, ReviewForm, SelfAssessmentForm
from zhijia.homes.models import Score
from zhijia.homes.queries import assessments as queries
from zhijia.homes.queries.assessments import Evidence
from zhijia.homes.workflows import ASSESSMENT


@dataclass(eq=False)
class ScoreRow(Row[Score]):
    score_input: Any = None
    evidence_input: Any = None
    review_input: Any = None
    comment_input: Any = None
    figures: list[Evidence] = field(default_factory=list)


def _page(
    request,
    assessment,
    *,
    self_form=None,
    review_form=None,
    return_form=None,
    evidence_form=None,
    step_form=None,
    status=200,
):
    user = request.user
    scores = queries.scores(assessment)
    draft = assessment.in_state(ASSESSMENT.states.draft) and not assessment.round.is_closed
    fill = draft and queries.may_fill(user, assessment)
    review = can_transition(ASSESSMENT, assessment, "review", user)
    if fill and self_form is None:
        self_form = SelfAssessmentForm(scores=scores)
    if review and review_form is None:
        review_form = ReviewForm(scores=scores, initial={"note": assessment.review_note})
    rows = []
    for s in scores:
        cid = s.criterion_id
        rows.append(
            ScoreRow(
                s,
                score_input=self_form[score_field(cid)] if fill and self_form else None,
                evidence_input=self_form[f"evidence_{cid}"] if fill and self_form else None,
                review_input=review_form[score_field(cid, "review")]
                if review and review_form
                else None,
                comment_input=review_form[f"comment_{cid}"] if review and review_form else None,
                figures=queries.evidence(assessment, s.criterion.keys()),
            )
        )
    return render(
        request,
        "homes/assessment.html",
        {
            "title": f"{assessment.round.title} · {assessment.org_unit.name}",
            "assessment": assessment,
            "rows": rows,
            "fill": fill,
            "review": review,
            "may_return": can_transition(ASSESSMENT, assessment, "return", user),
            "may_submit": fill and can_transition(ASSESSMENT, assessment, "submit", user),
            "self_form": self_form,
            "review_form": review_form,
            "return_form": return_form or ReturnForm(),
            "evidence_form": evidence_form or EvidenceForm(),
            "step_form": step_form,
            "files": attachments.attachments_for(assessment),
            "history": history_view(assessment, user),
        },
        status=status,
    )


@login_required
def assessment(request, assessment_id: int):
    record = queries.access_assessment(request.user, assessment_id)
    if request.method != "POST":
        return _page(request, record)
    if not queries.may_fill(request.user, record):
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST, scores=queries.scores(record))
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_save_self_assessment(
            actor=request.user, assessment=record, scores=form.scores()
        ),
        on_error=lambda f, status: _page(request, record, self_form=f, status=status),
        success_url=reverse("homes:assessment", args=[record.pk]),
        message=_("自评已保存"),
    )


@login_required
@require_POST
def assessment_evidence(request, assessment_id: int):
    record = queries.access_assessment(request.user, assessment_id)
    if not queries.may_fill(request.user, record):
        raise PermissionDenied
    return step_view(
        request,
        form=EvidenceForm(request.POST, request.FILES),
        call=lambda d: actions.do_attach_evidence(
            actor=request.user, assessment=record, files=d["documents"]
        ),
        on_error=lambda f, status: _page(request, record, evidence_form=f, status=status),
        success_url=reverse("homes:assessment", args=[record.pk]),
        message=_("佐证材料已上传"),
    )


@login_required
@require_POST
def assessment_submit(request, assessment_id: int):
    record = queries.access_assessment(request.user, assessment_id)
    return step_view(
        request,
        form=NoInput(request.POST),
        call=lambda d: actions.do_submit_assessment(actor=request.user, assessment=record),
        on_error=lambda f, status: _page(request, record, step_form=f, status=status),
        success_url=reverse("homes:assessment", args=[record.pk]),
        message=_("自评已提交，等待工会评审"),
    )


@login_required
@require_POST
def assessment_review(request, assessment_id: int):
    record = queries.access_assessment(request.user, assessment_id)
    form = ReviewForm(request.POST, scores=queries.scores(record))
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_review_assessment(
            actor=request.user, assessment=record, reviews=form.reviews(), note=d["note"]
        ),
        on_error=lambda f, status: _page(request, record, review_form=f, status=status),
        success_url=reverse("homes:assessment", args=[record.pk]),
        message=_("评审已完成"),
    )


@login_required
@require_POST
def assessment_return(request, assessment_id: int):
    record = queries.access_assessment(request.user, assessment_id)
    return step_view(
        request,
        form=ReturnForm(request.POST),
        call=lambda d: actions.do_return_assessment(
            actor=request.user, assessment=record, note=d["note"]
        ),
        on_error=lambda f, status: _page(request, record, return_form=f, status=status),
        success_url=reverse("homes:assessment", args=[record.pk]),
        message=_("已退回分工会修改"),
    )
