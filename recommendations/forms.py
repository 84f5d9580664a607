from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Assessment, AssessmentKind, Comment, Direction, Goal, InternalComment, Recommendation, Verdict
from .services import DirectionData, GoalData, Structure


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Recommendation.TITLE_MAX_LENGTH)
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        max_length=Recommendation.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What Lublin should be like in 2030 in this respect."),
    )
    diagnosis = forms.CharField(
        label=_("Diagnosis"),
        required=False,
        max_length=Recommendation.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where the city stands today, and why it must change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GoalForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Goal"), required=False, max_length=Goal.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


# How a direction's checkbox names a goal; the editor's script fills in the same patterns as the member types.
GOAL_LABEL = _("%(text)s (goal %(number)d)")
GOAL_LABEL_EMPTY = _("Goal %(number)d (not written yet)")


class DirectionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title of the direction"), required=False, max_length=Direction.TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=Direction.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals it serves"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, goal_count: int = 0, goal_labels: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        goal_labels = goal_labels or {}
        # A direction names the goals it serves by what they say, not by a row number alone.
        self.fields["goals"].choices = [
            (
                n,
                GOAL_LABEL % {"number": n, "text": goal_labels[n]}
                if goal_labels.get(n)
                else GOAL_LABEL_EMPTY % {"number": n},
            )
            for n in range(1, goal_count + 1)
        ]


class _OrderedFormSet(forms.BaseFormSet):
    """Rows in the order of their position field; empty rows are ignored."""

    ordering_widget = forms.NumberInput

    def get_ordering_widget(self):
        return forms.NumberInput(attrs={"min": 1, "class": "position-input"})

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["DELETE"].label = _("Remove")


GoalFormSet = forms.formset_factory(GoalForm, formset=_OrderedFormSet, extra=2, can_order=True, can_delete=True)


class _DirectionFormSet(_OrderedFormSet):
    def __init__(self, *args, goal_count: int = 0, goal_labels: dict | None = None, **kwargs):
        self.goal_count = goal_count
        self.goal_labels = goal_labels or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "goal_count": self.goal_count, "goal_labels": self.goal_labels}


DirectionFormSet = forms.formset_factory(
    DirectionForm, formset=_DirectionFormSet, extra=2, can_order=True, can_delete=True
)


def _is_blank(form, *names) -> bool:
    return not any(str(form.cleaned_data.get(name) or "").strip() for name in names)


def _ordered(formset) -> list:
    """The forms in the order the member chose: by position, then as shown; removed and empty rows dropped."""
    forms_ = [(index, form) for index, form in enumerate(formset.forms) if form.cleaned_data]
    forms_ = [(index, form) for index, form in forms_ if not form.cleaned_data.get("DELETE")]
    return sorted(forms_, key=lambda item: (item[1].cleaned_data.get("ORDER") or 10_000 + item[0], item[0]))


def _goal_label(text) -> str:
    return Truncator(" ".join(str(text or "").split())).chars(80)


def _raw_row(form) -> dict:
    """What a row of a bound formset holds, unvalidated: to show it again with one more row."""
    row = {name: form[name].value() for name in form.fields}
    if "goals" in row:
        row["goals"] = [int(value) for value in row["goals"] or [] if str(value).isdigit()]
    return row


