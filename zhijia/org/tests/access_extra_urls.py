"""The project's URLs plus one org page that the access matrix does not know (its test of the
completeness check)."""

from django.http import HttpResponse
from django.urls import include, path

from zhijia.org.urls import app_name as org_app_name
from zhijia.org.urls import urlpatterns as org_patterns
from zhijia.urls import urlpatterns as project_patterns

extra = [path("matrix-extra/", lambda request: HttpResponse("x"), name="matrix-extra")]

urlpatterns = [
    path("org-extra/", include((extra + list(org_patterns), org_app_name), namespace="org")),
    *[p for p in project_patterns if getattr(p, "namespace", None) != "org"],
]
