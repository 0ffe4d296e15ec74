"""Pages of counseling, included at "counseling/"."""

from django.urls import path

from zhijia.services import views_counseling as views

urlpatterns = [
    # the worker's pages (phone)
    path("", views.home, name="counseling-home"),
    path("slots/<int:slot_id>/", views.slot_detail, name="counseling-slot"),
    path("slots/<int:slot_id>/book/", views.slot_book, name="counseling-book"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="counseling-cancel"),
    path("ask/", views.ask, name="counseling-ask"),
    path("follow/", views.follow, name="counseling-follow"),
    path("follow/reply/", views.follow_reply, name="counseling-follow-reply"),
    # the counselor's desk
    path("desk/", views.desk, name="counseling-desk"),
    path("desk/slots/new/", views.desk_slot_new, name="counseling-desk-slot-new"),
    path("desk/slots/<int:slot_id>/", views.desk_slot, name="counseling-desk-slot"),
    path(
        "desk/slots/<int:slot_id>/cancel/",
        views.desk_slot_cancel,
        name="counseling-desk-slot-cancel",
    ),
    path(
        "desk/slots/<int:slot_id>/note/", views.desk_note_for_slot, name="counseling-desk-slot-note"
    ),
    path(
        "desk/bookings/<int:booking_id>/note/",
        views.desk_note_for_booking,
        name="counseling-desk-booking-note",
    ),
    path(
        "desk/bookings/<int:booking_id>/<str:outcome>/",
        views.desk_outcome,
        name="counseling-desk-outcome",
    ),
    path("desk/notes/", views.desk_notes, name="counseling-desk-notes"),
    path("desk/notes/<int:note_id>/", views.desk_note, name="counseling-desk-note"),
    path("desk/questions/", views.desk_questions, name="counseling-desk-questions"),
    path(
        "desk/questions/<uuid:question_id>/",
        views.desk_question,
        name="counseling-desk-question",
    ),
    path(
        "desk/questions/<uuid:question_id>/close/",
        views.desk_question_close,
        name="counseling-desk-question-close",
    ),
]
