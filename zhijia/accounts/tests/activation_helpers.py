"""Helpers of the activation tests: new members without passwords, and the SMS they receive."""

from __future__ import annotations

import datetime as dt
import re

from zhijia.core.models import Delivery, Notification
from zhijia.org.demo import demo_id_number
from zhijia.org.models import Member, OrgUnit

NEW_PASSWORD = "Qiao-mai-2026"  # passes the member rules (8+, not common, not personal)
START_URL = "/accounts/activate/"
CODE_URL = "/accounts/activate/code/"
PASSWORD_URL = "/accounts/activate/password/"
FORGOT_URL = "/accounts/password/forgot/"
REQUEST_API = "/api/v1/auth/activation/request"
CONFIRM_API = "/api/v1/auth/activation/confirm"


def new_member(
    actor,
    employee_no: str = "N0001",
    *,
    unit_code: str = "B1-G1",
    phone: str = "13812345678",
    serial: int = 901,
    name: str = "林小满",
) -> tuple[Member, str]:
    """A 在册 member created as a cadre would (its account has no usable password), and the
    member's ID number."""
    from zhijia.org.actions.members import do_create_member

    id_number = demo_id_number(serial, "F", dt.date(1995, 6, 18))
    member = do_create_member(
        actor=actor,
        org_unit=OrgUnit.objects.get(code=unit_code),
        employee_no=employee_no,
        name=name,
        gender="F",
        id_number=id_number,
        phone=phone,
    )
    member.refresh_from_db()
    return member, id_number


def sms_code(user) -> str:
    """The code of the latest SMS queued for `user`, as the SMS channel would carry it."""
    note = Notification.objects.filter(user=user, kind="accounts.activation_code").latest("pk")
    assert Delivery.objects.filter(notification=note).exists()
    return re.search(r"验证码 (\d{6})", note.body).group(1)


def post_json(client, url: str, payload: dict, **extra):
    return client.post(url, payload, content_type="application/json", **extra)


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated (WeasyPrint packs the objects
    into object streams), so its structure can be searched without a PDF library."""
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", _pdf_objects(pdf)))


def pdf_slip_numbers(pdf: bytes) -> list[str]:
    """The 工号 of each slip, from the PDF outline (one bookmark per slip)."""
    titles = re.findall(rb"/Title\s*\(([^)]*)\)", _pdf_objects(pdf))
    return [t.decode("latin-1") for t in titles]
