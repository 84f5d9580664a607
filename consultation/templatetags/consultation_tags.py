from django import template

from consultation import selectors

register = template.Library()

# The stage whose page presents the formal consultation (the seed's numbering).
CONSULTATION_STAGE = 7


@register.inclusion_tag("consultation/_stage_panel.html")
def consultation_stage_panel(stage):
    """Stage VII's page: the announced consultation, its dates, how to take part, its report."""
    if stage is None or stage.number != CONSULTATION_STAGE:
        return {"show": False}
    consultation = selectors.current_consultation()
    return {"show": consultation is not None, "consultation": consultation, "stage": stage}
