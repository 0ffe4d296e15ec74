"""Reads of campaigns, applications, the public notice board and objections.

Who sees what:
  * an application in full (situation, answers, documents, visits): its applicant, and cadres
    holding assistance.view_hardship over the applicant's unit; others get 403 (no such code
    anywhere) or 404 (out of scope);
  * a notice (masked name, unit, campaign, category, amount, period): the members of the notice
    unit's subtree, and holders of assistance.view_notice over it or below it;
  * objections: cadres holding assistance.manage_notice over the application's unit (the
    identity of a named objector too; anonymous ones have none).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhijia.assistance import permissions as perms
from zhijia.assistance.models import Application, Campaign, Objection
from zhijia.assistance.queries.common import parse_id, scope_path_q
from zhijia.assistance.workflows import APPLICATION
from zhijia.core.permissions import has_perm
from zhijia.org.models import Member
from zhijia.org.queries.members import members_in_scope, own_member

OPEN_STATES = ("submitted", "reviewed", "notice", "approved")
CLOSED_STATES = ("paid", "rejected", "withdrawn")


# --- campaigns ----------------------------------------------------------------------------------


def campaigns_open_to(member: Member | None, today=None) -> list[Campaign]:
    """Campaigns a member may apply to now: active, in the window, run by a unit above them."""
    if member is None:
        return []
    today = today or timezone.localdate()
    qs = (
        Campaign.objects.filter(is_active=True, org_unit__path__in=member.org_unit.path_prefixes())
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("org_unit")
    )
    return list(qs.order_by("-year", "name"))


def campaigns_for_cadre(user) -> QuerySet[Campaign]:
    """Campaigns a cadre works with: run within their scope, or above it (the committee's
    campaign, seen by a branch cadre who reviews its applications)."""
    q = Q(pk__in=[])
    for code in (perms.MANAGE_CAMPAIGN, perms.VIEW_HARDSHIP, perms.VIEW_LEDGER):
        q |= scope_path_q(user, code, "org_unit__path", with_ancestors=True)
    return Campaign.objects.filter(q).select_related("org_unit", "fund")


def access_campaign(user, campaign_id: Any) -> Campaign:
    """A campaign for its page: cadres as above; members the campaigns open to them."""
    pk = parse_id(campaign_id)
    if pk is None:
        raise Http404
    found = campaigns_for_cadre(user).filter(pk=pk).first()
    if found is None:
        member = own_member(user)
        found = next((c for c in campaigns_open_to(member) if c.pk == pk), None)
    if found is None:
        raise Http404
    return found


def campaign_for_applicant(user, campaign_id: Any) -> Campaign:
    """A campaign the user's own member record may apply to now, or 404."""
    pk = parse_id(campaign_id)
    found = next((c for c in campaigns_open_to(own_member(user)) if c.pk == pk), None)
    if found is None:
        raise Http404
    return found


def can_manage_campaign(user, campaign: Campaign) -> bool:
    return has_perm(user, perms.MANAGE_CAMPAIGN, unit=campaign.org_unit)


def campaign_counts(campaign: Campaign) -> dict[str, Any]:
    rows = (
        campaign.applications.order_by()
        .values("state")
        .annotate(n=Count("id"), total=Sum("amount_requested"))
    )
    by_state = {r["state"]: r for r in rows}
    paid = campaign.applications.filter(state="paid").aggregate(s=Sum("amount_approved"))["s"]
    return {
        "by_state": [
            {"state": s, "label": APPLICATION.state_label(s), "n": by_state[s]["n"]}
            for s in APPLICATION.states
            if s in by_state
        ],
        "total": sum(r["n"] for r in rows),
        "paid": paid or Decimal("0"),
    }


# --- applications -------------------------------------------------------------------------------


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "campaign", "member", "org_unit", "campaign__fund", "notice_unit"
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """The applications a cadre reads in full (not the user's own: see own_applications)."""
    return _base().filter(scope_path_q(user, perms.VIEW_HARDSHIP, "org_unit__path"))


def own_applications(user) -> QuerySet[Application]:
    member = own_member(user)
    if member is None:
        return Application.objects.none()
    return _base().filter(member=member).order_by("-submitted_at", "-id")


def is_own_application(user, application: Application) -> bool:
    return application.member.user_id is not None and application.member.user_id == getattr(
        user, "pk", None
    )


def access_application(user, application_id: Any) -> Application:
    pk = parse_id(application_id)
    if pk is None:
        raise Http404
    own = own_applications(user).filter(pk=pk).first()
    if own is not None:
        return own
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied(perms.VIEW_HARDSHIP)
    found = applications_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_application_documents(user, application_id: Any) -> Application:
    """For attachments.register_owner: the applicant and the responsible cadres."""
    return access_application(user, application_id)


@dataclass(frozen=True)
class ApplicationFilters:
    state: str = ""
    campaign: int | None = None
    q: str = ""


