from django.urls import include, path, re_path
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import last_modified
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from zhijia import adminsite
from zhijia.api import api
from zhijia.api import not_found as api_not_found
from zhijia.core import views as core_views
from zhijia.core import views_errors

# The JavaScript catalogue: gettext() for the strings of the static scripts, from the djangojs
# catalogue of LOCALE_PATHS (zhijia/locale; naming one app keeps the other installed apps'
# catalogues, such as the admin's, out). Browsers revalidate it on every page and get 304 until
# the server restarts (new strings); base.html asks for it with ?l=<language>, so switching the
# language changes its address.
_STARTED = timezone.now()
javascript_catalog = cache_control(no_cache=True)(
    last_modified(lambda request, **kwargs: _STARTED)(
        JavaScriptCatalog.as_view(packages=["zhijia.core"])
    )
)

urlpatterns = [
    path("", core_views.home, name="home"),
    # The worker's service entrances (zhijia.core.entrances), before the modules' prefixes.
    path("services/", core_views.services, name="services"),
    path("favicon.ico", views_errors.favicon, name="favicon"),
    path("accounts/", include("zhijia.accounts.urls")),
    path("org/", include("zhijia.org.urls")),
    path("voting/", include("zhijia.voting.urls")),
    path("congress/", include("zhijia.congress.urls")),
    path("cases/", include("zhijia.cases.urls")),
    path("services/", include("zhijia.services.urls")),
    # Short addresses of two services subjects (printed on posters, said in meetings).
    path(
        "competitions/",
        RedirectView.as_view(pattern_name="services:competitions-home"),
        name="competitions",
    ),
    path(
        "suggestions/",
        RedirectView.as_view(pattern_name="services:suggestions-home"),
        name="suggestions",
    ),
    path("safety/", include("zhijia.safety.urls")),
    path("disclosure/", include("zhijia.disclosure.urls")),
    path("assistance/", include("zhijia.assistance.urls")),
    path("notices/", include("zhijia.notices.urls")),
    path("bargaining/", include("zhijia.bargaining.urls")),
    path("women/", include("zhijia.women.urls")),
    path("homes/", include("zhijia.homes.urls")),
    path("dashboard/", include("zhijia.dashboard.urls")),
    path("core/", include("zhijia.core.urls")),
    # Under /i18n/: open before the two-factor step, like the language switch.
    path("i18n/js/", javascript_catalog, name="javascript-catalog"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("files/", include("zhijia.core.urls_files")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<unmatched>.*)$", api_not_found),
    path("admin/", adminsite.site.urls),
]

# The error pages in the site's layout and the user's language (JSON under /api/).
handler400 = views_errors.bad_request
handler403 = views_errors.permission_denied
handler404 = views_errors.page_not_found
handler500 = views_errors.server_error
