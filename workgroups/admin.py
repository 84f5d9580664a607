from django.contrib import admin

from lublin2030.admin_import_export import ImportExportAdmin
from lublin2030.admin_permissions import RoleAdmin, managed_by, read_only

from .models import Application, Membership, WorkingGroup
from .resources import MembershipResource


class MembershipInline(RoleAdmin, admin.TabularInline):
    rights = managed_by("workgroups.manage_members")
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at", "added_by"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(RoleAdmin, admin.ModelAdmin):
    rights = {"view": "workgroups.manage_members", "add": None, "change": "workgroups.manage_members", "delete": None}
    list_display = ["__str__", "slug", "created_at"]
    search_fields = ["area__name_pl", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ImportExportAdmin):
    """Members are imported through `membership_add` (resources.py): the groups' rules hold."""

    rights = managed_by("workgroups.manage_members")
    resource_classes = [MembershipResource]
    list_display = ["user", "group", "category", "joined_at"]
    list_filter = ["category", "group"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "group__area"]


@admin.register(Application)
class ApplicationAdmin(RoleAdmin, admin.ModelAdmin):
    """Decisions go through the staff page (the applicant is told); here they are read."""

    rights = read_only("workgroups.review_application")
    list_display = ["applicant", "group", "category", "status", "created_at", "decided_at"]
    list_filter = ["status", "category", "group"]
    search_fields = ["applicant__email", "motivation"]
    list_select_related = ["applicant", "group__area"]
    readonly_fields = ["created_at", "decided_at", "decided_by"]