def list_applications_for_user(user, f: ApplicationFilters) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if f.state == "open":  # allow: state the list filter's "open", not a record's state
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(member__name__contains=term) | Q(member__employee_no__startswith=term))
    return qs.order_by("-submitted_at", "-id")


def open_application_exists(member: Member, campaign: Campaign) -> bool:
    return Application.objects.filter(
        member=member, campaign=campaign, state__in=OPEN_STATES
    ).exists()


def documents_of(application: Application):
    return application.documents.select_related("attachment")


def visits_of_application(application: Application):
    return application.visits.order_by("-visited_on", "-id")


def members_for_on_behalf(user, campaign: Campaign) -> QuerySet[Member]:
    """Members a cadre may apply for in this campaign."""
    return members_in_scope(user, perms.APPLY_ON_BEHALF).filter(
        status=Member.Status.ACTIVE, org_unit__path__startswith=campaign.org_unit.path
    )


def workspace_counts(user) -> dict[str, int]:
    """Figures of the cadre's assistance workspace."""
    qs = applications_visible_to(user).order_by()
    by_state = {r["state"]: r["n"] for r in qs.values("state").annotate(n=Count("id"))}
    now = timezone.now()
    return {
        "submitted": by_state.get("submitted", 0),
        "reviewed": by_state.get("reviewed", 0),
        "notice_running": qs.filter(state="notice", notice_ends_at__gte=now).count(),
        "notice_over": qs.filter(state="notice", notice_ends_at__lt=now).count(),
        "approved": by_state.get("approved", 0),
        "objections_open": objections_for_handler(user).filter(status="open").count(),
    }


# --- the public notice --------------------------------------------------------------------------


def _notice_q(user) -> Q:
    """Notices the user may read: of a unit at or above their own member unit, or of a unit
    within (or above) their view_notice scope."""
    q = Q(pk__in=[])
    member = own_member(user)
    if member is not None:
        q |= Q(notice_unit__path__in=member.org_unit.path_prefixes())
    q |= scope_path_q(user, perms.VIEW_NOTICE, "notice_unit__path", with_ancestors=True)
    return q


def notices_visible_to(user) -> QuerySet[Application]:
    """The board: applications under notice (running, or over and awaiting the decision)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(state="notice", notice_unit__isnull=False)
        .filter(_notice_q(user))
        .select_related("campaign", "org_unit", "notice_unit")
        .order_by("-notice_starts_at", "-id")
    )


def notice_visible_to(user, application: Application) -> bool:
    return notices_visible_to(user).filter(pk=application.pk).exists()


def access_notice(user, application_id: Any) -> Application:
    pk = parse_id(application_id)
    found = notices_visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class NoticeRow:
    """Everything the public notice shows, and nothing more."""

    id: int
    masked_name: str
    unit: str
    campaign: str
    category: str
    amount: Decimal
    starts_at: Any
    ends_at: Any
    running: bool


def notice_row(application: Application) -> NoticeRow:
    return NoticeRow(
        id=application.pk,
        masked_name=application.notice_masked_name,
        unit=application.org_unit.name,
        campaign=application.campaign.name,
        category=application.get_category_display(),
        amount=application.amount,
        starts_at=application.notice_starts_at,
        ends_at=application.notice_ends_at,
        running=application.notice_is_running(),
    )


# --- objections -----------------------------------------------------------------------------------


def objections_for_handler(user) -> QuerySet[Objection]:
    return Objection.objects.filter(
        scope_path_q(user, perms.MANAGE_NOTICE, "application__org_unit__path")
    ).select_related("application", "application__member", "application__campaign", "submitted_by")


def objections_of(application: Application) -> QuerySet[Objection]:
    return application.objections.select_related("submitted_by", "resolved_by")


def access_objection(user, objection_id: Any) -> Objection:
    if not has_perm(user, perms.MANAGE_NOTICE):
        raise PermissionDenied(perms.MANAGE_NOTICE)
    pk = parse_id(objection_id)
    found = objections_for_handler(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


# The member home lists the first few open applications; 帮扶 (assistance:mine) lists them all.
HOME_SHOWN = 3


def member_home_items(user) -> list[dict[str, Any]]:
    """Entries for the member home's "接下来要做": the member's open applications (with their
    state) and the notices of their units. Safe text only; `urgent` when a notice is running."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    items: list[dict[str, Any]] = []
    for a in own_applications(user).filter(state__in=OPEN_STATES)[:HOME_SHOWN]:
        items.append(
            {
                "label": _("帮扶申请：%(campaign)s") % {"campaign": a.campaign.name},
                "url": reverse("assistance:application-detail", args=[a.pk]),
                "detail": APPLICATION.state_label(a.state),
                "urgent": False,
            }
        )
    running = notices_visible_to(user).filter(notice_ends_at__gte=timezone.now()).count()
    if running:
        items.append(
            {
                "label": _("帮扶公示"),
                "url": reverse("assistance:notice-list"),
                "detail": _("%(n)d 项正在公示，有异议可在公示期内提出") % {"n": running},
                "urgent": False,
            }
        )
    return items
