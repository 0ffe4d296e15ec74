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
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.assistance import permissions as perms
from zhijia.assistance import privacy
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
from zhijia.core.forms import SatisfactionForm
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import step_view, transition_step
from zhijia.core.workflow import available_transitions, history_view
from zhijia.org.queries.members import own_member

# --- the worker's pages ---------------------------------------------------------------------------


@dataclass(eq=False)
class ObjectionRow(Row[Objection]):
    """An objection with its resolve form while it is open."""

    form: django_forms.Form | None = None


# The workspace shows the first few of each list and links to the whole list.
WORKSPACE_SHOWN = 10


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

    def page(bound, status=200):
        return render(
            request,
            "assistance/apply.html",
            {
                "title": _("申请：%(name)s") % {"name": campaign.name},
                "campaign": campaign,
                "form": bound,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_submit_application(
            actor=request.user,
            campaign=campaign,
            member=member,
            amount=data["amount"],
            situation=data["situation"],
            answers=form.answers(),
            documents=form.documents(),
        ),
        on_error=page,
        success_url=_application_url,
        message=_("申请已提交，请留意审核进度"),
    )


def _application_url(application) -> str:
    return reverse("assistance:application-detail", args=[application.pk])


# --- the application page -------------------------------------------------------------------------


def _application_context(request, application, **forms):
    user = request.user
    cadre = has_perm(user, perms.VIEW_HARDSHIP, unit=application.org_unit)
    names = {t.name for t in available_transitions(APPLICATION, application, user)}
    steps = history_view(application, user, workflow=APPLICATION)
    context = {
        "title": _("帮扶申请 %(number)s") % {"number": application.number or application.pk},
        "application": application,
        "state_label": APPLICATION.state_label(application.state),
        "cadre": cadre,
        "own": queries_applications.is_own_application(user, application),
        "steps": steps,
        "documents": list(queries_applications.documents_of(application)),
        "can_withdraw": "withdraw" in names,
        "can_rate": queries_applications.is_own_application(user, application)
        and application.in_state("paid")
        and application.rated_at is None,
        "ratings": Satisfaction.choices,
        "rating_form": forms.get("rating_form"),
        "step_form": forms.get("step_form"),
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
    privacy.record_application_read(request.user, application)
    return _application_page(request, application)


def _on_error(request, application, key, **extra):
    def on_error(bound, status):
        application.refresh_from_db()
        # a step without input (withdraw) shows its refusal on top of the page
        forms = {key or "step_form": bound, **extra}
        return _application_page(request, application, status, **forms)

    return on_error


def _step(request, application, name, key, message, **kwargs):
    """The workflow step `name` from its declared form and action: the application page with
    the errors, or back to it with a message."""
    return transition_step(
        request,
        APPLICATION,
        name,
        record=application,
        record_arg="application",
        on_error=_on_error(request, application, key),
        success_url=_application_url(application),
        message=message,
        **kwargs,
    )


@login_required
@require_POST
def application_review(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(
        request,
        application,
        "review",
        "review_form",
        _("初审通过，入户核查已记录"),
        form_kwargs={"application": application},
    )


@login_required
@require_POST
def application_decline(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(
        request,
        application,
        "decline",
        "decline_form",
        _("已退回申请"),
        form_kwargs={"prefix": "decline"},
        arguments=lambda data: {"reason": data["reason"]},
    )


@login_required
@require_POST
def application_publish(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(
        request,
        application,
        "publish",
        "publish_form",
        _("公示已发布"),
        form_kwargs={"units": actions.notice_unit_choices(application)},
        arguments=lambda data: {
            "notice_unit": data["notice_unit"],
            "workdays_count": data.get("workdays"),
        },
    )


@login_required
@require_POST
def application_approve(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(
        request,
        application,
        "approve",
        "approve_form",
        _("已审批通过"),
        arguments=lambda data: {"amount": data.get("amount"), "note": data.get("note") or ""},
    )


@login_required
@require_POST
def application_reject(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(
        request,
        application,
        "reject",
        "reject_form",
        _("已审批不通过"),
        form_kwargs={"prefix": "reject"},
        arguments=lambda data: {"reason": data["reason"]},
    )


@login_required
@require_POST
def application_withdraw(request, application_id: int):
    application = queries_applications.access_application(request.user, application_id)
    return _step(request, application, "withdraw", "", _("申请已撤回"))


@login_required
@require_POST
def application_rate(request, application_id: int):
    """The applicant's rating of the help received (not a workflow step: a paid application
    stays paid); the same bind → run → answer as a step."""
    application = queries_applications.access_application(request.user, application_id)
    return step_view(
        request,
        form=SatisfactionForm(request.POST),
        call=lambda data: actions.do_rate_application(
            actor=request.user, application=application, rating=data["rating"]
        ),
        on_error=_on_error(request, application, "rating_form"),
        success_url=_application_url(application),
        message=_("感谢您的评价"),
    )


@login_required
@require_POST
def objection_resolve(request, objection_id: int):
    """Not a workflow step (an objection has its own status): the same bind → run → answer."""
    objection = queries_applications.access_objection(request.user, objection_id)
    application = objection.application
    return step_view(
        request,
        form=ResolveForm(request.POST, prefix=f"o{objection.pk}"),
        call=lambda data: actions.do_resolve_objection(
            actor=request.user,
            objection=objection,
            resolution=data["resolution"],
            note=data["note"],
        ),
        on_error=_on_error(request, application, "resolve_form", objection_id=objection.pk),
        success_url=_application_url(application),
        message=_("异议已处理"),
    )


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
            "due_files": list(queries_registry.files_due_for_review(user)[:WORKSPACE_SHOWN]),
            "registry": queries_registry.registry_counts(user),
            "runs_awaiting": list(queries_ledger.runs_awaiting(user)[:WORKSPACE_SHOWN]),
            "payable": queries_ledger.payable_applications(user).count()
            if has_perm(user, perms.PREPARE_PAYMENT)
            else 0,
            "campaigns": list(
                queries_applications.campaigns_for_cadre(user).filter(is_active=True)[
                    : WORKSPACE_SHOWN * 2
                ]
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
    campaigns = list(queries_applications.campaigns_for_cadre(user).order_by("-year", "name"))
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
    applications = paginate(request, queries_applications.list_applications_for_user(user, f))
    _label(applications.items)
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
    campaigns = paginate(
        request, queries_applications.campaigns_for_cadre(user).order_by("-year", "name", "pk")
    )
    if not campaigns.count and not has_perm(user, perms.MANAGE_CAMPAIGN):
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

    def page(bound, status=200):
        return render(
            request,
            "assistance/campaign_form.html",
            {"title": _("新建帮扶活动"), "form": bound},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_create_campaign(
            actor=request.user, org_unit=data["org_unit"], **form.action_values()
        ),
        on_error=page,
        success_url=lambda campaign: reverse("assistance:campaign-detail", args=[campaign.pk]),
        message=_("帮扶活动已创建，并设立了专项资金"),
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

    def page(bound, status=200):
        return render(
            request,
            "assistance/apply.html",
            {
                "title": _("代为申请：%(name)s") % {"name": campaign.name},
                "campaign": campaign,
                "form": bound,
                "on_behalf": True,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_submit_application(
            actor=request.user,
            campaign=campaign,
            member=data["member"],
            amount=data["amount"],
            situation=data["situation"],
            answers=form.answers(),
            documents=form.documents(),
        ),
        on_error=page,
        success_url=_application_url,
        message=_("已代为提交申请"),
    )


# --- the notice board -----------------------------------------------------------------------------


@login_required
def notice_list(request):
    page = paginate(request, queries_applications.notices_visible_to(request.user))
    rows = [queries_applications.notice_row(a) for a in page.items]
    return render(
        request,
        "assistance/notice_list.html",
        {"title": _("帮扶公示"), "rows": rows, "page": page},
    )


@login_required
def notice_detail(request, application_id: int):
    application = queries_applications.access_notice(request.user, application_id)
    row = queries_applications.notice_row(application)
    form = ObjectionForm(request.POST or None)

    def page(bound, status=200):
        return render(
            request,
            "assistance/notice_detail.html",
            {"title": _("帮扶公示"), "row": row, "form": bound if row.running else None},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_submit_objection(
            actor=request.user,
            application=application,
            text=data["text"],
            anonymous=data["anonymous"],
        ),
        on_error=page,
        success_url=lambda objection: _objection_sent(request, objection),
    )


def _objection_sent(request, objection) -> str:
    """The confirmation says whether the sender's identity was kept; back to the notice."""
    messages.success(
        request,
        _("异议已提交（匿名，未记录您的身份）")
        if objection.anonymous
        else _("异议已提交，工会将核实处理"),
    )
    return reverse("assistance:notice-detail", args=[objection.application_id])


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
        {"title": _("公示异议"), "objections": paginate(request, qs), "show": show},
    )
