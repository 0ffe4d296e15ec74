"""Activation slips: one slip per member with a new slip code, printed several to an A4 page.

    batch = activation.issue_slip_codes(actor=cadre, members=members, unit=unit)
    html = slips_html(batch, request)            # the HTML the PDF is made from
    pdf = slips_pdf(batch, request)              # bytes (WeasyPrint + CJK font)

Each slip: name, 工号, unit, the code, its expiry date, a QR code of the activation page with
the 工号 filled in, and short instructions. The PDF is the only place the codes appear.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from zhijia.accounts.actions.activation import SlipBatch, format_slip_code
from zhijia.core.pdf import qr_svg, render_pdf_bytes

TEMPLATE = "accounts/activation_slips.html"
STYLESHEET = "accounts/slips.css"
SLIPS_PER_PAGE = 3
SLIP_MARKER = 'data-slip="1"'


def activation_url(request, employee_no: str) -> str:
    path = f"{reverse('accounts:activate')}?{urlencode({'u': employee_no})}"
    base = settings.ZHIJIA_SITE_URL.rstrip("/")
    if base:
        return base + path
    return request.build_absolute_uri(path) if request is not None else path


def _context(batch: SlipBatch, request) -> dict:
    slips = []
    for member, code, expires in batch.slips:
        url = activation_url(request, member.employee_no)
        slips.append(
            {
                "name": member.name,
                "employee_no": member.employee_no,
                "unit": member.org_unit.name,
                "code": format_slip_code(code),
                "expires": timezone.localtime(expires).date(),
                "url": url,
                "qr": qr_svg(url, scale=3),
            }
        )
    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return {
        "pages": pages,
        "count": len(slips),
        "days": settings.ZHIJIA_ACTIVATION_SLIP_DAYS,
        "activate_path": reverse("accounts:activate"),
    }


def slips_html(batch: SlipBatch, request=None) -> str:
    return render_to_string(TEMPLATE, {**_context(batch, request), "for_pdf": True})


def slips_pdf(batch: SlipBatch, request=None) -> bytes:
    return render_pdf_bytes(TEMPLATE, _context(batch, request), stylesheet=STYLESHEET)
