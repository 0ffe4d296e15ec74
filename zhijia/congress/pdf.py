"""PDF documents of the congress (result sheet, resolution) and QR codes.

PDFs are rendered from the same HTML templates as their print pages, by WeasyPrint (which
uses the system's pango and fontconfig). Chinese text needs a CJK font installed on the
machine; the stylesheet asks for the common ones by name (Debian: fonts-wqy-microhei or
fonts-noto-cjk) and WeasyPrint embeds the subset it uses, so the PDF reads the same on any
computer.
"""

from __future__ import annotations

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Font families tried in order (fontconfig names). The first one present is embedded.
CJK_FONTS = (
    '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", '
    '"Source Han Sans SC", "Source Han Serif SC", "AR PL UMing CN", sans-serif'
)


class PdfUnavailable(RuntimeError):  # noqa: N818  (a condition of the machine, not a bug)
    """WeasyPrint or its system libraries are missing on this machine."""


def render_pdf_bytes(template: str, context: dict, request=None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template, {**context, "cjk_fonts": CJK_FONTS, "for_pdf": True}, request)
    # No base_url: the documents load nothing (no images, no remote fonts, no network).
    return HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict, filename: str, request=None) -> HttpResponse:
    try:
        data = render_pdf_bytes(template, context, request)
    except PdfUnavailable:
        return HttpResponse(
            _("本机缺少生成 PDF 所需的组件（WeasyPrint / pango），请使用打印版页面。"),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def qr_svg(text: str, *, scale: int = 6, title: str = "") -> SafeString:
    """An inline SVG QR code (error correction M, quiet zone of 2 modules)."""
    qr = segno.make(text, error="m")
    return mark_safe(qr.svg_inline(scale=scale, border=2, title=title or None))  # noqa: S308
