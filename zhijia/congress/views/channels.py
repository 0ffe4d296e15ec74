"""Pages of the participation channels: leadership reception days (领导接待日) and hearings
(职工代表听证). Thin: parse, call one query or action, render. Out-of-scope records are 404
(queries.channels.access_*).

Members (phone first): the reception days of their unit, booking a free slot, 我的预约 with
the state of the tracked items; the hearings of their unit and their comments. Leaders publish
days and slots; cadres record outcomes, work the tracked items, open hearings, answer each
comment and close them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhijia.congress.actions import channels as actions
from zhijia.congress.forms.channels import (
    AnswerForm,
    BookingForm,
    CancelDayForm,
    CommentForm,
    DayEditForm,
    DayForm,
    HearingEditForm,
    HearingForm,
    ItemResultForm,
    OutcomeForm,
    SlotForm,
)
from zhijia.congress.forms.proposals import ReasonForm
from zhijia.congress.models import ReceptionItem, ReceptionSlot
from zhijia.congress.queries import channels as queries
from zhijia.congress.workflows import HEARING, RECEPTION_ITEM
from zhijia.core.excel import Column, Sheet, xlsx_response
from zhijia.core.pagination import paginate
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view, transition_step
from zhijia.core.workflow import available_transitions

ITEM_STEPS = ("complete", "close", "send_back")


def _day_url(day) -> str:
    return reverse("congress:reception-detail", kwargs={"day_id": day.pk})


def _hearing_url(hearing) -> str:
    return reverse("congress:hearing-detail", kwargs={"hearing_id": hearing.pk})


# --- reception days ------------------------------------------------------------------------


@login_required
def reception_list(request):
    """The reception days the user sees; a leader publishes one here (POST)."""
    user = request.user
    units = queries.publish_units(user) if queries.may_publish(user) else None
    form = DayForm(request.POST or None, units=units) if units is not None else None

    def page(form, status=200):
        return render(
            request,
            "congress/reception_list.html",
            {
                "title": _("领导接待日"),
                "page": paginate(request, queries.days_visible_to(user)),
                "form": form,
                "can_manage": queries.may_manage(user),
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    if form is None:
        raise PermissionDenied
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_publish_day(actor=user, **data),
        on_error=page,
        success_url=_day_url,
        message=_("接待日已发布，请添加接待时段"),
    )


@login_required
@require_GET
def reception_export(request):
    user = request.user

    def rows():
        for day in queries.days_visible_to(user).iterator(chunk_size=200):
            for slot in day.slots.all():
                booking = (
                    queries.live_booking(slot) if queries.can_publish(user, day.org_unit) else None
                )
                yield [
                    day.date.isoformat(),
                    day.org_unit.name,
                    f"{day.leader}（{day.leader_title}）",
                    str(slot),
                    slot.place or day.place,
                    booking.member.name if booking else "",
                    booking.topic if booking else "",
                    booking.outcome if booking else "",
                ]

    sheet = Sheet(
        _("领导接待日"),
        [
            Column(_("日期")),
            Column(_("组织单位")),
            Column(_("接待领导")),
            Column(_("时段")),
            Column(_("地点")),
            Column(_("预约人")),
            Column(_("反映事项"), width=40),
            Column(_("接待结果"), width=40),
        ],
        rows(),
        heading=[[_("领导接待日")]],
    )
    return xlsx_response("reception-days.xlsx", sheet, stamp=True)


@dataclass(eq=False)
class SlotRow(Row[ReceptionSlot]):
    booking: Any = None  # shown to the leaders and to the member who booked it
    taken: bool = False
    mine: bool = False
    form: Any = None  # the booking form of a free slot, its ids its own (slot<id>_topic)


def _detail(request, day, status=200, **forms):
    user = request.user
    can_publish = queries.can_publish(user, day.org_unit)
    can_manage = queries.can_manage(user, day.org_unit)
    member = queries.own_member(user)
    is_member = member is not None and member.org_unit.path.startswith(day.org_unit.path)
    can_book = is_member and not queries.is_past(day) and day.cancelled_at is None
    changeable = can_publish and day.cancelled_at is None and day.date > timezone.localdate()
    refused = forms.get("booking_form")
    rows = []
    for slot in queries.slots_of(day):
        booking = queries.live_booking(slot)
        mine = booking is not None and booking.member.user_id == user.pk
        rows.append(
            SlotRow(
                slot,
                booking=booking if (can_publish or mine) else None,
                taken=booking is not None,
                mine=mine,
                form=(refused if refused is not None and forms.get("slot_id") == slot.pk else None)
                or BookingForm(auto_id=f"slot{slot.pk}_%s")
                if can_book and booking is None
                else None,
            )
        )
    return render(
        request,
        "congress/reception_detail.html",
        {
            "title": f"{day.date:%Y-%m-%d} {day.leader}",
            "day": day,
            "rows": rows,
            "past": queries.is_past(day),
            "held": day.date <= timezone.localdate(),
            "can_publish": can_publish,
            "can_manage": can_manage,
            "can_book": can_book,
            "changeable": changeable,
            "edit_form": forms.get("edit_form")
            or DayEditForm(
                initial={
                    "leader": day.leader,
                    "leader_title": day.leader_title,
                    "date": day.date,
                    "place": day.place,
                    "note": day.note,
                }
            ),
            "cancel_form": forms.get("cancel_form") or CancelDayForm(),
            "slot_form": forms.get("slot_form") or SlotForm(),
            "outcome_form": forms.get("outcome_form") or OutcomeForm(),
            "error": forms.get("error"),
        },
        status=status,
    )


@login_required
@require_GET
def reception_detail(request, day_id: int):
    return _detail(request, queries.access_day(request.user, day_id))


@login_required
@require_POST
def reception_slot_add(request, day_id: int):
    day = queries.access_day(request.user, day_id)
    if not queries.can_publish(request.user, day.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=SlotForm(request.POST),
        call=lambda data: actions.do_add_slot(actor=request.user, day=day, **data),
        on_error=lambda form, status: _detail(request, day, status, slot_form=form),
        success_url=_day_url(day),
        message=_("接待时段已添加"),
    )


def _publisher_day(request, day_id: int):
    day = queries.access_day(request.user, day_id)
    if not queries.can_publish(request.user, day.org_unit):
        raise PermissionDenied
    return day


@login_required
@require_POST
def reception_edit(request, day_id: int):
    day = _publisher_day(request, day_id)
    return step_view(
        request,
        form=DayEditForm(request.POST),
        call=lambda data: actions.do_edit_day(actor=request.user, day=day, **data),
        on_error=lambda form, status: _detail(
            request, day, status, edit_form=form, error=first_error(form)
        ),
        success_url=_day_url(day),
        message=_("接待日已修改"),
    )


@login_required
@require_POST
def reception_cancel(request, day_id: int):
    day = _publisher_day(request, day_id)
    return step_view(
        request,
        form=CancelDayForm(request.POST),
        call=lambda data: actions.do_cancel_day(actor=request.user, day=day, **data),
        on_error=lambda form, status: _detail(
            request, day, status, cancel_form=form, error=first_error(form)
        ),
        success_url=_day_url(day),
        message=_("接待日已取消，预约人已收到通知"),
    )


@login_required
@require_POST
def reception_slot_remove(request, slot_id: int):
    slot = queries.access_slot(request.user, slot_id)
    day = slot.day
    if not queries.can_publish(request.user, day.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_remove_slot(actor=request.user, slot=slot),
        on_error=lambda form, status: _detail(request, day, status, error=first_error(form)),
        success_url=_day_url(day),
        message=_("接待时段已删除"),
    )


@login_required
@require_POST
def reception_book(request, slot_id: int):
    slot = queries.access_slot(request.user, slot_id)

    def on_error(form, status):
        return _detail(
            request, slot.day, status, booking_form=form, slot_id=slot.pk, error=first_error(form)
        )

    return step_view(
        request,
        form=BookingForm(request.POST, auto_id=f"slot{slot.pk}_%s"),
        call=lambda data: actions.do_book_slot(actor=request.user, slot=slot, **data),
        on_error=on_error,
        success_url=reverse("congress:reception-mine"),
        message=_("预约成功"),
    )


@login_required
@require_GET
def reception_mine(request):
    """我的预约: the member's bookings and the state of her tracked items."""
    page = paginate(request, queries.my_bookings(request.user))
    return render(
        request,
        "congress/reception_mine.html",
        {"title": _("我的预约"), "page": page, "workflow": RECEPTION_ITEM},
    )


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = queries.access_booking(request.user, booking_id)
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_cancel_booking(actor=request.user, booking=booking),
        on_error=lambda form, status: _detail(
            request, booking.slot.day, status, error=first_error(form)
        ),
        success_url=reverse("congress:reception-mine"),
        message=_("预约已取消"),
    )


