"""Pages of module services: counseling under counseling/, surveys under surveys/, activities
and interest groups under activities/."""

from django.urls import include, path

from zhijia.services.views import (
    activities,
    clubs,
    competitions,
    counseling,
    suggestions,
    surveys,
    volunteering,
)

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

# --- suggestions (合理化建议) ---------------------------------------------------------------------
_sg = suggestions
_suggestions = [
    # the member's pages (phone)
    path("", _sg.home, name="suggestions-home"),
    path("mine/export/", _sg.mine_export, name="suggestions-mine-export"),
    path("new/", _sg.new, name="suggestions-new"),
    path("similar/", _sg.similar, name="suggestions-similar"),
    path("<int:suggestion_id>/", _sg.detail, name="suggestions-detail"),
    path("<int:suggestion_id>/rate/", _sg.rate, name="suggestions-rate"),
    # the steps (department handlers, experts, finance, cadres)
    path("<int:suggestion_id>/step/<str:step>/", _sg.step, name="suggestions-step"),
    path("<int:suggestion_id>/experts/", _sg.experts, name="suggestions-experts"),
    path("<int:suggestion_id>/score/", _sg.score, name="suggestions-score"),
    path("<int:suggestion_id>/milestones/", _sg.milestone_new, name="suggestions-milestone-new"),
    path(
        "milestones/<int:milestone_id>/complete/",
        _sg.milestone_complete,
        name="suggestions-milestone-complete",
    ),
    # the desk
    path("desk/", _sg.desk, name="suggestions-desk"),
    path("desk/export/", _sg.desk_export, name="suggestions-desk-export"),
    path("figures/", _sg.figures, name="suggestions-figures"),
    path("figures/export/", _sg.figures_export, name="suggestions-figures-export"),
    path("config/", _sg.config, name="suggestions-config"),
]


