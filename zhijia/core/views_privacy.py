"""The person's own page of personal information: who read her sensitive records, and the
download of everything zhijia holds about her (zhijia.core.privacy)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhijia.core import audit, hooks, privacy
from zhijia.core.excel import xlsx_response
from zhijia.core.pagination import paginate

PAGE_SIZE = 30


@require_GET
@login_required
def my_privacy(request):
    member_id = hooks.directory().member_id_of(request.user)
    page = None
    if member_id is not None:
        page = paginate(request, privacy.reads_of(member_id), PAGE_SIZE)
        page.items = privacy.describe_reads(page.items)
    return render(
        request,
        "core/my_privacy.html",
        {"title": _("我的个人信息"), "page": page, "has_member": member_id is not None},
    )


@require_GET
@login_required
def my_data(request):
    """Everything zhijia holds about the signed-in person, as one workbook; the download is an
    audit event (it is the person's own data, but it leaves the system)."""
    sheets = privacy.personal_data_for(request.user)
    response = xlsx_response(_("我的数据.xlsx"), *sheets, stamp=True)
    audit.record(
        actor=request.user,
        action="privacy.download_own_data",
        target=request.user,
        data={"sheets": len(sheets), "rows": sum(s.written for s in sheets)},
    )
    return response
