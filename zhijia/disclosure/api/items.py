"""API of module disclosure, mounted at /api/v1/disclosure. The same queries and actions as
the pages, hence the same permission layer.

Workers:  GET /items (my board, ?past, ?unread), GET /items/{id}, POST /items/{id}/read,
          GET /items/{id}/revisions, GET/POST /items/{id}/questions, POST /questions/{id}/withdraw
Cadres:   GET /board (?unit_id), GET /manage/items, POST /items, POST /items/{id}/revisions,
          POST /items/{id}/attachments (multipart), POST /items/{id}/withdraw,
          GET /items/{id}/receipts, GET /questions, GET /questions/{id},
          POST /questions/{id}/answer, POST /questions/{id}/close
Catalogue: GET /catalogue (every signed-in user), POST /catalogue, PATCH /catalogue/{id}
          (disclosure.manage_catalogue over the union committee)
Errors: {"detail"}: 400 invalid values ({field: [messages]}), 422 malformed input, 403 a role
without the permission, 404 unknown or out of scope, 409 a clash with the current state
(a period already disclosed, a withdrawn item, a question already answered).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Date, DeprecatedId, Id, RenamedQuery
from zhijia.core.errors import ActionRefused
from zhijia.core.pagination import MAX_PER_PAGE, PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm, require
from zhijia.disclosure import rules
from zhijia.disclosure import text as texts
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.actions import questions as actions_questions
from zhijia.disclosure.models import CatalogueEntry, Item, Question, period_label
from zhijia.disclosure.permissions import PUBLISH_ITEM, VIEW_ITEM
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.workflows import QUESTION
from zhijia.org.models import OrgUnit

router = Router(tags=["disclosure"])


# --- schemas -------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: str
    name: str
    size: int
    url: str


class ItemSummary(Schema):
    id: int
    title: str
    level: str
    level_label: str
    org_unit_id: Id
    org_unit_name: str
    audience_unit_id: Id
    entry_id: Id | None
    entry_code: str | None
    period_key: str
    period_label: str
    status: str
    source: str
    revision: int
    published_at: dt.datetime
    revised_at: dt.datetime | None
    valid_from: dt.date
    valid_until: dt.date | None
    read_state: str | None = None  # the caller's: unread, updated, read (board only)


class ItemDetail(ItemSummary):
    body: str
    body_html: str  # safe HTML rendering of the body (everything the author typed escaped)
    table: list[list[str]]
    attachments: list[AttachmentOut]
    withdraw_reason: str
    is_audience: bool
    can_ask: bool
    can_publish: bool


ItemPage = page_schema(ItemSummary, name="DisclosureItemPage")


class Segment(Schema):
    op: str
    text: str


class CellOut(Schema):
    text: str
    old: str | None


class RowDiffOut(Schema):
    status: str
    cells: list[CellOut]


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    table: list[list[str]]
    valid_from: dt.date
    valid_until: dt.date | None
    attachments: list[dict]
    reason: str
    author: str
    created_at: dt.datetime
    changed: bool
    title_diff: list[Segment]
    body_diff: list[Segment]
    table_diff: list[RowDiffOut]
    validity_changed: bool
    attachments_added: list[dict]
    attachments_removed: list[dict]


class UnitReadsOut(Schema):
    unit_id: Id
    unit_name: str
    depth: int
    members: int
    readers: int
    percent: int


class QuestionOut(Schema):
    id: int
    item_id: Id
    item_title: str
    text: str
    state: str
    state_label: str
    created_at: dt.datetime
    deadline_at: dt.datetime | None
    escalation_level: int
    answer: str
    answered_at: dt.datetime | None
    public: bool
    mine: bool
    asker_name: str | None  # only for those who answer
    asker_unit: str | None


class DisclosureItemIn(Schema):
    unit_id: Id
    audience_unit_id: Id | None = None
    entry_id: Id | None = None
    period_key: str = Field("", max_length=16)
    title: str = Field(..., max_length=400)
    body: str = Field("", max_length=40_000)
    table_text: str = Field("", max_length=400_000)
    valid_from: Date | None = None
    valid_until: Date | None = None


class RevisionIn(Schema):
    title: str = Field(..., max_length=400)
    body: str = Field("", max_length=40_000)
    table_text: str = Field("", max_length=400_000)
    valid_from: Date | None = None
    valid_until: Date | None = None
    reason: str = Field(..., max_length=500)
    remove_attachment_ids: list[str] = Field(default_factory=list, max_length=100)


class AttachmentsForm(Schema):
    reason: str = Field(..., max_length=500)


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=400)


class QuestionIn(Schema):
    text: str = Field(..., max_length=2000)


class BoardQuery(PageParams):
    past: bool = False
    unread: bool = False
    level: str = Field("", max_length=16)
    q: str = Field("", max_length=50)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE, description="每页条数，1–200")


class ManageQuery(PageParams, RenamedQuery):
    renamed = {"unit": "unit_id"}

    unit_id: Id | None = None
    unit: DeprecatedId = None
    status: str = Field("", max_length=16)
    q: str = Field("", max_length=50)


# --- converting ---------------------------------------------------------------------------------


def _summary(item: Item, read_state: str | None = None) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "level": item.level,
        "level_label": str(item.get_level_display()),
        "org_unit_id": item.org_unit_id,
        "org_unit_name": item.org_unit.name,
        "audience_unit_id": item.audience_unit_id,
        "entry_id": item.entry_id,
        "entry_code": item.entry.code if item.entry else None,
        "period_key": item.period_key,
        "period_label": period_label(item.period_key),
        "status": item.status,
        "source": item.source,
        "revision": item.revision,
        "published_at": item.published_at,
        "revised_at": item.revised_at,
        "valid_from": item.valid_from,
        "valid_until": item.valid_until,
        "read_state": read_state,
    }


def _attachment(a) -> dict:
    return {
        "id": str(a.pk),
        "name": a.original_name,
        "size": a.size,
        "url": reverse("files:attachment-download", args=[a.pk]),
    }


def _detail(request, item: Item) -> dict:
    user = request.user
    audience = queries.is_audience(user, item)
    data = _summary(item)
    data.update(
        {
            "body": item.body,
            "body_html": texts.render_text(item.body),
            "table": item.table_rows,
            "attachments": [_attachment(a) for a in queries.current_attachments(item)],
            "withdraw_reason": item.withdraw_reason,
            "is_audience": audience,
            "can_ask": audience and item.status == Item.Status.PUBLISHED,
            "can_publish": has_perm(user, PUBLISH_ITEM, unit=item.org_unit)
            and item.status == Item.Status.PUBLISHED,
        }
    )
    if audience:
        receipt = queries.receipt_of(item, queries.own_member(user))
        item.read_revision = receipt.revision if receipt else None  # type: ignore[attr-defined]
        data["read_state"] = queries.read_state(item)
    return data


def _segments(segments) -> list[dict]:
    return [{"op": s.op, "text": s.text} for s in segments]


def _revision(view) -> dict:
    rev = view.revision
    return {
        "number": rev.number,
        "title": rev.title,
        "body": rev.body,
        "table": rev.table_rows,
        "valid_from": rev.valid_from,
        "valid_until": rev.valid_until,
        "attachments": rev.attachments,
        "reason": rev.reason,
        "author": rev.author_label,
        "created_at": rev.created_at,
        "changed": view.changed,
        "title_diff": _segments(view.title_diff) if view.title_changed else [],
        "body_diff": _segments(view.body_diff) if view.body_changed else [],
        "table_diff": [
            {"status": r.status, "cells": [{"text": c.text, "old": c.old} for c in r.cells]}
            for r in view.table_diff
        ],
        "validity_changed": view.validity_changed,
        "attachments_added": view.attachments_added,
        "attachments_removed": view.attachments_removed,
    }


def _question(request, q: Question) -> dict:
    return question_out(request.user, q)


def question_out(user, q: Question) -> dict:
    """A question as the API shows it to `user` (the asker's name to answerers only)."""
    answerer = queries_questions.may_answer(user, q.item)
    return {
        "id": q.pk,
        "item_id": q.item_id,
        "item_title": q.item.title,
        "text": q.text,
        "state": q.state,
        "state_label": QUESTION.state_label(q.state),
        "created_at": q.created_at,
        "deadline_at": q.deadline_at,
        "escalation_level": q.escalation_level,
        "answer": q.answer if q.in_state("answered", "closed") else "",
        "answered_at": q.answered_at,
        "public": q.public,
        "mine": q.asker_id == user.pk,
        "asker_name": (q.asker.get_full_name() if q.asker else "") if answerer else None,
        "asker_unit": (q.asker_unit.name if q.asker_unit else "") if answerer else None,
    }


def _publishable_unit(user, unit_id: Id | None):
    if unit_id is None:
        return None
    unit = next((u for u in queries.publishable_units(user) if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    return unit


# --- worker side ---------------------------------------------------------------------------------


def _entry(entry_id: Id | None) -> CatalogueEntry | None:
    if entry_id is None:
        return None
    return record_in_body(CatalogueEntry, entry_id, "entry_id", _("目录事项不存在"))


@router.get("/items", response=ItemPage)
def board(request, filters: Query[BoardQuery]):
    """Items addressed to the caller's unit (the worker's board), newest first."""
    if filters.level and filters.level not in rules.LEVELS:
        raise ActionRefused(
            _("层级应为 %(levels)s 之一") % {"levels": ", ".join(rules.LEVELS)}, field="level"
        )
    f = queries.BoardFilters(
        past=filters.past, unread=filters.unread, level=filters.level, q=filters.q.strip()
    )
    return api_page(
        queries.board_items_for(request.user, f),
        filters.page,
        filters.per_page,
        transform=lambda i: _summary(i, queries.read_state(i)),
    )


@router.get("/items/{item_id}", response=ItemDetail)
def item_detail(request, item_id: Id):
    """One item (no read receipt: POST /items/{id}/read records it)."""
    return _detail(request, queries.access_item(request.user, item_id))


@router.post("/items/{item_id}/read", response=ItemDetail)
def item_read(request, item_id: Id):
    """Record that the caller read the item (only members of its audience leave a receipt)."""
    item = queries.access_item(request.user, item_id)
    actions.do_mark_read(user=request.user, item=item)
    return _detail(request, item)


@router.get(
    "/items/{item_id}/revisions", response=page_schema(RevisionOut, name="DisclosureRevisionPage")
)
def item_revisions(request, item_id: Id, paging: Query[PageParams]):
    """Every version, newest first, with what changed from the one before."""
    item = queries.access_item(request.user, item_id)
    return api_page(
        queries.revision_history(item), paging.page, paging.per_page, transform=_revision
    )


@router.get(
    "/items/{item_id}/questions", response=page_schema(QuestionOut, name="DisclosureQuestionPage")
)
def item_questions(request, item_id: Id, paging: Query[PageParams]):
    """The caller's own questions and the public answers (all questions for answerers)."""
    item = queries.access_item(request.user, item_id)
    return api_page(
        queries_questions.questions_for_item(request.user, item),
        paging.page,
        paging.per_page,
        transform=lambda q: _question(request, q),
    )


@router.post("/items/{item_id}/questions", response={201: QuestionOut})
def item_ask(request, item_id: Id, payload: QuestionIn):
    item = queries.access_item(request.user, item_id)
    question = actions_questions.do_ask_question(actor=request.user, item=item, text=payload.text)
    return Status(201, _question(request, question))


# --- cadre side ----------------------------------------------------------------------------------


@router.get("/manage/items", response=ItemPage)
def manage_items(request, filters: Query[ManageQuery]):
    """Items published by units in the caller's scope (withdrawn ones too)."""
    require(request.user, VIEW_ITEM)
    unit = None
    if filters.unit_id is not None:
        unit = next(
            (u for u in queries.units_in_scope(request.user, VIEW_ITEM) if u.pk == filters.unit_id),
            None,
        )
        if unit is None:
            raise Http404
    if filters.status and filters.status not in Item.Status.values:
        raise ActionRefused(_("状态应为 published 或 withdrawn"), field="status")
    f = queries.ItemFilters(unit=unit, status=filters.status, q=filters.q.strip())
    return api_page(
        queries.items_in_scope(request.user, f), filters.page, filters.per_page, transform=_summary
    )


@router.post("/items", response={201: ItemDetail})
def item_publish(request, payload: DisclosureItemIn):
    """Publish an item of `unit_id` (attachments: POST /items/{id}/attachments)."""
    require(request.user, PUBLISH_ITEM)
    unit = _publishable_unit(request.user, payload.unit_id)
    audience = (
        record_in_body(OrgUnit, payload.audience_unit_id, "audience_unit_id", _("单位不存在"))
        if payload.audience_unit_id
        else None
    )
    item = actions.do_publish_item(
        actor=request.user,
        unit=unit,
        audience_unit=audience,
        entry=_entry(payload.entry_id),
        period_key=payload.period_key,
        title=payload.title,
        body=payload.body,
        table_text=payload.table_text,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return Status(201, _detail(request, queries.access_item(request.user, item.pk)))


def _item_to_manage(request, item_id: Id) -> Item:
    item = queries.access_item(request.user, item_id)
    require(request.user, PUBLISH_ITEM, unit=item.org_unit)
    return item


@router.post("/items/{item_id}/revisions", response={201: RevisionOut})
def item_revise(request, item_id: Id, payload: RevisionIn):
    item = _item_to_manage(request, item_id)
    revision = actions.do_revise_item(
        actor=request.user,
        item=item,
        title=payload.title,
        body=payload.body,
        table_text=payload.table_text,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        reason=payload.reason,
        remove_attachment_ids=payload.remove_attachment_ids,
    )
    item.refresh_from_db()
    view = next(v for v in queries.revision_history(item) if v.revision.pk == revision.pk)
    return Status(201, _revision(view))


@router.post("/items/{item_id}/attachments", response={201: RevisionOut})
def item_attach(request, item_id: Id, form: Form[AttachmentsForm], files: File[list[UploadedFile]]):
    """Add files to an item: a new version with the same text and these files."""
    item = _item_to_manage(request, item_id)
    revision = actions.do_revise_item(
        actor=request.user,
        item=item,
        title=item.title,
        body=item.body,
        table_text=item.table_text,
        valid_from=item.valid_from,
        valid_until=item.valid_until,
        reason=form.reason,
        uploads=files,
    )
    item.refresh_from_db()
    view = next(v for v in queries.revision_history(item) if v.revision.pk == revision.pk)
    return Status(201, _revision(view))


@router.post("/items/{item_id}/withdraw", response=ItemDetail)
def item_withdraw(request, item_id: Id, payload: WithdrawIn):
    item = _item_to_manage(request, item_id)
    actions.do_withdraw_item(actor=request.user, item=item, reason=payload.reason)
    return _detail(request, queries.access_item(request.user, item.pk))


@router.get(
    "/items/{item_id}/receipts", response=page_schema(UnitReadsOut, name="DisclosureReadsPage")
)
def item_receipts(request, item_id: Id, paging: Query[PageParams]):
    """Members and readers per unit of the audience (each row counts the unit's subtree)."""
    item = queries.access_item(request.user, item_id)
    if not has_perm(request.user, VIEW_ITEM, unit=item.org_unit):
        raise PermissionDenied(VIEW_ITEM)
    return api_page(
        queries.receipt_stats(item),
        paging.page,
        paging.per_page,
        transform=lambda r: {
            "unit_id": r.unit.pk,
            "unit_name": r.unit.name,
            "depth": r.depth,
            "members": r.members,
            "readers": r.readers,
            "percent": r.percent,
        },
    )


# --- the catalogue -------------------------------------------------------------------------------
