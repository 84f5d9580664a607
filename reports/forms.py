from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Area
from stages.models import Stage

from . import kinds, selectors
from .models import ReportKind, ReportLanguage


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    area = forms.ModelChoiceField(
        label=_("Strategic area"),
        queryset=Area.objects.order_by("position", "name_pl"),
        required=False,
        empty_label=_("All areas"),
        help_text=_("Only for the thematic report of opinions."),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=ReportLanguage.choices, initial=ReportLanguage.POLISH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A kind another app prints (reports.kinds) is asked for by that app, for one of its objects.
        self.fields["kind"].choices = [choice for choice in ReportKind.choices if not kinds.is_registered(choice[0])]
        if not selectors.recommendations_available():
            self.fields["kind"].choices = [(ReportKind.OPINIONS.value, ReportKind.OPINIONS.label)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != ReportKind.OPINIONS:
            cleaned["area"] = None
        return cleaned


class ReportPublishForm(forms.Form):
    """One per finished report on the list: the stages are read once and shared by every row."""

    stage = forms.TypedChoiceField(label=_("Publish on the page of stage"), coerce=int)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {
            stage.pk: stage for stage in (stages if stages is not None else Stage.objects.order_by("number"))
        }
        self.fields["stage"].choices = [(pk, str(stage)) for pk, stage in self.stages.items()]

    def clean_stage(self):
        return self.stages[self.cleaned_data["stage"]]
