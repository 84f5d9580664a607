"""The admin reads; writes go through the services (versions, locking and the workflow live there)."""

from django.contrib import admin

from .models import Assessment, Comment, Evidence, Recommendation, RecommendationVersion, StatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = RecommendationVersion
    fields = ["number", "author", "created_at", "summary"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["from_status", "to_status", "actor", "reason", "created_at"]
    readonly_fields = fields


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ["round", "kind", "verdict", "justification", "author", "created_at"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["opinion", "added_by", "added_at"]
    readonly_fields = fields


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "status", "version", "updated_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "vision", "diagnosis"]
    list_select_related = ["group__area"]
    inlines = [EvidenceInline, AssessmentInline, StatusChangeInline, VersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "recommendation", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    list_select_related = ["recommendation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
