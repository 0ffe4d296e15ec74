"""Pages of module congress: terms, sessions, representatives and elections at the root,
proposals under proposals/, inspection tours under inspections/, the follow-up of resolutions
under followup/, the participation channels (reception days, hearings) under channels/."""

from django.urls import include, path

from zhijia.congress.views import (
    bodies,
    channels,
    channels_meetings,
    checklist,
    desk,
    elections,
    followup,
    inspections,
    proposals,
    sessions,
)

app_name = "congress"

_sessions = [
    # cadres at the desk
    path("", sessions.term_list, name="term-list"),
    path("terms/<int:term_id>/", sessions.term_detail, name="term-detail"),
    path("terms/<int:term_id>/edit/", sessions.term_edit, name="term-edit"),
    path("terms/<int:term_id>/slate/", sessions.term_slate, name="term-slate"),
    path("terms/<int:term_id>/sessions/new/", sessions.session_schedule, name="session-schedule"),
    path("terms/<int:term_id>/representatives/", sessions.rep_list, name="rep-list"),
    path("terms/<int:term_id>/representatives/cards/", sessions.rep_badges, name="rep-badges"),
    path("representatives/<int:rep_id>/", sessions.rep_edit, name="rep-edit"),
    path("representatives/<int:rep_id>/end/", sessions.rep_end, name="rep-end"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/count/", sessions.session_count, name="session-count"),
    path(
        "sessions/<int:session_id>/state/<slug:step>/",
        sessions.session_transition,
        name="session-transition",
    ),
    path("sessions/<int:session_id>/desk/", sessions.checkin_desk, name="checkin-desk"),
    path("sessions/<int:session_id>/roll-call/", desk.rollcall, name="checkin-rollcall"),
    path(
        "sessions/<int:session_id>/roll-call/<int:rep_id>/",
        desk.rollcall_mark,
        name="checkin-rollcall-mark",
    ),
    path(
        "sessions/<int:session_id>/roll-call/all-present/",
        desk.all_present_except,
        name="checkin-all-present",
    ),
    path("sessions/<int:session_id>/live/", desk.live_count, name="session-live"),
    path(
        "sessions/<int:session_id>/hall-code/", sessions.checkin_hall_code, name="checkin-hall-code"
    ),
    path("sessions/<int:session_id>/items/new/", sessions.item_add, name="item-add"),
    path(
        "sessions/<int:session_id>/scrutineers/",
        sessions.session_scrutineers,
        name="session-scrutineers",
    ),
    path("sessions/<int:session_id>/results/", sessions.session_results, name="session-results"),
    path(
        "sessions/<int:session_id>/results/print/",
        sessions.session_results_print,
        name="session-results-print",
    ),
    path(
        "sessions/<int:session_id>/results.pdf",
        sessions.session_results_pdf,
        name="session-results-pdf",
    ),
    path("items/<int:item_id>/resolution/", sessions.item_resolution, name="item-resolution"),
    path(
        "items/<int:item_id>/resolution.pdf",
        sessions.item_resolution_pdf,
        name="item-resolution-pdf",
    ),
    path("items/<int:item_id>/vote/paper/", desk.item_open_paper, name="item-open-paper"),
    path("items/<int:item_id>/vote/<slug:step>/", sessions.item_action, name="item-action"),
    # representatives on the phone
    path("my/", sessions.my_sessions, name="my-sessions"),
    path("my/sessions/<int:session_id>/", sessions.my_session, name="my-session"),
    path("my/code/<int:rep_id>/", sessions.my_qr, name="my-qr"),
    path("my/code/<int:rep_id>/reset/", sessions.my_qr_reset, name="my-qr-reset"),
    path("checkin/<int:session_id>/<str:token>/", sessions.hall_checkin, name="hall-checkin"),
    # representative elections
    path("elections/", elections.election_list, name="election-list"),
    path("elections/<int:election_id>/", elections.election_detail, name="election-detail"),
    path(
        "elections/<int:election_id>/nominate/",
        elections.election_nominate,
        name="election-nominate",
    ),
    path(
        "elections/<int:election_id>/self-nominate/",
        elections.election_self_nominate,
        name="election-self-nominate",
    ),
    path(
        "elections/<int:election_id>/candidates/<int:candidate_id>/withdraw/",
        elections.election_withdraw,
        name="election-withdraw",
    ),
    path(
        "elections/<int:election_id>/do/<slug:step>/",
        elections.election_action,
        name="election-action",
    ),
]

_proposals = [
    path("", proposals.mine, name="proposal-mine"),
    path("new/", proposals.create, name="proposal-create"),
    path("cosign-requests/", proposals.cosign_requests, name="proposal-cosign-requests"),
    path("queue/", proposals.queue, name="proposal-queue"),
    path("department/", proposals.department, name="proposal-department"),
    path("<int:proposal_id>/", proposals.detail, name="proposal-detail"),
    path("<int:proposal_id>/edit/", proposals.edit, name="proposal-edit"),
    path("<int:proposal_id>/invite/", proposals.invite, name="proposal-invite"),
    path("<int:proposal_id>/cosign/", proposals.cosign, name="proposal-cosign"),
    path("<int:proposal_id>/decline/", proposals.decline, name="proposal-decline"),
    path("<int:proposal_id>/submit/", proposals.submit, name="proposal-submit"),
    path("<int:proposal_id>/withdraw/", proposals.withdraw, name="proposal-withdraw"),
    path("<int:proposal_id>/decide/", proposals.decide, name="proposal-decide"),
    path("<int:proposal_id>/accept/", proposals.accept, name="proposal-accept"),
    path("<int:proposal_id>/reject/", proposals.reject, name="proposal-reject"),
    path("<int:proposal_id>/merge/", proposals.merge, name="proposal-merge"),
    path("<int:proposal_id>/assign/", proposals.assign, name="proposal-assign"),
    path("<int:proposal_id>/reassign/", proposals.reassign, name="proposal-reassign"),
    path("<int:proposal_id>/supervise/", proposals.supervise, name="proposal-supervise"),
    path("<int:proposal_id>/carry-over/", proposals.carry_over, name="proposal-carry-over"),
    path("<int:proposal_id>/answer/", proposals.answer, name="proposal-answer"),
    path("<int:proposal_id>/opinion/", proposals.opinion, name="proposal-opinion"),
    path("<int:proposal_id>/rate/", proposals.rate, name="proposal-rate"),
]

_inspections = [
    path("", inspections.tour_list, name="inspection-list"),
    path("new/", inspections.tour_create, name="inspection-create"),
    path("<int:tour_id>/", inspections.tour_detail, name="inspection-detail"),
    path(
        "<int:tour_id>/participants/", inspections.tour_participants, name="inspection-participants"
    ),
    path("<int:tour_id>/findings/", inspections.tour_finding, name="inspection-finding"),
    path("<int:tour_id>/finish/", inspections.tour_finish, name="inspection-finish"),
    path("<int:tour_id>/checklist/", checklist.checklist, name="inspection-checklist"),
    path(
        "<int:tour_id>/checklist/refresh/",
        checklist.checklist_refresh,
        name="inspection-checklist-refresh",
    ),
    path(
        "<int:tour_id>/checklist/<str:subject>/",
        checklist.checklist_finding,
        name="inspection-checklist-finding",
    ),
    path("<int:tour_id>/checklist.pdf", checklist.checklist_pdf, name="inspection-checklist-pdf"),
    path(
        "<int:tour_id>/checklist/export.xlsx",
        checklist.checklist_export,
        name="inspection-checklist-export",
    ),
    path(
        "<int:tour_id>/findings/<int:finding_id>/rectify/",
        inspections.finding_rectify,
        name="inspection-rectify",
    ),
    path("rectifications/", inspections.item_list, name="rectification-list"),
    path("rectifications/<int:item_id>/", inspections.item_detail, name="rectification-detail"),
    path(
        "rectifications/<int:item_id>/<str:action>/",
        inspections.item_transition,
        name="rectification-transition",
    ),
]

_followup = [
    path("", followup.plan_list, name="followup-list"),
    path("export/", followup.plan_export, name="followup-export"),
    path("new/", followup.plan_create, name="followup-create"),
    path("<int:plan_id>/", followup.plan_detail, name="followup-detail"),
    path("<int:plan_id>/milestones/", followup.plan_milestone, name="followup-milestone"),
    path("<int:plan_id>/reports/", followup.plan_report, name="followup-report-add"),
    path(
        "milestones/<int:milestone_id>/<str:action>/",
        followup.milestone_transition,
        name="milestone-transition",
    ),
    path("sessions/<int:session_id>/report/", followup.report_preview, name="followup-report"),
    path("sessions/<int:session_id>/report.pdf", followup.report_pdf, name="followup-report-pdf"),
    path("sessions/<int:session_id>/publish/", followup.report_publish, name="followup-publish"),
]

_channels = [
    path("reception/", channels.reception_list, name="reception-list"),
    path("reception/export/", channels.reception_export, name="reception-export"),
    path("reception/mine/", channels.reception_mine, name="reception-mine"),
    path("reception/items/", channels.reception_items, name="reception-items"),
    path(
        "reception/items/export/",
        channels.reception_items_export,
        name="reception-items-export",
    ),
    path(
        "reception/items/<int:item_id>/<str:action>/",
        channels.item_transition,
        name="reception-item-transition",
    ),
    path("reception/<int:day_id>/", channels.reception_detail, name="reception-detail"),
    path("reception/<int:day_id>/slots/", channels.reception_slot_add, name="reception-slot-add"),
    path("reception/<int:day_id>/edit/", channels.reception_edit, name="reception-edit"),
    path("reception/<int:day_id>/cancel/", channels.reception_cancel, name="reception-cancel-day"),
    path(
        "reception/slots/<int:slot_id>/remove/",
        channels.reception_slot_remove,
        name="reception-slot-remove",
    ),
    path("reception/slots/<int:slot_id>/book/", channels.reception_book, name="reception-book"),
    path(
        "reception/bookings/<int:booking_id>/cancel/",
        channels.booking_cancel,
        name="reception-cancel",
    ),
    path(
        "reception/bookings/<int:booking_id>/outcome/",
        channels.booking_outcome,
        name="reception-outcome",
    ),
    path("meetings/", channels_meetings.meeting_list, name="meeting-list"),
    path("meetings/export/", channels_meetings.meeting_export, name="meeting-export"),
    path("meetings/<int:meeting_id>/", channels_meetings.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<int:meeting_id>/minutes/",
        channels_meetings.meeting_minutes,
        name="meeting-minutes",
    ),
    path("sit-ins/", channels_meetings.sitin_list, name="sitin-list"),
    path("sit-ins/export/", channels_meetings.sitin_export, name="sitin-export"),
    path("sit-ins/<int:sitin_id>/", channels_meetings.sitin_detail, name="sitin-detail"),
    path(
        "sit-ins/seats/<int:seat_id>/report/", channels_meetings.sitin_report, name="sitin-report"
    ),
    path("hearings/", channels.hearing_list, name="hearing-list"),
    path("hearings/export/", channels.hearing_export, name="hearing-export"),
    path("hearings/<int:hearing_id>/", channels.hearing_detail, name="hearing-detail"),
    path("hearings/<int:hearing_id>/edit/", channels.hearing_edit, name="hearing-edit"),
    path("hearings/<int:hearing_id>/comments/", channels.hearing_comment, name="hearing-comment"),
    path(
        "hearings/comments/<int:comment_id>/answer/",
        channels.comment_answer,
        name="hearing-answer",
    ),
    path("hearings/<int:hearing_id>/close/", channels.hearing_close, name="hearing-close"),
]

_bodies = [
    path("", bodies.home, name="bodies-home"),
    path("export/", bodies.group_export, name="bodies-group-export"),
    path("mine/", bodies.mine, name="bodies-mine"),
    path("groups/<int:group_id>/", bodies.group_detail, name="bodies-group-detail"),
    path("groups/<int:group_id>/members/", bodies.group_member, name="bodies-group-member"),
    path("groups/<int:group_id>/tasks/", bodies.group_task, name="bodies-group-task"),
    path("groups/<int:group_id>/minutes/", bodies.group_minutes, name="bodies-group-minutes"),
    path("tasks/<int:task_id>/complete/", bodies.task_complete, name="bodies-task-complete"),
    path("reports/", bodies.report_file, name="bodies-report-file"),
    path("reports/<int:report_id>/", bodies.report_detail, name="bodies-report-detail"),
    path("reports/<int:report_id>/rate/", bodies.report_rate, name="bodies-report-rate"),
    path("terms/<int:term_id>/reports/", bodies.report_overview, name="bodies-report-overview"),
    path("terms/<int:term_id>/reports/export/", bodies.report_export, name="bodies-report-export"),
    path("supervisors/", bodies.supervisors, name="bodies-supervisors"),
    path("supervisors/export/", bodies.supervisor_export, name="bodies-supervisor-export"),
    path("observations/", bodies.observation_list, name="bodies-observation-list"),
    path("observations/export/", bodies.observation_export, name="bodies-observation-export"),
    path("observations/new/", bodies.observation_create, name="bodies-observation-create"),
    path(
        "observations/<int:observation_id>/",
        bodies.observation_detail,
        name="bodies-observation-detail",
    ),
    path(
        "observations/<int:observation_id>/<str:action>/",
        bodies.observation_transition,
        name="bodies-observation-transition",
    ),
]

urlpatterns = [
    path("", include(_sessions)),
    path("proposals/", include(_proposals)),
    path("inspections/", include(_inspections)),
    path("followup/", include(_followup)),
    path("channels/", include(_channels)),
    path("bodies/", include(_bodies)),
]
