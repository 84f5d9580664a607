from django.contrib import admin

from lublin2030.admin_permissions import RoleAdmin, managed_by, read_only

from .models import ParticipationWindow, ProcessState, Stage


class CoordinatorsManage(RoleAdmin):
    """Coordinators edit stage dates and windows."""

    rights = managed_by("stages.manage_process")


class ParticipationWindowInline(CoordinatorsManage, admin.TabularInline):
    model = ParticipationWindow
    extra = 0


@admin.register(Stage)
class StageAdmin(CoordinatorsManage, admin.ModelAdmin):
    list_display = ["number", "title_pl", "starts_on", "ends_on"]
    inlines = [ParticipationWindowInline]
    prepopulated_fields = {"slug": ["title_pl"]}


@admin.register(ProcessState)
class ProcessStateAdmin(RoleAdmin, admin.ModelAdmin):
    """Pinning a stage goes through the process panel (it asks for a reason and logs it)."""

    rights = read_only("stages.manage_process")
    list_display = ["current_stage_override", "changed_by", "changed_at"]
