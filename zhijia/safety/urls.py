from django.urls import path

from zhijia.safety import views

app_name = "safety"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("hazards/<int:hazard_id>/", views.hazard_detail, name="hazard-detail"),
    path(
        "hazards/<int:hazard_id>/<str:action>/",
        views.hazard_transition,
        name="hazard-transition",
    ),
    path("queue/", views.queue, name="queue"),
    path("supervisors/", views.supervisors, name="supervisors"),
    path("supervisors/<int:supervisor_id>/end/", views.supervisor_end, name="supervisor-end"),
    path("tally/", views.tally, name="tally"),
    path("tally/export/", views.tally_export, name="tally-export"),
]
