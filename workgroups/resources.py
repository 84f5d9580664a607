"""django-import-export resources of workgroups: the members of the groups, for the Django admin.

A row is a group (its slug, its area's slug or name), a person (the e-mail of an existing account:
the city creates no account for anyone) and a category (a code or its label). New members are
saved through `services.membership_add`, so the groups' rules hold as on the staff pages: at most
ten members, one leader, one membership per person; a row that breaks one is an error of that row,
and the admin then imports nothing. A row identical to a membership that exists is skipped;
changing a member's category or removing a member is done on the group's page, not by import.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts.models import User

from . import services
from .models import MemberCategory, Membership, WorkingGroup


class GroupWidget(widgets.ForeignKeyWidget):
    """A group by its slug, its area's slug or its area's name (any case); read once per import."""

    def __init__(self):
        super().__init__(WorkingGroup, "slug")
        self._groups = None

    def clean(self, value, row=None, **kwargs):
        if self._groups is None:
            self._groups = {}
            for group in WorkingGroup.objects.select_related("area"):
                for name in (group.slug, group.area.slug, group.area.name_pl, group.area.name_en):
                    if name:
                        self._groups.setdefault(name.casefold(), group)
        group = self._groups.get(str(value or "").strip().casefold())
        if group is None:
            raise ValueError(_("unknown group “%(group)s”") % {"group": value or ""})
        return group


class AccountWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(User, "email")

    def clean(self, value, row=None, **kwargs):
        email = str(value or "").strip().lower()
        if not email:
            raise ValueError(_("the e-mail address is missing"))
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValueError(_("no account uses %(email)s: ask the person to sign up first") % {"email": email})
        return user


class CategoryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().casefold()
        choices = {code.casefold(): code for code in MemberCategory.values}
        for language in ("pl", "en"):
            with translation.override(language):
                choices.update({str(label).casefold(): code for code, label in MemberCategory.choices})
        if text not in choices:
            raise ValueError(
                _("unknown category “%(category)s” (use one of: %(choices)s)")
                % {"category": value or "", "choices": ", ".join(MemberCategory.values)}
            )
        return choices[text]


class MembershipResource(resources.ModelResource):
    group = fields.Field("group", "group", GroupWidget())
    user = fields.Field("user", "email", AccountWidget())
    category = fields.Field("category", "category", CategoryWidget())
    joined_at = fields.Field("joined_at", "joined_at", widgets.DateTimeWidget(), readonly=True)

    class Meta:
        model = Membership
        fields = ("group", "user", "category", "joined_at")
        import_id_fields = ("group", "user")
        skip_unchanged = True
        report_skipped = True
        # The service checks the rows (full_clean and the group's rules) when it saves them.
        clean_model_instances = False

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            raise ValidationError(
                _("%(person)s is already a member of this group.") % {"person": instance.user.email}, code="member"
            )
        membership = services.membership_add(
            actor=kwargs.get("user"), group=instance.group, user=instance.user, category=instance.category
        )
        instance.pk, instance.joined_at = membership.pk, membership.joined_at
