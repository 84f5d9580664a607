"""Coordinators edit the strategy's title and the checklist's template items here. Versions, the team and
attachments are read-only in the admin (for the admin role): they change through the workspace, whose
services lock, log and refuse edits of frozen versions."""

from django.contrib import admin

from lublin2030.admin_permissions import RoleAdmin, managed_by, read_only

from .models import (
    AdoptionStep,
    Attachment,
    ChecklistTemplateItem,
    Resolution,
    Strategy,
    StrategyVersion,
    TeamMembership,
    VersionStateChange,
)


@admin.register(Strategy)
class StrategyAdmin(RoleAdmin, admin.ModelAdmin):
    # Versions protect it; a strategy is neither added nor deleted here (load_reference_data makes it).
    rights = {"view": "strategy.manage_team", "change": "strategy.manage_team", "add": None, "delete": None}
    list_display = ["title", "starts_year", "ends_year", "slug"]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(RoleAdmin, admin.ModelAdmin):
    rights = managed_by("strategy.manage_checklist")
    list_display = ["title", "phase", "mandatory", "position"]
    list_editable = ["mandatory", "position"]
    list_filter = ["phase", "mandatory"]
    ordering = ["phase", "position", "id"]


class StateChangeInline(RoleAdmin, admin.TabularInline):
    rights = read_only()
    model = VersionStateChange
    extra = 0
    can_delete = False
    fields = ["from_state", "to_state", "actor", "reason", "created_at"]
    readonly_fields = fields


@admin.register(StrategyVersion)
class StrategyVersionAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["number", "strategy", "state", "created_at", "published_at"]
    list_filter = ["state"]
    inlines = [StateChangeInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["user", "role", "department", "granted_at", "withdrawn_at"]
    list_filter = ["role"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "department"]


@admin.register(Attachment)
class AttachmentAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["title", "version", "kind", "content_type", "size", "listed_publicly", "uploaded_at"]
    list_filter = ["kind", "listed_publicly"]
    list_select_related = ["version"]


@admin.register(Resolution)
class ResolutionAdmin(RoleAdmin, admin.ModelAdmin):
    # Recorded on the adoption page of a version, which checks the steps and freezes the version.
    rights = read_only("strategy.record_adoption")
    list_display = ["number", "kind", "adopted_on", "version", "recorded_at"]
    list_select_related = ["version"]


@admin.register(AdoptionStep)
class AdoptionStepAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only("strategy.record_adoption")
    list_display = ["kind", "happened_on", "reference", "version", "recorded_at"]
    list_select_related = ["version"]
