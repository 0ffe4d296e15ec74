"""Pages of module services: counseling under counseling/."""

from django.urls import include, path

from zhijia.services.views import counseling

app_name = "services"

_counseling = [
    # the worker's pages (phone)
    path("", counseling.home, name="counseling-home"),
    path("slots/<int:slot_id>/", counseling.slot_detail, name="counseling-slot"),
    path("slots/<int:slot_id>/book/", counseling.slot_book, name="counseling-book"),
    path("bookings/<int:booking_id>/cancel/", counseling.booking_cancel, name="counseling-cancel"),
    path("bookings/<int:booking_id>/rate/", counseling.booking_rate, name="counseling-rate"),
    path("ask/", counseling.ask, name="counseling-ask"),
    path("follow/", counseling.follow, name="counseling-follow"),
    path("follow/reply/", counseling.follow_reply, name="counseling-follow-reply"),
    # the counselor's desk
    path("desk/", counseling.desk, name="counseling-desk"),
    path("desk/slots/new/", counseling.desk_slot_new, name="counseling-desk-slot-new"),
    path("desk/slots/<int:slot_id>/", counseling.desk_slot, name="counseling-desk-slot"),
    path(
        "desk/slots/<int:slot_id>/cancel/",
        counseling.desk_slot_cancel,
        name="counseling-desk-slot-cancel",
    ),
    path(
        "desk/slots/<int:slot_id>/note/",
        counseling.desk_note_for_slot,
        name="counseling-desk-slot-note",
    ),
    path(
        "desk/bookings/<int:booking_id>/note/",
        counseling.desk_note_for_booking,
        name="counseling-desk-booking-note",
    ),
    path(
        "desk/bookings/<int:booking_id>/<str:outcome>/",
        counseling.desk_outcome,
        name="counseling-desk-outcome",
    ),
    path("desk/notes/", counseling.desk_notes, name="counseling-desk-notes"),
    path("desk/notes/<int:note_id>/", counseling.desk_note, name="counseling-desk-note"),
    path("desk/questions/", counseling.desk_questions, name="counseling-desk-questions"),
    path(
        "desk/questions/<uuid:question_id>/",
        counseling.desk_question,
        name="counseling-desk-question",
    ),
    path(
        "desk/questions/<uuid:question_id>/close/",
        counseling.desk_question_close,
        name="counseling-desk-question-close",
    ),
]

urlpatterns: list = [
    path("counseling/", include(_counseling)),
]
