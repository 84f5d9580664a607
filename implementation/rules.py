"""Who may do what with the implementation, the monitoring, the chain and following (docs/permissions.md)."""

import rules

from accounts.rules import has_verified_email, is_city_coordinator, is_staff_member
from participation.rules import is_public_opinion

# Sector strategies, actions, the educational programme; measurements of indicators and their import.
rules.add_perm("implementation.manage_implementation", is_city_coordinator)
rules.add_perm("implementation.record_measurements", is_city_coordinator)
# The staff view of coverage: the areas and districts whose opinions reached the strategy least.
rules.add_perm("implementation.read_coverage_details", is_staff_member)
# A verified resident follows a public opinion along the chain (one digest a day at most).
rules.add_perm("implementation.follow_opinion", has_verified_email & is_public_opinion)
