"""Cadre pages of activation: who has activated, resend SMS codes, print activation slips.

Permission accounts.manage_activation over the cadre's unit subtree: 403 for users who hold it
nowhere, 404 for a unit outside the scope.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhijia.accounts import slips as slip_sheets
from zhijia.accounts.actions import activation
from zhijia.accounts.queries import activation as queries_activation
from zhijia.accounts.queries import signin as queries
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import paginate
from zhijia.core.pdf import PdfUnavailable, pdf_bytes_response, unavailable_response
from zhijia.core.permissions import require

PAGE_SIZE = 100
# One PDF or one SMS batch at a time stays printable and affordable: larger units go by group.
MAX_BATCH = 1000


def _unit(request, source) -> Any:
    unit_id = source.get("unit")
    return queries_activation.activation_unit(request.user, unit_id) if unit_id else None


def _too_many(count: int) -> str:
    return _("一次最多处理 %(max)d 人（当前 %(n)d 人），请选择工会小组分批操作。") % {
        "max": MAX_BATCH,
        "n": count,
    }


def _list_url(unit) -> str:
    url = reverse("accounts:activation-manage")
    return f"{url}?unit={unit.pk}" if unit is not None else url


@never_cache
@login_required
def activation_list(request):
    """Members in scope with activated yes/no, last sign-in and the open code; counts per unit."""
    require(request.user, queries.MANAGE_ACTIVATION)
    unit = _unit(request, request.GET)
    state = request.GET.get("state", "")
    state = state if state in {"yes", "no"} else ""
    units = queries_activation.activation_units(request.user)
    page = paginate(
        request,
        queries_activation.activation_members(request.user, unit=unit, state=state),
        PAGE_SIZE,
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "title": _("账号激活"),
        "units": units,
        "unit": unit,
        "state": state,
        "page": page,
        "members": page.items,
        "counts": queries_activation.activation_counts(request.user, units),
        "querystring": params.urlencode(),
    }
    return render(request, "accounts/activation_manage.html", context)


@require_POST
@login_required
def resend_sms(request):
    """SMS codes for the selected members (or all not yet activated in the unit)."""
    require(request.user, queries.MANAGE_ACTIVATION)
    unit = _unit(request, request.POST)
    ids = queries_activation.parse_ids(request.POST.getlist("ids"))
    if not ids and unit is None:
        messages.error(request, _("请先勾选会员或选择一个工会。"))
        return redirect(_list_url(unit))
    members = queries_activation.members_for_activation(request.user, ids, unit=unit)
    if len(members) > MAX_BATCH:
        messages.error(request, _too_many(len(members)))
        return redirect(_list_url(unit))
    try:
        result = activation.do_resend_activation_sms(actor=request.user, members=members)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(_list_url(unit))
    messages.success(request, _("已发送 %(n)d 条短信验证码。") % {"n": result.sent})
    if result.already_active:
        messages.info(
            request,
            _("%(n)d 人已激活，未发送（忘记密码可在登录页自行找回）。")
            % {"n": len(result.already_active)},
        )
    if result.no_phone:
        names = "、".join(m.name for m in result.no_phone[:20])
        messages.warning(
            request,
            _("%(n)d 人没有登记手机号，请为他们打印激活单：%(names)s")
            % {"n": len(result.no_phone), "names": names},
        )
    return redirect(_list_url(unit))


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def slips(request):
    """GET: what will be printed (and who is skipped); POST: issue the codes, the PDF."""
    require(request.user, queries.MANAGE_ACTIVATION)
    source = request.POST if request.method == "POST" else request.GET
    unit = _unit(request, source)
    ids = queries_activation.parse_ids(source.getlist("ids"))
    if not ids and unit is None:
        messages.error(request, _("请先勾选会员或选择一个工会。"))
        return redirect(_list_url(unit))
    members = queries_activation.members_for_activation(request.user, ids, unit=unit)
    if ids and len(members) != len(set(ids)):
        raise Http404  # some selected member is outside the scope or not 在册
    pending = [m for m in members if not m.activated]
    done = [m for m in members if m.activated]
    if len(pending) > MAX_BATCH:
        messages.error(request, _too_many(len(pending)))
        return redirect(_list_url(unit))
    if request.method == "GET":
        context = {
            "title": _("打印激活单"),
            "unit": unit,
            "ids": ids,
            "pending": pending,
            "done": done,
            "days": settings.ZHIJIA_ACTIVATION_SLIP_DAYS,
        }
        return render(request, "accounts/activation_slips_confirm.html", context)
    if not pending:
        messages.info(request, _("所选会员都已激活，无需打印激活单。"))
        return redirect(_list_url(unit))
    try:
        with transaction.atomic():  # no PDF, no codes
            batch = activation.issue_slip_codes(actor=request.user, members=members, unit=unit)
            data = slip_sheets.slips_pdf(batch, request)
    except PdfUnavailable:
        return unavailable_response()
    if batch.already_active:
        messages.info(
            request, _("已跳过 %(n)d 名已激活的会员。") % {"n": len(batch.already_active)}
        )
    name = f"activation-slips-{unit.pk if unit is not None else 'selected'}.pdf"
    response = pdf_bytes_response(data, name, attachment=True)
    response["X-Slip-Count"] = str(len(batch.slips))
    return response
