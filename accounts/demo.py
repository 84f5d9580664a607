"""Demo accounts, one per role, all with the same documented password."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import ADMIN, COORDINATOR, MODERATOR

DEMO_PASSWORD = "lublin2030-demo"  # noqa: S105 - documented in the README, demo only
DEMO_USERS = [
    ("mieszkanka@example.org", "Anna (mieszkanka)", []),
    ("moderator@example.org", "Marek (moderator)", [MODERATOR]),
    ("koordynatorka@example.org", "Katarzyna (koordynatorka)", [COORDINATOR]),
    ("admin@example.org", "Administrator", [ADMIN]),
]


def coordinator() -> User | None:
    """The demo coordinator, who acts for the demo where the process needs a person (pinning a stage)."""
    return User.objects.filter(email=DEMO_USERS[2][0]).first()


@transaction.atomic
def seed(*, stdout, **options):
    for email, display_name, roles in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, display_name=display_name)
            user.set_password(DEMO_PASSWORD)
            user.is_staff = ADMIN in roles
            user.is_superuser = ADMIN in roles
            user.full_clean()
            user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
    stdout.write(f"accounts: {len(DEMO_USERS)} demo accounts, password “{DEMO_PASSWORD}”")