@login_required
@require_POST
def booking_outcome(request, booking_id: int):
    booking = queries.access_booking(request.user, booking_id)
    day = booking.slot.day
    if not queries.can_manage(request.user, day.org_unit):
        raise PermissionDenied

    def on_error(form, status):
        return _detail(request, day, status, outcome_form=form, error=first_error(form))

    return step_view(
        request,
        form=OutcomeForm(request.POST),
        call=lambda data: actions.do_record_outcome(actor=request.user, booking=booking, **data),
        on_error=on_error,
        success_url=_day_url(day),
        message=_("接待结果已记录"),
    )


@dataclass(eq=False)
class ItemRow(Row[ReceptionItem]):
    state_label: str = ""
    can: frozenset[str] = field(default_factory=frozenset)


def _items_page(request, status=200, **forms):
    user = request.user
    if not queries.may_manage(user):
        raise PermissionDenied
    page = paginate(request, queries.managed_items(user))
    rows = [
        ItemRow(
            i,
            state_label=str(RECEPTION_ITEM.state_label(i.state)),
            can=frozenset(t.name for t in available_transitions(RECEPTION_ITEM, i, user)),
        )
        for i in page.items
    ]
    return render(
        request,
        "congress/reception_items.html",
        {
            "title": _("接待跟踪事项"),
            "page": page,
            "rows": rows,
            "result_form": forms.get("result_form") or ItemResultForm(),
            "reason_form": forms.get("reason_form") or ReasonForm(),
            "error": forms.get("error"),
        },
        status=status,
    )


