"""URLs of the shared kernel, mounted at /core/ (namespace "core")."""

from django.urls import path

from zhijia.core import views_inbox, views_privacy, views_satisfaction, views_search

app_name = "core"

urlpatterns = [
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/read-all/", views_inbox.mark_all_read, name="inbox-read-all"),
    path("inbox/<int:pk>/read/", views_inbox.mark_read, name="inbox-read"),
    path("inbox/<int:pk>/open/", views_inbox.open_notification, name="inbox-open"),
    path("search/", views_search.search_page, name="search"),
    path("me/privacy/", views_privacy.my_privacy, name="my-privacy"),
    path("me/data.xlsx", views_privacy.my_data, name="my-data"),
    path("satisfaction/", views_satisfaction.index, name="satisfaction"),
    path("satisfaction/follow-ups/", views_satisfaction.follow_ups, name="follow-ups"),
    path(
        "satisfaction/follow-ups/<int:follow_up_id>/",
        views_satisfaction.follow_up,
        name="follow-up",
    ),
    path(
        "satisfaction/follow-ups/<int:follow_up_id>/complete/",
        views_satisfaction.follow_up_complete,
        name="follow-up-complete",
    ),
]
