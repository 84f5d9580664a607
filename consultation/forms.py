"""Forms check the shape of the input; the services check the rest (dates, windows, states) and say why."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participation.forms import DateTimeLocalInput
from participation.imports import ENCODING_AUTO, MAX_UPLOAD_BYTES
from participation.models import District, ModerationAction

from .models import OFFLINE_CHANNELS, Answer, Comment, CommentChannel, Consultation, SpeaksAs, Target, Visibility

TEXT_LIMIT = Comment.TEXT_MAX_LENGTH
# Browsers may count line breaks differently; the service counts exactly and says so.
POST_LIMIT = TEXT_LIMIT * 2


def _text(label, *, required=True, rows=6, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        strip=False,
        max_length=POST_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT}),
    )


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_on = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The announcement is published on the portal on this day at the latest."),
    )
    ends_on = forms.DateField(
        label=_("Last day for comments"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At least 35 days after the first day (art. 6 ust. 5 of the act on development policy)."),
    )
    announcement = _text(_("Announcement"), rows=8, help_text=_("What is consulted, why, and what happens next."))
    who_may_comment = _text(_("Who may comment"), rows=3)
    online_form = forms.BooleanField(label=_("Comments through the online form on the portal"), required=False)
    paper_forms = _text(_("Paper forms: where to get and leave them"), required=False, rows=3)
    email_address = forms.EmailField(label=_("E-mail address for comments"), required=False)
    postal_address = forms.CharField(
        label=_("Postal address for letters"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact person's phone"), required=False, max_length=40)
    published_where = forms.CharField(
        label=_("Where else the announcement is published"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the public information bulletin (BIP) with its address, notice boards."),
    )
    visibility = forms.ChoiceField(label=_("Comments are"), choices=Visibility.choices, widget=forms.RadioSelect)

    @classmethod
    def initial_from(cls, consultation: Consultation) -> dict:
        return {name: getattr(consultation, name) for name in cls.base_fields}


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DateTimeLocalInput())
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False, empty_label=_("the whole city")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingReportForm(MeetingForm):
    participants = forms.IntegerField(label=_("Number of participants"), required=False, min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    """The resident's form. `target` and `key` come from the fragment the form was opened on."""

    target = forms.ChoiceField(choices=Target.choices, widget=forms.HiddenInput)
    key = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    text = _text(pgettext_lazy("consultation", "Your comment"), help_text=_("At most 10,000 characters."))
    proposed_wording = _text(
        _("Proposed wording"),
        required=False,
        rows=4,
        help_text=_("Optional: how the fragment should read, in your words."),
    )
    justification = _text(_("Justification"), rows=4, help_text=_("Why the change is needed."))
    speaks_as = forms.ChoiceField(
        label=_("I comment"), choices=SpeaksAs.choices, initial=SpeaksAs.PERSON, widget=forms.RadioSelect
    )
    commenter_name = forms.CharField(
        label=_("Name shown in the report"),
        required=False,
        max_length=Comment.NAME_MAX_LENGTH,
        help_text=_(
            "For an organisation or institution: its name (required). For yourself: your name, or leave it empty "
            "to appear as a private person."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = secrets.token_urlsafe(24)


class OfflineCommentForm(forms.Form):
    fragment = forms.CharField(
        label=_("Fragment"),
        required=False,
        max_length=40,
        help_text=_(
            "The paragraph's number as on the consultation page (e.g. 3.2–1), a section's (3.2) or a chapter's (3) "
            "number, or “nowy zapis” for a new provision; empty: the whole document."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(value, CommentChannel(value).label) for value in OFFLINE_CHANNELS]
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, required=False)
    speaks_as = forms.ChoiceField(label=_("Speaks"), choices=SpeaksAs.choices, initial=SpeaksAs.PERSON)
    commenter_name = forms.CharField(label=_("Name shown"), required=False, max_length=Comment.NAME_MAX_LENGTH)
    text = _text(_("Comment"))
    proposed_wording = _text(_("Proposed wording"), required=False, rows=3)
    justification = _text(_("Justification"), required=False, rows=3)
    external_id = forms.CharField(
        label=_("External id"), required=False, max_length=100, help_text=_("E.g. the number of the paper form.")
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = consultation.meetings.select_related("event").order_by("event__starts_at")
        self.fields["meeting"].label_from_instance = lambda meeting: str(meeting.event)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ModerationAction.PUBLISH, _("Publish")), (ModerationAction.REJECT, _("Reject for abuse"))],
    )
    reason = forms.CharField(
        label=_("Reason (the author reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Position of the city"), choices=Answer.choices, widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Justification"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At least one full sentence: the report publishes it beside the comment."),
    )


class TriageFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("all")),
        ("unanswered", _("without an answer")),
        ("answered", _("answered")),
        *Answer.choices,
        ("pending", _("waiting for moderation")),
        ("rejected", _("rejected in moderation")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    chapter = forms.ChoiceField(label=_("Chapter or section"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("all")), *CommentChannel.choices], required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    q = forms.CharField(label=_("Text or commenter"), required=False, max_length=100)

    def __init__(self, *args, chapters, people, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", _("all")), *chapters]
        self.fields["assignee"].choices = [("", _("anyone")), ("0", _("nobody"))] + [
            (str(person.pk), str(person)) for person in people
        ]
        self.fields["group"].choices = [("", _("any"))] + [(str(group.pk), group.title) for group in groups]


class BulkForm(forms.Form):
    """One action on the chosen comments of the triage list."""

    ACTIONS = [
        ("answer", _("Answer")),
        ("assign", _("Assign")),
        ("group", _("Put into a group")),
        ("new_group", _("Put into a new group")),
    ]
    action = forms.ChoiceField(label=pgettext_lazy("consultation", "Action"), choices=ACTIONS)
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=(), widget=forms.MultipleHiddenInput)
    answer = forms.ChoiceField(label=_("Position of the city"), choices=[("", "—"), *Answer.choices], required=False)
    justification = forms.CharField(
        label=_("Justification"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee = forms.ChoiceField(label=_("Person"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    group_title = forms.CharField(label=_("Title of the new group"), required=False, max_length=200)

    def __init__(self, *args, comment_ids, people, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [(pk, pk) for pk in comment_ids]
        self.fields["assignee"].choices = [("", _("nobody"))] + [(str(person.pk), str(person)) for person in people]
        self.fields["group"].choices = [("", _("no group"))] + [(str(group.pk), group.title) for group in groups]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("At most %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 1024 // 1024},
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=[(ENCODING_AUTO, _("detect automatically")), ("utf-8", "UTF-8"), ("windows-1250", "Windows-1250")],
        initial=ENCODING_AUTO,
    )


class CiteForm(forms.Form):
    comments = forms.CharField(
        label=_("Numbers of the comments"),
        max_length=2000,
        help_text=_("Separated by commas or spaces, e.g. 12, 40, 41."),
    )

    def clean_comments(self):
        numbers = []
        for part in self.cleaned_data["comments"].replace(",", " ").split():
            if not part.isdigit():
                raise forms.ValidationError(_("“%(value)s” is not a comment number.") % {"value": part})
            numbers.append(int(part))
        if not numbers:
            raise forms.ValidationError(_("Give at least one number."))
        return numbers
