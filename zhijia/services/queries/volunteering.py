"""Reads of volunteering and donation drives. Who sees what (404 for anything else):

projects, shifts       the members of the project's audience units (each unit with its
                       subtree) once recruiting or finished; cadres holding
                       services.manage_volunteering over the project's unit; its leader
a sign-up              its worker; the project's cadres and leader (hours entry)
the hours list         cadres, for the units of their scope
drives                 the members of the drive's audience units; the drive's cadres
the thank-you list     whoever sees the drive: names as each donor chose, amounts only when
                       the drive shows them
the donations list     the drive's cadres (full names, amounts, ledger references)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhijia.core.permissions import has_perm, scope_q, unit_prefixes
from zhijia.services import volunteering_rules as rules
from zhijia.services.models import (
    Donation,
    DonationDrive,
    VolunteerProject,
    VolunteerShift,
    VolunteerSignup,
)
from zhijia.services.permissions import MANAGE_VOLUNTEERING
from zhijia.services.queries.common import member_prefixes as _member_prefixes
from zhijia.services.queries.common import pk_or_404 as _pk
from zhijia.services.queries.counseling import is_member
from zhijia.services.workflows import DONATION_DRIVE, VOLUNTEER_PROJECT

UPCOMING_DAYS = 2  # the home to-do: a shift starting within this many days

__all__ = ["is_member"]


def may_manage(user) -> bool:
    """Holds services.manage_volunteering somewhere."""
    return has_perm(user, MANAGE_VOLUNTEERING)


def manages(user, record) -> bool:
    return has_perm(user, MANAGE_VOLUNTEERING, unit=record.org_unit)


def is_leader(user, project: VolunteerProject) -> bool:
    return project.leader_id is not None and project.leader_id == getattr(user, "pk", None)


def may_use_desk(user) -> bool:
    """The desk's pages: cadres of the code, and project leaders (their own projects)."""
    if may_manage(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and VolunteerProject.objects.filter(leader=user).exists()
    )


def may_read(user) -> bool:
    """The member pages: members, and the cadres and leaders who manage projects."""
    return is_member(user) or may_use_desk(user)


def in_audience(user, record) -> bool:
    """Whether the member's unit is within one of the record's audience units."""
    prefixes = _member_prefixes(user)
    return bool(prefixes) and record.audience_units.filter(path__in=prefixes).exists()


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


# --- projects -------------------------------------------------------------------------------------


def _audience_q(user) -> Q:
    prefixes = _member_prefixes(user)
    if not prefixes:
        return Q(pk__in=[])
    return Q(audience_units__path__in=prefixes)


def projects_for_worker(user) -> QuerySet[VolunteerProject]:
    """Recruiting projects open to the member, newest first."""
    ids = VolunteerProject.objects.filter(
        _audience_q(user), state=VOLUNTEER_PROJECT.states.recruiting
    ).values("pk")
    return VolunteerProject.objects.filter(pk__in=ids).select_related("org_unit", "leader")


def access_project(user, project_id) -> VolunteerProject:
    """A project as a member reads it (audience, not a draft), or its cadre or leader."""
    project = (
        VolunteerProject.objects.filter(pk=_pk(project_id))
        .select_related("org_unit", "leader")
        .first()
    )
    if project is None:
        raise Http404
    if manages(user, project) or is_leader(user, project):
        return project
    if (
        project.in_state("draft")
        or not project.audience_units.filter(path__in=_member_prefixes(user)).exists()
    ):
        raise Http404
    return project


def managed_projects(user) -> QuerySet[VolunteerProject]:
    if not getattr(user, "is_authenticated", False):
        return VolunteerProject.objects.none()
    return VolunteerProject.objects.filter(
        scope_q(user, MANAGE_VOLUNTEERING) | Q(leader=user)
    ).select_related("org_unit", "leader")


def access_managed_project(user, project_id) -> VolunteerProject:
    project = managed_projects(user).filter(pk=_pk(project_id)).first()
    if project is None:
        raise Http404
    return project


def shifts_of(project: VolunteerProject) -> QuerySet[VolunteerShift]:
    return project.shifts.annotate(
        taken=Count("signups", filter=Q(signups__status=VolunteerSignup.Status.SIGNED_UP))
    ).order_by("starts_at", "id")


def places_left(shift: VolunteerShift) -> int:
    taken = getattr(shift, "taken", None)
    if taken is None:
        taken = shift.signups.filter(status=VolunteerSignup.Status.SIGNED_UP).count()
    return max(0, shift.places - taken)


def access_shift_for_worker(user, shift_id) -> VolunteerShift:
    shift = VolunteerShift.objects.filter(pk=_pk(shift_id)).select_related("project").first()
    if shift is None:
        raise Http404
    access_project(user, shift.project_id)
    return shift


