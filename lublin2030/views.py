import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from .health import overall_health, without_details
from .permissions import permission_required


@never_cache
def healthz(request):
    body, status = overall_health()
    # Who asks is read from the session, i.e. the database: only when it answered.
    if status == 503 or not request.user.has_perm("accounts.enter_staff_area"):
        body = without_details(body)
    return JsonResponse(body, status=status)


@permission_required("accounts.enter_staff_area")
def staff_home(request):
    from accounts.selectors import role_names

    return render(request, "pages/staff_home.html", {"roles": role_names(request.user)})


def favicon(request):
    """Browsers ask /favicon.ico for pages without a <link rel="icon"> (a PDF, JSON): send them ours."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


# (description, path under /api/v1/) of the examples on the open-data page.
API_EXAMPLES = [
    (_("The nine stages of the process, with their participation windows"), "stages"),
    (_("Strategic areas with the slugs the area filter takes (districts and channels answer alike)"), "areas"),
    (_("The five newest published opinions"), "opinions?limit=5"),
    (_("Opinions about education collected in stage II"), "opinions?area=edukacja&stage=2"),
    (_("Opinions published since 1 March 2026, the next page"), "opinions?since=2026-03-01&limit=20&offset=20"),
    (_("Counts by area, district, channel, month and age bracket"), "statistics"),
]


def open_data(request):
    """What the open-data API publishes, with examples; the schema and the interactive documentation are linked."""
    api_root = request.build_absolute_uri("/api/v1/")
    examples = [{"text": text, "url": api_root + path} for text, path in API_EXAMPLES]
    return render(request, "pages/open_data.html", {"api_root": api_root, "examples": examples})


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read: check its parameters."}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# Errors that mean "the database is not answering" rather than "the code is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """handler500. A database that does not answer is an outage: 503 with Retry-After, not a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is temporarily unavailable. Please try again later."}, status=503
        )
    else:
        # Rendered without the request: context processors would read the session from the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
