from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("members/", views.member_list, name="member-list"),
]
