"""Forms of stage VIII: they check the shape of the input; the services check the rest and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import files
from .models import AdoptionStep, Resolution

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    requested_on = forms.DateField(
        label=_("Draft sent to the board on"),
        required=False,
        widget=DATE,
        help_text=_("The board gives its opinion within 30 days of receiving the draft."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=AdoptionStep.REFERENCE_MAX_LENGTH, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=AdoptionStep.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("%(types)s; at most 25 MB. Public with the version.") % {"types": files.accepted_labels()},
    )

    REFERENCE_HELP = {
        "board_opinion": _("For example: Uchwała nr 1234/2021 Zarządu Województwa Lubelskiego."),
        "mayor_submission": _("For example: druk nr 1234-1."),
        "council_session": _("For example: XXX sesja Rady Miasta Lublin."),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["reference"].help_text = self.REFERENCE_HELP.get(kind, "")
        if kind != "board_opinion":
            del self.fields["requested_on"]


class ResolutionForm(forms.Form):
    number = forms.CharField(
        label=_("Number of the resolution"),
        max_length=40,
        help_text=_("As written in the resolution, e.g. Nr XXX/123/2021."),
    )
    adopted_on = forms.DateField(label=_("Date of the resolution"), widget=DATE)
    title = forms.CharField(
        label=_("Title of the resolution"),
        max_length=Resolution.TITLE_MAX_LENGTH,
        initial="w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
    )
    bip_url = forms.URLField(
        label=_("Address in the public information bulletin (BIP)"),
        max_length=500,
        assume_scheme="https",
    )
    upload = forms.FileField(label=_("The signed resolution (PDF)"), help_text=_("A PDF file, at most 25 MB."))


class ResolutionCorrectionForm(ResolutionForm):
    """The record as it should read, and why; the file only when the wrong one was attached."""

    reason = forms.CharField(
        label=_("What was wrong in the record"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: the number was mistyped (XXX/132/2021 instead of XXX/123/2021). Kept in the history."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = False
        self.fields["upload"].label = _("The signed resolution (PDF), only if the wrong file was attached")
