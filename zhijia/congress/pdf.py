"""PDF documents of the congress (result sheet, resolution) and QR codes.

PDFs are rendered from the same HTML templates as their print pages, by WeasyPrint (which
uses the system's pango and fontconfig). Chinese text needs a CJK font installed on the
machine; the stylesheet asks for the common ones by name (Debian: fonts-wqy-microhei or
fonts-noto-cjk) and WeasyPrint embeds the subset it uses, so the PDF reads the same on any
computer.

The stylesheet is a static file, congress/print.css: the print page links it (the
Content-Security-Policy allows no inline <style>) and WeasyPrint gets it from the static files
directly, so the PDF loads nothing over the network.
"""

from __future__ import annotations

import segno
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# The print pages' stylesheet (it names the CJK fonts: the first one present is embedded).
STYLESHEET = "congress/print.css"


class PdfUnavailable(RuntimeError):  # noqa: N818  (a condition of the machine, not a bug)
    """WeasyPrint or its system libraries are missing on this machine."""


def stylesheet_path(name: str) -> str:
    """The file of a static stylesheet, for WeasyPrint (found where collectstatic finds it)."""
    path = finders.find(name)
    if not isinstance(path, str):
        raise LookupError(f"static file {name} not found")
    return path


def render_pdf_bytes(
    template: str, context: dict, request=None, *, stylesheet: str = STYLESHEET
) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template, {**context, "for_pdf": True}, request)
    # No base_url: the documents load nothing (no images, no remote fonts, no network); the
    # stylesheet comes from the static files (the template links it only on the print page).
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet_path(stylesheet))])


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
    # No Content-Security-Policy: the browser shows the PDF in a viewer page of its own, which
    # the site's policy (no inline styles, no plugins) would leave blank.
    response._csp_exempt = True  # type: ignore[attr-defined]
    return response


def qr_svg(text: str, *, scale: int = 6, title: str = "") -> SafeString:
    """An inline SVG QR code (error correction M, quiet zone of 2 modules)."""
    qr = segno.make(text, error="m")
    return mark_safe(qr.svg_inline(scale=scale, border=2, title=title or None))  # noqa: S308