# --- competitions -------------------------------------------------------------------------------
_c = competitions
_competitions = [
    # the member's pages (phone); a branch cadre registers a team from the competition's page
    path("", _c.home, name="competitions-home"),
    path("<int:competition_id>/", _c.detail, name="competitions-detail"),
    path("<int:competition_id>/register/", _c.register, name="competitions-register"),
    path("<int:competition_id>/team/", _c.team, name="competitions-team"),
    path("<int:competition_id>/ranking/", _c.ranking, name="competitions-ranking"),
    path("<int:competition_id>/objections/", _c.objection, name="competitions-objection"),
    path("entries/<int:entry_id>/withdraw/", _c.withdraw, name="competitions-withdraw"),
    # the judge's scoring desk
    path("judge/", _c.judge, name="competitions-judge"),
    path("judge/stages/<int:stage_id>/", _c.judge_stage, name="competitions-judge-stage"),
    path(
        "judge/stages/<int:stage_id>/entries/<int:entry_id>/score/",
        _c.judge_score,
        name="competitions-judge-score",
    ),
    path(
        "judge/stages/<int:stage_id>/entries/<int:entry_id>/conflict/",
        _c.judge_conflict,
        name="competitions-judge-conflict",
    ),
    # the organiser's desk
    path("desk/", _c.desk, name="competitions-desk"),
    path("desk/new/", _c.desk_new, name="competitions-desk-new"),
    path("desk/<int:competition_id>/", _c.desk_detail, name="competitions-desk-detail"),
    path("desk/<int:competition_id>/items/", _c.desk_item, name="competitions-desk-item"),
    path("desk/<int:competition_id>/stages/", _c.desk_stage, name="competitions-desk-stage"),
    path("desk/<int:competition_id>/judges/", _c.desk_judge, name="competitions-desk-judge"),
    path(
        "desk/<int:competition_id>/entries.xlsx",
        _c.desk_entries_export,
        name="competitions-desk-entries-export",
    ),
    path("desk/<int:competition_id>/<str:step>/", _c.desk_step, name="competitions-desk-step"),
    path(
        "desk/stages/<int:stage_id>/", _c.desk_stage_detail, name="competitions-desk-stage-detail"
    ),
    path(
        "desk/stages/<int:stage_id>/scores.xlsx",
        _c.desk_scores_export,
        name="competitions-desk-scores-export",
    ),
    path(
        "desk/stages/<int:stage_id>/ranking.xlsx",
        _c.desk_ranking_export,
        name="competitions-desk-ranking-export",
    ),
    path(
        "desk/stages/<int:stage_id>/<str:step>/",
        _c.desk_stage_step,
        name="competitions-desk-stage-step",
    ),
    path(
        "desk/objections/<int:objection_id>/answer/",
        _c.desk_answer,
        name="competitions-desk-answer",
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
    path("suggestions/", include(_suggestions)),
    path("competitions/", include(_competitions)),
    path("honours/", include(_honours)),
]

# --- learning (培训) -----------------------------------------------------------------------------

from zhijia.services.views import learning, learning_desk  # noqa: E402

_learning = [
    # the member's pages (phone)
    path("", learning.home, name="learning-home"),
    path("record/", learning.record, name="learning-record"),
    path("courses/<int:course_id>/", learning.course_detail, name="learning-course"),
    path("courses/<int:course_id>/enrol/", learning.course_enrol, name="learning-enrol"),
    path("courses/<int:course_id>/done/", learning.material_done, name="learning-material-done"),
    path("courses/<int:course_id>/test/", learning.test_start, name="learning-test-start"),
    path("courses/<int:course_id>/rate/", learning.course_rate, name="learning-rate"),
    path("attempts/<int:attempt_id>/", learning.attempt_detail, name="learning-attempt"),
    path(
        "attempts/<int:attempt_id>/submit/",
        learning.attempt_submit,
        name="learning-attempt-submit",
    ),
    path(
        "certificates/<int:certificate_id>/pdf/",
        learning.certificate_pdf,
        name="learning-certificate-pdf",
    ),
    # public: the certificate's QR code opens it (no sign-in)
    path("verify/<str:token>/", learning.verify, name="learning-verify"),
    # the cadre's desk
    path("desk/", learning_desk.desk, name="learning-desk"),
    path("desk/export/", learning_desk.desk_export, name="learning-desk-export"),
    path("desk/courses/new/", learning_desk.desk_course_new, name="learning-desk-course-new"),
    path("desk/courses/<int:course_id>/", learning_desk.desk_course, name="learning-desk-course"),
    path(
        "desk/courses/<int:course_id>/sessions/new/",
        learning_desk.desk_session_new,
        name="learning-desk-session-new",
    ),
    path(
        "desk/courses/<int:course_id>/material/",
        learning_desk.desk_material,
        name="learning-desk-material",
    ),
    path(
        "desk/courses/<int:course_id>/questions/",
        learning_desk.desk_questions_import,
        name="learning-desk-questions-import",
    ),
    path(
        "desk/courses/<int:course_id>/assign/",
        learning_desk.desk_assign,
        name="learning-desk-assign",
    ),
    path(
        "desk/courses/<int:course_id>/export/",
        learning_desk.desk_enrolments_export,
        name="learning-desk-enrolments-export",
    ),
    path(
        "desk/courses/<int:course_id>/step/<slug:step>/",
        learning_desk.desk_course_step,
        name="learning-desk-course-step",
    ),
    path(
        "desk/questions/template/",
        learning_desk.desk_questions_template,
        name="learning-desk-questions-template",
    ),
    path(
        "desk/sessions/<int:session_id>/",
        learning_desk.desk_session,
        name="learning-desk-session",
    ),
    path(
        "desk/sessions/<int:session_id>/checkin/",
        learning_desk.desk_checkin,
        name="learning-desk-checkin",
    ),
    path(
        "desk/sessions/<int:session_id>/attend/<int:enrolment_id>/",
        learning_desk.desk_attend,
        name="learning-desk-attend",
    ),
    path(
        "desk/certificates/<int:certificate_id>/revoke/",
        learning_desk.desk_revoke,
        name="learning-desk-revoke",
    ),
    path("desk/plans/", learning_desk.desk_plans, name="learning-desk-plans"),
    path("desk/plans/export/", learning_desk.desk_plans_export, name="learning-desk-plans-export"),
    path("desk/report/", learning_desk.desk_report, name="learning-desk-report"),
    path(
        "desk/report/export/",
        learning_desk.desk_report_export,
        name="learning-desk-report-export",
    ),
]

urlpatterns.append(path("learning/", include(_learning)))
