"""The admin reads; writes go through the services (versions, locking and the workflow live there)."""

from django.contrib import admin

from lublin2030.admin_permissions import RoleAdmin, read_only

from .models import Assessment, Comment, Evidence, Recommendation, RecommendationVersion, StatusChange


class ReadOnlyInline(RoleAdmin, admin.TabularInline):
    rights = read_only()
    extra = 0
    can_delete = False


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
class RecommendationAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["title", "group", "status", "version", "updated_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "vision", "diagnosis"]
    list_select_related = ["group__area"]
    inlines = [EvidenceInline, AssessmentInline, StatusChangeInline, VersionInline]


@admin.register(Comment)
class CommentAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["__str__", "recommendation", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    list_select_related = ["recommendation"]
