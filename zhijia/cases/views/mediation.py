"""Pages of labour-dispute mediation: the worker's request and case page (with the
arbitration notice once it applies), the mediators' list and case page (accept, parties,
sessions and minutes, agreement or failure), the printable agreement and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.cases.actions import mediation as actions
from zhijia.cases.forms import mediation as forms_mediation
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import mediation as queries_mediation
from zhijia.cases.workflows import MEDIATION
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.pdf import pdf_response
from zhijia.core.views_workflow import step_view, transition_step
from zhijia.core.workflow import can_transition, history_view


@login_required
def mediation_list(request):
    state = request.GET.get("state", "open")
    if state not in ("open", "", *MEDIATION.states):
        state = "open"
    qs = queries_mediation.mediation_list(request.user, state=state)
    page = paginate(request, qs)
    return render(
        request,
        "cases/mediation_list.html",
        {"title": _("劳动争议调解"), "page": page, "state": state, "wf": MEDIATION},
    )


@login_required
def mediation_create(request):
    if not queries.may_raise(request.user):
        raise PermissionDenied(_("只有登记在册的会员可以申请调解"))
    status = 200
    if request.method == "POST":
        form = forms_mediation.MediationRequestForm(request.POST)
        if form.is_valid():
            case, status = run_action(
                form,
                lambda: actions.do_request_mediation(actor=request.user, **form.cleaned_data),
            )
            if case is not None:
                messages.success(request, _("调解申请已提交。"))
                return redirect(case.get_absolute_url())
        else:
            status = 400
    else:
        form = forms_mediation.MediationRequestForm()
    return render(
        request,
        "cases/mediation_form.html",
        {"title": _("申请劳动争议调解"), "form": form},
        status=status,
    )


def _detail(request, case, status=200, **bound):
    user = request.user
    manage = queries_mediation.may_manage_mediation(user, case)
    ctx = {
        "title": _("劳动争议调解 %(number)s") % {"number": case.number or case.pk},
        "case": case,
        "wf": MEDIATION,
        "state_label": MEDIATION.state_label(case.state),
        "history": history_view(case, user),
        "parties": case.parties.all(),
        "sessions": case.sessions.all(),
        "is_applicant": case.applicant_id == user.pk,
        "may_manage": manage,
        "arbitration_open": queries_mediation.arbitration_open(case),
        "may_withdraw": can_transition(MEDIATION, case, "withdraw", user),
    }
    if ctx["arbitration_open"]:
        ctx["arbitration_text"] = actions.arbitration_notice_text(case)
    if manage and case.in_state("requested"):
        ctx["accept_form"] = bound.get("accept_form") or forms_mediation.AcceptMediationForm(
            mediators=queries_mediation.mediators_for(case), initial={"mediator": user.pk}
        )
        ctx["decline_form"] = bound.get("decline_form") or forms_mediation.ReasonForm()
    if manage and case.in_state("requested", "mediating"):
        ctx["party_form"] = bound.get("party_form") or forms_mediation.PartyForm()
    if manage and case.in_state("mediating"):
        ctx["session_form"] = bound.get("session_form") or forms_mediation.SessionForm()
        ctx["agreement_form"] = bound.get("agreement_form") or forms_mediation.AgreementForm()
        ctx["fail_form"] = bound.get("fail_form") or forms_mediation.ReasonForm()
    return render(request, "cases/mediation_detail.html", ctx, status=status)


@login_required
def mediation_detail(request, case_id):
    return _detail(request, queries_mediation.access_mediation(request.user, case_id))


def _post(request, case_id, form_class, name, call, *, form_kwargs=None, done=""):
    case = queries_mediation.access_mediation(request.user, case_id)
    if not queries_mediation.may_manage_mediation(request.user, case):
        raise PermissionDenied("cases.manage_mediation")
    return step_view(
        request,
        form=form_class(request.POST, **(form_kwargs or {})),
        call=lambda data: call(case, data),
        on_error=lambda form, status: _detail(
            request,
            queries_mediation.access_mediation(request.user, case_id),
            status=status,
            **{name: form},
        ),
        success_url=case.get_absolute_url(),
        message=done or None,
    )


def _step(request, case_id, name, form_name, *, form_kwargs=None, arguments=None, done=""):
    """A workflow step of MEDIATION from its declared form and action (core.views_workflow);
    every step but the applicant's withdrawal is the mediators'."""
    case = queries_mediation.access_mediation(request.user, case_id)
    if name != "withdraw" and not queries_mediation.may_manage_mediation(request.user, case):
        raise PermissionDenied("cases.manage_mediation")
    return transition_step(
        request,
        MEDIATION,
        name,
        record=case,
        record_arg="case",
        form_kwargs=form_kwargs,
        arguments=arguments,
        on_error=lambda form, status: _detail(
            request,
            queries_mediation.access_mediation(request.user, case_id),
            status=status,
            **{form_name: form},
        ),
        success_url=case.get_absolute_url(),
        message=done,
    )


@login_required
@require_POST
def mediation_accept(request, case_id):
    case = queries_mediation.access_mediation(request.user, case_id)
    mediators = queries_mediation.mediators_for(case)
    by_id = {u.pk: u for u in mediators}
    return _step(
        request,
        case_id,
        "accept",
        "accept_form",
        form_kwargs={"mediators": mediators},
        arguments=lambda d: {"mediator": by_id.get(d["mediator"]), "note": d["note"]},
        done=_("已受理。"),
    )


@login_required
@require_POST
def mediation_party(request, case_id):
    return _post(
        request,
        case_id,
        forms_mediation.PartyForm,
        "party_form",
        lambda c, d: actions.do_add_party(actor=request.user, case=c, **d),
        done=_("已添加当事人。"),
    )


@login_required
@require_POST
def mediation_session(request, case_id):
    return _post(
        request,
        case_id,
        forms_mediation.SessionForm,
        "session_form",
        lambda c, d: actions.do_record_session(actor=request.user, case=c, **d),
        done=_("调解记录已保存。"),
    )


@login_required
@require_POST
def mediation_agree(request, case_id):
    return _step(request, case_id, "agree", "agreement_form", done=_("调解协议已记录。"))


@login_required
@require_POST
def mediation_fail(request, case_id):
    return _step(
        request, case_id, "fail", "fail_form", done=_("已终结调解，并告知申请人可以申请仲裁。")
    )


@login_required
@require_POST
def mediation_decline(request, case_id):
    return _step(
        request,
        case_id,
        "decline",
        "decline_form",
        done=_("已决定不予受理，并告知申请人可以申请仲裁。"),
    )


@login_required
@require_POST
def mediation_withdraw(request, case_id):
    return _step(request, case_id, "withdraw", "withdraw_form", done=_("已撤回调解申请。"))


def _agreement_context(case):
    return {
        "title": _("劳动争议调解协议书"),
        "case": case,
        "parties": case.parties.all(),
        "sessions": case.sessions.all(),
    }


@login_required
def mediation_agreement(request, case_id):
    case = queries_mediation.access_mediation(request.user, case_id)
    if not case.in_state("agreed"):
        raise PermissionDenied(_("尚未达成调解协议"))
    return render(request, "cases/mediation_agreement.html", _agreement_context(case))


@login_required
def mediation_agreement_pdf(request, case_id):
    case = queries_mediation.access_mediation(request.user, case_id)
    if not case.in_state("agreed"):
        raise PermissionDenied(_("尚未达成调解协议"))
    return pdf_response(
        "cases/mediation_agreement.html",
        _agreement_context(case),
        f"mediation-agreement-{case.pk}.pdf",
        request,
        stylesheet="cases/agreement.css",
    )
