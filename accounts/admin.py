from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as BaseAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lublin2030.admin_permissions import ADMINISTER, RoleAdmin

from .models import User


@admin.register(User)
class UserAdmin(RoleAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(Group)
class GroupAdmin(RoleAdmin, BaseGroupAdmin):
    """Roles are groups: only the admin role hands them out."""


@admin.register(EmailAddress)
class EmailAddressAdmin(RoleAdmin, BaseEmailAddressAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(RoleAdmin, BaseAuthenticatorAdmin):
    """Second factors: the admin role sees them and deletes one for a person who lost her phone and
    her recovery codes (she then enrols again); nobody creates or edits a secret here."""

    rights = {"view": ADMINISTER, "add": None, "change": None, "delete": ADMINISTER}


def staff_may_use_admin(request) -> bool:
    """Coordinators and admins open the admin without `is_staff` being set by hand on each account;
    what they see there is decided per model by the rules permissions."""
    user = request.user
    return user.is_active and (user.is_staff or user.has_perm("accounts.use_admin"))


admin.site.has_permission = staff_may_use_admin


def login_through_allauth(request, extra_context=None):
    """The admin's own login form checks a password only: signing in goes through django-allauth,
    which asks for the second factor. Signed-in people who may not use the admin get 403."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = login_through_allauth
