"""The roster upload page (cadres): upload, result or error table, error report, template.

The import runs within the request: about 20–40 s for 100,000 rows on the 2-core machine
(bench/import_members.py), so a full enterprise roster fits in an ordinary request time-out;
`zhijia import-members FILE` does the same from the command line with progress output.
Error reports are kept for a day under the data directory's uploads (outside the web root),
in a folder per user, and served only to the user who uploaded the file.
"""

from __future__ import annotations

import re
import secrets
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhijia.core.permissions import require
from zhijia.org import importer

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a 100,000-row .xlsx is about 6 MB
MAX_SHOWN_ERRORS = 500
REPORT_DIR = "import-reports"
REPORT_KEEP_SECONDS = 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码），第一张含表头的工作表"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件不能超过 %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _report_name(user, token: str) -> str:
    return f"{REPORT_DIR}/{user.pk}/{token}.xlsx"


def _save_report(user, errors: list[importer.RowError]) -> str:
    folder = f"{REPORT_DIR}/{user.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for name in files:  # drop this user's old reports
        path = f"{folder}/{name}"
        if time.time() - default_storage.get_modified_time(path).timestamp() > REPORT_KEEP_SECONDS:
            default_storage.delete(path)
    token = secrets.token_urlsafe(18)
    default_storage.save(_report_name(user, token), ContentFile(importer.error_report_xlsx(errors)))
    return token


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


@login_required
def import_members(request):
    require(request.user, "org.import_members")
    context: dict = {"columns": importer.COLUMNS}
    form = RosterUploadForm()
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = importer.import_roster(
                    upload, actor=request.user, filename=upload.name[:200]
                )
            except importer.ImportRejected as rejected:
                context.update(
                    rejected=rejected,
                    errors=rejected.errors[:MAX_SHOWN_ERRORS],
                    more_errors=max(0, len(rejected.errors) - MAX_SHOWN_ERRORS),
                    report_token=_save_report(request.user, rejected.errors),
                    filename=upload.name,
                )
            else:
                messages.success(
                    request,
                    _("导入成功：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d")
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("org:member-import")
    context["form"] = form
    return render(request, "org/import.html", context)


@login_required
@require_GET
def import_template(request):
    require(request.user, "org.import_members")
    return _xlsx_response(importer.template_xlsx(), _("花名册导入模板.xlsx"))


@login_required
@require_GET
def import_report(request, token: str):
    require(request.user, "org.import_members")
    name = _report_name(request.user, token)
    if not _TOKEN.match(token) or not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as fh:
        return _xlsx_response(fh.read(), _("花名册导入错误报告.xlsx"))
