"""Reads of the hardship registry. Only cadres holding assistance.view_hardship over the
member's unit see a file; anybody else gets 403 (holds the code nowhere) or 404 (out of scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhijia.assistance import permissions as perms
from zhijia.assistance import rules
from zhijia.assistance.models import HardshipFile, HardshipReview, HouseholdMember, RigidExpense
from zhijia.assistance.queries.common import eligibility_config_for, parse_id, scope_path_q
from zhijia.core.permissions import has_perm
from zhijia.org.models import Member
from zhijia.org.queries.members import members_in_scope

MEMBER_PATH = "member__org_unit__path"


def files_visible_to(user) -> QuerySet[HardshipFile]:
    return HardshipFile.objects.filter(
        scope_path_q(user, perms.VIEW_HARDSHIP, MEMBER_PATH)
    ).select_related("member", "member__org_unit")


def access_file(user, file_id: Any) -> HardshipFile:
    if not has_perm(user, perms.VIEW_HARDSHIP):
        raise PermissionDenied(perms.VIEW_HARDSHIP)
    pk = parse_id(file_id)
    found = files_visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404
    return found


def can_manage_file(user, file: HardshipFile) -> bool:
    return has_perm(user, perms.MANAGE_HARDSHIP, unit=file.member.org_unit)


@dataclass(frozen=True)
class FileFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    due: bool = False


def list_files_for_user(user, f: FileFilters) -> QuerySet[HardshipFile]:
    qs = files_visible_to(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category == "none":
        qs = qs.filter(category="")
    elif f.category:
        qs = qs.filter(category=f.category)
    if f.q:
        term = f.q.strip()
        qs = qs.filter(Q(member__name__contains=term) | Q(member__employee_no__startswith=term))
    if f.due:
        qs = qs.filter(
            status=HardshipFile.Status.ACTIVE,
            next_review_on__lte=timezone.localdate()
            + dt.timedelta(days=rules.REVIEW_DUE_WITHIN_DAYS),
        )
    return qs.order_by("-created_at", "-id")


def files_due_for_review(user, today: dt.date | None = None) -> QuerySet[HardshipFile]:
    """Active files whose yearly review is overdue or falls within the coming month."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=rules.REVIEW_DUE_WITHIN_DAYS)
    return (
        files_visible_to(user)
        .filter(status=HardshipFile.Status.ACTIVE, next_review_on__lte=horizon)
        .order_by("next_review_on", "id")
    )


def files_needing_review_reminder(today: dt.date) -> QuerySet[HardshipFile]:
    """Active files due for review within a month whose cadres were not reminded of this date."""
    horizon = today + dt.timedelta(days=rules.REVIEW_DUE_WITHIN_DAYS)
    return (
        HardshipFile.objects.filter(status=HardshipFile.Status.ACTIVE, next_review_on__lte=horizon)
        .exclude(review_reminded_for=F("next_review_on"))
        .select_related("member", "member__org_unit")
        .order_by("id")
    )


def household_of(file: HardshipFile) -> QuerySet[HouseholdMember]:
    return file.household.all()


def expenses_of(file: HardshipFile) -> QuerySet[RigidExpense]:
    return file.expenses.all()


def reviews_of(file: HardshipFile) -> QuerySet[HardshipReview]:
    return file.reviews.select_related("reviewer")


def household_of_file(file: HardshipFile) -> rules.Household:
    """The calculator's input from the file's current rows."""
    members = list(file.household.all()) if file.pk else []
    spending = (
        file.expenses.aggregate(total=Sum("monthly_amount"))["total"] if file.pk else None
    ) or Decimal("0")
    income = (
        file.applicant_monthly_income
        + file.other_monthly_income
        + sum((m.monthly_income for m in members), Decimal("0"))
    )
    return rules.Household(
        size=1 + len(members),
        monthly_income=income,
        monthly_rigid_spending=spending,
        accident_loss=file.accident_loss,
    )


def assess_file(file: HardshipFile) -> rules.Assessment:
    return rules.assess(household_of_file(file), eligibility_config_for(file.member.org_unit))


def members_for_filing(user) -> QuerySet[Member]:
    """Members a cadre may open a file for."""
    return members_in_scope(user, perms.MANAGE_HARDSHIP).filter(status=Member.Status.ACTIVE)


def active_file_of(member: Member) -> HardshipFile | None:
    return HardshipFile.objects.filter(member=member, status=HardshipFile.Status.ACTIVE).first()


def files_to_purge(today: dt.date) -> QuerySet[HardshipFile]:
    """Files that left hardship more than the retention period ago (the purge job's list)."""
    return HardshipFile.objects.filter(
        status=HardshipFile.Status.EXITED, purge_after__isnull=False, purge_after__lte=today
    ).order_by("id")


def registry_counts(user) -> dict[str, int]:
    qs = files_visible_to(user).filter(status=HardshipFile.Status.ACTIVE)
    counts = {c: 0 for c in (rules.DEEP, rules.RELATIVE, rules.ACCIDENT, rules.NONE)}
    for row in qs.order_by().values("category").annotate(n=Count("id")):
        counts[row["category"]] = row["n"]
    return counts
