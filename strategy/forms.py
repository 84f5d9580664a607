"""Forms check the shape of the input; the services check the rest and say what is wrong."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import STAFF_ROLES

from . import files
from .models import (
    Attachment,
    AttachmentKind,
    Block,
    Chapter,
    ChapterElement,
    ChecklistItem,
    CommentStatus,
    Dimension,
    Direction,
    DirectionKind,
    Frequency,
    Indicator,
    InternalComment,
    ItemStatus,
    Polarity,
    RecommendationExplanation,
    Section,
    StrategicGoal,
    StrategyVersion,
    TeamRole,
)

MARKUP_HELP = _(
    "Formatting: an empty line starts a new paragraph; **bold**, *italics*; a list: lines starting with “- ” "
    "or “1. ”; a link: [text](https://…); a table: rows of cells separated by “|”, the second row “|---|---|”. "
    "Text pasted from Word (bullets, numbered lists, tables) is converted. At most 20,000 characters."
)


class BlockForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the block"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "block-editor"}),
        help_text=MARKUP_HELP,
        strip=False,
        # The service counts characters after cleaning Word's habits; this only stops absurd posts.
        max_length=Block.TEXT_MAX_LENGTH * 2,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Title of the chapter"), max_length=Chapter.TITLE_MAX_LENGTH)
    element = forms.ChoiceField(
        label=_("Element of the strategy (art. 10e u.s.g.)"),
        choices=ChapterElement.choices,
        initial=ChapterElement.OTHER,
        help_text=_("Which element required by law this chapter holds: the progress of the draft counts them."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title of the section"), max_length=Section.TITLE_MAX_LENGTH)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Strategic goal"), max_length=StrategicGoal.TITLE_MAX_LENGTH)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=StrategicGoal.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class DirectionForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Strategic goal"), queryset=StrategicGoal.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=DirectionKind.choices, initial=DirectionKind.DIRECTION)
    title = forms.CharField(label=_("Title"), max_length=Direction.TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=Direction.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, version: StrategyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = StrategicGoal.objects.filter(version=version).order_by("position")
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.position}. {goal.title}"


class IndicatorForm(forms.Form):
    """Numbers stay text here: the service parses them (a Polish decimal comma is a number) and says what is wrong."""

    parent = forms.ChoiceField(label=_("Goal or direction it measures"))
    name = forms.CharField(label=_("Name of the indicator"), max_length=Indicator.NAME_MAX_LENGTH)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("For example: %, persons, km, PLN."))
    baseline_value = forms.CharField(label=_("Baseline value"), max_length=40, help_text=_("For example 12,5."))
    baseline_year = forms.CharField(label=_("Baseline year"), max_length=4)
    target_value = forms.CharField(label=_("Target value"), max_length=40)
    target_year = forms.CharField(
        label=_("Target year"), max_length=4, help_text=_("The last year of the strategy if empty."), required=False
    )
    source = forms.CharField(label=_("Source of data"), max_length=300)
    frequency = forms.ChoiceField(
        label=_("Frequency of measurement"), choices=Frequency.choices, initial=Frequency.ANNUAL
    )
    polarity = forms.ChoiceField(
        label=_("Direction"), choices=Polarity.choices, widget=forms.RadioSelect, initial=Polarity.MORE_IS_BETTER
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, version: StrategyVersion, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        goals = goals if goals is not None else list(StrategicGoal.objects.filter(version=version).order_by("position"))
        directions = list(
            Direction.objects.filter(version=version).select_related("goal").order_by("goal__position", "position")
        )
        choices = []
        for goal in goals:
            choices.append(
                (f"g:{goal.key}", _("Goal %(number)s: %(title)s") % {"number": goal.number, "title": goal.title})
            )
            choices.extend(
                (
                    f"d:{direction.key}",
                    _("Direction %(number)s: %(title)s") % {"number": direction.number, "title": direction.title},
                )
                for direction in directions
                if direction.goal_id == goal.pk
            )
        self.fields["parent"].choices = choices
        self._goals = {goal.key: goal for goal in goals}
        self._directions = {direction.key: direction for direction in directions}

    def parent_objects(self):
        kind, _sep, key = self.cleaned_data["parent"].partition(":")
        if kind == "g":
            return self._goals.get(key), None
        return None, self._directions.get(key)


class CitationForm(forms.Form):
    recommendation = forms.ModelChoiceField(label=_("Recommendation included in the strategy"), queryset=None)

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.group.area.name}: {r.title}"


class ExplanationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it was not taken up"),
        max_length=RecommendationExplanation.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the recommendation's public page once the version is public."),
    )


class VersionCreateForm(forms.Form):
    based_on = forms.ModelChoiceField(label=_("Start from version"), queryset=None, required=False)
    note = forms.CharField(label=_("What this version is"), max_length=StrategyVersion.NOTE_MAX_LENGTH, required=False)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = versions
        self.fields["based_on"].label_from_instance = lambda v: f"{v.number} ({v.get_state_display()})"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def people_for_checklist() -> list:
    """Who may be responsible for a checklist item: staff and the strategy team (read once per page)."""
    return list(
        get_user_model()
        .objects.filter(
            Q(groups__name__in=STAFF_ROLES)
            | Q(strategy_memberships__withdrawn_at__isnull=True, strategy_memberships__isnull=False)
        )
        .distinct()
        .order_by("display_name", "email")
    )


class ChecklistItemForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    # Choices, not a ModelChoiceField: a page shows one form per item and must not read the people again each time.
    responsible = forms.TypedChoiceField(label=_("Responsible person"), coerce=int, required=False, empty_value=None)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=ChecklistItem.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["responsible"].choices = [("", "—")] + [
            (person.pk, person.display_name or person.email) for person in people
        ]

    def clean_responsible(self):
        return self.people.get(self.cleaned_data["responsible"])


class ChecklistAddForm(forms.Form):
    title = forms.CharField(label=_("New item"), max_length=ChecklistItem.TITLE_MAX_LENGTH)
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False, initial=True)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Attachment.TITLE_MAX_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices, initial=AttachmentKind.ANNEX)
    file = forms.FileField(
        label=_("File"),
        help_text=_("%(types)s; at most 25 MB. The type is read from the content, not from the name.")
        % {"types": files.accepted_labels()},
    )
    listed_publicly = forms.BooleanField(
        label=_("Publish with the version"),
        required=False,
        initial=True,
        help_text=_("Shown on the public page once the version is public."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        files.check_size(upload)
        return upload


class TeamGrantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person's account"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    department = forms.CharField(
        label=_("Department or institution"),
        max_length=200,
        required=False,
        help_text=_("For example: Wydział Strategii i Przedsiębiorczości."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this address: the person must sign up first."))
        self.user = user
        return email


class InternalCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=InternalComment.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(CommentStatus.RESOLVED, _("Resolved")), (CommentStatus.REJECTED, _("Rejected"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Note or reason"),
        required=False,
        max_length=InternalComment.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A reason is required when you reject the comment."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in the document"), max_length=200, required=False)


class CompareForm(forms.Form):
    od = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    do = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.number, f"{v.number} – {v.get_state_display()}") for v in versions]
        self.fields["od"].choices = choices
        self.fields["do"].choices = choices
