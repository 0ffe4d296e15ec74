"""Pages of module services: counseling under counseling/."""

from django.urls import include, path

from zhijia.services.views import counseling, volunteering

app_name = "services"

_counseling = [
    # the worker's pages (phone)
    path("", counseling.home, name="counseling-home"),
    path("slots/<int:slot_id>/", counseling.slot_detail, name="counseling-slot"),
    path("slots/<int:slot_id>/book/", counseling.slot_book, name="counseling-book"),
    path("bookings/<int:booking_id>/cancel/", counseling.booking_cancel, name="counseling-cancel"),
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

_v = volunteering
_volunteering = [
    # the member's pages (phone)
    path("", _v.home, name="volunteering-home"),
    path("mine/", _v.mine, name="volunteering-mine"),
    path("projects/<int:project_id>/", _v.project_detail, name="volunteering-project"),
    path("shifts/<int:shift_id>/signup/", _v.shift_signup, name="volunteering-signup"),
    path("signups/<int:signup_id>/withdraw/", _v.signup_withdraw, name="volunteering-withdraw"),
    path("drives/<int:drive_id>/", _v.drive_detail, name="volunteering-drive"),
    path("drives/<int:drive_id>/pledge/", _v.drive_pledge, name="volunteering-pledge"),
    # the cadre's desk (and a project leader's, for their own projects)
    path("desk/", _v.desk, name="volunteering-desk"),
    path("desk/projects/new/", _v.desk_project_new, name="volunteering-desk-project-new"),
    path("desk/projects/<int:project_id>/", _v.desk_project, name="volunteering-desk-project"),
    path(
        "desk/projects/<int:project_id>/shifts/new/",
        _v.desk_shift_new,
        name="volunteering-desk-shift-new",
    ),
    path(
        "desk/projects/<int:project_id>/<str:step>/",
        _v.desk_project_step,
        name="volunteering-desk-project-step",
    ),
    path("desk/shifts/<int:shift_id>/", _v.desk_shift, name="volunteering-desk-shift"),
    path(
        "desk/shifts/<int:shift_id>/confirm/",
        _v.desk_shift_confirm,
        name="volunteering-desk-shift-confirm",
    ),
    path(
        "desk/signups/<int:signup_id>/hours/",
        _v.desk_hours_record,
        name="volunteering-desk-hours-record",
    ),
    path(
        "desk/signups/<int:signup_id>/confirm/",
        _v.desk_hours_confirm,
        name="volunteering-desk-hours-confirm",
    ),
    path("desk/hours/", _v.desk_hours, name="volunteering-desk-hours"),
    path("desk/hours/export/", _v.desk_hours_export, name="volunteering-desk-hours-export"),
    path("desk/drives/", _v.desk_drives, name="volunteering-desk-drives"),
    path("desk/drives/new/", _v.desk_drive_new, name="volunteering-desk-drive-new"),
    path("desk/drives/<int:drive_id>/", _v.desk_drive, name="volunteering-desk-drive"),
    path(
        "desk/drives/<int:drive_id>/close/",
        _v.desk_drive_close,
        name="volunteering-desk-drive-close",
    ),
    path(
        "desk/drives/<int:drive_id>/donations/",
        _v.desk_donation_new,
        name="volunteering-desk-donation-new",
    ),
    path(
        "desk/drives/<int:drive_id>/export/",
        _v.desk_drive_export,
        name="volunteering-desk-drive-export",
    ),
    path(
        "desk/donations/<int:donation_id>/confirm/",
        _v.desk_donation_confirm,
        name="volunteering-desk-donation-confirm",
    ),
    path(
        "desk/donations/<int:donation_id>/cancel/",
        _v.desk_donation_cancel,
        name="volunteering-desk-donation-cancel",
    ),
]

urlpatterns: list = [
    path("counseling/", include(_counseling)),
    path("volunteering/", include(_volunteering)),
]
