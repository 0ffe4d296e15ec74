"""Pages of the resolution follow-up (决议落实跟踪). Thin: parse, call one query or action,
render. Out-of-scope records are 404 (access_plan / access_milestone / access_report_session).

The congress office manages plans, milestones and the report to the next session; the
responsible department's handler reports and marks milestones done; representatives of the
unit read everything (they supervise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.congress import followup_rules as rules
from zhijia.congress.actions import followup as actions
from zhijia.congress.forms.followup import (
    MilestoneForm,
    MilestoneResultForm,
    PlanForm,
    ReportForm,
)
from zhijia.congress.forms.proposals import ReasonForm
from zhijia.congress.models import (
    AgendaItem,
    FollowupPlan,
    FollowupReport,
    Milestone,
    Proposal,
)
from zhijia.congress.permissions import REPORT_FOLLOWUP
from zhijia.congress.queries import followup as queries
from zhijia.congress.workflows import MILESTONE
from zhijia.core import pdf
from zhijia.core.excel import Column, Sheet, xlsx_response
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view

PRINT_STYLESHEET = "congress/print.css"
SESSIONS_SHOWN = 5  # the office's latest sessions on the list page (each links its report)
MILESTONE_STEPS = ("complete", "verify", "send_back")


@dataclass(eq=False)
class PlanRow(Row[FollowupPlan]):
    """A plan on the list: its state from the pure rules, its progress, its latest report."""

    state: str = ""
    state_label: str = ""
    tone: str = ""
    finished: int = 0
    total: int = 0
    late: bool = False
    latest: FollowupReport | None = None


def plan_row(plan: FollowupPlan, today) -> PlanRow:
    facts = queries.facts(plan.milestones.all())
    state = rules.resolution_state(facts, today)
    finished, total = rules.progress(facts)
    reports = list(plan.reports.all())
    return PlanRow(
        plan,
        state=state,
        state_label=queries.state_label(state),
        tone=queries.STATE_TONES[state],
        finished=finished,
        total=total,
        late=state == rules.OVERDUE,
        latest=reports[0] if reports else None,
    )


def _plan_url(plan) -> str:
    return reverse("congress:followup-detail", kwargs={"plan_id": plan.pk})


@login_required
@require_GET
def plan_list(request):
    user = request.user
    if not queries.may_see_followup(user):
        raise PermissionDenied
    mine = request.GET.get("mine") == "1"
    page = paginate(request, queries.plans_for(user, mine_only=mine))
    today = timezone.localdate()
    rows = [plan_row(p, today) for p in page.items]
    return render(
        request,
        "congress/followup_list.html",
        {
            "title": _("决议落实跟踪"),
            "page": page,
            "rows": rows,
            "mine": mine,
            "is_handler": has_perm(user, REPORT_FOLLOWUP),
            "can_create": queries.units_managed(user).exists(),
            "sessions": list(queries.sessions_for_plans(user)[:SESSIONS_SHOWN]),
        },
    )


@login_required
@require_GET
def plan_export(request):
    """Every plan the user sees, as Excel (the list's columns)."""
    user = request.user
    if not queries.may_see_followup(user):
        raise PermissionDenied
    today = timezone.localdate()

    def rows():
        for plan in queries.plans_for(user).iterator(chunk_size=200):
            row = plan_row(plan, today)
            yield [
                str(plan.session),
                _("决议") if plan.is_resolution else _("提案"),
                plan.title,
                plan.department.name,
                plan.responsible,
                row.state_label,
                f"{row.finished}/{row.total}",
                row.latest.progress if row.latest else "",
            ]

    sheet = Sheet(
        _("决议落实"),
        [
            Column(_("会议")),
            Column(_("类别")),
            Column(_("决议或提案"), width=40),
            Column(_("责任部门")),
            Column(_("责任人")),
            Column(_("落实情况")),
            Column(_("节点完成")),
            Column(_("最新实施进度"), width=50),
        ],
        rows(),
        heading=[[_("职代会决议和提案落实情况")]],
    )
    return xlsx_response("followup.xlsx", sheet, stamp=True)


def _source(user, value: str) -> dict[str, Any]:
    kind, _sep, raw = (value or "").partition(":")
    if kind == "item":
        for item in queries.item_choices(user):
            if str(item.pk) == raw:
                return {"agenda_item": item}
    elif kind == "proposal":
        proposal = queries.proposal_choices(user).filter(pk=raw if raw.isdigit() else 0).first()
        if proposal is not None:
            return {"proposal": proposal}
    return {}


@login_required
def plan_create(request):
    user = request.user
    if not queries.units_managed(user).exists():
        raise PermissionDenied
    items: list[AgendaItem] = queries.item_choices(user)
    proposals: list[Proposal] = list(queries.proposal_choices(user))
    initial = {"source": request.GET.get("source", "")}
    form = PlanForm(request.POST or None, items=items, proposals=proposals, initial=initial)

    def page(form, status=200):
        return render(
            request,
            "congress/followup_form.html",
            {"title": _("制定落实方案"), "form": form},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_create_plan(
            actor=user,
            department=data["department"],
            responsible=data["responsible"],
            measures=data["measures"],
            **_source(user, data["source"]),
        ),
        on_error=page,
        success_url=_plan_url,
        message=_("落实方案已制定，请添加落实节点"),
    )


@dataclass(eq=False)
class MilestoneRow(Row[Milestone]):
    state_label: str = ""
    can: frozenset[str] = frozenset()
    late: bool = False
    history: list = field(default_factory=list)


def milestone_row(milestone: Milestone, user, today) -> MilestoneRow:
    return MilestoneRow(
        milestone,
        state_label=str(MILESTONE.state_label(milestone.state)),
        can=frozenset(t.name for t in available_transitions(MILESTONE, milestone, user)),
        late=milestone.in_state(MILESTONE.states.open) and milestone.due_date < today,
        history=history_view(milestone, user, workflow=MILESTONE),
    )


def _detail_context(request, plan, **forms) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    milestones = queries.milestones_of(plan)
    can_manage = queries.can_manage(user, plan.org_unit)
    can_report = queries.can_report(user, plan)
    state = rules.resolution_state(queries.facts(milestones), today)
    context: dict[str, Any] = {
        "title": plan.title,
        "plan": plan,
        "state": state,
        "state_label": queries.state_label(state),
        "tone": queries.STATE_TONES[state],
        "milestones": [milestone_row(m, user, today) for m in milestones],
        "reports": queries.reports_of(plan),
        "can_manage": can_manage,
        "can_report": can_report,
        "next_session": queries.next_session(plan.session),
        "result_form": forms.get("result_form") or MilestoneResultForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "step_milestone": forms.get("step_milestone"),
        "error": forms.get("error"),
    }
    if can_manage:
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm()
    if can_report:
        context["report_form"] = forms.get("report_form") or ReportForm()
    return context


def _detail_page(request, plan, status=200, **forms):
    return render(
        request,
        "congress/followup_detail.html",
        _detail_context(request, plan, **forms),
        status=status,
    )


@login_required
@require_GET
def plan_detail(request, plan_id: int):
    plan = queries.access_plan(request.user, plan_id)
    return _detail_page(request, plan)


@login_required
@require_POST
def plan_milestone(request, plan_id: int):
    plan = queries.access_plan(request.user, plan_id)
    if not queries.can_manage(request.user, plan.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=MilestoneForm(request.POST),
        call=lambda data: actions.do_add_milestone(actor=request.user, plan=plan, **data),
        on_error=lambda form, status: _detail_page(
            request, plan, status=status, milestone_form=form
        ),
        success_url=_plan_url(plan),
        message=_("落实节点已添加"),
    )


@login_required
@require_POST
def plan_report(request, plan_id: int):
    plan = queries.access_plan(request.user, plan_id)
    if not queries.can_report(request.user, plan):
        raise PermissionDenied
    return step_view(
        request,
        form=ReportForm(request.POST),
        call=lambda data: actions.do_add_report(actor=request.user, plan=plan, **data),
        on_error=lambda form, status: _detail_page(request, plan, status=status, report_form=form),
        success_url=_plan_url(plan),
        message=_("跟踪报告已提交"),
    )


@login_required
@require_POST
def milestone_transition(request, milestone_id: int, action: str):
    """A milestone's step (complete, verify, send_back) through core.views_workflow."""
    milestone = queries.access_milestone(request.user, milestone_id)
    if action not in MILESTONE_STEPS:
        raise Http404

    def on_error(form, status):
        forms: dict[str, Any] = {"step_milestone": milestone.pk}
        if isinstance(form, MilestoneResultForm):
            forms["result_form"] = form
        elif isinstance(form, ReasonForm):
            forms["reason_form"] = form
        if form.non_field_errors() or not form.fields:
            forms["error"] = first_error(form)
        return _detail_page(request, milestone.plan, status=status, **forms)

    return transition_step(
        request,
        MILESTONE,
        action,
        record=milestone,
        record_arg="milestone",
        on_error=on_error,
        success_url=_plan_url(milestone.plan),
        message=_("已更新落实节点"),
    )


# --- the report to the next session ----------------------------------------------------------


def _report_context(request, session) -> dict[str, Any]:
    return {
        "title": _("职代会决议和提案落实情况报告"),
        "session": session,
        "term": session.term,
        "rows": queries.report_rows(session),
        "unplanned": queries.unplanned_resolutions(session),
        "can_publish": queries.can_manage(request.user, session.term.unit),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def report_preview(request, session_id: int):
    """The report to `session` as a print page (the same document as the PDF)."""
    session = queries.access_report_session(request.user, session_id)
    return render(request, "congress/followup_report.html", _report_context(request, session))


@login_required
@require_GET
def report_pdf(request, session_id: int):
    session = queries.access_report_session(request.user, session_id)
    return pdf.pdf_response(
        "congress/followup_report.html",
        _report_context(request, session),
        f"session-{session.pk}-followup.pdf",
        request,
        stylesheet=PRINT_STYLESHEET,
    )


@login_required
@require_POST
def report_publish(request, session_id: int):
    session = queries.access_report_session(request.user, session_id)
    if not queries.can_manage(request.user, session.term.unit):
        raise PermissionDenied
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_publish_followup_report(actor=request.user, session=session),
        on_error=lambda form, status: render(
            request,
            "congress/followup_report.html",
            {**_report_context(request, session), "error": first_error(form)},
            status=status,
        ),
        success_url=reverse("congress:followup-report", kwargs={"session_id": session.pk}),
        message=_("落实情况报告已提交厂务公开发布"),
    )
