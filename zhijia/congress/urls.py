from django.urls import include, path

app_name = "congress"
urlpatterns = [
    path("", include("zhijia.congress.urls_sessions")),
    path("proposals/", include("zhijia.congress.urls_proposals")),
    path("inspections/", include("zhijia.congress.urls_inspections")),
]
