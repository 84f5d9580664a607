import rules

from accounts.rules import is_admin, is_coordinator

rules.add_perm("stages.view_stage", rules.always_allow)
rules.add_perm("stages.manage_process", is_coordinator | is_admin)
