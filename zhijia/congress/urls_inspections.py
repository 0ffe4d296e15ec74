"""Pages of inspection tours and rectification items, included at "inspections/"."""

from django.urls import path

from zhijia.congress import views_inspections as views

urlpatterns = [
    path("", views.tour_list, name="inspection-list"),
    path("new/", views.tour_create, name="inspection-create"),
    path("<int:tour_id>/", views.tour_detail, name="inspection-detail"),
    path("<int:tour_id>/participants/", views.tour_participants, name="inspection-participants"),
    path("<int:tour_id>/findings/", views.tour_finding, name="inspection-finding"),
    path("<int:tour_id>/finish/", views.tour_finish, name="inspection-finish"),
    path(
        "<int:tour_id>/findings/<int:finding_id>/rectify/",
        views.finding_rectify,
        name="inspection-rectify",
    ),
    path("rectifications/", views.item_list, name="rectification-list"),
    path("rectifications/<int:item_id>/", views.item_detail, name="rectification-detail"),
    path(
        "rectifications/<int:item_id>/<str:action>/",
        views.item_transition,
        name="rectification-transition",
    ),
]
