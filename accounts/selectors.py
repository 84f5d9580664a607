"""Everything the portal keeps about one person, for the GDPR right of access."""

from django.utils.module_loading import import_string

from .models import User

# Apps that keep personal contributions add a function `(user) -> dict` here.
PERSONAL_DATA_SECTIONS = [
    "participation.selectors.personal_data",
    "workgroups.selectors.personal_data",
    "recommendations.selectors.personal_data",
    "strategy.selectors.workspace.personal_data",
    "consultation.selectors.personal_data",
    "implementation.selectors.personal_data",
]


def user_personal_data(*, user: User) -> dict:
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in user.emailaddress_set.all()
            ],
            "roles": sorted(user.groups.values_list("name", flat=True)),
        }
    }
    for path in PERSONAL_DATA_SECTIONS:
        try:
            section = import_string(path)
        except ImportError:
            continue  # that app keeps no personal data yet
        data.update(section(user))
    return data


def role_names(user: User) -> list[str]:
    """The person's staff roles in the reader's language ("Koordynator", not the group's code "coordinator")."""
    from .roles import ROLE_NAMES

    return [str(ROLE_NAMES.get(name, name)) for name in user.groups.order_by("name").values_list("name", flat=True)]


def user_with_roles(pk) -> User | None:
    """The signed-in person with what `accounts.rules` asks about her, in one query: her staff
    roles (group names) and whether her e-mail address is verified. The rules read them from the
    object, so a request resolves her permissions without asking the database again."""
    from allauth.account.models import EmailAddress
    from django.db.models import Exists, OuterRef, StringAgg, Value

    user = (
        User.objects.filter(pk=pk)
        .annotate(
            role_names_joined=StringAgg("groups__name", delimiter=Value("\n"), default=Value("")),
            email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        )
        .first()
    )
    if user is not None:
        user._group_names = set(filter(None, user.role_names_joined.split("\n")))
        user._has_verified_email = user.email_verified
    return user
