"""The moves out of a unit's subtree (转出): the list behind the dashboard's 本期转出 figure, and
its Excel. org.view_member over the unit. Thin: parse, call the query, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhijia.core import excel
from zhijia.core.pagination import paginate
from zhijia.core.permissions import require
from zhijia.org import exports
from zhijia.org.actions import members as member_actions
from zhijia.org.forms.members import TransfersFilterForm
from zhijia.org.queries import members as queries
from zhijia.org.views.members import _querystring


def _transfers(request):
    require(request.user, "org.view_member")
    units = queries.list_units_visible_to(request.user, "org.view_member", include_closed=True)
    form = TransfersFilterForm(request.GET or None, units=units)
    unit, days = form.unit_obj(), form.days()
    qs = queries.transfers_out(request.user, unit, days) if unit is not None else None
    return form, unit, days, qs


@login_required
@require_GET
def transfers_out(request):
    form, unit, days, qs = _transfers(request)
    return render(
        request,
        "org/transfers_out.html",
        {
            "title": _("会员转出"),
            "form": form,
            "unit": unit,
            "page": paginate(request, qs) if qs is not None else None,
            "querystring": _querystring(request),
        },
    )


@login_required
@require_GET
def transfers_out_export(request):
    form, unit, days, qs = _transfers(request)
    sheet = exports.transfers_sheet(qs.iterator() if qs is not None else [])
    response = excel.xlsx_response("transfers-out.xlsx", sheet, stamp=True, stream=True)
    member_actions.do_record_export(
        actor=request.user,
        kind="transfers_out",
        count=sheet.written,
        filters={"unit": unit.name if unit else "", "days": days.query()},
    )
    return response
