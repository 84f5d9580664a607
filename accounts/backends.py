"""Django's model permissions, asked only for what they can answer.

Our action permissions are `rules` predicates (`rules.permissions.ObjectPermissionBackend`, first in
AUTHENTICATION_BACKENDS). Django's `ModelBackend` is still needed to log in to the admin and for the
model permissions a superuser holds, but asked about a `rules` permission that was refused it would
read the user's and groups' permission tables for nothing (two queries per request). Our
permission names never look like Django's (`<app>.add_<model>`, `change_`, `delete_`, `view_`:
tests/accounts/test_permissions.py keeps it so), so this backend answers those names only.
"""

import re

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth.backends import ModelBackend

MODEL_PERMISSION = re.compile(r"^\w+\.(add|change|delete|view)_\w+$")


class ModelPermissionBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not MODEL_PERMISSION.match(perm):
            return False
        return super().has_perm(user_obj, perm, obj)


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    """django-allauth's sign-in by e-mail address, answering no permission.

    allauth's backend is a ModelBackend: listed after ours it read the user's and her groups'
    permission tables (two queries) for every permission the two backends above had refused, e.g.
    the menu's "staff panel" link for every signed-in resident. The model permissions it would find
    are answered by ModelPermissionBackend already.
    """

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()


# Sessions started before this backend replaced allauth's name allauth's: they stay signed in.
RENAMED_BACKENDS = {"allauth.account.auth_backends.AuthenticationBackend": f"{__name__}.AuthenticationBackend"}
