"""Writes of interest groups (协会/兴趣小组): cadres create them; members ask to join; a
leader of the group or a cadre over its unit approves or rejects; members leave."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm
from zhijia.services.actions.common import text_field
from zhijia.services.models import Club, ClubMembership
from zhijia.services.permissions import MANAGE_ACTIVITIES
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries

M = ClubMembership.Status

__all__ = [
    "ClubError",
    "do_create_club",
    "do_decide_club_request",
    "do_leave_club",
    "do_request_club_join",
    "do_set_club_leader",
]


class ClubError(ActionRefused):
    """A refused write on an interest group."""


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=ClubError)


@transaction.atomic
def do_create_club(*, actor, name: str, description: str, org_unit) -> Club:
    if org_unit is None:
        raise ClubError(_("请选择所属工会"), field="org_unit")
    if not has_perm(actor, MANAGE_ACTIVITIES, unit=org_unit):
        raise PermissionDenied(MANAGE_ACTIVITIES)
    club = Club.objects.create(
        name=_text(name, "name", _("名称"), 100),
        description=_text(description, "description", _("简介"), 2000, required=False),
        org_unit=org_unit,
    )
    record(actor=actor, action="services.create_club", target=club, unit=org_unit)
    return club


@transaction.atomic
def do_request_club_join(*, actor, club: Club, note: str = "") -> ClubMembership:
    """A member of a unit under the club's asks to join (again after leaving or a refusal)."""
    member = queries.member_of(actor)
    if member is None:
        raise PermissionDenied
    club = Club.objects.select_for_update(of=("self",)).get(pk=club.pk)
    if not club.is_active:
        raise ClubError(_("该兴趣小组已停止活动"), status=409)
    if not member.org_unit.path.startswith(club.org_unit.path):
        raise ClubError(
            _("该兴趣小组只面向%(unit)s的会员") % {"unit": club.org_unit.name}, status=403
        )
    row = ClubMembership.objects.filter(club=club, member=member).first()
    if row is not None and row.status in (M.REQUESTED, M.MEMBER):
        raise ClubError(
            _("您已是该小组成员") if row.status == M.MEMBER else _("您的申请正在审核中"),
            status=409,
        )
    row = row or ClubMembership(club=club, member=member)
    row.status = M.REQUESTED
    row.is_leader = False
    row.note = _text(note, "note", _("申请说明"), 200, required=False)
    row.requested_at = timezone.now()
    row.decided_at = None
    row.decided_by = None
    row.save()
    record(actor=actor, action="services.request_club_join", target=row, unit=club.org_unit)
    leaders = [
        m.member.user
        for m in ClubMembership.objects.filter(club=club, status=M.MEMBER, is_leader=True)
        .select_related("member__user")
        .order_by("pk")
        if m.member.user is not None
    ]
    if leaders:
        notify(
            recipients=leaders,
            kind="services.club_request",
            title=_("兴趣小组有新的入会申请"),
            body=_("%(name)s 申请加入“%(club)s”。") % {"name": member.name, "club": club.name},
            url=reverse("services:clubs-manage-detail", args=[club.pk]),
        )
    return row


def _require_club_manager(actor, club: Club) -> None:
    if not club_queries.may_manage_club(actor, club):
        raise PermissionDenied(MANAGE_ACTIVITIES)


@transaction.atomic
def do_decide_club_request(*, actor, membership: ClubMembership, approve: bool) -> ClubMembership:
    row = (
        ClubMembership.objects.select_for_update(of=("self",))
        .select_related("club", "member")
        .get(pk=membership.pk)
    )
    _require_club_manager(actor, row.club)
    if row.status != M.REQUESTED:
        raise ClubError(_("该申请已处理"), status=409)
    row.status = M.MEMBER if approve else M.REJECTED
    row.decided_at = timezone.now()
    row.decided_by = actor
    row.save(update_fields=["status", "decided_at", "decided_by"])
    record(
        actor=actor,
        action="services.decide_club_request",
        target=row,
        data={"approve": approve},
    )
    if row.member.user_id:
        notify(
            recipients=[row.member.user],
            kind="services.club_decided",
            title=_("入会申请已通过") if approve else _("入会申请未通过"),
            body=(_("您已加入“%(club)s”。") if approve else _("您加入“%(club)s”的申请未通过。"))
            % {"club": row.club.name},
            url=reverse("services:clubs-detail", args=[row.club_id]),
        )
    return row


@transaction.atomic
def do_leave_club(*, actor, club: Club) -> ClubMembership:
    member = queries.member_of(actor)
    if member is None:
        raise PermissionDenied
    row = (
        ClubMembership.objects.select_for_update(of=("self",))
        .filter(club=club, member=member, status__in=(M.MEMBER, M.REQUESTED))
        .first()
    )
    if row is None:
        raise ClubError(_("您不是该小组成员"), status=409)
    row.status = M.LEFT
    row.is_leader = False
    row.save(update_fields=["status", "is_leader"])
    record(actor=actor, action="services.leave_club", target=row)
    return row


@transaction.atomic
def do_set_club_leader(*, actor, membership: ClubMembership, leader: bool) -> ClubMembership:
    """A cadre over the club's unit names or removes a leader (a member of the group)."""
    row = (
        ClubMembership.objects.select_for_update(of=("self",))
        .select_related("club")
        .get(pk=membership.pk)
    )
    if not has_perm(actor, MANAGE_ACTIVITIES, unit=row.club.org_unit):
        raise PermissionDenied(MANAGE_ACTIVITIES)
    if row.status != M.MEMBER:
        raise ClubError(_("只有小组成员可以担任负责人"), status=409)
    row.is_leader = leader
    row.save(update_fields=["is_leader"])
    record(actor=actor, action="services.set_club_leader", target=row, data={"leader": leader})
    return row
