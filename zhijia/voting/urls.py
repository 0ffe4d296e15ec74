from django.urls import path

from zhijia.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.my_polls, name="my-polls"),
    path("<int:poll_id>/", views.poll_detail, name="poll-detail"),
    path("<int:poll_id>/cast/", views.cast, name="cast"),
    path("<int:poll_id>/results/", views.results, name="results"),
    path("<int:poll_id>/choices.csv", views.choices_csv, name="choices-csv"),
    path("<int:poll_id>/trackers.csv", views.trackers_csv, name="trackers-csv"),
    path("<int:poll_id>/record.json", views.record_json, name="record"),
    path("<int:poll_id>/trustee/", views.trustee_page, name="trustee"),
    path("<int:poll_id>/trustee.json", views.trustee_document, name="trustee-document"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:poll_id>/", views.manage_poll, name="manage-poll"),
    path("manage/<int:poll_id>/open/", views.open_poll, name="open"),
    path("manage/<int:poll_id>/close/", views.close_poll, name="close"),
    path("manage/<int:poll_id>/trustees/", views.name_trustees, name="trustees"),
    path(
        "manage/<int:poll_id>/trustees/restart/",
        views.restart_ceremony,
        name="restart-ceremony",
    ),
    path("manage/<int:poll_id>/paper/", views.paper_result, name="paper-result"),
]
