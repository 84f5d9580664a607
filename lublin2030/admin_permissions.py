"""Rights in the Django admin, per model and per action, from `rules` permissions only.

Django's admin asks `user.has_perm("<app>.view_<model>")` and the like; our action permissions are
never named that way (a test keeps it so), so Django's model permissions grant nothing to anybody
but a superuser, and every ModelAdmin of the project says here who may view, add, change and delete:
`RoleAdmin.rights` maps each action to the `rules` permission that grants it, or to None (nobody:
the model is written by its services only, which log, notify and refresh caches). An action it does
not name belongs to the admin role (`accounts.administer`). docs/permissions.md has the table.

django-import-export's import and export pages ask `has_import_permission` and
`has_export_permission`: they follow the same rights (an import adds and changes rows, an export
reads them) unless `rights` names "import" or "export" itself.
"""

ADMINISTER = "accounts.administer"
ACTIONS = ("view", "add", "change", "delete")


class RoleAdmin:
    """Mix into every ModelAdmin and inline: `rights = {"view": perm, "add": None, ...}`."""

    rights: dict[str, str | None] = {}

    def may(self, request, action: str) -> bool:
        permission = self.rights.get(action, ADMINISTER)
        return permission is not None and request.user.has_perm(permission)

    def has_module_permission(self, request):
        return self.may(request, "view") or self.may(request, "change")

    def has_view_permission(self, request, obj=None):
        return self.may(request, "view") or self.may(request, "change")

    def has_add_permission(self, request, *args):
        return self.may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self.may(request, "delete")

    def has_import_permission(self, request):
        if "import" in self.rights:
            return self.may(request, "import")
        return self.may(request, "add") and self.may(request, "change")

    def has_export_permission(self, request):
        if "export" in self.rights:
            return self.may(request, "export")
        return self.has_view_permission(request)


def read_only(permission: str = ADMINISTER) -> dict[str, str | None]:
    """Rights of a model only its services write: `permission` reads it, nobody changes it here."""
    return {"view": permission, "add": None, "change": None, "delete": None}


def managed_by(permission: str) -> dict[str, str | None]:
    """Rights of a model that `permission` manages entirely here (reference data, the calendar)."""
    return dict.fromkeys(ACTIONS, permission)
