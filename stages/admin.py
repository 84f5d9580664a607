from django.contrib import admin

from .models import ParticipationWindow, ProcessState, Stage


class ParticipationWindowInline(admin.TabularInline):
    model = ParticipationWindow
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["number", "title_pl", "starts_on", "ends_on"]
    inlines = [ParticipationWindowInline]
    prepopulated_fields = {"slug": ["title_pl"]}


@admin.register(ProcessState)
class ProcessStateAdmin(admin.ModelAdmin):
    list_display = ["current_stage_override", "changed_by", "changed_at"]
