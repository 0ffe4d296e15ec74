"""Writes of the member e-card: issue the verification token, renew it."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from zhijia.core.audit import record
from zhijia.core.permissions import has_perm
from zhijia.org.models import Member, MemberCard


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits


def ensure_member_card(member: Member) -> MemberCard:
    """The member's card, issued on first use (idempotent, safe under concurrent views)."""
    card = MemberCard.objects.filter(member=member).first()
    if card is not None:
        return card
    try:
        with transaction.atomic():
            return MemberCard.objects.create(member=member, token=_new_token())
    except IntegrityError:
        return MemberCard.objects.get(member=member)


@transaction.atomic
def do_renew_member_card(*, actor, member: Member) -> MemberCard:
    """A new token: the QR codes shown or shared before stop verifying. The member renews
    their own card; a cadre holding org.change_member over the member's unit may too."""
    own = member.user_id is not None and member.user_id == getattr(actor, "pk", None)
    if not own and not has_perm(actor, "org.change_member", unit=member.org_unit):
        raise PermissionDenied("org.change_member")
    card = ensure_member_card(member)
    card = MemberCard.objects.select_for_update().get(pk=card.pk)
    card.token = _new_token()
    card.save(update_fields=["token", "issued_at"])
    record(
        actor=actor,
        action="org.renew_member_card",
        target=member,
        unit=member.org_unit,
        data={"by_member": own},
    )
    return card
