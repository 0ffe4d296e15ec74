"""Reads of the member e-card."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString

from zhijia.core import pdf
from zhijia.org import rules
from zhijia.org.models import Member, MemberCard

TOKEN_MIN_LENGTH = 20


def card_of(member: Member) -> MemberCard | None:
    return MemberCard.objects.filter(member=member).first()


@dataclass(frozen=True)
class CardFace:
    """What the card shows its holder."""

    name: str
    member_number: str
    unit: str
    join_date: object
    status: str
    status_label: str
    valid: bool
    verify_url: str


def verify_path(card: MemberCard) -> str:
    return reverse("org:card-verify", args=[card.token])


def absolute(request, path: str) -> str:
    """An absolute URL for the QR code: settings.ZHIJIA_SITE_URL when set (behind a proxy),
    else the request's own host."""
    site = settings.ZHIJIA_SITE_URL.rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def card_face(request, member: Member, card: MemberCard) -> CardFace:
    return CardFace(
        name=member.name,
        member_number=rules.member_number(member.pk),
        unit=member.org_unit.group_label(" · "),
        join_date=member.join_date,
        status=member.status,
        status_label=member.get_status_display(),
        valid=member.status == Member.Status.ACTIVE,
        verify_url=absolute(request, verify_path(card)),
    )


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG (no style attribute, no script: CSP-safe)."""
    return pdf.qr_svg(url, scale=4)


@dataclass(frozen=True)
class Verdict:
    """What a scan shows: never the 身份证号, the name masked."""

    valid: bool
    known: bool
    masked_name: str = ""
    unit: str = ""
    member_number: str = ""
    status_label: str = ""


def verify(token: str) -> Verdict:
    """The verdict for a scanned token: valid only for a known token of an 在册 member."""
    token = str(token or "")
    if len(token) < TOKEN_MIN_LENGTH or len(token) > 64:
        return Verdict(valid=False, known=False)
    card = MemberCard.objects.select_related(
        "member", "member__org_unit", "member__org_unit__parent"
    ).filter(token=token)
    found = card.first()
    if found is None:
        return Verdict(valid=False, known=False)
    member = found.member
    return Verdict(
        valid=member.status == Member.Status.ACTIVE,
        known=True,
        masked_name=rules.mask_name(member.name),
        unit=member.org_unit.group_label(" · "),
        member_number=rules.member_number(member.pk),
        status_label=member.get_status_display(),
    )
