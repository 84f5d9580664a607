from django import template

from reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_stage_reports.html")
def stage_reports(stage, limit: int = 20):
    """The reports a coordinator published on this stage's page, newest first (one query)."""
    return {"reports": list(selectors.published_reports_of_stage(stage, limit=limit)) if stage else []}
