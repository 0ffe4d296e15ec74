"""Pages of counseling: the worker's (phone) and the counselor's desk. Thin: parse, call one
query or action, render. Roles without access get 403; records that are not the caller's
(another counselor's slot or note, another worker's booking) get 404.

Anonymous Q&A pages carry the receipt code only in POST bodies (never in a URL, so no access
log or browser history keeps it) and are sent with Cache-Control: no-store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhijia.core import receipts
from zhijia.core.forms import SatisfactionForm, run_action
from zhijia.core.pagination import paginate
from zhijia.core.satisfaction import Satisfaction
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.services import privacy
from zhijia.services.actions import counseling as actions
from zhijia.services.forms.counseling import (
    AnswerForm,
    AskForm,
    BookingForm,
    FollowUpForm,
    NoteForm,
    OptionalReasonForm,
    ReasonForm,
    ReceiptForm,
    SlotForm,
)
from zhijia.services.models import (
    CounselingBooking,
    CounselingNote,
    CounselingQuestion,
    CounselingSlot,
)
from zhijia.services.queries import counseling as queries


@dataclass(eq=False)
class SlotRow(Row[CounselingSlot]):
    seats_left: int = 0


@dataclass(eq=False)
class BookingRow(Row[CounselingBooking]):
    """A booking on the worker's pages: may it still be cancelled, its place on the waitlist."""

    cancellable: bool = False
    position: int | None = None


@dataclass(eq=False)
class DeskBookingRow(Row[CounselingBooking]):
    """A booking on the counselor's desk: the decrypted topic and the counselor's own notes."""

    topic: str = ""
    notes: list[CounselingNote] = field(default_factory=list)


HEAD = "services/counseling_head.html"


def _require_user(request) -> None:
    if not queries.may_use_counseling(request.user):
        raise PermissionDenied


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_counselor(request) -> None:
    if not queries.is_counselor(request.user):
        raise PermissionDenied


# --- the worker's pages ---------------------------------------------------------------------------


