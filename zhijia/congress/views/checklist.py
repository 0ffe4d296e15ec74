"""Pages of an inspection tour's checklist (巡视检查清单): the five subjects with the facts taken
when the tour was planned, the findings form per subject, refreshing the facts (刷新事实), the
PDF of the checklist with its findings (CJK font) and its Excel export. Thin: parse, call one
query or action, render. A tour out of reach is 404 (access_tour)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.congress import checklist_rules as rules
from zhijia.congress.actions import checklist as actions
from zhijia.congress.forms.checklist import ChecklistFindingForm
from zhijia.congress.queries import checklist as queries
from zhijia.congress.queries import inspections as tours
from zhijia.congress.views.followup import PRINT_STYLESHEET
from zhijia.core import pdf
from zhijia.core.excel import Column, Sheet, xlsx_response
from zhijia.core.views_workflow import step_view


def _url(tour) -> str:
    return reverse("congress:inspection-checklist", kwargs={"tour_id": tour.pk})


def _form(request, tour, subject: str, data=None, entry=None) -> ChecklistFindingForm:
    initial = {"verdict": entry.verdict, "note": entry.note} if entry is not None else {}
    return ChecklistFindingForm(
        data,
        prefix=subject,
        initial=initial,
        can_rectify=tours.can_manage_tour(request.user, tour),
    )


def _context(request, tour, *, errored=None) -> dict:
    """`errored`: (subject, bound form) re-shown with its errors."""
    sections = queries.sections_of(tour)
    can_record = queries.can_record(request.user, tour)
    for section in sections:
        if can_record and section.entry is not None:
            if errored is not None and errored[0] == section.subject:
                section.form = errored[1]
            else:
                section.form = _form(request, tour, section.subject, entry=section.entry)
    recorded, problems = rules.progress(s.verdict for s in sections)
    return {
        "title": _("巡视检查清单：%(title)s") % {"title": tour.title},
        "tour": tour,
        "sections": sections,
        "taken_at": queries.taken_at(sections),
        "taken": any(s.entry is not None for s in sections),
        "recorded": recorded,
        "problems": problems,
        "can_refresh": queries.can_refresh(request.user, tour),
        "errored_subject": errored[0] if errored else "",
        "today": timezone.localdate(),
    }


def _page(request, tour, status=200, **kwargs):
    return render(
        request, "congress/checklist_detail.html", _context(request, tour, **kwargs), status=status
    )


@login_required
@require_GET
def checklist(request, tour_id: int):
    tour = tours.access_tour(request.user, tour_id)
    return _page(request, tour)


@login_required
@require_POST
def checklist_refresh(request, tour_id: int):
    tour = tours.access_tour(request.user, tour_id)
    if not tours.can_manage_tour(request.user, tour):
        raise PermissionDenied
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_take_checklist(actor=request.user, tour=tour),
        on_error=lambda form, status: _page(request, tour, status=status),
        success_url=_url(tour),
        message=_("已按今天的情况刷新事实"),
    )


@login_required
@require_POST
def checklist_finding(request, tour_id: int, subject: str):
    tour = tours.access_tour(request.user, tour_id)
    if subject not in rules.SUBJECTS:
        raise Http404
    if not tours.can_report_finding(request.user, tour):
        raise PermissionDenied
    form = _form(request, tour, subject, data=request.POST)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_record_checklist_finding(
            actor=request.user,
            tour=tour,
            subject=subject,
            verdict=data["verdict"],
            note=data["note"],
            department=data.get("department"),
            requirement=data.get("requirement") or "",
            workdays=data.get("workdays"),
        ),
        on_error=lambda form, status: _page(request, tour, status=status, errored=(subject, form)),
        success_url=f"{_url(tour)}#s-{subject}",
        message=_("检查结论已记录"),
    )


@login_required
@require_GET
def checklist_pdf(request, tour_id: int):
    tour = tours.access_tour(request.user, tour_id)
    return pdf.pdf_response(
        "congress/checklist_print.html",
        {**_context(request, tour), "participants": tours.participants_of(tour)},
        f"inspection-{tour.pk}-checklist.pdf",
        request,
        stylesheet=PRINT_STYLESHEET,
    )


@login_required
@require_GET
def checklist_export(request, tour_id: int):
    tour = tours.access_tour(request.user, tour_id)
    sections = queries.sections_of(tour)
    taken = queries.taken_at(sections)

    def rows():
        for s in sections:
            facts = s.facts or [{"label": _("（无）"), "value": "", "ok": True}]
            for i, fact in enumerate(facts):
                yield [
                    s.label if i == 0 else "",
                    fact["label"],
                    fact["value"],
                    "" if fact["ok"] else _("需关注"),
                    s.verdict_label if i == 0 else "",
                    (s.entry.note if s.entry else "") if i == 0 else "",
                    (s.entry.recorder_name if s.entry else "") if i == 0 else "",
                ]

    stamp = timezone.localtime(taken).strftime("%Y-%m-%d %H:%M") if taken else ""
    sheet = Sheet(
        _("巡视检查清单"),
        [
            Column(_("检查内容"), width=18),
            Column(_("已掌握的情况"), width=30),
            Column(_("数量或说明")),
            Column(_("提示")),
            Column(_("检查结论")),
            Column(_("检查情况"), width=50),
            Column(_("记录人")),
        ],
        rows(),
        heading=[
            [_("巡视检查清单：%(title)s") % {"title": tour.title}],
            [_("%(unit)s · 情况截至 %(at)s") % {"unit": tour.org_unit, "at": stamp}],
        ],
    )
    return xlsx_response(f"inspection-{tour.pk}-checklist.xlsx", sheet, stamp=True)
