"""The consultation in the Django admin: read-only for the city (its services check dates, log, number the
comments and keep the report consistent). The admin role may correct a comment's personal data on request."""

from django.contrib import admin

from lublin2030.admin_permissions import ADMINISTER, RoleAdmin, read_only

from .models import ChangeCitation, Comment, CommentGroup, Consultation, Meeting


class MeetingInline(RoleAdmin, admin.TabularInline):
    rights = read_only("consultation.manage_consultation")
    model = Meeting
    extra = 0
    can_delete = False
    fields = ["event", "participants", "notes"]
    readonly_fields = fields


@admin.register(Consultation)
class ConsultationAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only("consultation.manage_consultation")
    list_display = ["title", "version", "starts_on", "ends_on", "announced_at", "report_published_at"]
    list_select_related = ["version"]
    inlines = [MeetingInline]


@admin.register(Comment)
class CommentAdmin(RoleAdmin, admin.ModelAdmin):
    # No one adds or deletes here: numbers and the report stay whole. The admin role may correct a name or a
    # text that reveals personal data, when someone asks (GDPR art. 16–17).
    rights = {"view": ADMINISTER, "change": ADMINISTER, "add": None, "delete": None}
    list_display = ["number", "consultation", "target", "channel", "status", "answer", "commenter_name"]
    list_filter = ["channel", "status", "answer", "target"]
    list_select_related = ["consultation"]
    search_fields = ["text", "commenter_name", "external_id"]
    fields = ["consultation", "number", "commenter_name", "text", "proposed_wording", "justification"]
    readonly_fields = ["consultation", "number"]


@admin.register(CommentGroup)
class CommentGroupAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["title", "consultation", "created_at"]


@admin.register(ChangeCitation)
class ChangeCitationAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["comment", "version", "block_key", "created_at"]
    list_select_related = ["comment", "version"]
