from django import template

from strategy import selectors
from strategy.adoption import selectors as adoption_selectors
from strategy.models import VersionState

register = template.Library()

# The stage of the seed whose page reports on the adoption (VIII).
ADOPTION_STAGE = 8


@register.inclusion_tag("strategy/adoption/_stage_panel.html")
def adoption_stage_panel(stage):
    """Stage VIII: the strategy in force with its resolution, or the final draft's way to the council."""
    if stage is None or stage.number != ADOPTION_STAGE:
        return {"show": False}
    strategy = selectors.current_strategy()
    in_force = adoption_selectors.in_force_version(strategy)
    final = selectors.latest_public_version(strategy)
    if final is not None and final.state != VersionState.AFTER_CONSULTATION:
        final = None
    return {
        "show": strategy is not None,
        "in_force": in_force,
        "final": final,
        "final_adoption": adoption_selectors.adoption(final) if final else None,
    }
