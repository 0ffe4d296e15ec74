"""Pages of the yearly women's health check: sign-up on the phone, the committee's campaigns
with their sign-up and completion counts (Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.women import exports
from zhijia.women.actions import checks as actions
from zhijia.women.forms.checks import CampaignForm, CompletionForm
from zhijia.women.permissions import MANAGE
from zhijia.women.queries import checks as queries
from zhijia.women.queries.common import is_woman_member, managed_units


def _require_woman(request) -> None:
    if not is_woman_member(request.user):
        raise PermissionDenied


def _member_page(request, *, form=None, status=200):
    user = request.user
    rows = []
    for campaign in queries.campaigns_for_member(user).order_by("-year", "id"):
        rows.append((campaign, queries.my_signup(user, campaign)))
    return render(
        request,
        "women/checks.html",
        {
            "title": _("女职工健康检查"),
            "rows": rows,
            "today": timezone.localdate(),
            "form": form,
        },
        status=status,
    )


@login_required
def checks(request):
    _require_woman(request)
    return _member_page(request)


@login_required
@require_POST
def check_signup(request, campaign_id: int):
    _require_woman(request)
    campaign = queries.access_campaign(request.user, campaign_id)
    return step_view(
        request,
        form=NoInput(request.POST),
        call=lambda d: actions.do_sign_up_check(actor=request.user, campaign=campaign),
        on_error=lambda f, status: _member_page(request, form=f, status=status),
        success_url=reverse("women:checks"),
        message=_("报名成功"),
    )


# --- the desk ---------------------------------------------------------------------------------


def _units(user):
    return managed_units(user)


@login_required
def desk_checks(request):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = CampaignForm(
        request.POST or None,
        units=_units(request.user),
        initial={"year": timezone.localdate().year},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            created, status = run_action(
                form, lambda: actions.do_create_check_campaign(actor=request.user, **d)
            )
            if status == 200:
                messages.success(request, _("已发布健康检查"))
                return redirect("women:desk-check", created.pk)
    return render(
        request,
        "women/desk_checks.html",
        {
            "title": _("女职工健康检查"),
            "campaigns": paginate(request, queries.managed_campaigns(request.user)),
            "form": form,
        },
        status=status,
    )


def _desk_page(request, campaign, *, form=None, status=200):
    return render(
        request,
        "women/desk_check.html",
        {
            "title": campaign.title,
            "campaign": campaign,
            "signups": paginate(request, queries.signups(campaign)),
            "form": form,
        },
        status=status,
    )


@login_required
def desk_check(request, campaign_id: int):
    campaign = queries.access_managed_campaign(request.user, campaign_id)
    if request.method != "POST":
        return _desk_page(request, campaign)
    ids = list(campaign.signups.values_list("pk", flat=True))
    return step_view(
        request,
        form=CompletionForm(request.POST, ids=ids),
        call=lambda d: actions.do_record_check_completion(
            actor=request.user, campaign=campaign, signup_ids=d["signup_ids"], done=d["done"]
        ),
        on_error=lambda f, status: _desk_page(request, campaign, form=f, status=status),
        success_url=reverse("women:desk-check", args=[campaign.pk]),
        message=_("已登记"),
    )


@login_required
def desk_check_export(request, campaign_id: int):
    campaign = queries.access_managed_campaign(request.user, campaign_id)
    sheet = exports.check_signups_sheet(campaign)
    return excel.xlsx_response(f"health-check-{campaign.pk}.xlsx", sheet, stream=True)
