"""API of the disclosure catalogue and the board of obligations."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_types import Date, DeprecatedId, Id, either
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.disclosure.actions import catalogue as actions_catalogue
from zhijia.disclosure.models import period_label
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries

router = Router(tags=["disclosure"])


class BoardCellOut(Schema):
    entry_id: Id
    entry_code: str
    entry_title: str
    cadence: str
    period_key: str
    period_label: str
    due: dt.date | None
    status: str
    missed: list[str]
    item_id: Id | None
    events_this_year: int


class BoardUnitOut(Schema):
    unit_id: Id
    unit_name: str
    kind: str
    depth: int
    overdue: int
    due_soon: int
    missed: int
    cells: list[BoardCellOut]


class EntryOut(Schema):
    id: int
    code: str
    title: str
    level: str
    level_label: str
    cadence: str
    cadence_label: str
    description: str
    legal_basis: str
    offset_days: int
    remind_days: int
    effective_from: dt.date
    active: bool
    sort_order: int

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_cadence_label(obj) -> str:
        return str(obj.get_cadence_display())


class EntryIn(Schema):
    code: str = Field(..., max_length=64, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., max_length=100)
    level: str = Field(..., max_length=16)
    cadence: str = Field(..., max_length=16)
    description: str = Field("", max_length=2000)
    legal_basis: str = Field("", max_length=200)
    offset_days: int = Field(10, ge=0, le=366)
    remind_days: int = Field(3, ge=0, le=60)
    effective_from: Date | None = None
    active: bool = True
    sort_order: int = Field(100, ge=0, le=100000)


class EntryPatch(Schema):
    title: str | None = Field(None, max_length=100)
    level: str | None = Field(None, max_length=16)
    cadence: str | None = Field(None, max_length=16)
    description: str | None = Field(None, max_length=2000)
    legal_basis: str | None = Field(None, max_length=200)
    offset_days: int | None = Field(None, ge=0, le=366)
    remind_days: int | None = Field(None, ge=0, le=60)
    effective_from: Date | None = None
    active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=100000)


@router.get("/board", response=page_schema(BoardUnitOut, name="DisclosureBoardPage"))
def catalogue_board(
    request, paging: Query[PageParams], unit_id: Id | None = None, unit: DeprecatedId = None
):
    """What each unit in scope owes for the current period: published, due, overdue
    (`unit_id`: one unit's subtree; `unit` is its deprecated old name)."""
    target = None
    unit_id = either(unit_id, unit)
    if unit_id is not None:
        target = queries.get_unit(unit_id)
        if target is None:
            raise Http404
    rows = queries_catalogue.board_for(request.user, unit=target)
    return api_page(rows, paging.page, paging.per_page, transform=_board_row)


def _board_row(r) -> dict:
    return {
        "unit_id": r.unit.pk,
        "unit_name": r.unit.name,
        "kind": r.unit.kind,
        "depth": r.depth,
        "overdue": r.overdue,
        "due_soon": r.due_soon,
        "missed": r.missed,
        "cells": [
            {
                "entry_id": c.entry.pk,
                "entry_code": c.entry.code,
                "entry_title": c.entry.title,
                "cadence": c.entry.cadence,
                "period_key": c.period_key,
                "period_label": period_label(c.period_key),
                "due": c.obligation.due,
                "status": c.status,
                "missed": [p.key for p in c.obligation.missed],
                "item_id": c.item.pk if c.item else None,
                "events_this_year": c.event_count,
            }
            for c in r.cells
        ],
    }


@router.get("/catalogue", response=page_schema(EntryOut, name="DisclosureCataloguePage"))
def catalogue(request, paging: Query[PageParams]):
    """The disclosure catalogue (not secret: workers may see what must be disclosed)."""
    return api_page(queries_catalogue.list_entries(), paging.page, paging.per_page)


@router.post("/catalogue", response={201: EntryOut})
def catalogue_create(request, payload: EntryIn):
    queries_catalogue.require_manage_catalogue(request.user)
    fields = payload.dict()
    if fields.get("effective_from") is None:
        fields["effective_from"] = queries.today()
    entry = actions_catalogue.do_save_catalogue_entry(actor=request.user, **fields)
    return Status(201, entry)


@router.patch("/catalogue/{entry_id}", response=EntryOut)
def catalogue_update(request, entry_id: Id, payload: EntryPatch):
    entry = queries_catalogue.access_entry_for_edit(request.user, entry_id)
    fields = payload.dict(exclude_unset=True)
    if "effective_from" in fields and fields["effective_from"] is None:
        del fields["effective_from"]
    return actions_catalogue.do_save_catalogue_entry(actor=request.user, entry=entry, **fields)
