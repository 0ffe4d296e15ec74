"""Reads of the health check campaigns."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhijia.core.permissions import has_perm, scope_q
from zhijia.women.models import CheckCampaign, CheckSignup
from zhijia.women.permissions import MANAGE
from zhijia.women.queries.common import is_woman_member, own_member, pk_or_404


def _counted(queryset: QuerySet[CheckCampaign]) -> QuerySet[CheckCampaign]:
    return queryset.annotate(
        signup_count=Count("signups", distinct=True),
        done_count=Count("signups", filter=Q(signups__completed_at__isnull=False), distinct=True),
    )


def campaigns_for_member(user) -> QuerySet[CheckCampaign]:
    """The campaigns of the woman member's unit and the units above it."""
    member = own_member(user)
    if member is None or not is_woman_member(user):
        return CheckCampaign.objects.none()
    return CheckCampaign.objects.filter(
        org_unit__path__in=member.org_unit.path_prefixes()
    ).select_related("org_unit")


def managed_campaigns(user) -> QuerySet[CheckCampaign]:
    return _counted(
        CheckCampaign.objects.filter(scope_q(user, MANAGE)).select_related("org_unit")
    ).order_by("-year", "org_unit__path", "id")


def access_campaign(user, campaign_id) -> CheckCampaign:
    """A campaign the woman member may join, or one the manager manages."""
    pk = pk_or_404(campaign_id)
    campaign = (
        campaigns_for_member(user).filter(pk=pk).first()
        or managed_campaigns(user).filter(pk=pk).first()
    )
    if campaign is not None:
        return campaign
    if not is_woman_member(user) and not has_perm(user, MANAGE):
        raise PermissionDenied
    raise Http404


def access_managed_campaign(user, campaign_id) -> CheckCampaign:
    pk = pk_or_404(campaign_id)
    if not has_perm(user, MANAGE):
        raise PermissionDenied(MANAGE)
    campaign = managed_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def my_signup(user, campaign: CheckCampaign) -> CheckSignup | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return campaign.signups.filter(user=user).first()


def my_signups(user) -> QuerySet[CheckSignup]:
    if not getattr(user, "is_authenticated", False):
        return CheckSignup.objects.none()
    return CheckSignup.objects.filter(user=user).select_related("campaign")


def signups(campaign: CheckCampaign) -> QuerySet[CheckSignup]:
    return campaign.signups.select_related("member", "member__org_unit").order_by(
        "member__org_unit__path", "member__employee_no"
    )
