"""django-import-export resource of indicator measurements: one row of a spreadsheet is one value.

Columns (Polish or English headers, any order, case and Polish letters ignored): indicator / wskaźnik (the
indicator's key or its exact name), date / data (31.12.2024 or 2024-12-31), value / wartość (12,5 or
1 250,5: the Polish decimal comma), source / źródło (optional: the indicator's source by default), note /
uwagi (optional). A row never updates an existing value: the same indicator and date twice is an error.

Every row is checked by `services.measurement_values`, the same rules as the staff form; import-export
runs the rows (a dry run for the preview), collects the errors of each row by field, and rolls the whole
file back when any row is wrong.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from participation.imports import normalize

from .models import Measurement
from .services import MeasurementData, measurement_values

COLUMN_ALIASES = {
    "indicator": ("indicator", "wskaznik", "key", "klucz"),
    "date": ("date", "data", "measured_on"),
    "value": ("value", "wartosc"),
    "source": ("source", "zrodlo"),
    "note": ("note", "notes", "uwagi", "uwaga"),
}
REQUIRED_COLUMNS = ("indicator", "date", "value")
# The columns of an error, in the file's own words for the person reading the preview.
FIELD_COLUMNS = {"indicator": "indicator", "measured_on": "date", "value": "value", "source": "source", "note": "note"}


def canonical_header(header: str) -> str | None:
    folded = normalize(header)
    for column, aliases in COLUMN_ALIASES.items():
        if folded in aliases:
            return column
    return None


class MeasurementResource(resources.ModelResource):
    indicator = fields.Field(attribute="indicator_key", column_name="indicator")
    measured_on = fields.Field(attribute="measured_on", column_name="date")
    value = fields.Field(attribute="value", column_name="value")
    source = fields.Field(attribute="source", column_name="source")
    note = fields.Field(attribute="note", column_name="note")

    class Meta:
        model = Measurement
        fields = ("indicator", "measured_on", "value", "source", "note")
        import_id_fields = ()
        force_init_instance = True  # a row never finds and updates an existing value
        clean_model_instances = False  # measurement_values() has checked everything the model would
        skip_diff = True
        use_transactions = True

    def __init__(self, *, strategy, indicators, taken, actor):
        """`indicators`: the indicators of the version in force; `taken`: (key, date) pairs with a value."""
        super().__init__()
        self.strategy, self.actor = strategy, actor
        self.taken = set(taken)
        self.by_key = {indicator.key: indicator for indicator in indicators}
        self.by_name: dict[str, list] = {}
        for indicator in indicators:
            self.by_name.setdefault(normalize(indicator.name), []).append(indicator)
        self.accepted: list[dict] = []

    def init_instance(self, row=None):
        return Measurement(strategy=self.strategy, entered_by=self.actor)

    def find_indicator(self, text):
        text = str(text or "").strip()
        if text in self.by_key:
            return self.by_key[text]
        matches = self.by_name.get(normalize(text), [])
        if len(matches) > 1:
            raise ValidationError(
                {"indicator": _("Several indicators are named “%(name)s”: write the key instead.") % {"name": text}}
            )
        return matches[0] if matches else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            indicator = self.find_indicator(row.get("indicator"))
        except ValidationError as error:
            errors.update(error.message_dict)
            indicator = None
        if indicator is None and not errors:
            errors["indicator"] = [
                _("“%(value)s” is not an indicator of the strategy in force (write its key or its exact name).")
                % {"value": row.get("indicator") or ""}
            ]
        data = MeasurementData(
            indicator=indicator,
            measured_on=row.get("date"),
            value=row.get("value"),
            source=row.get("source") or "",
            note=row.get("note") or "",
        )
        try:
            values = measurement_values(self.strategy, data, taken=self.taken)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if not (name == "indicator" and "indicator" in errors):
                    errors.setdefault(name, []).extend(messages)
        else:
            if not errors:
                for name, value in values.items():
                    setattr(instance, name, value)
                self.taken.add((values["indicator_key"], values["measured_on"]))
                self.accepted.append({"number": kwargs.get("row_number"), "indicator": indicator, **values})
        if errors:
            raise ValidationError(errors)
