"""The project's URLs plus what no table knows: a named page, an unnamed page and a new API
with one operation (test_coverage.py shows the coverage check names each of them)."""

from django.http import HttpResponse
from django.urls import path
from ninja import NinjaAPI

from zhijia.urls import urlpatterns as project_patterns


def _page(request):
    return HttpResponse("x")


extra_api = NinjaAPI(urls_namespace="matrix_extra_api", docs_url=None, openapi_url="/openapi.json")


@extra_api.get("/ping")
def ping(request):
    return {"ok": True}


urlpatterns = [
    path("matrix-extra/", _page, name="matrix-extra"),
    path("matrix-extra/unnamed/", _page),
    path("api/v1/matrix-extra/", extra_api.urls),
    *project_patterns,
]