def access_managed_shift(user, shift_id) -> VolunteerShift:
    shift = (
        VolunteerShift.objects.filter(
            pk=_pk(shift_id), project__in=managed_projects(user).values("pk")
        )
        .select_related("project", "project__org_unit")
        .first()
    )
    if shift is None:
        raise Http404
    return shift


def active_signup(user, shift: VolunteerShift) -> VolunteerSignup | None:
    return VolunteerSignup.objects.filter(
        shift=shift, worker=user, status=VolunteerSignup.Status.SIGNED_UP
    ).first()


def my_signups(user) -> QuerySet[VolunteerSignup]:
    if not getattr(user, "is_authenticated", False):
        return VolunteerSignup.objects.none()
    return (
        VolunteerSignup.objects.filter(worker=user)
        .select_related("shift", "shift__project")
        .order_by("-shift__starts_at", "-id")
    )


def access_own_signup(user, signup_id) -> VolunteerSignup:
    signup = my_signups(user).filter(pk=_pk(signup_id)).first()
    if signup is None:
        raise Http404
    return signup


def access_managed_signup(user, signup_id) -> VolunteerSignup:
    signup = (
        VolunteerSignup.objects.filter(
            pk=_pk(signup_id), shift__project__in=managed_projects(user).values("pk")
        )
        .select_related("shift", "shift__project", "worker")
        .first()
    )
    if signup is None:
        raise Http404
    return signup


def signups_of(shift: VolunteerShift) -> QuerySet[VolunteerSignup]:
    return (
        shift.signups.filter(status=VolunteerSignup.Status.SIGNED_UP)
        .select_related("worker", "worker__member_record")
        .order_by("signed_up_at", "id")
    )


def can_withdraw(signup: VolunteerSignup, now: dt.datetime | None = None) -> bool:
    return signup.status == VolunteerSignup.Status.SIGNED_UP and signup.shift.starts_at > (
        now or timezone.now()
    )


def default_hours(shift: VolunteerShift) -> Decimal:
    return rules.shift_hours(shift.starts_at, shift.ends_at)


def upcoming_signups(user, now: dt.datetime | None = None) -> QuerySet[VolunteerSignup]:
    """The member's sign-ups for shifts starting within UPCOMING_DAYS (the home to-do)."""
    now = now or timezone.now()
    return my_signups(user).filter(
        status=VolunteerSignup.Status.SIGNED_UP,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + dt.timedelta(days=UPCOMING_DAYS),
        shift__project__state=VOLUNTEER_PROJECT.states.recruiting,
    )


# --- hours ----------------------------------------------------------------------------------------


def _confirmed_in(year: int) -> Q:
    start, end = year_range(year)
    return Q(
        status=VolunteerSignup.Status.SIGNED_UP,
        hours_status=VolunteerSignup.Hours.CONFIRMED,
        shift__starts_at__gte=start,
        shift__starts_at__lt=end,
    )


def yearly_hours(user, year: int) -> Decimal:
    """The member's confirmed hours of shifts in `year` (pending ones excluded)."""
    total = VolunteerSignup.objects.filter(_confirmed_in(year), worker=user).aggregate(
        total=Sum("hours")
    )["total"]
    return Decimal(total or 0).quantize(Decimal("0.1"))


def signed_up_in(user, year: int) -> bool:
    """Whether the member signed up (and did not withdraw) for a shift of `year`."""
    start, end = year_range(year)
    return VolunteerSignup.objects.filter(
        worker=user,
        status=VolunteerSignup.Status.SIGNED_UP,
        shift__starts_at__gte=start,
        shift__starts_at__lt=end,
    ).exists()


def pending_hours(user, year: int) -> Decimal:
    start, end = year_range(year)
    total = VolunteerSignup.objects.filter(
        worker=user,
        status=VolunteerSignup.Status.SIGNED_UP,
        hours_status=VolunteerSignup.Hours.PENDING,
        shift__starts_at__gte=start,
        shift__starts_at__lt=end,
    ).aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.1"))


def hours_units(user) -> list:
    """The units a cadre may list hours for (tree order)."""
    from zhijia.core.hooks import directory

    return directory().units_visible_to(user, MANAGE_VOLUNTEERING)


