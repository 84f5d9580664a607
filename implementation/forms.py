"""Forms check the shape of the input; the services check the rest and say what is wrong.

Numbers (budgets, values) and dates are text fields here on purpose: the services read the Polish decimal
comma ("12,5", "1 250 000,00") and both date forms, and answer with the field's name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Area, District, Event
from strategy.models import Direction, StrategicGoal

from .models import Action, ActionStatus, EducationKind, Measurement, ProgrammeKind, SectorStrategy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def element_choices(version, model) -> list[tuple[str, str]]:
    """(key, "2.3. Title") of the goals or directions of the version the public reads."""
    if version is None:
        return []
    if model is StrategicGoal:
        return [(goal.key, f"{goal.number}. {goal.title}") for goal in StrategicGoal.objects.filter(version=version)]
    directions = Direction.objects.filter(version=version).select_related("goal").order_by("goal__position", "position")
    return [(direction.key, f"{direction.number}. {direction.title}") for direction in directions]


class SectorStrategyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=SectorStrategy.NAME_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices, initial=ProgrammeKind.PROGRAMME)
    owner_department = forms.CharField(label=_("Owner department"), max_length=200)
    starts_year = forms.CharField(label=_("First year"), max_length=4)
    ends_year = forms.CharField(label=_("Last year"), max_length=4)
    document_url = forms.URLField(
        label=_("Address of the document"), required=False, max_length=500, assume_scheme="https"
    )
    adopted_by = forms.CharField(label=_("Adopted by"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    goal_keys = forms.MultipleChoiceField(
        label=_("Strategic goals it develops"), required=False, widget=forms.CheckboxSelectMultiple
    )
    direction_keys = forms.MultipleChoiceField(
        label=_("Directions of action it develops"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_public = forms.BooleanField(label=_("Shown on the monitoring page"), required=False, initial=True)

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_keys"].choices = element_choices(version, StrategicGoal)
        self.fields["direction_keys"].choices = element_choices(version, Direction)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Action.TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=200)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.order_by("position", "name"), empty_label=None
    )
    sector_strategy = forms.ModelChoiceField(
        label=_("Sector strategy or programme"), queryset=SectorStrategy.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    planned_budget = forms.CharField(label=_("Planned budget (PLN)"), max_length=30, help_text=_("E.g. 1 250 000,00"))
    spent_budget = forms.CharField(label=_("Spent (PLN)"), max_length=30, required=False, initial="0")
    starts_on = forms.CharField(label=_("Start"), required=False, widget=DATE)
    ends_on = forms.CharField(label=_("End"), required=False, widget=DATE)
    direction_keys = forms.MultipleChoiceField(
        label=_("Directions of action it serves"), widget=forms.CheckboxSelectMultiple
    )
    is_public = forms.BooleanField(label=_("Shown on the monitoring page"), required=False, initial=True)

    def __init__(self, *args, version=None, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction_keys"].choices = element_choices(version, Direction)
        if strategy is not None:
            self.fields["sector_strategy"].queryset = SectorStrategy.objects.filter(strategy=strategy).order_by("name")


class MeasurementForm(forms.Form):
    measured_on = forms.CharField(
        label=_("Date"), widget=DATE, help_text=_("The day the value describes, e.g. 31.12.2024.")
    )
    value = forms.CharField(label=_("Value"), max_length=40, help_text=_("A number; a decimal comma is fine: 12,5."))
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=Measurement.SOURCE_MAX_LENGTH,
        help_text=_("Empty: the indicator's source."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=Measurement.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeasurementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("Columns: indicator, date, value, and optionally source and note.")
    )


class EducationalEventForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.order_by("-starts_at"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EducationKind.choices)
    audience = forms.CharField(label=_("For whom"), required=False, max_length=200)
    participants = forms.IntegerField(label=_("Number of participants"), required=False, min_value=0)


class MonitoringFilterForm(forms.Form):
    dzielnica = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    obszar = forms.ModelChoiceField(
        label=_("Strategic area"),
        queryset=Area.objects.order_by("position", "name_pl"),
        to_field_name="slug",
        required=False,
        empty_label=_("All areas"),
    )


class ReportYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year reported on"), min_value=2000, max_value=2100)
