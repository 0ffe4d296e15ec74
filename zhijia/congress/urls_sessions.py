from django.urls import path

from zhijia.congress import views_elections as e
from zhijia.congress import views_sessions as v

urlpatterns = [
    # cadres at the desk
    path("", v.term_list, name="term-list"),
    path("terms/<int:term_id>/", v.term_detail, name="term-detail"),
    path("terms/<int:term_id>/edit/", v.term_edit, name="term-edit"),
    path("terms/<int:term_id>/slate/", v.term_slate, name="term-slate"),
    path("terms/<int:term_id>/sessions/new/", v.session_schedule, name="session-schedule"),
    path("terms/<int:term_id>/representatives/", v.rep_list, name="rep-list"),
    path("terms/<int:term_id>/representatives/cards/", v.rep_badges, name="rep-badges"),
    path("representatives/<int:rep_id>/", v.rep_edit, name="rep-edit"),
    path("representatives/<int:rep_id>/end/", v.rep_end, name="rep-end"),
    path("sessions/<int:session_id>/", v.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/count/", v.session_count, name="session-count"),
    path(
        "sessions/<int:session_id>/state/<slug:step>/",
        v.session_transition,
        name="session-transition",
    ),
    path("sessions/<int:session_id>/desk/", v.checkin_desk, name="checkin-desk"),
    path("sessions/<int:session_id>/roll-call/", v.checkin_rollcall, name="checkin-rollcall"),
    path(
        "sessions/<int:session_id>/roll-call/<int:rep_id>/",
        v.checkin_rollcall_mark,
        name="checkin-rollcall-mark",
    ),
    path("sessions/<int:session_id>/hall-code/", v.checkin_hall_code, name="checkin-hall-code"),
    path("sessions/<int:session_id>/items/new/", v.item_add, name="item-add"),
    path("sessions/<int:session_id>/results/", v.session_results, name="session-results"),
    path(
        "sessions/<int:session_id>/results/print/",
        v.session_results_print,
        name="session-results-print",
    ),
    path(
        "sessions/<int:session_id>/results.pdf", v.session_results_pdf, name="session-results-pdf"
    ),
    path("items/<int:item_id>/resolution/", v.item_resolution, name="item-resolution"),
    path("items/<int:item_id>/resolution.pdf", v.item_resolution_pdf, name="item-resolution-pdf"),
    path("items/<int:item_id>/vote/<slug:step>/", v.item_action, name="item-action"),
    # representatives on the phone
    path("my/", v.my_sessions, name="my-sessions"),
    path("my/sessions/<int:session_id>/", v.my_session, name="my-session"),
    path("my/code/<int:rep_id>/", v.my_qr, name="my-qr"),
    path("my/code/<int:rep_id>/reset/", v.my_qr_reset, name="my-qr-reset"),
    path("checkin/<int:session_id>/<str:token>/", v.hall_checkin, name="hall-checkin"),
    # representative elections
    path("elections/", e.election_list, name="election-list"),
    path("elections/<int:election_id>/", e.election_detail, name="election-detail"),
    path("elections/<int:election_id>/nominate/", e.election_nominate, name="election-nominate"),
    path(
        "elections/<int:election_id>/self-nominate/",
        e.election_self_nominate,
        name="election-self-nominate",
    ),
    path(
        "elections/<int:election_id>/candidates/<int:candidate_id>/withdraw/",
        e.election_withdraw,
        name="election-withdraw",
    ),
    path("elections/<int:election_id>/do/<slug:step>/", e.election_action, name="election-action"),
]
