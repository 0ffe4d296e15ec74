"""Attachment downloads; included by zhijia/urls.py as path("files/", include(...))."""

from django.urls import path

from zhijia.core import views_files

app_name = "files"

urlpatterns = [
    path("<uuid:attachment_id>/", views_files.download, name="attachment-download"),
]