@login_required
@require_GET
def reception_items(request):
    return _items_page(request)


@login_required
@require_GET
def reception_items_export(request):
    user = request.user
    if not queries.may_manage(user):
        raise PermissionDenied

    def rows():
        for item in queries.managed_items(user).iterator(chunk_size=200):
            yield [
                item.source_date.isoformat(),
                item.source_label,
                item.title,
                item.department.name,
                str(RECEPTION_ITEM.state_label(item.state)),
                item.deadline_at.date().isoformat() if item.deadline_at else "",
                item.escalation_level,
                item.result,
            ]

    sheet = Sheet(
        _("接待跟踪事项"),
        [
            Column(_("接待日期")),
            Column(_("反映人")),
            Column(_("事项"), width=40),
            Column(_("责任部门")),
            Column(_("状态")),
            Column(_("办理期限")),
            Column(_("督办次数")),
            Column(_("办理结果"), width=40),
        ],
        rows(),
        heading=[[_("领导接待日跟踪事项")]],
    )
    return xlsx_response("reception-items.xlsx", sheet, stamp=True)


@login_required
@require_POST
def item_transition(request, item_id: int, action: str):
    item = queries.access_item(request.user, item_id)
    if action not in ITEM_STEPS:
        raise Http404

    def on_error(form, status):
        forms: dict[str, Any] = {"error": first_error(form)}
        if isinstance(form, ItemResultForm):
            forms["result_form"] = form
        elif isinstance(form, ReasonForm):
            forms["reason_form"] = form
        return _items_page(request, status=status, **forms)

    return transition_step(
        request,
        RECEPTION_ITEM,
        action,
        record=item,
        record_arg="item",
        on_error=on_error,
        success_url=reverse("congress:reception-items"),
        message=_("跟踪事项已更新"),
    )


# --- hearings ------------------------------------------------------------------------------


