"""Pages of campaigns, applications, the public notice board and objections.

Workers: "帮扶申请" (their applications and the campaigns open to them), the form, the status
page; the notice board of their units. Cadres: the review queue, the application page with the
review (home visit), notice, objection and decision forms, campaigns and on-behalf applications.
Thin: parse, call one query or action, render; out-of-scope records are 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import permissions as perms
from zhijia.assistance.actions import applications as actions
from zhijia.assistance.forms.applications import (
    ApplicationFilterForm,
    ApplicationForm,
    ApproveForm,
    CampaignForm,
    ObjectionForm,
    OnBehalfForm,
    PublishForm,
    ReasonForm,
    ResolveForm,
    ReviewForm,
)
from zhijia.assistance.models import Objection
from zhijia.assistance.queries import applications as queries_applications
from zhijia.assistance.queries import common as queries
from zhijia.assistance.queries import ledger as queries_ledger
from zhijia.assistance.queries import registry as queries_registry
from zhijia.assistance.views.common import querystring
from zhijia.assistance.workflows import APPLICATION
from zhijia.core.forms import run_action
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.workflow import available_transitions, history
from zhijia.org.queries.members import own_member

# --- the worker's pages ---------------------------------------------------------------------------


@dataclass(eq=False)
class ObjectionRow(Row[Objection]):
    """An objection with its resolve form while it is open."""

    form: django_forms.Form | None = None


def _label(applications):
    for a in applications:
        a.state_label = APPLICATION.state_label(a.state)
    return applications


@login_required
def mine(request):
    """A worker's applications and the campaigns open to them (mobile first)."""
    member = own_member(request.user)
    return render(
        request,
        "assistance/mine.html",
        {
            "title": _("帮扶申请"),
            "member": member,
            "applications": _label(list(queries_applications.own_applications(request.user))),
            "campaigns": queries_applications.campaigns_open_to(member),
            "notices": queries_applications.notices_visible_to(request.user).count(),
        },
    )


@login_required
def apply_form(request, campaign_id: int):
    campaign = queries_applications.campaign_for_applicant(request.user, campaign_id)
    member = own_member(request.user)
    if member is None:  # campaign_for_applicant already refused: no member, no campaign
        raise Http404
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=campaign)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            application, status = run_action(
                form,
                lambda: actions.do_submit_application(
                    actor=request.user,
                    campaign=campaign,
                    member=member,
                    amount=form.cleaned_data["amount"],
                    situation=form.cleaned_data["situation"],
                    answers=form.answers(),
                    documents=form.documents(),
                ),
            )
            if application is not None:
                messages.success(request, _("申请已提交，请留意审核进度"))
                return redirect("assistance:application-detail", application_id=application.pk)
        else:
            status = 400
    return render(
        request,
        "assistance/apply.html",
        {
            "title": _("申请：%(name)s") % {"name": campaign.name},
            "campaign": campaign,
            "form": form,
        },
        status=status,
    )


# --- the application page -------------------------------------------------------------------------


def _application_context(request, application, **forms):
    user = request.user
    cadre = has_perm(user, perms.VIEW_HARDSHIP, unit=application.org_unit)
    names = {t.name for t in available_transitions(APPLICATION, application, user)}
    steps = []
    for event in history(application):
        steps.append(
            {
                "label": APPLICATION.transition_label(event.transition),
                "state": APPLICATION.state_label(event.to_state),
                "at": event.at,
                "actor": event.actor_label if cadre else "",
                "note": event.note if cadre or event.transition in ("decline", "reject") else "",
            }
        )
    context = {
        "title": _("帮扶申请 #%(id)s") % {"id": application.pk},
        "application": application,
        "state_label": APPLICATION.state_label(application.state),
        "cadre": cadre,
        "own": queries_applications.is_own_application(user, application),
        "steps": steps,
        "documents": list(queries_applications.documents_of(application)),
        "can_withdraw": "withdraw" in names,
    }
    if cadre:
        context["visits"] = list(queries_applications.visits_of_application(application))
        context["file"] = application.hardship_file
        context["file_visible"] = application.hardship_file is not None
    if "review" in names:
        context["review_form"] = forms.get("review_form") or ReviewForm(application=application)
    if "decline" in names:
        context["decline_form"] = forms.get("decline_form") or ReasonForm(prefix="decline")
    if "publish" in names:
        config = queries.config_for(application.org_unit)
        context["publish_form"] = forms.get("publish_form") or PublishForm(
            units=actions.notice_unit_choices(application),
            default_unit=queries.branch_of(application.org_unit),
            default_days=application.campaign.notice_workdays or config.notice_workdays,
        )
    if "approve" in names:
        context["approve_form"] = forms.get("approve_form") or ApproveForm(
            initial={"amount": application.amount}
        )
    if "reject" in names:
        context["reject_form"] = forms.get("reject_form") or ReasonForm(prefix="reject")
    if has_perm(user, perms.MANAGE_NOTICE, unit=application.org_unit):
        errored = forms.get("resolve_form")
        objections = [
            ObjectionRow(
                o,
                form=(
                    errored
                    if errored is not None and forms.get("objection_id") == o.pk
                    else ResolveForm(prefix=f"o{o.pk}")
                )
                if o.status == "open"
                else None,
            )
            for o in queries_applications.objections_of(application)
        ]
        context["objections"] = objections
    return context


