"""The roster upload page (cadres): upload, result or error table, error report, template.

When a valid file names departments or union units that the system lacks, nothing is written
and the page shows them with a confirm step: the upload is kept, encrypted, under the data
directory (zhijia.org.views.uploads: a folder per user, at most an hour) and imported again on
confirmation with exactly the listed ones allowed to be created (if the organisation changed
meanwhile and more would be created, the confirm step is shown again).

The import runs within the request: about 20–40 s for 100,000 rows on the 2-core machine
(bench/import_members.py), so a full enterprise roster fits in an ordinary request time-out;
`zhijia import-members FILE` does the same from the command line with progress output.
Error reports are kept for a day under the data directory's uploads (outside the web root),
in a folder per user, and served only to the user who uploaded the file.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhijia.core import excel
from zhijia.core.permissions import require
from zhijia.org.actions import roster_import as importer
from zhijia.org.views import uploads

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a 100,000-row .xlsx is about 6 MB
MAX_SHOWN_ERRORS = 500
REPORT_DIR = "import-reports"
REPORT_KEEP_SECONDS = 24 * 3600


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
    uploads.drop_old(f"{REPORT_DIR}/{user.pk}", REPORT_KEEP_SECONDS)  # this user's old reports
    token = secrets.token_urlsafe(18)
    default_storage.save(_report_name(user, token), ContentFile(importer.error_report_xlsx(errors)))
    return token


def _result_message(result: importer.ImportResult) -> str:
    text = _("导入成功：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.created_departments:
        text += _("；新建部门 %(n)d 个：%(names)s") % {
            "n": len(result.created_departments),
            "names": "、".join(result.created_departments),
        }
    if result.created_units:
        text += _("；新建工会小组 %(n)d 个：%(names)s") % {
            "n": len(result.created_units),
            "names": "、".join(result.created_units),
        }
    return text


@login_required
def import_members(request):
    require(request.user, "org.import_members")
    context: dict = {"columns": importer.COLUMNS}
    form = RosterUploadForm()
    if request.method == "POST" and "token" in request.POST:
        pending = uploads.take_pending(request.user, request.POST["token"], kind="roster")
        if request.POST.get("action") != "confirm":
            messages.info(request, _("已取消导入，未写入任何数据。"))
            return redirect("org:member-import")
        if pending is None:
            messages.error(request, _("待确认的导入已过期，请重新上传文件。"))
            return redirect("org:member-import")
        data, filename = pending["data"], pending["filename"]
        confirmable = frozenset(pending["confirmable"])
        outcome = _run_import(request, context, data, filename, confirmable)
        if outcome is not None:
            return outcome
    elif request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            outcome = _run_import(request, context, upload.read(), upload.name[:200], False)
            if outcome is not None:
                return outcome
    context["form"] = form
    return render(request, "org/import.html", context)


def _run_import(request, context: dict, data: bytes, filename: str, create_missing):
    """Import; a redirect on success, else None with the context filled for the page."""
    try:
        result = importer.import_roster(
            data, actor=request.user, filename=filename, create_missing=create_missing
        )
    except importer.ImportRejected as rejected:
        context.update(
            rejected=rejected,
            errors=rejected.errors[:MAX_SHOWN_ERRORS],
            more_errors=max(0, len(rejected.errors) - MAX_SHOWN_ERRORS),
            report_token=_save_report(request.user, rejected.errors),
            filename=filename,
            missing=rejected.missing,
        )
        return None
    except importer.MissingNotConfirmed as unconfirmed:
        context.update(
            confirm_token=uploads.keep_pending(
                request.user,
                data,
                filename,
                kind="roster",
                confirmable=[m.key for m in unconfirmed.missing],
            ),
            missing=unconfirmed.missing,
            filename=filename,
            changed_since=create_missing is not False,
        )
        return None
    messages.success(request, _result_message(result))
    return redirect("org:member-import")


@login_required
@require_GET
def import_template(request):
    require(request.user, "org.import_members")
    return excel.bytes_response(importer.template_xlsx(), _("花名册导入模板.xlsx"))


@login_required
@require_GET
def import_report(request, token: str):
    require(request.user, "org.import_members")
    name = _report_name(request.user, token)
    if not uploads.TOKEN.match(token) or not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as fh:
        return excel.bytes_response(fh.read(), _("花名册导入错误报告.xlsx"))
