"""Reads of activities (interest groups: queries/clubs.py). Who sees what (404 for anything
else, 403 for a role that holds none):

published activities   the members of its audience (units each covering their subtree, or an
                       interest group's members), and whoever registered
a registration         the member who made it; the activity's managers
managing               cadres holding services.manage_activities over the organising unit
                       (its unit or a unit above): a sibling branch's activity is 404
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.dateranges import DateRange
from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.unitpaths import path_prefixes
from zhijia.org.models import OrgUnit
from zhijia.services.models import Activity, ActivityRegistration, ClubMembership
from zhijia.services.permissions import MANAGE_ACTIVITIES
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import ACTIVITY, RUNNING, SHOWN

SEARCH_TYPE = "services.activity"  # zhijia.core.search entries (zhijia.services.dashboard)
S = ACTIVITY.states
R = ActivityRegistration.Status


def pk_of(value) -> int:
    """An id from a URL or a body, 404 when it is not one."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def member_of(user):
    """The user's member record on the roll, or None."""
    if not is_member(user):
        return None
    return user.member_record


def may_manage(user) -> bool:
    return has_perm(user, MANAGE_ACTIVITIES)


def may_use_activities(user) -> bool:
    return is_member(user) or may_manage(user)


# --- audience -------------------------------------------------------------------------------------


def _club_ids_of(member) -> QuerySet:
    return ClubMembership.objects.filter(member=member, status=ClubMembership.Status.MEMBER).values(
        "club_id"
    )


def _audience_q(member) -> Q:
    prefixes = path_prefixes(member.org_unit.path)
    units = Q(
        club__isnull=True,
        pk__in=Activity.audience_units.through.objects.filter(orgunit__path__in=prefixes).values(
            "activity_id"
        ),
    )
    default = Q(club__isnull=True, audience_units__isnull=True, org_unit__path__in=prefixes)
    return units | default | Q(club__in=_club_ids_of(member))


def in_audience(activity: Activity, member) -> bool:
    if member is None:
        return False
    return Activity.objects.filter(pk=activity.pk).filter(_audience_q(member)).exists()


def audience_label(activity: Activity) -> str:
    if activity.club is not None:
        return _("%(club)s（兴趣小组成员）") % {"club": activity.club.name}
    units = list(activity.audience_units.all())
    if not units:
        return activity.org_unit.name
    return "、".join(u.name for u in units)


def counts_of(activity: Activity) -> dict[str, int]:
    """The annotations of `with_counts` (0 when the activity was read without them)."""
    return {
        key: int(getattr(activity, key, 0) or 0)
        for key in ("taken", "waiting", "applied", "attended")
    }


# --- activities -----------------------------------------------------------------------------------


