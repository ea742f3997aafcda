from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kezdesu.core import views as core_views
from kezdesu.portal import views as portal_views

urlpatterns = [
    # First, as the most requested: the public portal under /kk/, /ru/, /en/ (an address without one is
    # redirected by the locale middleware), and its moderation pages.
    path("", include("kezdesu.portal.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/switch/<str:lang>/", portal_views.language_switch, name="language-switch"),
    path("display/", core_views.display_mode, name="display"),
    path("display.css", core_views.display_css, name="display-css"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("kezdesu.users.urls")),
    path("admin/", admin.site.urls),
    path("staff/meetings/", include("kezdesu.meetings.urls")),
    path("staff/plans/", include("kezdesu.planning.urls")),
    path("staff/tension/", include("kezdesu.tension.urls")),
    path("staff/reports/", include("kezdesu.reports.urls")),
    path("staff/questions/", include("kezdesu.questions.urls")),
    path("staff/", include("kezdesu.dashboards.urls")),
    path("api/v1/", include("kezdesu.api.urls")),
]

handler400 = "kezdesu.core.views.bad_request"
handler404 = "kezdesu.core.views.page_not_found"
handler403 = "kezdesu.core.views.permission_denied"
handler500 = "kezdesu.core.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
