"""django-import-export resources of participation: the reference data, for the Django admin.

Areas, districts and channels are matched by their slug or code, events by their number; an event
names its stage by number, its channel by code and its district by slug, so that a file exported
here imports back, here or on another installation. Every row is checked with the model's
`full_clean()` (the rules `services.event_create` applies), and a confirmed import refreshes the
cached public pages as the admin's own saves do.

Opinions are not imported this way: their import (participation/imports) checks a file's safety,
recognises rows imported before and writes 50,000 rows in seconds.
"""

from import_export import fields, resources, widgets

from stages.models import Stage

from .models import Area, Channel, District, Event


class PublicReferenceResource(resources.ModelResource):
    """Names shown on public pages: a confirmed import retires the cached pages."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run") and not result.has_errors():
            from .services import public_opinions_changed

            public_opinions_changed()


class AreaResource(PublicReferenceResource):
    class Meta:
        model = Area
        fields = ("slug", "name_pl", "name_en", "description_pl", "description_en", "position")
        import_id_fields = ("slug",)


class DistrictResource(PublicReferenceResource):
    class Meta:
        model = District
        fields = ("slug", "name", "is_whole_city", "position")
        import_id_fields = ("slug",)


class ChannelResource(PublicReferenceResource):
    class Meta:
        model = Channel
        fields = ("code", "name_pl", "name_en", "is_online", "position")
        import_id_fields = ("code",)


class EventResource(resources.ModelResource):
    stage = fields.Field("stage", "stage", widgets.ForeignKeyWidget(Stage, "number"))
    channel = fields.Field("channel", "channel", widgets.ForeignKeyWidget(Channel, "code"))
    district = fields.Field("district", "district", widgets.ForeignKeyWidget(District, "slug"))

    class Meta:
        model = Event
        fields = ("id", "title", "description", "stage", "channel", "district", "place", "starts_at", "ends_at")
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
