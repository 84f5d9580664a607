"""Django admin for participation.

Coordinators manage areas here (and districts, channels, events), and import or export them as
CSV or XLSX (django-import-export, `resources.py`). Moderation is deliberately
read-only in the admin: decisions go through the moderation queue, whose services log them, tell
the author and refresh the public caches.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from lublin2030.admin_import_export import ImportExportAdmin
from lublin2030.admin_permissions import ADMINISTER, RoleAdmin, managed_by, read_only

from .models import Area, Channel, District, Event, ImportJob, ModerationLogEntry, Opinion, OpinionFlag
from .resources import AreaResource, ChannelResource, DistrictResource, EventResource
from .services import public_opinions_changed


class PublicReferenceAdmin(ImportExportAdmin):
    """Names shown on public pages: changing them (or importing them) refreshes the cached pages."""

    rights = managed_by("participation.manage_reference")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_opinions_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_opinions_changed()


@admin.register(Area)
class AreaAdmin(PublicReferenceAdmin):
    resource_classes = [AreaResource]
    list_display = ["name_pl", "name_en", "slug", "position", "opinion_count", "is_demo"]
    list_editable = ["position"]
    list_filter = ["is_demo"]
    search_fields = ["name_pl", "name_en", "slug", "description_pl", "description_en"]
    prepopulated_fields = {"slug": ["name_pl"]}
    ordering = ["position", "name_pl"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opinion_total=Count("opinions"))

    @admin.display(description=_("opinions"), ordering="opinion_total")
    def opinion_count(self, obj):
        return obj.opinion_total


@admin.register(District)
class DistrictAdmin(PublicReferenceAdmin):
    resource_classes = [DistrictResource]
    list_display = ["name", "slug", "is_whole_city", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Channel)
class ChannelAdmin(PublicReferenceAdmin):
    resource_classes = [ChannelResource]
    list_display = ["name_pl", "name_en", "code", "is_online", "position"]
    list_editable = ["position"]
    list_filter = ["is_online"]
    search_fields = ["name_pl", "name_en", "code"]


@admin.register(Event)
class EventAdmin(ImportExportAdmin):
    rights = managed_by("participation.manage_events")
    resource_classes = [EventResource]
    list_display = ["title", "starts_at", "place", "district", "channel", "stage"]
    list_filter = ["channel", "stage", "district"]
    search_fields = ["title", "place", "description"]
    date_hierarchy = "starts_at"
    list_select_related = ["district", "channel", "stage"]


class OpinionFlagInline(RoleAdmin, admin.TabularInline):
    model = OpinionFlag
    rights = read_only()
    extra = 0
    can_delete = False
    fields = ["user", "reason", "details", "created_at", "reviewed_at"]
    readonly_fields = fields


@admin.register(Opinion)
class OpinionAdmin(RoleAdmin, admin.ModelAdmin):
    """The admin role reads opinions, corrects a text (e.g. personal data a resident asks to remove)
    and deletes one on a legal request; nobody adds an opinion here, in anyone's name."""

    rights = {"view": ADMINISTER, "add": None, "change": ADMINISTER, "delete": ADMINISTER}
    list_display = ["id", "short_text", "status", "hidden_by_flags", "area", "district", "channel", "created_at"]
    list_filter = ["status", "hidden_by_flags", "channel", "area", "stage"]
    search_fields = ["=id", "text", "external_id", "author__email"]
    list_select_related = ["area", "district", "channel"]
    raw_id_fields = ["author", "event"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "rejection_reason",
        "hidden_by_flags",
        "flag_count",
        "moderated_by",
        "moderated_at",
        "published_at",
        "import_fingerprint",
        "created_at",
        "updated_at",
    ]
    inlines = [OpinionFlagInline]
    show_full_result_count = False  # no COUNT(*) over tens of thousands of rows on every page

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:80]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_opinions_changed()


@admin.register(OpinionFlag)
class OpinionFlagAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["opinion", "reason", "user", "created_at", "reviewed_at"]
    list_filter = ["reason", "reviewed_at"]
    raw_id_fields = ["opinion", "user"]
    readonly_fields = ["opinion", "user", "reason", "details", "created_at", "reviewed_at"]


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(RoleAdmin, admin.ModelAdmin):
    """The log is evidence: nobody edits or deletes it."""

    rights = read_only()

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "reason"]
    list_filter = ["action", "content_type"]
    search_fields = ["reason", "actor__email", "=object_id"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"


@admin.register(ImportJob)
class ImportJobAdmin(RoleAdmin, admin.ModelAdmin):
    rights = read_only()
    list_display = ["file_name", "actor", "status", "created", "skipped", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["actor"]