def yearly_hours_list(user, year: int, unit=None) -> QuerySet:
    """Per worker of the cadre's scope (or of `unit`'s subtree within it): confirmed hours and
    shifts in `year`, most hours first. Rows are dicts."""
    qs = VolunteerSignup.objects.filter(
        _confirmed_in(year),
        scope_q(user, MANAGE_VOLUNTEERING, path_field="worker__member_record__org_unit__path"),
    )
    if unit is not None:
        qs = qs.filter(worker__member_record__org_unit__path__startswith=unit.path)
    return (
        qs.values(
            "worker_id",
            "worker__member_record__name",
            "worker__member_record__employee_no",
            "worker__member_record__org_unit__name",
        )
        .annotate(total=Sum("hours"), shifts=Count("id"))
        .order_by("-total", "worker__member_record__employee_no")
    )


def may_list_hours(user) -> bool:
    return bool(unit_prefixes(user, MANAGE_VOLUNTEERING))


# --- drives ---------------------------------------------------------------------------------------


def drives_for_worker(user) -> QuerySet[DonationDrive]:
    """Open drives of the member's audience units."""
    ids = DonationDrive.objects.filter(_audience_q(user), state=DONATION_DRIVE.states.open).values(
        "pk"
    )
    return DonationDrive.objects.filter(pk__in=ids).select_related("org_unit")


def access_drive(user, drive_id) -> DonationDrive:
    drive = DonationDrive.objects.filter(pk=_pk(drive_id)).select_related("org_unit").first()
    if drive is None:
        raise Http404
    if manages(user, drive):
        return drive
    if not drive.audience_units.filter(path__in=_member_prefixes(user)).exists():
        raise Http404
    return drive


def managed_drives(user) -> QuerySet[DonationDrive]:
    return DonationDrive.objects.filter(scope_q(user, MANAGE_VOLUNTEERING)).select_related(
        "org_unit"
    )


def access_managed_drive(user, drive_id) -> DonationDrive:
    drive = managed_drives(user).filter(pk=_pk(drive_id)).first()
    if drive is None:
        raise Http404
    return drive


def access_managed_donation(user, donation_id) -> Donation:
    donation = (
        Donation.objects.filter(pk=_pk(donation_id), drive__in=managed_drives(user).values("pk"))
        .select_related("drive", "drive__org_unit", "donor")
        .first()
    )
    if donation is None:
        raise Http404
    return donation


def is_open_for_donations(drive: DonationDrive, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return drive.in_state("open") and drive.starts_on <= today <= drive.ends_on


def donations_of(drive: DonationDrive) -> QuerySet[Donation]:
    return drive.donations.select_related("donor", "recorded_by").order_by("-donated_on", "-id")


def my_donations(user, drive: DonationDrive) -> QuerySet[Donation]:
    return drive.donations.filter(donor=user).order_by("-donated_on", "-id")


def donations_by(user) -> QuerySet[Donation]:
    """Every donation the person made or pledged (her personal data)."""
    if not getattr(user, "is_authenticated", False):
        return Donation.objects.none()
    return Donation.objects.filter(donor=user).select_related("drive").order_by("-donated_on")


def raised(drive: DonationDrive) -> Decimal:
    """Money received (booked in the ledger)."""
    total = drive.donations.filter(
        kind=Donation.Kind.MONEY, status=Donation.Status.RECEIVED
    ).aggregate(total=Sum("amount"))["total"]
    # SQLite sums to 788, PostgreSQL to 788.00: one shape for pages, exports and the API.
    return Decimal(total or 0).quantize(Decimal("0.01"))


def goods_received(drive: DonationDrive) -> int:
    return drive.donations.filter(kind=Donation.Kind.GOODS, status=Donation.Status.RECEIVED).count()


def thank_you_list(drive: DonationDrive) -> list[rules.ThankYouLine]:
    """The public list: received donations, each donor as they chose."""
    facts = [
        rules.DonationFact(
            donor_key=f"u:{d.donor_id}" if d.donor_id else f"n:{d.donor_name}",
            name=d.donor_name,
            display=d.display,
            amount=d.amount,
            goods=d.goods,
        )
        for d in drive.donations.filter(status=Donation.Status.RECEIVED).order_by("id")
    ]
    return rules.thank_you(facts)


def member_user(user, employee_no: str):
    """The account of the 在册 member with this 工号 within the cadre's scope, or None."""
    from zhijia.org.models import Member

    employee_no = (employee_no or "").strip()
    if not employee_no:
        return None
    member = (
        Member.objects.filter(
            scope_q(user, MANAGE_VOLUNTEERING),
            employee_no=employee_no,
            status=Member.Status.ACTIVE,
            user__isnull=False,
        )
        .select_related("user")
        .first()
    )
    return member.user if member is not None else None


def scope_units(user) -> QuerySet:
    """The units of the cadre's scope as a queryset (ids named in an API body)."""
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.filter(pk__in=[u.pk for u in hours_units(user)])


def drive_units(user) -> list:
    return hours_units(user)
