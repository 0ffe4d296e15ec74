"""PDF of the mediation agreement (调解协议书), rendered from its print page by WeasyPrint (the
approach of zhijia/congress/pdf.py). Chinese needs a CJK font on the machine (Debian:
fonts-wqy-microhei or fonts-noto-cjk); WeasyPrint embeds the subset used, so the PDF reads the
same on any computer. Without WeasyPrint or pango the print page remains and the PDF link
answers 503 with a plain message. The stylesheet is the static file cases/agreement.css, linked
by the print page and handed to WeasyPrint from the static files."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

STYLESHEET = "cases/agreement.css"


class PdfUnavailable(RuntimeError):  # noqa: N818 - a condition of the machine
    pass


def render_pdf_bytes(template: str, context: dict, request=None) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    html = render_to_string(template, {**context, "for_pdf": True}, request)
    path = finders.find(STYLESHEET)
    if not isinstance(path, str):
        raise LookupError(f"static file {STYLESHEET} not found")
    css = CSS(filename=path)
    return HTML(string=html).write_pdf(stylesheets=[css])  # no base_url: nothing is fetched


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
    response._csp_exempt = True  # type: ignore[attr-defined]  # the browser's PDF viewer page
    return response
