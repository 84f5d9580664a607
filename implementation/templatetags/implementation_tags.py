from django import template

from strategy.adoption.selectors import in_force_version
from strategy.selectors import current_strategy

register = template.Library()

# The stage of the seed whose page reports on the implementation (IX).
IMPLEMENTATION_STAGE = 9


@register.inclusion_tag("implementation/_stage_panel.html")
def implementation_stage_panel(stage):
    """Stage IX: the strategy in force, what is being done, the way to its monitoring (five queries, that page only)."""
    if stage is None or stage.number != IMPLEMENTATION_STAGE:
        return {"show": False}
    version = in_force_version(current_strategy())
    return {"show": True, "version": version, **(_counts(version) if version else {})}


def _counts(version) -> dict:
    from implementation.models import Action, EducationalEvent, SectorStrategy

    return {
        "sector_strategies": SectorStrategy.objects.public().filter(strategy_id=version.strategy_id).count(),
        "actions": Action.objects.public().filter(strategy_id=version.strategy_id).count(),
        "educational": EducationalEvent.objects.count(),
    }


@register.inclusion_tag("implementation/_chain_link.html")
def chain_link(opinion):
    """On an opinion's page: the way to every step it reached (no query)."""
    return {"opinion": opinion}
