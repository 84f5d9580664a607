from django.contrib import admin

from .admin_permissions import RoleAdmin
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RoleAdmin, admin.ModelAdmin):
    """Tasks waiting for the broker: the admin role may look, and delete one that can never run."""

    rights = {"view": "accounts.administer", "add": None, "change": None, "delete": "accounts.administer"}
    list_display = ["task_name", "created_at", "attempts", "last_error"]
    readonly_fields = ["task_name", "args", "kwargs", "created_at", "attempts", "last_error"]
