from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CITY_ASSIGNED_CATEGORIES, Application, MemberCategory


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(
        label=_("I would join as"),
        choices=[("", _("Choose a category"))]
        + [(value, label) for value, label in MemberCategory.choices if value not in CITY_ASSIGNED_CATEGORIES],
        help_text=_(
            "Each group has a leader and members from the city staff, residents, NGOs, business and universities. "
            "The leader and the city staff are appointed by the city's coordinators."
        ),
    )
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=Application.MOTIVATION_MAX_LENGTH,
        min_length=20,
        help_text=_("A few sentences about your experience with the group's theme (20 to 1000 characters)."),
        error_messages={
            "min_length": _("Write at least %(limit_value)d characters (you wrote %(show_value)d)."),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )


class DecisionForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose")), (ACCEPT, _("Accept: the applicant becomes a member")), (REJECT, _("Reject"))],
    )
    category = forms.ChoiceField(
        label=_("Category in the group"),
        choices=MemberCategory.choices,
        required=False,
        help_text=_(
            "When accepting: the category the applicant asked for, or the one the city assigns "
            "(only a coordinator makes someone the leader or a member from the city staff)."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting. The applicant receives it by e-mail."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the application is rejected: the applicant will read it."))
        return cleaned


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list (CSV or XLSX)"),
        help_text=_(
            "Columns: email, category, group. The group is the area's slug or name; the category one of "
            "leader, city_staff, resident, ngo, business, university. Only existing accounts can be added."
        ),
    )
