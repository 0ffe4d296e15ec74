from django.urls import path

from zhijia.assistance.views import applications as apps
from zhijia.assistance.views import ledger, registry, visits

app_name = "assistance"
urlpatterns = [
    # workers
    path("mine/", apps.mine, name="mine"),
    path("apply/<int:campaign_id>/", apps.apply_form, name="apply"),
    path("notices/", apps.notice_list, name="notice-list"),
    path("notices/<int:application_id>/", apps.notice_detail, name="notice-detail"),
    # applications
    path("", apps.index, name="index"),
    path("applications/", apps.application_list, name="application-list"),
    path("applications/<int:application_id>/", apps.application_detail, name="application-detail"),
    path(
        "applications/<int:application_id>/review/",
        apps.application_review,
        name="application-review",
    ),
    path(
        "applications/<int:application_id>/decline/",
        apps.application_decline,
        name="application-decline",
    ),
    path(
        "applications/<int:application_id>/publish/",
        apps.application_publish,
        name="application-publish",
    ),
    path(
        "applications/<int:application_id>/approve/",
        apps.application_approve,
        name="application-approve",
    ),
    path(
        "applications/<int:application_id>/reject/",
        apps.application_reject,
        name="application-reject",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        apps.application_withdraw,
        name="application-withdraw",
    ),
    path(
        "applications/<int:application_id>/rate/",
        apps.application_rate,
        name="application-rate",
    ),
    path("objections/", apps.objection_list, name="objection-list"),
    path(
        "objections/<int:objection_id>/resolve/", apps.objection_resolve, name="objection-resolve"
    ),
    path("campaigns/", apps.campaign_list, name="campaign-list"),
    path("campaigns/new/", apps.campaign_create, name="campaign-create"),
    path("campaigns/<int:campaign_id>/", apps.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:campaign_id>/on-behalf/", apps.apply_on_behalf, name="apply-on-behalf"),
    # registry
    path("files/", registry.file_list, name="file-list"),
    path("files/new/", registry.file_create, name="file-create"),
    path("files/<int:file_id>/", registry.file_detail, name="file-detail"),
    path("files/<int:file_id>/edit/", registry.file_edit, name="file-edit"),
    path("files/<int:file_id>/household/", registry.file_household_add, name="file-household"),
    path(
        "files/<int:file_id>/household/<int:person_id>/remove/",
        registry.file_household_remove,
        name="file-household-remove",
    ),
    path("files/<int:file_id>/expenses/", registry.file_expense_add, name="file-expense"),
    path(
        "files/<int:file_id>/expenses/<int:expense_id>/remove/",
        registry.file_expense_remove,
        name="file-expense-remove",
    ),
    path("files/<int:file_id>/review/", registry.file_review, name="file-review"),
    path("files/<int:file_id>/exit/", registry.file_exit, name="file-exit"),
    path("settings/", registry.settings_page, name="settings"),
    # ledger
    path("funds/", ledger.fund_list, name="fund-list"),
    path("funds/<int:fund_id>/", ledger.fund_detail, name="fund-detail"),
    path("funds/<int:fund_id>/income/", ledger.fund_income, name="fund-income"),
    path("funds/<int:fund_id>/statement/", ledger.fund_statement, name="fund-statement"),
    path(
        "funds/<int:fund_id>/statement/export/",
        ledger.fund_statement_export,
        name="fund-statement-export",
    ),
    path("entries/<int:entry_id>/reverse/", ledger.entry_reverse, name="entry-reverse"),
    path("payment-runs/", ledger.run_list, name="run-list"),
    path("payment-runs/new/<int:fund_id>/", ledger.run_create, name="run-create"),
    path("payment-runs/<int:run_id>/", ledger.run_detail, name="run-detail"),
    path("payment-runs/<int:run_id>/approve/", ledger.run_approve, name="run-approve"),
    path("payment-runs/<int:run_id>/reject/", ledger.run_reject, name="run-reject"),
    path("payment-runs/<int:run_id>/cancel/", ledger.run_cancel, name="run-cancel"),
    path("reconciliation/", ledger.reconciliation, name="reconciliation"),
    # visits
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path("visits/<int:visit_id>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:visit_id>/complete/", visits.visit_complete, name="visit-complete"),
    path("visits/<int:visit_id>/cancel/", visits.visit_cancel, name="visit-cancel"),
    path("visits/<int:visit_id>/photos/", visits.visit_photo, name="visit-photo"),
]
