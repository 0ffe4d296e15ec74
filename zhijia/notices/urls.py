from django.urls import path

from zhijia.notices.views import guide as views_guide
from zhijia.notices.views import notices as views

app_name = "notices"
urlpatterns = [
    # the worker
    path("", views.notice_list, name="notice-list"),
    path("<int:notice_id>/", views.notice_detail, name="notice-detail"),
    path("guide/", views_guide.guide, name="guide"),
    path("guide/<int:unit_id>/", views_guide.guide_unit, name="guide-unit"),
    # the cadres
    path("manage/", views.manage, name="manage"),
    path("manage/export/", views.manage_export, name="manage-export"),
    path("new/", views.notice_create, name="notice-create"),
    path("<int:notice_id>/edit/", views.notice_edit, name="notice-edit"),
    path("<int:notice_id>/publish/", views.notice_publish, name="notice-publish"),
    path("<int:notice_id>/withdraw/", views.notice_withdraw, name="notice-withdraw"),
    path("<int:notice_id>/reads/", views.notice_reads, name="notice-reads"),
    path("<int:notice_id>/reads/export/", views.notice_reads_export, name="notice-reads-export"),
    path("<int:notice_id>/remind/", views.notice_remind, name="notice-remind"),
    path("guide/<int:unit_id>/edit/", views_guide.guide_edit, name="guide-edit"),
]
