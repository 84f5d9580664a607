"""The chain from an opinion to what the city does, coverage, and following an opinion.

- /opinie/<id>/droga/: "Gdzie trafiła moja opinia?", every step (at most nine queries for a visitor);
- /strategia/pokrycie/: the share of opinions that reached a recommendation and the strategy, by area and
  district, and for staff the lowest; /panel/pokrycie/ lists every row, lowest first;
- following: follow or stop following an opinion, the list of one's follows, and the signed link of the
  digest that stops them all without logging in (GET shows the button, POST stops: mail scanners follow
  links, and RFC 8058 one-click unsubscribe is a POST).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lublin2030.permissions import permission_required
from participation.models import Opinion
from strategy.adoption.selectors import current_reading_version

from . import coverage as coverage_module
from . import following
from .chain import opinion_chain
from .models import Follow


def _public_opinion(request, pk) -> Opinion:
    opinion = get_object_or_404(Opinion.objects.select_related("area", "district"), pk=pk)
    if not request.user.has_perm("participation.read_opinion", opinion):
        raise Http404
    return opinion


@require_GET
def chain(request, pk):
    opinion = _public_opinion(request, pk)
    context = {"chain": opinion_chain(opinion), "opinion": opinion}
    if request.user.is_authenticated and opinion.is_public:
        context["following"] = Follow.objects.filter(user=request.user, opinion=opinion).exists()
        context["can_follow"] = request.user.has_perm("implementation.follow_opinion", opinion)
    return render(request, "implementation/chain.html", context)


@require_POST
@login_required
def follow(request, pk):
    opinion = _public_opinion(request, pk)
    try:
        if request.POST.get("action") == "stop":
            following.follow_stop(actor=request.user, opinion=opinion)
            messages.success(request, _("You no longer follow this opinion."))
        else:
            following.follow_start(actor=request.user, opinion=opinion)
            messages.success(request, _("You follow this opinion: we will write once a day at most when it moves on."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("implementation:chain", pk=opinion.pk)


@login_required
@require_GET
def my_follows(request):
    follows = Follow.objects.filter(user=request.user).select_related("opinion__area", "opinion__district")
    return render(request, "implementation/my_follows.html", {"follows": follows})


@csrf_exempt  # the signed token is the authority; one-click unsubscribe comes from a mail client, without cookies
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = following.user_from_token(token)
    if user is None:
        return render(request, "implementation/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        following.follow_stop_all(actor=user)
        return render(request, "implementation/unsubscribe.html", {"done": True})
    return render(request, "implementation/unsubscribe.html", {"count": Follow.objects.filter(user=user).count()})


@require_GET
def coverage(request):
    data = coverage_module.cached(current_reading_version())
    context = {"coverage": data, "show_lowest": request.user.has_perm("implementation.read_coverage_details")}
    if context["show_lowest"]:
        context.update(
            lowest_areas=data.lowest(data.by_area, limit=3), lowest_districts=data.lowest(data.by_district, limit=3)
        )
    return render(request, "implementation/coverage.html", context)


@permission_required("implementation.read_coverage_details")
def coverage_staff(request):
    data = coverage_module.cached(current_reading_version())
    context = {
        "coverage": data,
        "areas": data.lowest(data.by_area, limit=len(data.by_area)),
        "districts": data.lowest(data.by_district, limit=len(data.by_district)),
    }
    return render(request, "implementation/coverage_staff.html", context)
