"""The yardstick of `bench/yardstick.py`: a bare Django view under the same gunicorn settings as the portal.

One view returning a small HTML page, no middleware, no apps, no database: what Django and gunicorn
cost on this machine at best. The portal's pages are reported as a share of its requests per second
measured in the same run, so the machine's load cancels out (mostly).

This module is both the settings module (DJANGO_SETTINGS_MODULE=yardstick_anchor) and the WSGI
application (`gunicorn yardstick_anchor:application`, run from bench/).
"""

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "yardstick-anchor-not-secret"  # noqa: S105 (signs nothing)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
MIDDLEWARE = []
INSTALLED_APPS = []
DATABASES = {}
USE_I18N = False

PAGE = (
    '<!doctype html>\n<html lang="pl"><head><meta charset="utf-8"><title>Lublin 2030</title></head>\n'
    "<body><main><h1>Lublin 2030</h1><p>Strategia rozwoju miasta.</p></main></body></html>\n"
)


def hello(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", hello)]

# Last: django.setup() imports this module as the settings, which by now are all defined above.
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
