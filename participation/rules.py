"""Who may do what with opinions and events. The window checks live in the services."""

import rules

from accounts.rules import has_verified_email, is_city_coordinator, is_staff_member


@rules.predicate
def is_author(user, opinion):
    return opinion is not None and user.is_authenticated and opinion.author_id == user.pk


@rules.predicate
def is_public_opinion(user, opinion):
    return opinion is not None and opinion.is_public


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


# Reading: published opinions, statistics and events are public.
rules.add_perm("participation.read_opinion_list", rules.always_allow)
rules.add_perm("participation.read_statistics", rules.always_allow)
rules.add_perm("participation.read_events", rules.always_allow)
rules.add_perm("participation.read_opinion", is_public_opinion | is_author | is_staff_member)
rules.add_perm("participation.read_my_opinions", is_signed_in)
# Contributing (the service also requires the "opinions" window to be open and applies rate limits).
rules.add_perm("participation.submit_opinion", has_verified_email)
rules.add_perm("participation.flag_opinion", has_verified_email & is_public_opinion & ~is_author)
# Staff.
rules.add_perm("participation.moderate_opinion", is_staff_member)
# Moderators read the log of their own work and their colleagues' (who decided what, and why).
rules.add_perm("participation.read_moderation_log", is_staff_member)
rules.add_perm("participation.import_opinions", is_staff_member)
rules.add_perm("participation.export_opinions", is_staff_member)
rules.add_perm("participation.manage_reference", is_city_coordinator)
rules.add_perm("participation.manage_events", is_city_coordinator)
