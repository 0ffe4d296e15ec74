"""The project's URLs plus what no table knows: a named page, an unnamed page and a new API
with one operation (test_coverage.py shows the coverage check names each of them), and two
pages that refuse a POST but write anyway (test_coverage.py shows the runner's check of a
refused write)."""

from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path
from ninja import NinjaAPI

from zhijia.urls import urlpatterns as project_patterns


def _page(request):
    return HttpResponse("x")


def _refuse_but_rename_a_unit(request):
    from zhijia.org.models import OrgUnit

    OrgUnit.objects.filter(code="B1").update(name="越权改名")
    return HttpResponseForbidden("refused")


def _refuse_but_rename_a_department(request):
    from zhijia.org.models import Department

    Department.objects.update(name="越权改名")
    return HttpResponseForbidden("refused")


extra_api = NinjaAPI(urls_namespace="matrix_extra_api", docs_url=None, openapi_url="/openapi.json")


@extra_api.get("/ping")
def ping(request):
    return {"ok": True}


urlpatterns = [
    path("matrix-extra/", _page, name="matrix-extra"),
    path("matrix-extra/unnamed/", _page),
    path("matrix-extra/leaky/", _refuse_but_rename_a_unit, name="matrix-extra-leaky"),
    path(
        "matrix-extra/leaky-elsewhere/",
        _refuse_but_rename_a_department,
        name="matrix-extra-leaky-elsewhere",
    ),
    path("api/v1/matrix-extra/", extra_api.urls),
    *project_patterns,
]
