"""Coordinators edit the strategy's title and the checklist's template items here. Versions, the team and
attachments are read-only in the admin: they change through the workspace, whose services lock, log
and refuse edits of frozen versions."""

from django.contrib import admin

from lublin2030.admin_permissions import RulesPermissionMixin

from .models import Attachment, ChecklistTemplateItem, Strategy, StrategyVersion, TeamMembership, VersionStateChange


class ReadOnlyAdmin(RulesPermissionMixin, admin.ModelAdmin):
    rules_permission = "strategy.manage_team"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Strategy)
class StrategyAdmin(RulesPermissionMixin, admin.ModelAdmin):
    rules_permission = "strategy.manage_team"
    list_display = ["title", "starts_year", "ends_year", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def has_delete_permission(self, request, obj=None):
        return False  # versions protect it anyway; a strategy is never deleted from here


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(RulesPermissionMixin, admin.ModelAdmin):
    rules_permission = "strategy.manage_checklist"
    list_display = ["title", "phase", "mandatory", "position"]
    list_editable = ["mandatory", "position"]
    list_filter = ["phase", "mandatory"]
    ordering = ["phase", "position", "id"]


class StateChangeInline(admin.TabularInline):
    model = VersionStateChange
    extra = 0
    can_delete = False
    fields = ["from_state", "to_state", "actor", "reason", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("strategy.manage_team")


@admin.register(StrategyVersion)
class StrategyVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "strategy", "state", "created_at", "published_at"]
    list_filter = ["state"]
    inlines = [StateChangeInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "department", "granted_at", "withdrawn_at"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "department"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "kind", "content_type", "size", "listed_publicly", "uploaded_at"]
    list_filter = ["kind", "listed_publicly"]
    list_select_related = ["version"]