@login_required
def hearing_list(request):
    """The hearings the user sees; a cadre opens one here (POST)."""
    user = request.user
    units = queries.manage_units(user) if queries.may_manage(user) else None
    form = (
        HearingForm(request.POST or None, request.FILES or None, units=units)
        if units is not None
        else None
    )

    def page(form, status=200):
        return render(
            request,
            "congress/hearing_list.html",
            {
                "title": _("职工代表听证"),
                "page": paginate(request, queries.hearings_visible_to(user)),
                "form": form,
                "workflow": HEARING,
            },
            status=status,
        )

    if request.method != "POST":
        return page(form)
    if form is None:
        raise PermissionDenied

    def call(data):
        return actions.do_open_hearing(
            actor=user,
            unit=data["unit"],
            title=data["title"],
            draft=data["draft"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            files=data["attachment"],
        )

    return step_view(
        request,
        form=form,
        call=call,
        on_error=page,
        success_url=_hearing_url,
        message=_("听证已发布"),
    )


@login_required
@require_GET
def hearing_export(request):
    user = request.user

    def rows():
        for hearing in queries.hearings_visible_to(user).iterator(chunk_size=200):
            for comment in queries.visible_comments(user, hearing):
                yield [
                    hearing.title,
                    str(HEARING.state_label(hearing.state)),
                    comment.author_name,
                    _("职工代表") if comment.is_representative else _("职工"),
                    comment.text,
                    comment.answer,
                ]

    sheet = Sheet(
        _("职工代表听证"),
        [
            Column(_("听证事项"), width=30),
            Column(_("状态")),
            Column(_("意见人")),
            Column(_("身份")),
            Column(_("意见"), width=40),
            Column(_("答复"), width=40),
        ],
        rows(),
        heading=[[_("职工代表听证意见及答复")]],
    )
    return xlsx_response("hearings.xlsx", sheet, stamp=True)


def _hearing_page(request, hearing, status=200, **forms):
    from zhijia.core.attachments import attachments_for

    user = request.user
    can_manage = queries.can_manage(user, hearing.org_unit)
    return render(
        request,
        "congress/hearing_detail.html",
        {
            "title": hearing.title,
            "hearing": hearing,
            "state_label": HEARING.state_label(hearing.state),
            "files": list(attachments_for(hearing)),
            "comments": list(queries.visible_comments(user, hearing)),
            "can_manage": can_manage,
            "can_close": can_manage and hearing.in_state(HEARING.states.open),
            "can_edit": can_manage
            and hearing.in_state(HEARING.states.open)
            and not hearing.comments.exists(),
            "edit_form": forms.get("edit_form")
            or HearingEditForm(
                initial={
                    "title": hearing.title,
                    "draft": hearing.draft,
                    "opens_on": hearing.opens_on,
                    "closes_on": hearing.closes_on,
                }
            ),
            "may_comment": queries.may_comment(user, hearing),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "answer_form": forms.get("answer_form") or AnswerForm(),
            "error": forms.get("error"),
        },
        status=status,
    )


@login_required
@require_GET
def hearing_detail(request, hearing_id: int):
    return _hearing_page(request, queries.access_hearing(request.user, hearing_id))


@login_required
@require_POST
def hearing_edit(request, hearing_id: int):
    hearing = queries.access_hearing(request.user, hearing_id)
    if not queries.can_manage(request.user, hearing.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=HearingEditForm(request.POST),
        call=lambda data: actions.do_edit_hearing(actor=request.user, hearing=hearing, **data),
        on_error=lambda form, status: _hearing_page(
            request, hearing, status, edit_form=form, error=first_error(form)
        ),
        success_url=_hearing_url(hearing),
        message=_("听证草案已修改"),
    )


@login_required
@require_POST
def hearing_comment(request, hearing_id: int):
    hearing = queries.access_hearing(request.user, hearing_id)
    return step_view(
        request,
        form=CommentForm(request.POST),
        call=lambda data: actions.do_add_comment(actor=request.user, hearing=hearing, **data),
        on_error=lambda form, status: _hearing_page(
            request, hearing, status, comment_form=form, error=first_error(form)
        ),
        success_url=_hearing_url(hearing),
        message=_("意见已提交"),
    )


@login_required
@require_POST
def comment_answer(request, comment_id: int):
    comment = queries.access_comment(request.user, comment_id)
    hearing = comment.hearing
    if not queries.can_manage(request.user, hearing.org_unit):
        raise PermissionDenied
    return step_view(
        request,
        form=AnswerForm(request.POST),
        call=lambda data: actions.do_answer_comment(actor=request.user, comment=comment, **data),
        on_error=lambda form, status: _hearing_page(
            request, hearing, status, answer_form=form, error=first_error(form)
        ),
        success_url=_hearing_url(hearing),
        message=_("已答复"),
    )


@login_required
@require_POST
def hearing_close(request, hearing_id: int):
    hearing = queries.access_hearing(request.user, hearing_id)
    return transition_step(
        request,
        HEARING,
        "close",
        record=hearing,
        record_arg="hearing",
        on_error=lambda form, status: _hearing_page(
            request, hearing, status, error=first_error(form)
        ),
        success_url=_hearing_url(hearing),
        message=_("听证已结束"),
    )
