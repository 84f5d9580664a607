from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stages.models import Stage

from .models import AgeBracket, Area, Channel, District, Event, FlagReason, ModerationAction, Opinion
from .services import normalize_text, validate_opinion_text


class OpinionForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Strategic area"),
        queryset=Area.objects.all(),
        empty_label=_("— choose an area —"),
        help_text=_("The theme your opinion is about."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        empty_label=_("— choose a district —"),
        help_text=_("Choose “Cały Lublin” if your opinion is about the whole city."),
    )
    text = forms.CharField(
        label=_("Your opinion"),
        # The limits are checked in clean_text after line breaks are normalised (a browser sends CRLF,
        # its counter and `maxlength` count one character).
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": Opinion.TEXT_MAX_LENGTH}),
        error_messages={"required": _("Write your opinion.")},
    )
    age_bracket = forms.ChoiceField(
        label=_("Your age (optional)"),
        required=False,
        choices=[("", _("I prefer not to say"))] + list(AgeBracket.choices),
        help_text=_("Used only in anonymous statistics."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].error_messages["required"] = _("Choose the strategic area.")
        self.fields["district"].error_messages["required"] = _("Choose the district.")
        self.fields["text"].help_text = gettext(
            "Between %(min)d and %(max)d characters. Do not include anyone's personal data."
        ) % {"min": Opinion.TEXT_MIN_LENGTH, "max": Opinion.TEXT_MAX_LENGTH}
        # The live character counter (static/js/participation-counter.js) reads its texts from here.
        self.fields["text"].widget.attrs.update(
            {
                "data-char-counter": "",
                "data-min": Opinion.TEXT_MIN_LENGTH,
                "data-counter-text": _("%(count)s of %(max)s characters"),
                "data-counter-short": _("%(missing)s more characters needed"),
                "data-counter-over": _("%(over)s characters too many"),
            }
        )

    def clean_text(self):
        text = normalize_text(self.cleaned_data["text"])
        try:
            validate_opinion_text(text)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["text"]) from error
        return text


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this opinion?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationDecisionForm(forms.Form):
    """One opinion: publish, reject with a reason, or restore after flags."""

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ModerationAction.PUBLISH, _("Publish")),
            (ModerationAction.REJECT, _("Reject")),
            (ModerationAction.RESTORE, _("Restore (the flags were unfounded)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: the author receives it by e-mail and sees it in “My opinions”."),
    )

    def __init__(self, *args, opinion=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opinion is not None and not opinion.hidden_by_flags:
            self.fields["action"].choices = [
                c for c in self.fields["action"].choices if c[0] != ModerationAction.RESTORE
            ]

    def clean(self):
        data = super().clean()
        if data.get("action") == ModerationAction.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting: the author will read it."))
        return data


class ModerationBulkForm(forms.Form):
    """The queue: the checked opinions, one action, one reason."""

    action = forms.ChoiceField(
        label=_("Action for the selected opinions"),
        choices=[
            ("", _("— choose an action —")),
            (ModerationAction.PUBLISH, _("Publish (or restore, if hidden after flags)")),
            (ModerationAction.REJECT, _("Reject")),
        ],
        error_messages={"required": _("Choose an action.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a rejection: every author of the selected opinions receives it."),
    )
    opinions = forms.TypedMultipleChoiceField(
        label=_("Selected opinions"),
        coerce=int,
        required=True,
        error_messages={"required": _("Select at least one opinion.")},
    )

    def __init__(self, *args, opinion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinions"].choices = [(str(pk), str(pk)) for pk in opinion_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == ModerationAction.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting: the author will read it."))
        return data


class ModerationLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions"))] + list(ModerationAction.choices),
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "stage", "channel", "district", "place", "starts_at", "ends_at", "description"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "place": _("The address and the room, e.g. “Centrum Kultury, ul. Peowiaków 12, sala 4”."),
            "ends_at": _("Optional."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.order_by("number")
        self.fields["channel"].queryset = Channel.objects.filter(is_online=False)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
