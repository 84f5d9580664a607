from django.contrib import admin

from lublin2030.admin_permissions import RulesPermissionMixin

from .models import ParticipationWindow, ProcessState, Stage


class CoordinatorsManage(RulesPermissionMixin):
    """Coordinators edit stage dates and windows."""

    rules_permission = "stages.manage_process"


class ParticipationWindowInline(CoordinatorsManage, admin.TabularInline):
    model = ParticipationWindow
    extra = 0


@admin.register(Stage)
class StageAdmin(CoordinatorsManage, admin.ModelAdmin):
    list_display = ["number", "title_pl", "starts_on", "ends_on"]
    inlines = [ParticipationWindowInline]
    prepopulated_fields = {"slug": ["title_pl"]}


@admin.register(ProcessState)
class ProcessStateAdmin(CoordinatorsManage, admin.ModelAdmin):
    list_display = ["current_stage_override", "changed_by", "changed_at"]
