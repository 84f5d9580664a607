from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import overall_health
from .permissions import permission_required


@never_cache
def healthz(request):
    body, status = overall_health()
    return JsonResponse(body, status=status)


@permission_required("accounts.enter_staff_area")
def staff_home(request):
    from accounts.selectors import role_names

    return render(request, "pages/staff_home.html", {"roles": role_names(request.user)})


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
