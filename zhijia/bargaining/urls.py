from django.urls import path

from zhijia.bargaining.views import compliance, contracts, rounds

app_name = "bargaining"
urlpatterns: list = [
    # the worker's (phone)
    path("", contracts.home, name="home"),
    path("contracts/<int:contract_id>/", contracts.contract_read, name="contract-read"),
    path("rounds/<int:round_id>/demand/", rounds.demand, name="demand"),
    # the representatives' inspection subject, and the cadres'
    path("compliance/", compliance.compliance_list, name="compliance-list"),
    path("compliance/<int:contract_id>/", compliance.compliance, name="compliance"),
    path("compliance/<int:contract_id>/export/", compliance.checks_export, name="checks-export"),
    # the desk
    path("desk/", contracts.desk, name="desk"),
    path("desk/export/", contracts.desk_export, name="desk-export"),
    path("desk/rounds/new/", rounds.round_new, name="round-new"),
    path("desk/rounds/<int:round_id>/", rounds.round_detail, name="round"),
    path(
        "desk/rounds/<int:round_id>/demands/export/",
        rounds.demands_export,
        name="round-demands-export",
    ),
    path(
        "desk/rounds/<int:round_id>/delegations/",
        rounds.delegations,
        name="round-delegations",
    ),
    path("desk/rounds/<int:round_id>/sessions/", rounds.session_new, name="round-session-new"),
    path("desk/sessions/<int:session_id>/sign/", rounds.session_sign, name="session-sign"),
    path("desk/rounds/<int:round_id>/<str:action>/", rounds.round_step, name="round-step"),
    path("desk/contracts/new/", contracts.contract_new, name="contract-new"),
    path("desk/contracts/<int:contract_id>/", contracts.contract_detail, name="contract"),
    path(
        "desk/contracts/<int:contract_id>/clauses/",
        contracts.clause_add,
        name="contract-clause",
    ),
    path(
        "desk/contracts/<int:contract_id>/clauses/edit/",
        contracts.clause_edit,
        name="contract-clause-edit",
    ),
    path(
        "desk/contracts/<int:contract_id>/versions/",
        contracts.version_new,
        name="contract-version",
    ),
    path("desk/contracts/<int:contract_id>/diff/", contracts.contract_diff, name="contract-diff"),
    path(
        "desk/contracts/<int:contract_id>/versions/<int:number>/pdf/",
        contracts.contract_pdf,
        name="contract-pdf",
    ),
    path(
        "desk/contracts/<int:contract_id>/vote/prepare/",
        contracts.vote_prepare,
        name="contract-vote-prepare",
    ),
    path(
        "desk/contracts/<int:contract_id>/vote/open/",
        contracts.vote_open,
        name="contract-vote-open",
    ),
    path(
        "desk/contracts/<int:contract_id>/vote/close/",
        contracts.vote_close,
        name="contract-vote-close",
    ),
    path(
        "desk/contracts/<int:contract_id>/checks/",
        compliance.check_new,
        name="check-new",
    ),
    path("desk/checks/<int:check_id>/result/", compliance.check_result, name="check-result"),
    path(
        "desk/contracts/<int:contract_id>/<str:action>/",
        contracts.contract_step,
        name="contract-step",
    ),
]
