from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from stages import views as stage_views

from . import views
from .api import api

# Pages without a language prefix: machines read these.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
]

# Polish at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", stage_views.home, name="home"),
    path("etapy/", include("stages.urls")),
    path("panel/", views.staff_home, name="staff_home"),
    path("", include("participation.urls")),
    path("panel/dane/", include("participation.data_urls")),
    path("", include("workgroups.urls")),
    path("", include("recommendations.urls")),
    path("", include("reports.urls")),
    path("", include("strategy.urls")),
    path("", include("consultation.urls")),
    path("", include("strategy.adoption.urls")),
    path("", include("implementation.urls")),
    path("konto/", include("accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("dostepnosc/", views.accessibility, name="accessibility"),
    path("otwarte-dane/", views.open_data, name="open_data"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "lublin2030.views.bad_request"
handler403 = "lublin2030.views.permission_denied"
handler404 = "lublin2030.views.page_not_found"
handler429 = "accounts.adapter.too_many_requests_view"  # django-allauth's own rate limits
handler500 = "lublin2030.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
