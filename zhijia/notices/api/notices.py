"""API of notices, mounted at /api/v1/notices. The same queries and actions as the pages.

Members:  GET /notices (?kind, ?unread: addressed to me, pinned first), GET /notices/{id},
          POST /notices/{id}/read (records the reading, once)
Cadres:   GET /manage/notices, POST /notices (a draft), PATCH /notices/{id},
          POST /notices/{id}/attachments (multipart),
          POST /notices/{id}/publish, POST /notices/{id}/withdraw,
          GET /notices/{id}/reads (per unit), GET /notices/{id}/non-readers,
          POST /notices/{id}/remind (the non-readers in my scope; once an hour: else 409)
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhijia.core import attachments
from zhijia.core.api_errors import record_in_body
from zhijia.core.api_types import Id
from zhijia.core.api_workflow import add_step_routes
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import require
from zhijia.core.workflow import available_transitions
from zhijia.notices import rules
from zhijia.notices.actions import notices as actions
from zhijia.notices.models import Notice
from zhijia.notices.permissions import MANAGE_NOTICE
from zhijia.notices.queries import notices as queries
from zhijia.notices.workflows import NOTICE
from zhijia.org.models import OrgUnit

router = Router(tags=["notices"])

KINDS = "^(notice|news)$"


# --- schemas ----------------------------------------------------------------------------------


class NoticeSummary(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    org_unit_id: int
    org_unit_name: str
    pinned: bool
    must_read: bool
    published_at: dt.datetime | None
    excerpt: str
    is_read: bool


class NoticeManaged(NoticeSummary):
    read_count: int


class NoticeFileOut(Schema):
    id: str
    name: str
    url: str


class NoticeDetail(NoticeSummary):
    body: str = Field(..., description="经过清洗的 HTML 片段")
    audience_unit_ids: list[int]
    attachments: list[NoticeFileOut]
    transitions: list[str]


class NoticeListQuery(PageParams):
    kind: str = Field("", pattern="^(notice|news)?$")
    unread: bool = False


class NoticeManageQuery(PageParams):
    kind: str = Field("", pattern="^(notice|news)?$")
    state: str = Field("", pattern="^(draft|published|withdrawn)?$")
    q: str = Field("", max_length=50)


class NoticeIn(Schema):
    org_unit_id: Id
    kind: str = Field("notice", pattern=KINDS)
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=50_000)
    audience_unit_ids: list[Id] = Field(default_factory=list, max_length=50)
    pinned: bool = False
    must_read: bool = False


class NoticePatchIn(Schema):
    kind: str | None = Field(None, pattern=KINDS)
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=50_000)
    audience_unit_ids: list[Id] | None = Field(None, max_length=50)
    pinned: bool | None = None
    must_read: bool | None = None


class NoticeWithdrawIn(Schema):
    reason: str = Field(..., max_length=200)


class NoticeUnitReadsOut(Schema):
    unit_id: int
    unit_name: str
    depth: int
    members: int
    readers: int
    percent: int


class NoticeReadsOut(Schema):
    members: int
    readers: int
    unread: int
    percent: int
    units: list[NoticeUnitReadsOut]
    last_reminder_at: dt.datetime | None
    next_reminder_at: dt.datetime | None


class NonReaderOut(Schema):
    member_id: int
    employee_no: str
    name: str
    org_unit_id: int
    org_unit_name: str


class NoticeReminderOut(Schema):
    recipients: int
    sent_at: dt.datetime


# --- helpers --------------------------------------------------------------------------------------


def _summary(n: Notice, is_read: bool | None = None) -> dict:
    return {
        "id": n.pk,
        "title": n.title,
        "kind": n.kind,
        "kind_label": str(n.get_kind_display()),
        "state": n.state,
        "state_label": str(NOTICE.state_label(n.state)),
        "org_unit_id": n.org_unit_id,
        "org_unit_name": n.org_unit.name,
        "pinned": n.pinned,
        "must_read": n.must_read,
        "published_at": n.published_at,
        "excerpt": rules.excerpt(n.body),
        "is_read": bool(getattr(n, "is_read", False) if is_read is None else is_read),
    }


def _managed(n: Notice) -> dict:
    return {**_summary(n), "read_count": getattr(n, "read_count", 0)}


def _detail(user, notice: Notice) -> dict:
    notice = queries.fresh(notice)
    files = [
        {
            "id": str(a.pk),
            "name": a.original_name,
            "url": reverse("files:attachment-download", args=[a.pk]),
        }
        for a in attachments.attachments_for(notice)
    ]
    return {
        **_summary(notice, queries.has_read(user, notice)),
        "body": notice.body,
        "audience_unit_ids": [u.pk for u in queries.audience_units(notice)],
        "attachments": files,
        "transitions": [t.name for t in available_transitions(NOTICE, notice, user)],
    }


def _units(ids: list[int] | None) -> list[OrgUnit]:
    return [record_in_body(OrgUnit, pk, "audience_unit_ids") for pk in ids or []]


def _to_manage(request, notice_id: int) -> Notice:
    notice = queries.access_notice(request.user, notice_id)
    if not queries.can_manage(request.user, notice):
        raise PermissionDenied(MANAGE_NOTICE)
    return notice


# --- members -------------------------------------------------------------------------------------


@router.get("/notices", response=page_schema(NoticeSummary, name="NoticePage"))
def list_notices(request, filters: Query[NoticeListQuery]):
    """Published notices addressed to the caller's unit, pinned first, then newest."""
    qs = queries.notices_for_member(request.user, kind=filters.kind, unread=filters.unread)
    return api_page(qs, filters.page, filters.per_page, transform=_summary)


