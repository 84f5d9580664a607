"""Read-only views of reports for administrators; every change goes through the staff page's services."""

from django.contrib import admin

from lublin2030.admin_permissions import RoleAdmin, read_only

from .models import Report, ReportPart


class ReportPartInline(RoleAdmin, admin.TabularInline):
    rights = read_only()
    model = ReportPart
    fields = ("run", "index", "status", "reused", "attempts", "page_count", "seconds", "rendered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = (
        "id",
        "kind",
        "area",
        "language",
        "status",
        "progress",
        "page_count",
        "requested_by",
        "queued_at",
        "finished_at",
        "published_stage",
    )
    list_filter = ("status", "kind", "language")
    list_select_related = ("area", "requested_by", "published_stage")
    inlines = [ReportPartInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
