from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Stage


class CurrentStageForm(forms.Form):
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("number"),
        required=False,
        label=_("Current stage"),
        empty_label=_("Follow the calendar"),
        help_text=_("Choose a stage only when the process runs ahead of or behind its calendar."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.TextInput,
        help_text=_("Shown to other coordinators."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the stage is set by hand."))
        return cleaned
