"""Pages of module services: counseling under counseling/, surveys under surveys/, activities
and interest groups under activities/."""

from django.urls import include, path

from zhijia.services.views import activities, clubs, counseling, surveys, volunteering

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

_activities = [
    # the worker's pages (phone)
    path("", activities.home, name="activities-home"),
    path("mine/", activities.mine, name="activities-mine"),
    path("<int:activity_id>/", activities.detail, name="activities-detail"),
    path("<int:activity_id>/register/", activities.register, name="activities-register"),
    path(
        "registrations/<int:registration_id>/",
        activities.ticket,
        name="activities-ticket",
    ),
    path(
        "registrations/<int:registration_id>/cancel/",
        activities.registration_cancel,
        name="activities-registration-cancel",
    ),
    path(
        "registrations/<int:registration_id>/confirm/",
        activities.offer_confirm,
        name="activities-offer-confirm",
    ),
    path(
        "registrations/<int:registration_id>/decline/",
        activities.offer_decline,
        name="activities-offer-decline",
    ),
    path("registrations/<int:registration_id>/rate/", activities.rate, name="activities-rate"),
    # the cadres' pages
    path("manage/", activities.manage, name="activities-manage"),
    path("manage/export/", activities.manage_export, name="activities-manage-export"),
    path("manage/new/", activities.create, name="activities-new"),
    path("manage/<int:activity_id>/", activities.manage_detail, name="activities-manage-detail"),
    path("manage/<int:activity_id>/edit/", activities.edit, name="activities-edit"),
    path("manage/<int:activity_id>/publish/", activities.publish, name="activities-publish"),
    path("manage/<int:activity_id>/close/", activities.close, name="activities-close"),
    path("manage/<int:activity_id>/finish/", activities.finish, name="activities-finish"),
    path("manage/<int:activity_id>/cancel/", activities.cancel, name="activities-cancel"),
    path("manage/<int:activity_id>/draw/", activities.draw, name="activities-draw"),
    path("manage/<int:activity_id>/photos/", activities.photos, name="activities-photos"),
    path(
        "manage/<int:activity_id>/registrations.xlsx",
        activities.registrations_export,
        name="activities-registrations-export",
    ),
    path(
        "manage/<int:activity_id>/attendance.xlsx",
        activities.attendance_export,
        name="activities-attendance-export",
    ),
    path("manage/<int:activity_id>/checkin/", activities.checkin, name="activities-checkin"),
    path(
        "manage/<int:activity_id>/checkin/<int:registration_id>/",
        activities.checkin_tick,
        name="activities-checkin-tick",
    ),
    # interest groups
    path("clubs/", clubs.home, name="clubs-home"),
    path("clubs/<int:club_id>/", clubs.detail, name="clubs-detail"),
    path("clubs/<int:club_id>/join/", clubs.join, name="clubs-join"),
    path("clubs/<int:club_id>/leave/", clubs.leave, name="clubs-leave"),
    path("clubs/manage/", clubs.manage, name="clubs-manage"),
    path("clubs/manage/export/", clubs.manage_list_export, name="clubs-manage-list-export"),
    path("clubs/manage/new/", clubs.create, name="clubs-new"),
    path("clubs/manage/<int:club_id>/", clubs.manage_detail, name="clubs-manage-detail"),
    path(
        "clubs/manage/<int:club_id>/members.xlsx",
        clubs.manage_export,
        name="clubs-manage-export",
    ),
    path(
        "clubs/manage/memberships/<int:membership_id>/leader/",
        clubs.leader,
        name="clubs-leader",
    ),
    path(
        "clubs/manage/memberships/<int:membership_id>/<str:decision>/",
        clubs.decide,
        name="clubs-decide",
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

# --- honours (荣誉) -----------------------------------------------------------------------------
from zhijia.services.views import honours as _h  # noqa: E402
from zhijia.services.views import honours_teams as _ht  # noqa: E402

_honours = [
    # the worker's page (phone)
    path("", _h.mine, name="honours-mine"),
    # the cadres' registry
    path("desk/", _h.desk, name="honours-desk"),
    path("desk/export/", _h.desk_export, name="honours-desk-export"),
    path("desk/new/", _h.desk_new, name="honours-desk-new"),
    path("desk/<int:honour_id>/", _h.desk_honour, name="honours-desk-honour"),
    path("desk/<int:honour_id>/edit/", _h.desk_honour_edit, name="honours-desk-honour-edit"),
    path("desk/<int:honour_id>/revoke/", _h.desk_honour_revoke, name="honours-desk-honour-revoke"),
    path(
        "desk/<int:honour_id>/documents/",
        _h.desk_honour_documents,
        name="honours-desk-honour-documents",
    ),
    # 劳模 care
    path("care/", _h.care, name="honours-care"),
    path("care/export/", _h.care_export, name="honours-care-export"),
    path("care/record/", _h.care_record, name="honours-care-record"),
    path("care/items/", _h.care_items, name="honours-care-items"),
    path("care/items/<int:item_id>/active/", _h.care_item_active, name="honours-care-item-active"),
    # "五型"班组
    path("teams/", _ht.assessments, name="honours-assessments"),
    path("teams/export/", _ht.assessments_export, name="honours-assessments-export"),
    path("teams/new/", _ht.assessment_new, name="honours-assessment-new"),
    path("teams/criteria/", _ht.criteria, name="honours-criteria"),
    path(
        "teams/criteria/<int:criterion_id>/active/",
        _ht.criterion_active,
        name="honours-criterion-active",
    ),
    path("teams/<int:assessment_id>/", _ht.assessment, name="honours-assessment"),
    path(
        "teams/<int:assessment_id>/scores/",
        _ht.assessment_scores,
        name="honours-assessment-scores",
    ),
    path(
        "teams/<int:assessment_id>/documents/",
        _ht.assessment_documents,
        name="honours-assessment-documents",
    ),
    path(
        "teams/<int:assessment_id>/submit/",
        _ht.assessment_submit,
        name="honours-assessment-submit",
    ),
    path(
        "teams/<int:assessment_id>/review/",
        _ht.assessment_review,
        name="honours-assessment-review",
    ),
    # innovation studios
    path("studios/", _ht.studios, name="honours-studios"),
    path("studios/export/", _ht.studios_export, name="honours-studios-export"),
    path("studios/new/", _ht.studio_new, name="honours-studio-new"),
    path("studios/<int:studio_id>/", _ht.studio, name="honours-studio"),
    path("studios/<int:studio_id>/export/", _ht.studio_export, name="honours-studio-export"),
    path(
        "studios/<int:studio_id>/members/",
        _ht.studio_member_add,
        name="honours-studio-member-add",
    ),
    path(
        "studios/<int:studio_id>/projects/",
        _ht.studio_project_add,
        name="honours-studio-project-add",
    ),
    path(
        "studios/projects/<int:project_id>/status/",
        _ht.studio_project_status,
        name="honours-studio-project-status",
    ),
    path(
        "studios/<int:studio_id>/results/",
        _ht.studio_result_add,
        name="honours-studio-result-add",
    ),
]

urlpatterns: list = [
    path("counseling/", include(_counseling)),
    path("surveys/", include(_surveys)),
    path("activities/", include(_activities)),
    path("volunteering/", include(_volunteering)),
    path("honours/", include(_honours)),
]
