"""Forms of the staff data pages: import upload and confirmation, export filters."""

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .imports import ENCODING_AUTO, MAX_ROWS, MAX_UPLOAD_BYTES
from .models import Area, District, ModerationStatus

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File with opinions (CSV or XLSX)"))
    encoding = forms.ChoiceField(
        label=_("Text encoding of a CSV file"),
        choices=[
            (ENCODING_AUTO, _("Detect automatically (UTF-8 or Windows-1250)")),
            ("utf-8", "UTF-8"),
            ("windows-1250", _("Windows-1250 (Polish Excel “CSV”)")),
        ],
        initial=ENCODING_AUTO,
        help_text=_("Ignored for XLSX workbooks."),
    )
    publish = forms.TypedChoiceField(
        label=_("After the import"),
        choices=[("0", _("Opinions wait for moderation")), ("1", _("Opinions are published at once"))],
        coerce=lambda value: value == "1",
        initial="0",
        help_text=_("Publish at once only opinions that were already read and checked on paper."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the request's language: a lazy string % values at class level
        # would be translated once, when the module is imported.
        self.fields["file"].help_text = gettext(
            "At most %(size)s MB and %(rows)s rows. The first row names the columns; see the import format below."
        ) % {"size": MAX_UPLOAD_BYTES // 1024 // 1024, "rows": intcomma(MAX_ROWS)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large. The limit is %(limit)s MB: split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
                code="too_large",
            )
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ExportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ModerationStatus.choices], required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), required=False, empty_label=_("All areas")
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("All districts")
    )
    date_from = forms.DateField(
        label=_("Collected from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the opinion was given (online: the day it was sent)."),
    )
    date_to = forms.DateField(
        label=_("Collected until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    delimiter = forms.ChoiceField(
        label=_("CSV separator"),
        choices=[(",", _("Comma (standard CSV)")), (";", _("Semicolon (Excel with Polish settings)"))],
        required=False,
        initial=",",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "area": data.get("area"),
            "district": data.get("district"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
