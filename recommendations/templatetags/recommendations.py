from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def based_on(count) -> str:
    """“based on 2 opinions” / “na podstawie 2 opinii”, with the language's plural forms."""
    count = count or 0
    return ngettext("based on %(count)d opinion", "based on %(count)d opinions", count) % {"count": count}


@register.filter
def citing(traces, opinion_id):
    """`traces|citing:opinion.pk`: the recommendations citing one opinion, from `recommendations_citing`."""
    return (traces or {}).get(opinion_id, [])


@register.filter
def person(user) -> str:
    """Staff and authors of public content: the display name, never the e-mail address."""
    if user is None:
        return _("a former user")
    return user.shown_name


@register.inclusion_tag("recommendations/_opinion_trace.html")
def opinion_trace(opinion, heading: str = "h2"):
    """`{% opinion_trace opinion %}`: "Where did my opinion go?" for one opinion page (one query)."""
    from recommendations.selectors import recommendations_citing

    return {
        "trace_recommendations": recommendations_citing(opinion_ids=[opinion.pk]).get(opinion.pk, []),
        "trace_heading": heading,
    }


@register.simple_tag
def public_recommendations_of(group) -> list:
    """`{% public_recommendations_of group as recommendations %}`: on a working group's page (workgroups
    sits below recommendations and does not import it)."""
    from recommendations.selectors import public_recommendation_list

    return list(public_recommendation_list(area=group.area))


@register.simple_tag
def workspace_recommendations(group) -> list:
    """`{% workspace_recommendations group as recommendations %}`: every recommendation of the group, drafts too."""
    from recommendations.selectors import group_recommendations

    return list(group_recommendations(group))


@register.simple_tag
def workspace_activity(group) -> list:
    """`{% workspace_activity group as activity %}`: who changed what in the group's recommendations."""
    from recommendations.selectors import group_activity

    return group_activity(group)


@register.simple_tag
def traces_for(opinions) -> dict:
    """`{% traces_for opinions as traces %}`: the citing recommendations of a whole page, in one query."""
    from recommendations.selectors import recommendations_citing

    return recommendations_citing(opinion_ids=[opinion.pk for opinion in opinions])
