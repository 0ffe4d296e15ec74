from django.urls import include, path, re_path

from zhijia import adminsite
from zhijia.api import api
from zhijia.api import not_found as api_not_found
from zhijia.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("zhijia.accounts.urls")),
    path("org/", include("zhijia.org.urls")),
    path("voting/", include("zhijia.voting.urls")),
    path("congress/", include("zhijia.congress.urls")),
    path("cases/", include("zhijia.cases.urls")),
    path("services/", include("zhijia.services.urls")),
    path("safety/", include("zhijia.safety.urls")),
    path("disclosure/", include("zhijia.disclosure.urls")),
    path("assistance/", include("zhijia.assistance.urls")),
    path("core/", include("zhijia.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/", include("zhijia.core.urls_files")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<unmatched>.*)$", api_not_found),
    path("admin/", adminsite.site.urls),
]
