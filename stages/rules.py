import rules

from accounts.rules import is_city_coordinator

rules.add_perm("stages.read_stage", rules.always_allow)
rules.add_perm("stages.manage_process", is_city_coordinator)
