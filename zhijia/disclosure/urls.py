from django.urls import path

from zhijia.disclosure.views import catalogue as views_catalogue
from zhijia.disclosure.views import items as views
from zhijia.disclosure.views import questions as views_questions

app_name = "disclosure"
urlpatterns = [
    # worker side
    path("", views.board, name="board"),
    path("items/<int:item_id>/", views.item_detail, name="item-detail"),
    path("items/<int:item_id>/ask/", views.item_ask, name="item-ask"),
    path("items/<int:item_id>/revisions/", views.item_revisions, name="item-revisions"),
    path(
        "items/<int:item_id>/revisions/<int:number>/",
        views.item_revision,
        name="item-revision",
    ),
    # publishing
    path("publish/", views.item_publish, name="item-publish"),
    path("items/<int:item_id>/revise/", views.item_revise, name="item-revise"),
    path("items/<int:item_id>/withdraw/", views.item_withdraw, name="item-withdraw"),
    # cadre side
    path("manage/", views.manage_board, name="manage-board"),
    path("manage/items/", views.manage_items, name="manage-items"),
    path("questions/", views_questions.question_queue, name="question-queue"),
    path("questions/<int:question_id>/", views_questions.question_detail, name="question-detail"),
    path(
        "questions/<int:question_id>/answer/",
        views_questions.question_answer,
        name="question-answer",
    ),
    path(
        "questions/<int:question_id>/close/", views_questions.question_close, name="question-close"
    ),
    path(
        "questions/<int:question_id>/withdraw/",
        views_questions.question_withdraw,
        name="question-withdraw",
    ),
    path("catalogue/", views_catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", views_catalogue.catalogue_create, name="catalogue-create"),
    path("catalogue/defaults/", views_catalogue.catalogue_defaults, name="catalogue-defaults"),
    path("catalogue/<int:entry_id>/edit/", views_catalogue.catalogue_edit, name="catalogue-edit"),
]