class StructureEditor:
    """The main form plus the goal and direction formsets, turned into a `services.Structure`."""

    ROW_KINDS = ("goals", "directions")
    goal_label = GOAL_LABEL
    goal_label_empty = GOAL_LABEL_EMPTY

    def __init__(
        self,
        data=None,
        *,
        recommendation: Recommendation | None = None,
        rows: tuple[dict, list, list] | None = None,
        added: str = "",
    ):
        """`rows` (main values, goal rows, direction rows) show what a member typed, unsaved, with one more
        row of the kind `added`: the "add a goal / direction" buttons work without JavaScript."""
        main, goals, directions = rows if rows is not None else self._initial(recommendation)
        self.added = added
        self.main = RecommendationForm(data, initial=main)
        self.goals = GoalFormSet(data, prefix="goals", initial=goals)
        if rows is not None:
            self.goals.extra = int(added == "goals")
        if data is not None:
            goal_texts = [form["text"].value() for form in self.goals.forms]
        else:
            goal_texts = [row.get("text") for row in goals] + [""] * self.goals.extra
        goal_labels = {row: _goal_label(text) for row, text in enumerate(goal_texts, start=1)}
        self.directions = DirectionFormSet(
            data,
            prefix="directions",
            initial=directions,
            goal_count=self.goals.total_form_count(),
            goal_labels=goal_labels,
        )
        if rows is not None:
            self.directions.extra = int(added == "directions")
        self.structure_errors: list[str] = []

    @staticmethod
    def _initial(recommendation):
        if recommendation is None:
            return {"version": 0}, [], []
        main = {
            "title": recommendation.title,
            "vision": recommendation.vision,
            "diagnosis": recommendation.diagnosis,
            "version": recommendation.version,
        }
        goal_list = list(recommendation.goals.all())
        position_of = {goal.pk: goal.position for goal in goal_list}
        goals = [{"id": goal.pk, "text": goal.text, "ORDER": goal.position} for goal in goal_list]
        directions = [
            {
                "id": direction.pk,
                "title": direction.title,
                "description": direction.description,
                "goals": sorted(position_of[goal.pk] for goal in direction.goals.all()),
                "ORDER": direction.position,
            }
            for direction in recommendation.directions.prefetch_related("goals")
        ]
        return main, goals, directions

    @classmethod
    def with_added_row(cls, data, *, kind: str) -> "StructureEditor":
        """The posted editor shown again, nothing saved and no error shown, with an empty row of `kind`."""
        posted = cls(data)
        main = {name: posted.main[name].value() for name in posted.main.fields}
        rows = (
            main,
            [_raw_row(form) for form in posted.goals.forms],
            [_raw_row(form) for form in posted.directions.forms],
        )
        editor = cls(rows=rows, added=kind)
        # The member goes on typing in the new row: it gets the focus, and the browser scrolls to it.
        formset = editor.goals if kind == "goals" else editor.directions
        formset.forms[-1].fields["text" if kind == "goals" else "title"].widget.attrs["autofocus"] = True
        return editor

    def is_valid(self) -> bool:
        valid = self.main.is_valid() & self.goals.is_valid() & self.directions.is_valid()
        if not valid:
            return False
        self.structure = self._build()
        return not self.structure_errors

    def _build(self) -> Structure:
        goal_rows = [(index, form) for index, form in _ordered(self.goals) if not _is_blank(form, "text")]
        new_number = {index + 1: number for number, (index, _form) in enumerate(goal_rows, start=1)}
        directions = []
        for index, form in _ordered(self.directions):
            if _is_blank(form, "title", "description") and not form.cleaned_data.get("goals"):
                continue
            row_number = index + 1
            if not (form.cleaned_data.get("title") or "").strip():
                self.structure_errors.append(_("Direction in row %(row)d needs a title.") % {"row": row_number})
            served = []
            for goal_row in form.cleaned_data.get("goals") or []:
                if goal_row not in new_number:
                    self.structure_errors.append(
                        _("Direction in row %(row)d serves goal %(goal)d, which is empty or removed.")
                        % {"row": row_number, "goal": goal_row}
                    )
                else:
                    served.append(new_number[goal_row])
            directions.append(
                DirectionData(
                    id=form.cleaned_data.get("id"),
                    title=form.cleaned_data.get("title") or "",
                    description=form.cleaned_data.get("description") or "",
                    goals=served,
                )
            )
        data = self.main.cleaned_data
        return Structure(
            title=data["title"],
            vision=data["vision"],
            diagnosis=data["diagnosis"],
            goals=[GoalData(id=form.cleaned_data.get("id"), text=form.cleaned_data["text"]) for _i, form in goal_rows],
            directions=directions,
        )

    @property
    def error_count(self) -> int:
        count = len(self.main.errors) + len(self.structure_errors)
        count += sum(len(form.errors) for form in self.goals.forms) + len(self.goals.non_form_errors())
        count += sum(len(form.errors) for form in self.directions.forms) + len(self.directions.non_form_errors())
        return count


class EvidenceSearchForm(forms.Form):
    q = forms.CharField(label=_("Words in the opinion"), required=False, max_length=200)
    all_areas = forms.BooleanField(label=_("Search the opinions of every area"), required=False)


class InternalCommentForm(forms.ModelForm):
    class Meta:
        model = InternalComment
        fields = ["text"]
        labels = {"text": _("Your comment for the group")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        help_texts = {"text": _("10 to 2000 characters. A moderator reads it before it is published.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < Comment.TEXT_MIN_LENGTH:
            raise forms.ValidationError(
                ngettext(
                    "Write at least %(min)d character.", "Write at least %(min)d characters.", Comment.TEXT_MIN_LENGTH
                )
                % {"min": Comment.TEXT_MIN_LENGTH}
            )
        return text


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["verdict", "justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.kind_label = AssessmentKind(kind).label
        self.fields["verdict"].choices = [("", _("Choose a verdict"))] + list(Verdict.choices)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the group change?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The group reads this in its workspace and the recommendation becomes editable again."),
    )


class ModerationForm(forms.Form):
    PUBLISH, REJECT = "publish", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Choose")), (PUBLISH, _("Publish")), (REJECT, _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting; the author sees it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for rejection: the author will see it."))
        return cleaned


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)"), ("json", "JSON")])
    include_drafts = forms.BooleanField(label=_("Include drafts and returned recommendations"), required=False)