def _application_page(request, application, status=200, **forms):
    return render(
        request,
        "assistance/application_detail.html",
        _application_context(request, application, **forms),
        status=status,
    )


@login_required
def application_detail(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _application_page(request, application)


def _done(request, message: str, application):
    messages.success(request, message)
    return redirect("assistance:application-detail", application_id=application.pk)


@login_required
@require_POST
def application_review(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    form = ReviewForm(request.POST, application=application)
    if not form.is_valid():
        return _application_page(request, application, 400, review_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_review_application(
            actor=request.user, application=application, **form.cleaned_data
        ),
    )
    if result is None:
        return _application_page(request, application, status, review_form=form)
    return _done(request, _("初审通过，入户核查已记录"), application)


@login_required
@require_POST
def application_decline(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    form = ReasonForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _application_page(request, application, 400, decline_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_decline_application(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
    )
    if result is None:
        return _application_page(request, application, status, decline_form=form)
    return _done(request, _("已退回申请"), application)


@login_required
@require_POST
def application_publish(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    form = PublishForm(request.POST, units=actions.notice_unit_choices(application))
    if not form.is_valid():
        return _application_page(request, application, 400, publish_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_publish_notice(
            actor=request.user,
            application=application,
            notice_unit=form.cleaned_data["notice_unit"],
            workdays_count=form.cleaned_data.get("workdays"),
        ),
    )
    if result is None:
        return _application_page(request, application, status, publish_form=form)
    return _done(request, _("公示已发布"), application)


@login_required
@require_POST
def application_approve(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, 400, approve_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_approve_application(
            actor=request.user,
            application=application,
            amount=form.cleaned_data.get("amount"),
            note=form.cleaned_data.get("note") or "",
        ),
    )
    if result is None:
        application.refresh_from_db()
        return _application_page(request, application, status, approve_form=form)
    return _done(request, _("已审批通过"), application)


@login_required
@require_POST
def application_reject(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    form = ReasonForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _application_page(request, application, 400, reject_form=form)
    result, status = run_action(
        form,
        lambda: actions.do_reject_application(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        ),
    )
    if result is None:
        return _application_page(request, application, status, reject_form=form)
    return _done(request, _("已审批不通过"), application)


@login_required
@require_POST
def application_withdraw(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    # No input: a bound form without fields only carries a refusal (an unbound one cannot).
    form = Form(data={})
    form.is_valid()
    result, status = run_action(
        form, lambda: actions.do_withdraw_application(actor=request.user, application=application)
    )
    if result is None:
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return _application_page(request, application, status)
    return _done(request, _("申请已撤回"), application)


@login_required
@require_POST
def objection_resolve(request, objection_id: int):
    objection = queries_applications.access_objection(request.user, objection_id)
    application = objection.application
    form = ResolveForm(request.POST, prefix=f"o{objection.pk}")
    forms = {"resolve_form": form, "objection_id": objection.pk}
    if not form.is_valid():
        return _application_page(request, application, 400, **forms)
    result, status = run_action(
        form,
        lambda: actions.do_resolve_objection(
            actor=request.user,
            objection=objection,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"],
        ),
    )
    if result is None:
        return _application_page(request, application, status, **forms)
    return _done(request, _("异议已处理"), application)


# --- cadre lists ----------------------------------------------------------------------------------


@login_required
def index(request):
    """The assistance workspace of a cadre: what waits for them."""
    user = request.user
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    return render(
        request,
        "assistance/index.html",
        {
            "title": _("帮扶工作台"),
            "counts": queries_applications.workspace_counts(user),
            "due_files": list(queries_registry.files_due_for_review(user)[:10]),
            "registry": queries_registry.registry_counts(user),
            "runs_awaiting": list(queries_ledger.runs_awaiting(user)[:10]),
            "payable": queries_ledger.payable_applications(user).count()
            if has_perm(user, perms.PREPARE_PAYMENT)
            else 0,
            "campaigns": list(
                queries_applications.campaigns_for_cadre(user).filter(is_active=True)[:20]
            ),
            "can_configure": has_perm(user, perms.CONFIGURE),
            "can_ledger": has_perm(user, perms.VIEW_LEDGER),
        },
    )


@login_required
def application_list(request):
    user = request.user
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied
    campaigns = list(queries_applications.campaigns_for_cadre(user).order_by("-year", "name")[:100])
    form = ApplicationFilterForm(
        request.GET or None, states=APPLICATION.state_choices, campaigns=campaigns
    )
    f = queries_applications.ApplicationFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        f = queries_applications.ApplicationFilters(
            state=data.get("state") or "",
            campaign=queries.parse_id(data.get("campaign")),
            q=data.get("q") or "",
        )
    applications = _label(list(queries_applications.list_applications_for_user(user, f)[:300]))
    return render(
        request,
        "assistance/application_list.html",
        {
            "title": _("帮扶申请审核"),
            "form": form,
            "applications": applications,
            "querystring": querystring(request),
        },
    )


@login_required
def campaign_list(request):
    user = request.user
    campaigns = list(queries_applications.campaigns_for_cadre(user).order_by("-year", "name")[:200])
    if not campaigns and not has_perm(user, perms.MANAGE_CAMPAIGN):
        raise PermissionDenied
    return render(
        request,
        "assistance/campaign_list.html",
        {
            "title": _("帮扶活动"),
            "campaigns": campaigns,
            "can_create": has_perm(user, perms.MANAGE_CAMPAIGN),
        },
    )


@login_required
def campaign_create(request):
    units = queries.units_for(request.user, perms.MANAGE_CAMPAIGN)
    if not units:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            campaign, status = run_action(
                form,
                lambda: actions.do_create_campaign(
                    actor=request.user,
                    org_unit=form.cleaned_data["org_unit"],
                    **form.action_values(),
                ),
            )
            if campaign is not None:
                messages.success(request, _("帮扶活动已创建，并设立了专项资金"))
                return redirect("assistance:campaign-detail", campaign_id=campaign.pk)
        else:
            status = 400
    return render(
        request,
        "assistance/campaign_form.html",
        {"title": _("新建帮扶活动"), "form": form},
        status=status,
    )


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = queries_applications.access_campaign(request.user, campaign_id)
    user = request.user
    return render(
        request,
        "assistance/campaign_detail.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "counts": queries_applications.campaign_counts(campaign)
            if has_perm(user, perms.VIEW_HARDSHIP)
            else None,
            "can_apply": any(
                c.pk == campaign.pk
                for c in queries_applications.campaigns_open_to(own_member(user))
            ),
            "can_on_behalf": has_perm(user, perms.APPLY_ON_BEHALF) and campaign.is_active,
            "fund_visible": queries_ledger.funds_visible_to(user)
            .filter(pk=campaign.fund_id)
            .exists(),
        },
    )


@login_required
def apply_on_behalf(request, campaign_id: int):
    campaign = queries_applications.access_campaign(request.user, campaign_id)
    if not has_perm(request.user, perms.APPLY_ON_BEHALF):
        raise PermissionDenied
    members = queries_applications.members_for_on_behalf(request.user, campaign).order_by(
        "employee_no"
    )[:2000]
    form = OnBehalfForm(
        request.POST or None, request.FILES or None, campaign=campaign, members=members
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            application, status = run_action(
                form,
                lambda: actions.do_submit_application(
                    actor=request.user,
                    campaign=campaign,
                    member=form.cleaned_data["member"],
                    amount=form.cleaned_data["amount"],
                    situation=form.cleaned_data["situation"],
                    answers=form.answers(),
                    documents=form.documents(),
                ),
            )
            if application is not None:
                messages.success(request, _("已代为提交申请"))
                return redirect("assistance:application-detail", application_id=application.pk)
        else:
            status = 400
    return render(
        request,
        "assistance/apply.html",
        {
            "title": _("代为申请：%(name)s") % {"name": campaign.name},
            "campaign": campaign,
            "form": form,
            "on_behalf": True,
        },
        status=status,
    )


# --- the notice board -----------------------------------------------------------------------------


@login_required
def notice_list(request):
    rows = [
        queries_applications.notice_row(a)
        for a in queries_applications.notices_visible_to(request.user)[:300]
    ]
    return render(request, "assistance/notice_list.html", {"title": _("帮扶公示"), "rows": rows})


@login_required
def notice_detail(request, application_id: int):
    application = queries_applications.access_notice(request.user, application_id)
    row = queries_applications.notice_row(application)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            objection, status = run_action(
                form,
                lambda: actions.do_submit_objection(
                    actor=request.user,
                    application=application,
                    text=form.cleaned_data["text"],
                    anonymous=form.cleaned_data["anonymous"],
                ),
            )
            if objection is not None:
                messages.success(
                    request,
                    _("异议已提交（匿名，未记录您的身份）")
                    if objection.anonymous
                    else _("异议已提交，工会将核实处理"),
                )
                return redirect("assistance:notice-detail", application_id=application.pk)
        else:
            status = 400
    return render(
        request,
        "assistance/notice_detail.html",
        {"title": _("帮扶公示"), "row": row, "form": form if row.running else None},
        status=status,
    )


@login_required
def objection_list(request):
    if not has_perm(request.user, perms.MANAGE_NOTICE):
        raise PermissionDenied
    show = request.GET.get("status", "open")
    qs = queries_applications.objections_for_handler(request.user)
    if show in ("open", "resolved"):
        qs = qs.filter(status=show)
    return render(
        request,
        "assistance/objection_list.html",
        {"title": _("公示异议"), "objections": list(qs[:300]), "show": show},
    )
