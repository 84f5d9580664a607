"""Who may do what with recommendations. Window checks live in the services.

The object is a Recommendation, except for `add_recommendation` (a WorkingGroup).
"""

import rules

from accounts.rules import has_verified_email, is_city_coordinator, is_staff_member
from workgroups.rules import is_group_leader, is_group_member

from .models import EDITABLE_STATUSES, PUBLIC_STATUSES


@rules.predicate
def is_public_recommendation(user, recommendation):
    return recommendation is not None and recommendation.status in PUBLIC_STATUSES


@rules.predicate
def is_editable(user, recommendation):
    return recommendation is not None and recommendation.status in EDITABLE_STATUSES


@rules.predicate
def is_own_group(user, recommendation):
    """Staff who are also members of the group may not verify its work (no one checks themselves)."""
    return recommendation is not None and is_group_member(user, recommendation)


rules.add_perm("recommendations.read_recommendation", is_public_recommendation | is_group_member | is_city_coordinator)
rules.add_perm("recommendations.read_workspace_items", is_group_member | is_city_coordinator)
rules.add_perm("recommendations.create_recommendation", is_group_member)
rules.add_perm("recommendations.edit_recommendation", is_group_member & is_editable)
rules.add_perm("recommendations.submit_recommendation", is_group_leader & is_editable)
rules.add_perm("recommendations.write_internal_comment", is_group_member)
# Without an object (the queue), any coordinator; with one, not for a member of the recommendation's group.
rules.add_perm("recommendations.verify_recommendation", is_city_coordinator & ~is_own_group)
rules.add_perm("recommendations.include_recommendation", is_city_coordinator)
rules.add_perm("recommendations.comment_recommendation", has_verified_email & is_public_recommendation)
rules.add_perm("recommendations.moderate_comment", is_staff_member)
rules.add_perm("recommendations.export_recommendations", is_city_coordinator)
