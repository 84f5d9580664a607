"""Django's model permissions, asked only for what they can answer.

Our action permissions are `rules` predicates (`rules.permissions.ObjectPermissionBackend`, first in
AUTHENTICATION_BACKENDS). Django's `ModelBackend` is still needed to log in to the admin and for the
model permissions a superuser holds, but asked about a `rules` permission that was refused it would
read the user's and groups' permission tables for nothing (two queries per request). Our
permission names never look like Django's (`<app>.add_<model>`, `change_`, `delete_`, `view_`:
tests/accounts/test_permissions.py keeps it so), so this backend answers those names only.
"""

import re

from django.contrib.auth.backends import ModelBackend

MODEL_PERMISSION = re.compile(r"^\w+\.(add|change|delete|view)_\w+$")


class ModelPermissionBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not MODEL_PERMISSION.match(perm):
            return False
        return super().has_perm(user_obj, perm, obj)
