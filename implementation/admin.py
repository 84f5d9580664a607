"""Coordinators manage the implementation in the staff panel (/panel/realizacja/), whose services validate keys
and retire cached pages; the admin shows its records to coordinators and the admin role, read only."""

from django.contrib import admin

from lublin2030.admin_permissions import RoleAdmin, read_only

from .models import Action, EducationalEvent, Follow, Measurement, SectorStrategy

READ = "implementation.manage_implementation"


@admin.register(SectorStrategy)
class SectorStrategyAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only(READ)
    list_display = ["name", "kind", "owner_department", "starts_year", "ends_year", "is_public"]
    list_filter = ["kind", "is_public"]


@admin.register(Action)
class ActionAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only(READ)
    list_display = ["title", "responsible_unit", "district", "status", "planned_budget", "spent_budget", "is_public"]
    list_filter = ["status", "is_public"]
    list_select_related = ["district"]
    search_fields = ["title", "responsible_unit"]


@admin.register(Measurement)
class MeasurementAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only(READ)
    list_display = ["indicator_key", "measured_on", "value", "source"]
    search_fields = ["=indicator_key"]


@admin.register(EducationalEvent)
class EducationalEventAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only(READ)
    list_display = ["event", "kind", "participants"]
    list_select_related = ["event"]


@admin.register(Follow)
class FollowAdmin(RoleAdmin, admin.ModelAdmin):
    # Who follows what is personal: the admin role only.
    rights = read_only()
    list_display = ["user", "opinion", "created_at"]
    list_select_related = ["user"]
