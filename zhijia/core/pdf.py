"""The one PDF renderer, and QR codes: every module's PDFs go through here.

    data = render_pdf_bytes("congress/session_results_sheet.html", context,
                            stylesheet="congress/print.css")
    return pdf_response(template, context, "决议.pdf", request, stylesheet="cases/agreement.css")
    svg = qr_svg(url, scale=4)

PDFs are rendered from HTML templates by WeasyPrint (which uses the system's pango and
fontconfig). Chinese text needs a CJK font installed on the machine; each stylesheet asks for
the common ones by name (Debian: fonts-wqy-microhei or fonts-noto-cjk) and WeasyPrint embeds the
subset it uses, so the PDF reads the same on any computer.

The stylesheet is a static file: a print page that is also served to browsers links it (the
Content-Security-Policy allows no inline <style>), and WeasyPrint gets it from the static files
directly, so a PDF loads nothing over the network. Templates see `for_pdf` = True when they are
rendered for a PDF.

PDF answers are downloads (Content-Disposition: attachment): following a link to one never
replaces the app's page with the browser's PDF viewer (issue 10). A page that wants a PDF shown
inline asks for `attachment=False` and opens the link in a new tab.
"""

from __future__ import annotations

import segno
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


class PdfUnavailable(RuntimeError):  # noqa: N818  (a condition of the machine, not a bug)
    """WeasyPrint or its system libraries are missing on this machine."""


def stylesheet_path(name: str) -> str:
    """The file of a static stylesheet, for WeasyPrint (found where collectstatic finds it)."""
    path = finders.find(name)
    if not isinstance(path, str):
        raise LookupError(f"static file {name} not found")
    return path


def render_pdf_bytes(template: str, context: dict, request=None, *, stylesheet: str) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template, {**context, "for_pdf": True}, request)
    # No base_url: the documents load nothing (no images, no remote fonts, no network).
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet_path(stylesheet))])


def unavailable_response() -> HttpResponse:
    return HttpResponse(
        _("本机缺少生成 PDF 所需的组件（WeasyPrint / pango），请使用打印版页面。"),
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def pdf_bytes_response(data: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    """The PDF as a download (`attachment`, the default): a link to a PDF never replaces the
    app's page with the browser's viewer, on a phone (which downloads PDFs anyway) or a desk.
    The file name may be Chinese (RFC 6266/5987: an ASCII fallback and the UTF-8 name)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, filename) or ""
    # No Content-Security-Policy: a browser that shows the PDF does so in a viewer page of its
    # own, which the site's policy (no inline styles, no plugins) would leave blank.
    response._csp_exempt = True  # type: ignore[attr-defined]
    return response


def pdf_response(
    template: str,
    context: dict,
    filename: str,
    request=None,
    *,
    stylesheet: str,
    attachment: bool = True,
) -> HttpResponse:
    """Render and answer a PDF, downloaded (see pdf_bytes_response); `attachment=False` shows
    it inline instead, for a link that itself opens in a new tab."""
    try:
        data = render_pdf_bytes(template, context, request, stylesheet=stylesheet)
    except PdfUnavailable:
        return unavailable_response()
    return pdf_bytes_response(data, filename, attachment=attachment)


def qr_svg(text: str, *, scale: int = 6, title: str = "") -> SafeString:
    """An inline SVG QR code (error correction M, quiet zone of 2 modules)."""
    qr = segno.make(text, error="m")
    return mark_safe(qr.svg_inline(scale=scale, border=2, title=title or None))  # noqa: S308
