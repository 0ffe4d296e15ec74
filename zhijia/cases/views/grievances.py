"""Pages of named grievances and of the handling of every grievance. Thin: parse, call one
query or action, render.

Workers (mobile): my cases, the one short form, the case page (timeline, add information,
rate, withdraw). Cadres (desk): the queue (filters, overdue first), the case page with assign,
transfer, ask, answer and publish-to-knowledge. Handlers: their departments' list and the same
case page with ask and answer. Out-of-scope records are 404 (queries.access_grievance).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.cases import exports
from zhijia.cases.actions import grievances as actions
from zhijia.cases.actions import knowledge as actions_knowledge
from zhijia.cases.forms import grievances as forms
from zhijia.cases.forms import knowledge as forms_knowledge
from zhijia.cases.permissions import VIEW_CASE
from zhijia.cases.queries import box as queries_box
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import mediation as queries_mediation
from zhijia.cases.workflows import GRIEVANCE
from zhijia.core import attachments, dateranges, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.views_workflow import step_view, transition_step
from zhijia.core.workflow import can_transition
from zhijia.org.queries import members as org_queries

PAGE_SIZE = 50


def _page(request, qs):
    return paginate(request, qs, PAGE_SIZE)


@login_required
def mine(request):
    user = request.user
    return render(
        request,
        "cases/mine.html",
        {
            "title": _("我的诉求"),
            "grievances": paginate(request, queries.my_grievances(user), 20),
            "mediations": paginate(
                request, queries_mediation.my_mediations(user), 20, param="mpage"
            ),
            "may_raise": queries.may_raise(user),
            "wf": GRIEVANCE,
        },
    )


@login_required
def create(request):
    if not queries.may_raise(request.user):
        raise PermissionDenied(_("只有登记在册的会员可以提出实名诉求"))
    status = 200
    if request.method == "POST":
        form = forms.GrievanceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            grievance, status = run_action(
                form,
                lambda: actions.do_submit_grievance(
                    actor=request.user,
                    kind=data["kind"],
                    category=data["category"],
                    text=data["text"],
                    uploads=data["files"],
                ),
            )
            if grievance is not None:
                messages.success(request, _("已提交，工会将在办理期限内答复您。"))
                return redirect(grievance.get_absolute_url())
        else:
            status = 400
    else:
        form = forms.GrievanceForm()
    return render(
        request,
        "cases/grievance_form.html",
        {"title": _("反映诉求"), "form": form},
        status=status,
    )


def _staff_forms(request, grievance, **bound):
    user = request.user
    ctx = {}
    if can_transition(GRIEVANCE, grievance, "assign", user):
        ctx["assign_form"] = bound.get("assign_form") or forms.AssignForm(
            departments=org_queries.all_departments(),
            initial={"department": grievance.department_id},
        )
    if can_transition(GRIEVANCE, grievance, "transfer", user):
        ctx["transfer_form"] = bound.get("transfer_form") or forms.TransferForm(
            units=queries.transfer_targets(user, grievance)
        )
    if can_transition(GRIEVANCE, grievance, "answer", user):
        ctx["answer_form"] = bound.get("answer_form") or forms.TextForm()
    if queries.may_ask(user, grievance):
        ctx["ask_form"] = bound.get("ask_form") or forms.TextForm()
    if grievance.in_state("answered", "closed") and queries.may_handle(user, grievance):
        ctx["may_publish"] = True
    return ctx


def _worker_forms(request, grievance, **bound):
    user = request.user
    ctx: dict[str, Any] = {}
    if not queries.is_submitter(user, grievance):
        return ctx
    if grievance.in_state("submitted", "assigned", "answered"):
        ctx["info_form"] = bound.get("info_form") or forms.InfoForm()
    if grievance.in_state("answered"):
        ctx["rate_form"] = bound.get("rate_form") or forms.RateForm()
    if can_transition(GRIEVANCE, grievance, "withdraw", user):
        ctx["may_withdraw"] = True
    return ctx


def _detail(request, grievance, status=200, **bound):
    user = request.user
    is_submitter = queries.is_submitter(user, grievance)
    context = {
        "title": _("诉求 %(number)s") % {"number": grievance.number or grievance.pk},
        "g": grievance,
        "wf": GRIEVANCE,
        "state_label": GRIEVANCE.state_label(grievance.state),
        "timeline": queries.timeline(grievance, for_worker=is_submitter),
        "attachments": attachments.attachments_for(grievance),
        "is_submitter": is_submitter,
        "is_staff": not is_submitter or queries.is_staff_for_cases(user),
        "pending_box": queries_box.pending_box_items(grievance) if grievance.is_anonymous else [],
        **_worker_forms(request, grievance, **bound),
        **_staff_forms(request, grievance, **bound),
    }
    return render(request, "cases/grievance_detail.html", context, status=status)


@login_required
def detail(request, grievance_id):
    return _detail(request, queries.access_grievance(request.user, grievance_id))


def _post(request, grievance_id, form_class, form_name, call, *, form_kwargs=None, done=""):
    grievance = queries.access_grievance(request.user, grievance_id)
    return step_view(
        request,
        form=form_class(request.POST, request.FILES or None, **(form_kwargs or {})),
        call=lambda data: call(grievance, data),
        on_error=lambda form, status: _detail(
            request,
            queries.access_grievance(request.user, grievance_id),
            status=status,
            **{form_name: form},
        ),
        success_url=grievance.get_absolute_url(),
        message=done or None,
    )


def _step(request, grievance_id, name, form_name, *, form_kwargs=None, arguments=None, done=""):
    """A workflow step of GRIEVANCE from its declared form and action (core.views_workflow)."""
    grievance = queries.access_grievance(request.user, grievance_id)
    return transition_step(
        request,
        GRIEVANCE,
        name,
        record=grievance,
        record_arg="grievance",
        form_kwargs=form_kwargs,
        arguments=arguments,
        on_error=lambda form, status: _detail(
            request,
            queries.access_grievance(request.user, grievance_id),
            status=status,
            **{form_name: form},
        ),
        success_url=grievance.get_absolute_url(),
        message=done,
    )


@login_required
@require_POST
def add_info(request, grievance_id):
    return _post(
        request,
        grievance_id,
        forms.InfoForm,
        "info_form",
        lambda g, d: actions.do_add_info(
            actor=request.user, grievance=g, text=d["text"], uploads=d["files"]
        ),
        done=_("已补充。"),
    )


@login_required
@require_POST
def rate(request, grievance_id):
    return _step(request, grievance_id, "rate", "rate_form", done=_("感谢您的评价。"))


@login_required
@require_POST
def withdraw(request, grievance_id):
    return _step(request, grievance_id, "withdraw", "withdraw_form", done=_("已撤回。"))


@login_required
@require_POST
def assign(request, grievance_id):
    return _step(
        request,
        grievance_id,
        "assign",
        "assign_form",
        form_kwargs={"departments": org_queries.all_departments()},
        arguments=lambda d: {
            "department": org_queries.department_by_id(d["department"]),
            "note": d["note"],
        },
        done=_("已交办。"),
    )


@login_required
@require_POST
def transfer(request, grievance_id):
    grievance = queries.access_grievance(request.user, grievance_id)
    return _step(
        request,
        grievance_id,
        "transfer",
        "transfer_form",
        form_kwargs={"units": queries.transfer_targets(request.user, grievance)},
        arguments=lambda d: {"unit": org_queries.unit_by_id(d["unit"]), "note": d["note"]},
        done=_("已转交。"),
    )


@login_required
@require_POST
def ask(request, grievance_id):
    return _post(
        request,
        grievance_id,
        forms.TextForm,
        "ask_form",
        lambda g, d: actions.do_ask_worker(actor=request.user, grievance=g, text=d["text"]),
        done=_("已向职工询问。"),
    )


@login_required
@require_POST
def answer(request, grievance_id):
    return _step(request, grievance_id, "answer", "answer_form", done=_("已答复。"))


@login_required
def publish(request, grievance_id):
    """Publish the answer, de-identified, to the knowledge base."""
    grievance = queries.access_grievance(request.user, grievance_id)
    if not queries.may_handle(request.user, grievance):
        raise PermissionDenied(VIEW_CASE)
    status = 200
    if request.method == "POST":
        form = forms_knowledge.PublishForm(request.POST)
        if form.is_valid():
            entry, status = run_action(
                form,
                lambda: actions_knowledge.do_publish_from_grievance(
                    actor=request.user, grievance=grievance, **form.cleaned_data
                ),
            )
            if entry is not None:
                messages.success(request, _("已发布到法律咨询知识库。"))
                return redirect(entry.get_absolute_url())
        else:
            status = 400
    else:
        form = forms_knowledge.PublishForm(
            initial=actions_knowledge.draft_from_grievance(grievance)
        )
    return render(
        request,
        "cases/grievance_publish.html",
        {"title": _("发布到知识库"), "g": grievance, "form": form},
        status=status,
    )


def _queue_filters(request) -> tuple[forms.QueueFilterForm, queries.QueueFilters]:
    form = forms.QueueFilterForm(request.GET or None)
    filters = queries.QueueFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = queries.QueueFilters(
            state=d["state"] or "open",
            category=d["category"],
            kind=d["kind"],
            overdue=d["overdue"],
            mine=d["mine"],
            escalated=d["escalated"],
            anonymous=form.anonymous_filter(),
            unit=d["unit"],
            q=d["q"],
            received=dateranges.from_form(form),
        )
    return form, filters


@login_required
def queue(request):
    if not has_perm(request.user, VIEW_CASE):
        raise PermissionDenied(VIEW_CASE)
    form, filters = _queue_filters(request)
    page = _page(request, queries.queue_for_user(request.user, filters))
    return render(
        request,
        "cases/queue.html",
        {
            "title": _("诉求办理"),
            "form": form,
            "page": page,
            "wf": GRIEVANCE,
            "department": False,
            "box_only": filters.anonymous is True,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def queue_export(request):
    """The queue as Excel, with the page's filters (every row, not one page)."""
    if not has_perm(request.user, VIEW_CASE):
        raise PermissionDenied(VIEW_CASE)
    _form, filters = _queue_filters(request)
    qs = queries.queue_for_user(request.user, filters)
    return excel.xlsx_response("grievances.xlsx", exports.queue_sheet(qs), stamp=True, stream=True)


@login_required
def department_queue(request):
    form = forms.QueueFilterForm(request.GET or None)
    filters = queries.QueueFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = queries.QueueFilters(
            state=d["state"] or "open",
            category=d["category"],
            overdue=d["overdue"],
            q=d["q"],
            received=dateranges.from_form(form),
        )
    page = _page(request, queries.department_queue(request.user, filters))
    return render(
        request,
        "cases/queue.html",
        {"title": _("承办诉求"), "form": form, "page": page, "wf": GRIEVANCE, "department": True},
    )
