from django.urls import include, path

app_name = "services"
urlpatterns: list = [
    path("counseling/", include("zhijia.services.urls_counseling")),
]
