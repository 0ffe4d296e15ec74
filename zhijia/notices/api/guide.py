"""API of the service guide (/api/v1/notices/guides): every signed-in user reads; the unit's
cadres write (PUT, the whole guide)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.notices.actions import guide as actions
from zhijia.notices.models.guide import DEFAULT_HOTLINES
from zhijia.notices.queries import guide as queries
from zhijia.notices.rules import hotlines

router = Router(tags=["notices"])


class HotlineOut(Schema):
    number: str
    label: str


class GuideOut(Schema):
    unit_id: int
    unit_name: str
    written: bool = Field(..., description="false：该单位尚未编写，只给出默认热线")
    about: str
    how_to_apply: str
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    office_hours: str
    hotlines: list[HotlineOut]
    updated_at: dt.datetime | None


class GuideIn(Schema):
    about: str = Field("", max_length=20_000)
    how_to_apply: str = Field("", max_length=20_000)
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=32)
    contact_email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    office_hours: str = Field("", max_length=200)
    hotlines: str = Field(DEFAULT_HOTLINES, max_length=1000, description="每行一条：号码 说明")


def _out(entry: queries.UnitGuide) -> dict:
    g = entry.guide
    lines = g.hotline_list if g else hotlines(DEFAULT_HOTLINES)
    return {
        "unit_id": entry.unit.pk,
        "unit_name": entry.unit.name,
        "written": g is not None,
        "about": g.about if g else "",
        "how_to_apply": g.how_to_apply if g else "",
        "contact_name": g.contact_name if g else "",
        "contact_phone": g.contact_phone if g else "",
        "contact_email": g.contact_email if g else "",
        "address": g.address if g else "",
        "office_hours": g.office_hours if g else "",
        "hotlines": [{"number": h.number, "label": h.label} for h in lines],
        "updated_at": g.updated_at if g else None,
    }


@router.get("/guides", response=page_schema(GuideOut, name="GuidePage"))
def my_guides(request, paging: Query[PageParams]):
    """The guides of the caller's unit and the units above it (the enterprise's first)."""
    return api_page(queries.guides_for(request.user), paging.page, paging.per_page, transform=_out)


@router.get("/guides/{unit_id}", response=GuideOut)
def get_guide(request, unit_id: Id):
    unit = queries.access_guide_unit(request.user, unit_id)
    return _out(queries.UnitGuide(unit, queries.guide_of(unit)))


@router.put("/guides/{unit_id}", response=GuideOut)
def save_guide(request, unit_id: Id, payload: GuideIn):
    """Write a unit's guide (its cadres and those above)."""
    unit = queries.access_guide_to_edit(request.user, unit_id)
    actions.do_save_guide(actor=request.user, unit=unit, **payload.dict())
    return _out(queries.UnitGuide(unit, queries.guide_of(unit)))