@router.get("/notices/{notice_id}", response=NoticeDetail)
def get_notice(request, notice_id: Id):
    """One notice (no read recorded: POST /notices/{id}/read records it)."""
    return _detail(request.user, queries.access_notice(request.user, notice_id))


@router.post("/notices/{notice_id}/read", response=NoticeDetail)
def read_notice(request, notice_id: Id):
    """Record that the caller opened the notice (addressees only; idempotent)."""
    notice = queries.access_notice(request.user, notice_id)
    actions.do_read_notice(actor=request.user, notice=notice)
    return _detail(request.user, notice)


# --- cadres ---------------------------------------------------------------------------------------


@router.get("/manage/notices", response=page_schema(NoticeManaged, name="NoticeManagedPage"))
def manage_notices(request, filters: Query[NoticeManageQuery]):
    """Notices of the units in the caller's scope, every state."""
    qs = queries.notices_in_scope(
        request.user, queries.ManageFilters(state=filters.state, kind=filters.kind, q=filters.q)
    )
    return api_page(qs, filters.page, filters.per_page, transform=_managed)


@router.post("/notices", response={201: NoticeDetail})
def create_notice(request, payload: NoticeIn):
    """A draft notice of `org_unit_id` (publish it with POST /notices/{id}/publish)."""
    require(request.user, MANAGE_NOTICE)
    unit = record_in_body(OrgUnit, payload.org_unit_id, "org_unit_id")
    notice = actions.do_create_notice(
        actor=request.user,
        org_unit=unit,
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        audience_units=_units(payload.audience_unit_ids),
        pinned=payload.pinned,
        must_read=payload.must_read,
    )
    return Status(201, _detail(request.user, notice))


@router.patch("/notices/{notice_id}", response=NoticeDetail)
def edit_notice(request, notice_id: Id, payload: NoticePatchIn):
    """Change a draft or published notice; fields left out keep their value."""
    notice = _to_manage(request, notice_id)
    given = payload.dict(exclude_unset=True)
    audience = (
        _units(payload.audience_unit_ids)
        if "audience_unit_ids" in given
        else queries.audience_units(notice)
    )
    actions.do_edit_notice(
        actor=request.user,
        notice=notice,
        title=given.get("title", notice.title),
        body=given.get("body", notice.body),
        kind=given.get("kind", notice.kind),
        audience_units=audience,
        pinned=given.get("pinned", notice.pinned),
        must_read=given.get("must_read", notice.must_read),
    )
    return _detail(request.user, notice)


@router.post("/notices/{notice_id}/attachments", response={201: NoticeDetail})
def attach_files(request, notice_id: Id, files: File[list[UploadedFile]]):
    """Add files to a notice (multipart, `files`: images, PDF, Office, text)."""
    notice = _to_manage(request, notice_id)
    actions.do_attach_notice_files(actor=request.user, notice=notice, uploads=files)
    return Status(201, _detail(request.user, notice))


add_step_routes(
    router,
    NOTICE,
    path="/notices/{int:notice_id}",
    access=queries.access_notice,
    record_arg="notice",
    response=NoticeDetail,
    result=_detail,
    names=["publish", "withdraw"],
    schemas={"publish": None, "withdraw": NoticeWithdrawIn},
    function_names={"publish": "publish_notice", "withdraw": "withdraw_notice"},
)


@router.get("/notices/{notice_id}/reads", response=NoticeReadsOut)
def notice_reads(request, notice_id: Id):
    """Members of the audience and readers per unit, in the caller's scope."""
    notice = queries.access_notice_reads(request.user, notice_id)
    stats = queries.read_stats(request.user, notice)
    last = queries.last_reminder(notice)
    return {
        "members": stats.members,
        "readers": stats.readers,
        "unread": stats.unread,
        "percent": stats.percent,
        "units": [
            {
                "unit_id": r.unit.pk,
                "unit_name": r.unit.name,
                "depth": r.depth,
                "members": r.members,
                "readers": r.readers,
                "percent": r.percent,
            }
            for r in stats.rows
        ],
        "last_reminder_at": last.sent_at if last else None,
        "next_reminder_at": rules.next_reminder_at(last.sent_at if last else None),
    }


@router.get(
    "/notices/{notice_id}/non-readers", response=page_schema(NonReaderOut, name="NonReaderPage")
)
def notice_non_readers(request, notice_id: Id, paging: Query[PageParams]):
    """Members of the audience in the caller's scope who have not opened the notice."""
    notice = queries.access_notice_reads(request.user, notice_id)
    return api_page(
        queries.non_readers(request.user, notice),
        paging.page,
        paging.per_page,
        transform=lambda m: {
            "member_id": m.pk,
            "employee_no": m.employee_no,
            "name": m.name,
            "org_unit_id": m.org_unit_id,
            "org_unit_name": m.org_unit.name,
        },
    )


@router.post("/notices/{notice_id}/remind", response=NoticeReminderOut)
def remind_non_readers(request, notice_id: Id):
    """Remind the non-readers in the caller's scope (a must-read notice; once an hour)."""
    notice = queries.access_notice_reads(request.user, notice_id)
    reminder = actions.do_remind_non_readers(actor=request.user, notice=notice)
    return {"recipients": reminder.recipients, "sent_at": reminder.sent_at}
