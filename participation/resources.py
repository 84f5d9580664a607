"""django-import-export resources of participation.

`OpinionResource` describes an opinion as a spreadsheet row with the same columns as the staff
export (`exports.COLUMNS`): names instead of ids, no author, every text cell neutralised against
formula injection. Use it where django-import-export's own machinery fits (an `ExportMixin` on the
admin, a management command, a small script); `resource.export(queryset)` builds a tablib Dataset
in memory, which is fine for thousands of rows.

The staff pages do not use `Resource.import_data()` / `export()`: the import must check a file's
safety before openpyxl opens it, give every error by row and column, recognise rows imported
before by fingerprint and write 50,000 rows in seconds (`imports.py`: tablib-free parsing with
openpyxl and csv, `bulk_create`), and the export must stream 20,000 rows in constant memory
(`exports.py`). The row-level rules are shared: `NameWidget` matches areas, districts and channels
with `imports.normalize`, like the staff import.
"""

from import_export import fields, resources, widgets

from stages.models import ROMAN

from .exports import HEADER, safe_cell
from .imports import normalize
from .models import Area, Channel, District, Opinion


class NameWidget(widgets.ForeignKeyWidget):
    """A foreign key written as a name or slug, matched ignoring case and Polish letters."""

    def __init__(self, model, keys, **kwargs):
        self.keys = keys
        super().__init__(model, field=keys[0], **kwargs)
        self._index = None

    def _lookup(self):
        if self._index is None:
            self._index = {}
            for instance in self.model.objects.all():
                for key in self.keys:
                    value = getattr(instance, key, "")
                    if value:
                        self._index.setdefault(normalize(value), instance)
        return self._index

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        instance = self._lookup().get(normalize(value))
        if instance is None:
            raise ValueError(f"{self.model._meta.verbose_name}: {value!r} is unknown")
        return instance

    def render(self, value, obj=None, **kwargs):
        return safe_cell(str(getattr(value, self.keys[0], "") or "")) if value else ""


class SafeCharWidget(widgets.CharWidget):
    def render(self, value, obj=None, **kwargs):
        return safe_cell(super().render(value, obj, **kwargs) or "")


class OpinionResource(resources.ModelResource):
    text = fields.Field(attribute="text", column_name="text", widget=SafeCharWidget())
    area = fields.Field(attribute="area", column_name="area", widget=NameWidget(Area, ("name_pl", "name_en", "slug")))
    district = fields.Field(attribute="district", column_name="district", widget=NameWidget(District, ("name", "slug")))
    channel = fields.Field(
        attribute="channel", column_name="channel", widget=NameWidget(Channel, ("name_pl", "name_en", "code"))
    )
    source = fields.Field(column_name="source", readonly=True)
    stage = fields.Field(column_name="stage", readonly=True)
    event = fields.Field(column_name="event", readonly=True)
    place = fields.Field(attribute="place", column_name="place", widget=SafeCharWidget())
    rejection_reason = fields.Field(
        attribute="rejection_reason", column_name="rejection_reason", widget=SafeCharWidget()
    )
    external_id = fields.Field(attribute="external_id", column_name="external_id", widget=SafeCharWidget())

    class Meta:
        model = Opinion
        fields = tuple(HEADER)
        export_order = tuple(HEADER)
        import_id_fields = ("external_id",)
        skip_unchanged = True

    def get_queryset(self):
        return Opinion.objects.select_related("area", "district", "channel", "stage", "event").order_by("id")

    def dehydrate_source(self, opinion):
        return "online" if opinion.channel.is_online else "offline"

    def dehydrate_stage(self, opinion):
        return ROMAN.get(opinion.stage.number, "") if opinion.stage_id else ""

    def dehydrate_event(self, opinion):
        return safe_cell(opinion.event.title) if opinion.event_id else ""
