from django import template

from participation import selectors

register = template.Library()


@register.inclusion_tag("participation/_stage_events.html")
def stage_events(stage, limit: int = 20):
    """The meetings of a stage where residents give opinions offline (one query)."""
    return {"stage": stage, "events": selectors.events_of_stage(stage, limit=limit) if stage else []}
