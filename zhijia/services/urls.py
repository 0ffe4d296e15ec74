"""Pages of module services: counseling under counseling/, surveys under surveys/."""

from django.urls import include, path

from zhijia.services.views import counseling, surveys

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

_surveys = [
    # the member's pages (phone)
    path("", surveys.mine, name="survey-mine"),
    path("<int:survey_id>/", surveys.answer, name="survey-answer"),
    path("<int:survey_id>/thanks/", surveys.thanks, name="survey-thanks"),
    # the cadre's pages
    path("manage/", surveys.manage_list, name="survey-list"),
    path("manage/export/", surveys.manage_export, name="survey-list-export"),
    path("manage/new/", surveys.manage_create, name="survey-create"),
    path("manage/<int:survey_id>/", surveys.manage_detail, name="survey-detail"),
    path("manage/<int:survey_id>/edit/", surveys.manage_edit, name="survey-edit"),
    path("manage/<int:survey_id>/remind/", surveys.manage_remind, name="survey-remind"),
    path("manage/<int:survey_id>/results/", surveys.manage_results, name="survey-results"),
    path(
        "manage/<int:survey_id>/results/export/",
        surveys.manage_results_export,
        name="survey-results-export",
    ),
    path(
        "manage/<int:survey_id>/responses/export/",
        surveys.manage_responses_export,
        name="survey-responses-export",
    ),
    path("manage/<int:survey_id>/<slug:step>/", surveys.manage_step, name="survey-step"),
]

urlpatterns: list = [
    path("counseling/", include(_counseling)),
    path("surveys/", include(_surveys)),
]
