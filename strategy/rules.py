"""Who may do what with the strategy document. Version states are checked in the services, which
refuse an edit of a frozen version with a message (not a 403): the person should know why.

The object, when given, is a Strategy, a StrategyVersion, or anything with a `version` (a block, a
goal, an attachment...). Team memberships are read once per request and user.
"""

import rules

from accounts.rules import is_city_coordinator

from .models import EDITORIAL_ROLES, PUBLIC_STATES, Attachment, Strategy, StrategyVersion, TeamMembership


def _strategy_id(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Strategy):
        return obj.pk
    if isinstance(obj, StrategyVersion):
        return obj.strategy_id
    version = getattr(obj, "version", None)
    return version.strategy_id if version is not None else None


def team_roles(user) -> dict[int, str]:
    """{strategy id: role} of the person's active memberships (one query per request and user)."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    roles = getattr(user, "_strategy_roles", None)
    if roles is None:
        roles = dict(
            TeamMembership.objects.filter(user=user, withdrawn_at__isnull=True).values_list("strategy_id", "role")
        )
        user._strategy_roles = roles
    return roles


def _role(user, obj) -> str | None:
    strategy_id = _strategy_id(obj)
    return team_roles(user).get(strategy_id) if strategy_id is not None else None


@rules.predicate
def is_editorial_member(user, obj=None):
    """City staff or an invited expert in the editorial team: they write the working version."""
    if obj is None:
        return any(role in EDITORIAL_ROLES for role in team_roles(user).values())
    return _role(user, obj) in EDITORIAL_ROLES


@rules.predicate
def is_team_member(user, obj=None):
    """The editorial team and the departments' staff asked for the internal consultation."""
    if obj is None:
        return bool(team_roles(user))
    return _role(user, obj) is not None


@rules.predicate
def is_public_version(user, obj):
    if isinstance(obj, Attachment):
        return obj.listed_publicly and obj.version.state in PUBLIC_STATES
    version = obj if isinstance(obj, StrategyVersion) else getattr(obj, "version", None)
    return version is not None and version.state in PUBLIC_STATES


city = is_city_coordinator
workspace = is_team_member | city

rules.add_perm("strategy.read_workspace", workspace)
rules.add_perm("strategy.read_version", is_public_version | workspace)
rules.add_perm("strategy.download_attachment", is_public_version | workspace)
rules.add_perm("strategy.manage_team", city)
rules.add_perm("strategy.create_version", is_editorial_member | city)
rules.add_perm("strategy.edit_version", is_editorial_member)
rules.add_perm("strategy.submit_version", is_editorial_member | city)
rules.add_perm("strategy.publish_version", city)
rules.add_perm("strategy.manage_checklist", city)
rules.add_perm("strategy.comment_internally", workspace)
rules.add_perm("strategy.resolve_comment", is_editorial_member)
# Stage VIII: the board's opinion, the mayor's submission, the session, and the resolution that adopts.
rules.add_perm("strategy.record_adoption", city)
