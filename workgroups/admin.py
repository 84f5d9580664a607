from django.contrib import admin

from .models import Application, Membership, WorkingGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at", "added_by"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "created_at"]
    search_fields = ["area__name_pl", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "category", "joined_at"]
    list_filter = ["category", "group"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "group__area"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "group", "category", "status", "created_at", "decided_at"]
    list_filter = ["status", "category", "group"]
    search_fields = ["applicant__email", "motivation"]
    list_select_related = ["applicant", "group__area"]
    readonly_fields = ["created_at", "decided_at", "decided_by"]