@login_required
def home(request):
    _require_user(request)
    user = request.user
    slots = paginate(request, queries.open_slots(user))
    slots.items = [SlotRow(slot, seats_left=queries.seats_left(slot)) for slot in slots.items]
    now = timezone.now()
    active = list(
        queries.my_bookings(user).filter(
            status__in=CounselingBooking.ACTIVE, slot__starts_at__gt=now
        )
    )
    upcoming = [
        BookingRow(b, cancellable=queries.can_cancel(b, now), position=queries.waitlist_position(b))
        for b in active
    ]
    past = paginate(
        request,
        queries.my_bookings(user).exclude(pk__in=[b.pk for b in active]),
        10,
        param="past",
    )
    return render(
        request,
        "services/counseling_home.html",
        {
            "title": _("心理咨询"),
            "slots": slots,
            "individual": [s for s in slots.items if s.kind == CounselingSlot.Kind.INDIVIDUAL],
            "groups": [s for s in slots.items if s.kind == CounselingSlot.Kind.GROUP],
            "upcoming": upcoming,
            "past": past,
            "ratings": Satisfaction.choices,
            "is_member": queries.is_member(user),
            "cancel_hours": int(queries.cancel_cutoff().total_seconds() // 3600),
        },
    )


def _slot_page(request, slot, *, form=None, status=200):
    user = request.user
    active = queries.active_booking(user, slot)
    booking = (
        BookingRow(
            active,
            cancellable=queries.can_cancel(active),
            position=queries.waitlist_position(active),
        )
        if active is not None
        else None
    )
    can_book = (
        booking is None
        and queries.is_member(user)
        and slot.status == CounselingSlot.Status.OPEN
        and slot.starts_at > timezone.now()
        and slot.counselor_id != user.pk
    )
    return render(
        request,
        "services/counseling_slot.html",
        {
            "title": slot.title or slot.get_kind_display(),
            "slot": slot,
            "seats_left": queries.seats_left(slot),
            "booking": booking,
            "can_book": can_book,
            "form": form or BookingForm(),
            "cancel_hours": int(queries.cancel_cutoff().total_seconds() // 3600),
        },
        status=status,
    )


@login_required
def slot_detail(request, slot_id: int):
    _require_user(request)
    return _slot_page(request, queries.access_open_slot(request.user, slot_id))


@login_required
@require_POST
def slot_book(request, slot_id: int):
    _require_member(request)
    slot = queries.access_open_slot(request.user, slot_id)
    return step_view(
        request,
        form=BookingForm(request.POST),
        call=lambda data: actions.do_book_counseling(
            actor=request.user, slot=slot, topic=data["topic"]
        ),
        on_error=lambda bound, status: _slot_page(request, slot, form=bound, status=status),
        success_url=lambda booking: _booked(request, booking),
    )


def _booked(request, booking) -> str:
    """The confirmation says whether the booking holds a place or waits for one."""
    if booking.status == CounselingBooking.Status.WAITLISTED:
        messages.success(request, _("名额已满，您已进入候补名单；有人退出时会通知您"))
    else:
        messages.success(request, _("预约成功，开始前会提醒您"))
    return reverse("services:counseling-slot", args=[booking.slot_id])


@login_required
@require_POST
def booking_rate(request, booking_id: int):
    booking = queries.access_booking(request.user, booking_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _slot_page(request, booking.slot, status=status)

    return step_view(
        request,
        form=SatisfactionForm(request.POST),
        call=lambda data: actions.do_rate_counseling(
            actor=request.user, booking=booking, rating=data["rating"]
        ),
        on_error=refused,
        success_url=reverse("services:counseling-home"),
        message=_("感谢您的评价"),
    )


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = queries.access_booking(request.user, booking_id)
    form = OptionalReasonForm(request.POST)

    def refused(bound, status):
        # The refusal on the slot's page, with a status that says so (never a redirect).
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _slot_page(request, booking.slot, status=status)

    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_cancel_counseling_booking(
            actor=request.user, booking=booking, reason=data.get("reason", "")
        ),
        on_error=refused,
        success_url=reverse("services:counseling-home"),
        message=_("预约已取消"),
    )


# --- anonymous Q&A (worker) -----------------------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def ask(request):
    _require_member(request)
    # Not step_view: the answer to a question is the receipt page itself (201), never a
    # redirect, because the code is stored nowhere and no later page can show it again.
    form = AskForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result, status = run_action(
                form,
                lambda: actions.do_ask_counseling_question(
                    actor=request.user,
                    topic=form.cleaned_data["topic"],
                    body=form.cleaned_data["body"],
                ),
            )
            if result is not None:
                _question, code = result
                # Shown here once: it is stored nowhere, so no later page can show it again.
                return _private(
                    render(
                        request,
                        "services/counseling_receipt.html",
                        {"title": _("提问已匿名提交"), "code": code},
                        status=201,
                    )
                )
        else:
            status = 400
    return _private(
        render(
            request,
            "services/counseling_ask.html",
            {"title": _("匿名提问"), "form": form},
            status=status,
        )
    )


def _thread_page(request, question, *, form=None, status=200, code=""):
    return _private(
        render(
            request,
            "services/counseling_thread.html",
            {
                "title": _("我的匿名提问"),
                "question": question,
                "thread": queries.messages_of(question),
                "form": form or FollowUpForm(initial={"code": code}),
                "closed": question.status == CounselingQuestion.Status.CLOSED,
            },
            status=status,
        )
    )


def _open_by_receipt(request, form):
    """(question, error response): the rate limit is checked first, wrong codes counted."""
    try:
        receipts.check_rate_limit(request, queries.RECEIPT_SCOPE, form.cleaned_data["code"])
    except receipts.RateLimited as exc:
        form.add_error(None, exc.message)
        return None, _follow_page(request, form, status=429, retry_after=exc.retry_after)
    question = queries.question_by_receipt(form.cleaned_data["code"])
    if question is None:
        receipts.register_failure(request, queries.RECEIPT_SCOPE, form.cleaned_data["code"])
        form.add_error("code", _("收据码不正确，请核对后重新输入"))
        return None, _follow_page(request, form, status=404)
    return question, None


def _follow_page(request, form, *, status=200, retry_after=None):
    response = _private(
        render(
            request,
            "services/counseling_follow.html",
            {"title": _("查看匿名提问"), "form": form},
            status=status,
        )
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@login_required
def follow(request):
    """Enter the receipt code (POST) to read the replies."""
    if request.method != "POST":
        return _follow_page(request, ReceiptForm())
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _follow_page(request, form, status=400)
    question, error = _open_by_receipt(request, form)
    if error is not None:
        return error
    return _thread_page(request, question, code=form.cleaned_data["code"])


@never_cache
@login_required
@require_POST
def follow_reply(request):
    # Not step_view: the thread is answered in place, because a redirect would need the receipt
    # code in its URL (the code only ever travels in a POST body).
    form = FollowUpForm(request.POST)
    code_form = ReceiptForm({"code": request.POST.get("code", "")})
    if not code_form.is_valid():
        return _follow_page(request, code_form, status=400)
    question, error = _open_by_receipt(request, code_form)
    if error is not None:
        return error
    if not form.is_valid():
        return _thread_page(request, question, form=form, status=400)
    message, status = run_action(
        form,
        lambda: actions.do_follow_up_counseling_question(
            question=question, body=form.cleaned_data["body"]
        ),
    )
    if message is None:
        return _thread_page(request, question, form=form, status=status)
    question.refresh_from_db()
    messages.success(request, _("留言已发送，心理咨询师会尽快回复"))
    return _thread_page(request, question, code=form.cleaned_data["code"])


# --- the counselor's desk -------------------------------------------------------------------------


@login_required
def desk(request):
    _require_counselor(request)
    user = request.user
    upcoming = paginate(request, queries.counselor_slots(user, upcoming=True))
    past = paginate(request, queries.counselor_slots(user, upcoming=False), 30, param="past")
    return render(
        request,
        "services/counseling_desk.html",
        {
            "title": _("咨询日程"),
            "upcoming": upcoming,
            "past": past,
            "open_questions": queries.questions_for_counselors(
                user, status=CounselingQuestion.Status.OPEN
            ).count(),
        },
    )


@login_required
def desk_slot_new(request):
    _require_counselor(request)
    form = SlotForm(request.POST or None)

    def page(bound, status=200):
        return render(
            request,
            "services/counseling_slot_form.html",
            {"title": _("发布咨询时段"), "form": bound},
            status=status,
        )

    if request.method != "POST":
        return page(form)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_publish_counseling_slot(actor=request.user, **data),
        on_error=page,
        success_url=lambda slot: reverse("services:counseling-desk-slot", args=[slot.pk]),
        message=_("咨询时段已发布"),
    )


def _desk_slot_page(request, slot, *, cancel_form=None, status=200):
    user = request.user
    notes: dict[int | None, list[CounselingNote]] = {}
    for note in queries.my_notes(user).filter(booking__slot=slot):
        notes.setdefault(note.booking_id, []).append(note)
    bookings = [
        DeskBookingRow(b, topic=b.get_topic(), notes=notes.get(b.pk, []))
        for b in queries.bookings_of_slot(slot)
    ]
    return render(
        request,
        "services/counseling_desk_slot.html",
        {
            "title": str(slot),
            "slot": slot,
            "bookings": bookings,
            "group_notes": queries.notes_for_slot(user, slot),
            "started": slot.starts_at <= timezone.now(),
            "cancel_form": cancel_form or ReasonForm(),
            "can_cancel": slot.status == CounselingSlot.Status.OPEN
            and slot.ends_at > timezone.now(),
        },
        status=status,
    )


@login_required
def desk_slot(request, slot_id: int):
    _require_counselor(request)
    return _desk_slot_page(request, queries.access_own_slot(request.user, slot_id))


@login_required
@require_POST
def desk_slot_cancel(request, slot_id: int):
    _require_counselor(request)
    slot = queries.access_own_slot(request.user, slot_id)
    return step_view(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: actions.do_cancel_counseling_slot(
            actor=request.user, slot=slot, reason=data["reason"]
        ),
        on_error=lambda bound, status: _desk_slot_page(
            request, slot, cancel_form=bound, status=status
        ),
        success_url=reverse("services:counseling-desk"),
        message=_("时段已取消，已通知预约者"),
    )


@login_required
@require_POST
def desk_outcome(request, booking_id: int, outcome: str):
    _require_counselor(request)
    booking = queries.access_booking_as_counselor(request.user, booking_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _desk_slot_page(request, booking.slot, status=status)

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_record_counseling_outcome(
            actor=request.user, booking=booking, outcome=outcome
        ),
        on_error=refused,
        success_url=reverse("services:counseling-desk-slot", args=[booking.slot_id]),
        message=_("已登记"),
    )


def _note_form_page(request, *, form, subject, back_url, status=200, note=None):
    return render(
        request,
        "services/counseling_note_form.html",
        {
            "title": _("修改咨询记录") if note else _("撰写咨询记录"),
            "form": form,
            "subject": subject,
            "back_url": back_url,
            "note": note,
        },
        status=status,
    )


@login_required
def desk_note_for_booking(request, booking_id: int):
    _require_counselor(request)
    booking = queries.access_booking_as_counselor(request.user, booking_id)
    return _new_note(request, booking=booking, slot=None, subject=booking)


@login_required
def desk_note_for_slot(request, slot_id: int):
    _require_counselor(request)
    slot = queries.access_own_slot(request.user, slot_id)
    return _new_note(request, booking=None, slot=slot, subject=slot)


def _new_note(request, *, booking, slot, subject):
    back = reverse("services:counseling-desk-slot", args=[booking.slot_id if booking else slot.pk])
    form = NoteForm(request.POST or None)
    if request.method != "POST":
        return _note_form_page(request, form=form, subject=subject, back_url=back)
    return step_view(
        request,
        form=form,
        call=lambda data: actions.do_write_counseling_note(
            actor=request.user, body=data["body"], booking=booking, slot=slot
        ),
        on_error=lambda bound, status: _note_form_page(
            request, form=bound, subject=subject, back_url=back, status=status
        ),
        success_url=lambda note: reverse("services:counseling-desk-note", args=[note.pk]),
        message=_("咨询记录已加密保存"),
    )


@login_required
def desk_notes(request):
    _require_counselor(request)
    return render(
        request,
        "services/counseling_notes.html",
        {"title": _("我的咨询记录"), "notes": paginate(request, queries.my_notes(request.user))},
    )


@never_cache
@login_required
def desk_note(request, note_id: int):
    _require_counselor(request)
    note = queries.access_note(request.user, note_id)
    subject = note.booking or note.slot
    slot_id = note.booking.slot_id if note.booking is not None else note.slot_id
    back = reverse("services:counseling-desk-slot", args=[slot_id])
    if request.method == "POST":
        return step_view(
            request,
            form=NoteForm(request.POST),
            call=lambda data: actions.do_edit_counseling_note(
                actor=request.user, note=note, body=data["body"]
            ),
            on_error=lambda bound, status: _note_form_page(
                request, form=bound, subject=subject, back_url=back, status=status, note=note
            ),
            success_url=reverse("services:counseling-desk-note", args=[note.pk]),
            message=_("咨询记录已更新"),
        )
    privacy.record_note_read(request.user, note)
    form = NoteForm(initial={"body": note.get_body()})
    return _note_form_page(request, form=form, subject=subject, back_url=back, note=note)


@login_required
def desk_questions(request):
    _require_counselor(request)
    status = request.GET.get("status", "")
    if status not in CounselingQuestion.Status.values:
        status = ""
    return render(
        request,
        "services/counseling_desk_questions.html",
        {
            "title": _("匿名提问"),
            "questions": paginate(
                request, queries.questions_for_counselors(request.user, status=status)
            ),
            "status": status,
            "statuses": CounselingQuestion.Status.choices,
        },
    )


def _desk_question_page(request, question, *, form=None, status=200):
    return _private(
        render(
            request,
            "services/counseling_desk_question.html",
            {
                "title": _("匿名提问"),
                "question": question,
                "thread": queries.messages_of(question),
                "form": form or AnswerForm(),
                "closed": question.status == CounselingQuestion.Status.CLOSED,
            },
            status=status,
        )
    )


@login_required
def desk_question(request, question_id):
    _require_counselor(request)
    question = queries.access_question(request.user, question_id)
    if request.method != "POST":
        return _desk_question_page(request, question)
    return step_view(
        request,
        form=AnswerForm(request.POST),
        call=lambda data: actions.do_answer_counseling_question(
            actor=request.user, question=question, body=data["body"]
        ),
        on_error=lambda bound, status: _desk_question_page(
            request, question, form=bound, status=status
        ),
        success_url=reverse("services:counseling-desk-question", args=[question.pk]),
        message=_("回复已发送；提问者凭收据码查看"),
    )


@login_required
@require_POST
def desk_question_close(request, question_id):
    _require_counselor(request)
    question = queries.access_question(request.user, question_id)

    def refused(bound, status):
        messages.error(request, first_error(bound) or _("操作未完成"))
        return _desk_question_page(request, question, status=status)

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_close_counseling_question(
            actor=request.user, question=question
        ),
        on_error=refused,
        success_url=reverse("services:counseling-desk-questions"),
        message=_("已结束该咨询"),
    )
