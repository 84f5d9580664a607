from django import template

from strategy import selectors
from strategy.diff import decimal_text

register = template.Library()

# The stages whose pages report on the strategy's drafting (V) and formal evaluation (VI): the seed's numbering.
DRAFTING_STAGE, REVIEW_STAGE = 5, 6


@register.filter
def decimal(value) -> str:
    """12.5000 → "12,5" (in Polish), 1250 → "1 250"."""
    return decimal_text(value)


@register.filter
def place(block) -> str:
    """“chapter 4.2” for a block read with its chapter and section."""
    return selectors.block_place(block)


@register.inclusion_tag("strategy/_stage_panel.html")
def strategy_stage_panel(stage):
    """Stage V and VI pages: how far the draft is, in counts only (its text is not public yet)."""
    if stage is None or stage.number not in (DRAFTING_STAGE, REVIEW_STAGE):
        return {"show": False}
    strategy = selectors.current_strategy()
    version = selectors.version_in_progress(strategy)
    return {
        "show": strategy is not None,
        "stage": stage,
        "review": stage.number == REVIEW_STAGE,
        "progress": selectors.progress(version) if version else None,
        "public": selectors.latest_public_version(strategy),
    }


@register.inclusion_tag("strategy/_landing.html", takes_context=True)
def strategy_landing(context, recommendation):
    """On an included recommendation's page: where it landed in the latest public version, or why not.

    The strategy's team (and coordinators) also see where it stands in the version being drafted.
    """
    user = context.get("user")
    strategy = selectors.current_strategy()
    public = selectors.latest_public_version(strategy)
    result = {"landing": selectors.landing(recommendation, public), "recommendation": recommendation}
    if user is not None and user.has_perm("strategy.read_workspace", strategy):
        draft = selectors.version_in_progress(strategy)
        if draft is not None:
            result["draft_landing"] = selectors.landing(recommendation, draft)
    return result


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
