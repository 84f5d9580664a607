"""Admin rights from `rules` permissions, so staff roles need no Django model permissions."""


class RulesPermissionMixin:
    """Grant a ModelAdmin or inline to whoever has `rules_permission`.

    Opening /admin/ at all is decided by `accounts.admin.staff_may_use_admin`.
    """

    rules_permission = ""

    def _allowed(self, request) -> bool:
        return request.user.has_perm(self.rules_permission)

    def has_module_permission(self, request):
        return self._allowed(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) or super().has_delete_permission(request, obj)