def with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.annotate(
        taken=Count(
            "registrations", filter=Q(registrations__status__in=ActivityRegistration.HOLDING)
        ),
        waiting=Count("registrations", filter=Q(registrations__status=R.WAITING)),
        applied=Count("registrations", filter=Q(registrations__status=R.APPLIED)),
        attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


def activities_for_member(user, *, upcoming: bool = True) -> QuerySet[Activity]:
    """Published activities open to the member (upcoming first), or the past ones."""
    member = member_of(user)
    if member is None:
        return Activity.objects.none()
    mine = ActivityRegistration.objects.filter(user=user).values("activity_id")
    qs = Activity.objects.filter(state__in=SHOWN).filter(_audience_q(member) | Q(pk__in=mine))
    now = timezone.now()
    if upcoming:
        qs = qs.filter(ends_at__gte=now).exclude(state=S.cancelled).order_by("starts_at", "id")
    else:
        qs = qs.filter(Q(ends_at__lt=now) | Q(state=S.cancelled)).order_by("-starts_at", "-id")
    return with_counts(qs.select_related("org_unit", "club"))


def access_activity(user, activity_id) -> Activity:
    """An activity as a member sees it (published, in their audience or registered), or as
    one of its managers sees it."""
    pk = pk_of(activity_id)
    activity = with_counts(
        Activity.objects.filter(pk=pk).select_related("org_unit", "club")
    ).first()
    if activity is None:
        raise Http404
    if may_manage_activity(user, activity):
        return activity
    member = member_of(user)
    if member is None:
        if may_manage(user):
            raise Http404
        raise PermissionDenied
    if not activity.in_state(*SHOWN):
        raise Http404
    if not in_audience(activity, member) and not registration_of(user, activity):
        raise Http404
    return activity


def may_manage_activity(user, activity: Activity) -> bool:
    return has_perm(user, MANAGE_ACTIVITIES, unit=activity.org_unit)


# Held: published and not cancelled (a draft was never announced); the dashboard counts these,
# and the managers' list offers them as one choice of its state filter (`?state=held`).
HELD_STATES = ("published", "closed", "finished")
HELD = "held"


def managed_activities(
    user,
    *,
    state: str = "",
    q: str = "",
    unit_id: int | None = None,
    starts: DateRange | None = None,
) -> QuerySet[Activity]:
    """The activities the cadre manages; `state` a state or HELD, `unit_id` the organising
    unit's subtree, `starts` the days they start within (the dashboard's drill-down)."""
    if not may_manage(user):
        raise PermissionDenied(MANAGE_ACTIVITIES)
    qs = Activity.objects.filter(scope_q(user, MANAGE_ACTIVITIES)).select_related(
        "org_unit", "club"
    )
    if state == HELD:  # allow: state the list filter's "held", not a record's state
        qs = qs.filter(state__in=HELD_STATES)
    elif state in ACTIVITY.states:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(title__icontains=q[:50])
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if starts is not None:
        qs = starts.apply(qs, "starts_at")
    return with_counts(qs).order_by("-starts_at", "-id")


def access_managed_activity(user, activity_id) -> Activity:
    """An activity the cadre manages: 403 without the code, 404 outside their scope."""
    if not may_manage(user):
        raise PermissionDenied(MANAGE_ACTIVITIES)
    pk = pk_of(activity_id)
    activity = with_counts(
        Activity.objects.filter(pk=pk)
        .filter(scope_q(user, MANAGE_ACTIVITIES))
        .select_related("org_unit", "club")
    ).first()
    if activity is None:
        raise Http404
    return activity


def places_taken(activity: Activity) -> int:
    return activity.registrations.filter(status__in=ActivityRegistration.HOLDING).count()


def places_left(activity: Activity) -> int:
    taken = getattr(activity, "taken", None)
    if taken is None:
        taken = places_taken(activity)
    return max(0, activity.capacity - taken)


def registration_open(activity: Activity, now=None) -> bool:
    now = now or timezone.now()
    return activity.in_state(S.published) and activity.opens_at <= now < activity.closes_at


def can_draw(activity: Activity, now=None) -> bool:
    now = now or timezone.now()
    return (
        activity.draw
        and activity.drawn_at is None
        and activity.in_state(*RUNNING)
        and now >= activity.closes_at
    )


# --- registrations --------------------------------------------------------------------------------


def registration_of(user, activity: Activity) -> ActivityRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ActivityRegistration.objects.filter(activity=activity, user=user).first()


def my_registrations(user) -> QuerySet[ActivityRegistration]:
    if not getattr(user, "is_authenticated", False):
        return ActivityRegistration.objects.none()
    return (
        ActivityRegistration.objects.filter(user=user)
        .select_related("activity", "activity__org_unit")
        .order_by("-activity__starts_at", "-id")
    )


def access_my_registration(user, registration_id) -> ActivityRegistration:
    pk = pk_of(registration_id)
    if not is_member(user):
        raise PermissionDenied
    reg = my_registrations(user).filter(pk=pk).first()
    if reg is None:
        raise Http404
    return reg


def registrations_of(activity: Activity, *, status: str = "") -> QuerySet[ActivityRegistration]:
    """Everyone of an activity (for its managers): registered first, then the waiting list in
    order, then the rest."""
    qs = activity.registrations.select_related("member", "member__org_unit", "checked_in_by")
    if status in R.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "position", "registered_at", "id")


def attendance_of(activity: Activity) -> QuerySet[ActivityRegistration]:
    return (
        activity.registrations.filter(checked_in_at__isnull=False)
        .select_related("member", "member__org_unit")
        .order_by("checked_in_at", "id")
    )


def checkin_list(activity: Activity) -> QuerySet[ActivityRegistration]:
    return (
        activity.registrations.filter(status=R.REGISTERED)
        .select_related("member", "member__org_unit")
        .order_by("member__name", "id")
    )


def waiting_position(reg: ActivityRegistration) -> int | None:
    if reg.status != R.WAITING or reg.position is None:
        return None
    ahead = ActivityRegistration.objects.filter(
        activity_id=reg.activity_id, status=R.WAITING, position__lt=reg.position
    ).count()
    return ahead + 1


def open_offers(user) -> QuerySet[ActivityRegistration]:
    if not getattr(user, "is_authenticated", False):
        return ActivityRegistration.objects.none()
    return ActivityRegistration.objects.filter(
        user=user, status=R.OFFERED, offer_expires_at__gt=timezone.now()
    ).select_related("activity")


def manageable_units(user):
    """The open org units where the cadre may organise (pickers, ids in API bodies)."""
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(
        scope_q(user, MANAGE_ACTIVITIES, path_field="path"), closed_at__isnull=True
    ).order_by("path")


def photos_of(activity: Activity):
    """The activity's photos (core.attachments), oldest first."""
    from zhijia.core.attachments import attachments_for

    return attachments_for(activity)
