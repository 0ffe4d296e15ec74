from django.urls import path

from zhijia.org.views import cards as card_views
from zhijia.org.views import dues as dues_views
from zhijia.org.views import joining as join_views
from zhijia.org.views import members as views
from zhijia.org.views import roster_import as views_import
from zhijia.org.views import transfers as transfer_views
from zhijia.org.views import units as views_units

app_name = "org"
urlpatterns = [
    path("members/", views.member_list, name="member-list"),
    path("members/new/", views.member_create, name="member-create"),
    path("members/transfers-out/", transfer_views.transfers_out, name="transfers-out"),
    path(
        "members/transfers-out/export/",
        transfer_views.transfers_out_export,
        name="transfers-out-export",
    ),
    path("members/export/", views.member_export, name="member-export"),
    path("members/bulk/", views.member_bulk, name="member-bulk"),
    path("members/import/", views_import.import_members, name="member-import"),
    path("members/import/template/", views_import.import_template, name="member-import-template"),
    path(
        "members/import/report/<str:token>/",
        views_import.import_report,
        name="member-import-report",
    ),
    path("members/<int:member_id>/", views.member_detail, name="member-detail"),
    path("members/<int:member_id>/edit/", views.member_edit, name="member-edit"),
    path("members/<int:member_id>/transfer/", views.member_transfer, name="member-transfer"),
    path("members/<int:member_id>/status/", views.member_status, name="member-status"),
    path("members/<int:member_id>/reveal-id/", views.member_reveal_id, name="member-reveal-id"),
    path("members/<int:member_id>/dues/", dues_views.dues_member, name="dues-member"),
    path(
        "members/<int:member_id>/dues/mode/",
        dues_views.member_dues_mode,
        name="member-dues-mode",
    ),
    path("dues/", dues_views.dues_overview, name="dues-overview"),
    path("dues/import/", dues_views.dues_import, name="dues-import"),
    path("dues/import/template/", dues_views.dues_import_template, name="dues-import-template"),
    path("dues/generate/", dues_views.dues_generate, name="dues-generate"),
    path("dues/pay/", dues_views.dues_pay, name="dues-pay"),
    path("dues/paid/", dues_views.dues_paid, name="dues-paid"),
    path("dues/paid/export/", dues_views.dues_paid_export, name="dues-paid-export"),
    path("dues/arrears/", dues_views.arrears, name="arrears"),
    path("dues/arrears/export/", dues_views.arrears_export, name="arrears-export"),
    path("me/", views.me, name="me"),
    path("units/", views_units.unit_tree, name="unit-tree"),
    path("units/new/", views_units.unit_create, name="unit-create"),
    path("units/<int:unit_id>/", views_units.unit_detail, name="unit-detail"),
    path("units/<int:unit_id>/dues/", dues_views.unit_dues_mode, name="unit-dues-mode"),
    path("units/<int:unit_id>/rename/", views_units.unit_rename, name="unit-rename"),
    path("units/<int:unit_id>/move/", views_units.unit_move, name="unit-move"),
    path("units/<int:unit_id>/merge/", views_units.unit_merge, name="unit-merge"),
    path("units/<int:unit_id>/close/", views_units.unit_close, name="unit-close"),
    path("departments/", views_units.department_list, name="department-list"),
    path("departments/new/", views_units.department_create, name="department-create"),
    path(
        "departments/<int:department_id>/", views_units.department_detail, name="department-detail"
    ),
    path(
        "departments/<int:department_id>/edit/", views_units.department_edit, name="department-edit"
    ),
    path(
        "departments/<int:department_id>/move/", views_units.department_move, name="department-move"
    ),
    path(
        "departments/<int:department_id>/merge/",
        views_units.department_merge,
        name="department-merge",
    ),
    path(
        "departments/<int:department_id>/close/",
        views_units.department_close,
        name="department-close",
    ),
    path("join/", join_views.join_apply, name="join"),
    path("join/status/", join_views.join_status, name="join-status"),
    path("join/review/", join_views.join_review_queue, name="join-review"),
    path(
        "join/review/<int:application_id>/",
        join_views.join_review_detail,
        name="join-review-detail",
    ),
    path("card/", card_views.card, name="card"),
    path("card/renew/", card_views.card_renew, name="card-renew"),
    path("card/verify/<str:token>/", card_views.card_verify, name="card-verify"),
]
