"""API of the anonymous box (意见箱): no account, a receipt code instead."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from zhijia.cases.actions import box as actions_box
from zhijia.cases.api.grievances import TimelineOut
from zhijia.cases.queries import box as queries_box
from zhijia.cases.queries import grievances as queries
from zhijia.core import receipts
from zhijia.core.api_errors import THROTTLED, record_in_body
from zhijia.core.api_types import Code, Id, renamed_from
from zhijia.org.models import OrgUnit

router = Router(tags=["cases"])


class BoxIn(Schema):
    kind: str = "grievance"
    category: str
    org_unit_id: Id = renamed_from("org_unit_id", "org_unit")
    text: str


class BoxReceiptOut(Schema):
    receipt_code: str
    received_on: dt.date
    note: str


class CasesCodeIn(Schema):
    code: Code


class BoxMessageIn(CasesCodeIn):
    text: str


class BoxRateIn(CasesCodeIn):
    rating: str
    comment: str = ""


class BoxStatusOut(Schema):
    sealed: bool
    received_on: dt.date
    category: str
    text: str
    state: str
    state_label: str
    handling_unit: str | None
    answer: str
    deadline_at: dt.datetime | None
    timeline: list[TimelineOut]
    pending_items: int


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


@router.post("/box", auth=None, response={201: BoxReceiptOut})
def box_submit(request, payload: BoxIn, response: HttpResponse):
    """Put an anonymous grievance in the box. The receipt code is in this answer only."""
    _no_store(response)
    unit = record_in_body(OrgUnit, payload.org_unit_id, "org_unit_id")
    item, code = actions_box.do_put_in_box(
        kind=payload.kind, category=payload.category, org_unit=unit, text=payload.text
    )
    return Status(
        201,
        {
            "receipt_code": code,
            "received_on": item.received_on,
            "note": _("收据码只显示这一次，请妥善保存。信箱每天开启一次，明天由工会受理。"),
        },
    )


def _find(request, code: str):
    # RateLimited propagates: zhijia/api.py answers 429 with Retry-After.
    receipts.check_rate_limit(request, queries_box.RECEIPT_SCOPE, code)
    found = queries_box.find_by_receipt(code)
    if found is None:
        receipts.register_failure(request, queries_box.RECEIPT_SCOPE, code)
        raise HttpError(404, _("收据码不正确，请核对后重新输入"))
    return found


def _box_status(found) -> dict:
    if found.sealed is not None:
        item = found.sealed
        return {
            "sealed": True,
            "received_on": item.received_on,
            "category": item.category,
            "text": item.text,
            "state": "",
            "state_label": "待开箱",
            "handling_unit": None,
            "answer": "",
            "deadline_at": None,
            "timeline": [],
            "pending_items": 0,
        }
    g = found.grievance
    return {
        "sealed": False,
        "received_on": g.received_on,
        "category": g.category,
        "text": g.text,
        "state": g.state,
        "state_label": g.state_label,
        "handling_unit": g.handling_unit.name,
        "answer": g.answer,
        "deadline_at": g.deadline_at,
        "timeline": [e.__dict__ for e in queries.timeline(g, for_worker=True)],
        "pending_items": queries_box.pending_box_items(g).count(),
    }


@router.post("/box/lookup", auth=None, response={200: BoxStatusOut, **THROTTLED})
def box_lookup(request, payload: CasesCodeIn, response: HttpResponse):
    _no_store(response)
    return _box_status(_find(request, payload.code))


@router.post("/box/message", auth=None, response={201: BoxStatusOut, **THROTTLED})
def box_message(request, payload: BoxMessageIn, response: HttpResponse):
    _no_store(response)
    found = _find(request, payload.code)
    actions_box.do_box_message(grievance=found.grievance, text=payload.text)
    return Status(201, _box_status(queries_box.find_by_receipt(payload.code)))


@router.post("/box/rate", auth=None, response={201: BoxStatusOut, **THROTTLED})
def box_rate(request, payload: BoxRateIn, response: HttpResponse):
    _no_store(response)
    found = _find(request, payload.code)
    actions_box.do_box_rating(
        grievance=found.grievance, rating=payload.rating, comment=payload.comment
    )
    return Status(201, _box_status(queries_box.find_by_receipt(payload.code)))
