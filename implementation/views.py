"""Public pages of stage IX: the monitoring of the strategy in force (/strategia/realizacja/), an action, a
sector strategy, an indicator with all its values, what an element rests on, and what changed in the
adopted text since the consultation draft.

The monitoring page is the same for everyone: its body is rendered once per data version and filters and
kept in the cache, and the whole page for anonymous visitors (`lublin2030.page_cache`). The key names
everything it shows: the version read (and its state), the implementation's data version (bumped by every
service here), and the publication version of opinions (the "based on N opinions" counts).
"""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from lublin2030 import versions
from lublin2030.page_cache import cache_page
from participation.models import Opinion
from recommendations.models import Recommendation
from strategy.adoption.selectors import consulted_version, current_reading_version
from strategy.models import Direction, Indicator, StrategicGoal, StrategyVersion
from strategy.selectors import current_strategy, version_by_number

from . import basis as basis_module
from . import changes, selectors
from .forms import MonitoringFilterForm
from .models import DATA_VERSION, Action, SectorStrategy

CACHE_SECONDS = 3600
# Bump when the templates of the cached body change, so a deployment does not serve old HTML.
FRAGMENT_VERSION = 1


def _version_or_404() -> StrategyVersion:
    version = current_reading_version()
    if version is None:
        raise Http404
    return version


def _token(version) -> str:
    return (
        f"{FRAGMENT_VERSION}:{version.pk}:{version.state}:{versions.current(DATA_VERSION)}:"
        f"{versions.publication_version()}"
    )


def _monitoring_key(request) -> str | None:
    """The page is shared per reading version and data versions; the view reuses the version read here."""
    version = request.reading_version = current_reading_version()
    return _token(version) if version is not None else None


@require_GET
@cache_page("monitoring", key=_monitoring_key, seconds=CACHE_SECONDS)
def monitoring(request):
    version = request.reading_version if hasattr(request, "reading_version") else current_reading_version()
    if version is None:
        return render(request, "implementation/not_yet.html", {"strategy": current_strategy()})
    token = _token(version)
    form = MonitoringFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    district, area = filters.get("dzielnica"), filters.get("obszar")
    key = (
        f"implementation:monitoring:{token}:{get_language()}:{district.pk if district else 0}:{area.pk if area else 0}"
    )
    body = cache.get(key)
    if body is None:
        data = selectors.monitoring(version, district=district, area=area)
        body = render_to_string("implementation/_monitoring_body.html", {"data": data, "version": version})
        cache.set(key, body, CACHE_SECONDS)
    context = {"version": version, "body": body, "form": form, "district": district, "area": area}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "implementation/monitoring.html", context, status=status)


@require_GET
def action_detail(request, pk):
    version = _version_or_404()
    action = get_object_or_404(Action.objects.public().select_related("district", "sector_strategy"), pk=pk)
    keys = list(action.served.values_list("direction_key", flat=True))
    directions = list(
        Direction.objects.filter(version=version, key__in=keys)
        .select_related("goal")
        .order_by("goal__position", "position")
    )
    index = basis_module.version_basis(version)
    context = {"action": action, "directions": directions, "version": version, "basis": index.directions(keys)}
    return render(request, "implementation/action.html", context)


@require_GET
def sector_strategy_detail(request, pk):
    version = _version_or_404()
    sector_strategy = get_object_or_404(SectorStrategy.objects.public(), pk=pk, strategy_id=version.strategy_id)
    labels = selectors.element_labels(version)
    elements = [(element, labels.get((element.kind, element.key))) for element in sector_strategy.elements.all()]
    actions = Action.objects.public().filter(sector_strategy=sector_strategy).select_related("district")
    context = {"sector_strategy": sector_strategy, "elements": elements, "actions": actions, "version": version}
    return render(request, "implementation/sector_strategy.html", context)


@require_GET
def indicator_detail(request, key):
    version = _version_or_404()
    goals, directions, indicators = selectors.structure(version)
    indicator = next((i for i in indicators if i.key == key), None)
    if indicator is None:
        raise Http404
    index = basis_module.version_basis(version)
    rows = selectors.indicator_rows(
        version, [indicator], selectors.measurements_by_key(version.strategy_id, [key]), index
    )
    return render(request, "implementation/indicator.html", {"row": rows[key], "version": version})


BASIS_KINDS = {"cel": StrategicGoal, "kierunek": Direction, "wskaznik": Indicator, "dzialanie": Action}
OPINIONS_PER_PAGE = 20


@require_GET
def basis(request, kind, key):
    """What an element rests on: the recommendations it cites and the residents' opinions behind them."""
    model = BASIS_KINDS.get(kind)
    if model is None:
        raise Http404
    version = _version_or_404()
    index = basis_module.version_basis(version)
    if model is Action:
        if not key.isdigit():
            raise Http404
        element = get_object_or_404(Action.objects.public(), pk=key)
        found = index.directions(element.served.values_list("direction_key", flat=True))
    else:
        elements = model.objects.filter(version=version)
        if model is not StrategicGoal:
            elements = elements.select_related(*_related(model))
        element = get_object_or_404(elements, key=key)
        if model is StrategicGoal:
            found = index.goal(key)
        elif model is Direction:
            found = index.directions([key])
        else:
            found = index.indicator(element)
    recommendations = (
        Recommendation.objects.public().filter(pk__in=found.recommendation_ids).select_related("group__area")
    )
    opinions = (
        Opinion.objects.public()
        .filter(pk__in=found.opinion_ids)
        .select_related("area", "district")
        .order_by("-published_at", "-id")
    )
    page = Paginator(opinions, OPINIONS_PER_PAGE).get_page(request.GET.get("strona"))
    context = {
        "kind": kind,
        "element": element,
        "version": version,
        "basis": found,
        "recommendations": recommendations.order_by("group__area__position", "title"),
        "page": page,
    }
    return render(request, "implementation/basis.html", context)


def _related(model) -> tuple[str, ...]:
    return {Direction: ("goal",), Indicator: ("goal", "direction__goal")}.get(model, ())


@require_GET
def changes_since_consultation(request, number):
    """The diff between the consultation draft and a later public version, each changed block with the
    consultation comments that caused it."""
    strategy = current_strategy()
    version = version_by_number(strategy, number, public_only=True)
    consulted = consulted_version(version) if version is not None else None
    if consulted is None:
        raise Http404
    comparison = changes.compare_with_reasons(consulted, version)
    consultation = getattr(consulted, "consultation", None)
    context = {
        "comparison": comparison,
        "version": version,
        "old": consulted,
        "consultation": consultation if consultation is not None and consultation.is_announced else None,
    }
    return render(request, "implementation/changes.html", context)
