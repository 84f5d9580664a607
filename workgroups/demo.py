"""Demo data of the working groups: one group per area, members in every category, applications.

Called by `manage.py seed_demo` after `participation.demo` (which brings the areas up to twelve).
Idempotent: accounts are found by e-mail, memberships and applications are added only when missing.
Every demo account has a verified e-mail and the password `accounts.demo.DEMO_PASSWORD`.

- `liderN@example.org` leads group N (N = 1..11, in area order); group 12 has no leader and lacks
  some categories, so that coordinators see the composition warnings.
- `mieszkanka@example.org` (from accounts.demo) is a resident member of group 1, which is full.
- `kandydatN@example.org` have pending applications, for the coordinators' queue.
"""

import functools
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.models import User

from .models import Application, ApplicationStatus, MemberCategory, Membership, WorkingGroup
from .services import _add_membership, groups_ensure_for_areas

FIRST_NAMES = [
    "Agnieszka", "Bartosz", "Celina", "Dariusz", "Ewelina", "Filip", "Grażyna", "Henryk", "Iwona", "Jakub",
    "Kamila", "Łukasz", "Magdalena", "Norbert", "Olga", "Paweł", "Renata", "Sebastian", "Teresa", "Wojciech",
]  # fmt: skip
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTWZ"

DESCRIPTION_PL = (
    "Grupa analizuje opinie mieszkańców zebrane w etapie II w obszarze „{area}” i opracowuje "
    "rekomendacje strategiczne: wizję, diagnozę, cele i kierunki działań."
)
DESCRIPTION_EN = (
    "The group analyses the residents' opinions gathered in stage II in the area “{area}” and drafts "
    "strategic recommendations: a vision, a diagnosis, goals and directions of action."
)

# Besides the leader, who each group has (category, how many). Group 1 is full; group 12 is lacking.
COMPOSITION = [
    (MemberCategory.CITY_STAFF, 2),
    (MemberCategory.RESIDENT, 2),
    (MemberCategory.NGO, 2),
    (MemberCategory.BUSINESS, 1),
    (MemberCategory.UNIVERSITY, 1),
]
LACKING_COMPOSITION = [(MemberCategory.RESIDENT, 2), (MemberCategory.CITY_STAFF, 1)]

MOTIVATIONS = [
    "Od lat działam w radzie dzielnicy i znam potrzeby mieszkańców mojego osiedla.",
    "Pracuję na uczelni i zajmuję się tym tematem naukowo; chętnie podzielę się wynikami badań.",
    "Prowadzę małą firmę w Lublinie i chcę, żeby głos przedsiębiorców był słyszalny w strategii.",
    "Jestem wolontariuszką w organizacji pozarządowej i widzę, czego brakuje w mieście.",
]


@functools.cache
def _password_hash() -> str:
    """Hashing is slow by design: a hundred demo accounts share one hash of the documented password."""
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, display_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, display_name=display_name, password=_password_hash())
        user.full_clean()
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _add(group, user, category) -> bool:
    if Membership.objects.filter(group=group, user=user).exists():
        return False
    _add_membership(group=group, user=user, category=category, added_by=None)
    return True


@transaction.atomic
def seed(*, stdout, seed: int = 2030, **options):
    rng = random.Random(seed)
    groups_ensure_for_areas()
    groups = list(WorkingGroup.objects.select_related("area").order_by("area__position", "area__name_pl"))
    added = 0
    for number, group in enumerate(groups, start=1):
        if not group.description_pl:
            group.description_pl = DESCRIPTION_PL.format(area=group.area.name_pl)
            group.description_en = DESCRIPTION_EN.format(area=group.area.name_en or group.area.name_pl)
            group.full_clean()
            group.save(update_fields=["description_pl", "description_en"])
        lacking = number == 12
        if not lacking and not group.memberships.filter(category=MemberCategory.LEADER).exists():
            leader = demo_user(
                f"lider{number}@example.org", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}. (lider)"
            )
            added += _add(group, leader, MemberCategory.LEADER)
        slot = 0
        for category, count in LACKING_COMPOSITION if lacking else COMPOSITION:
            for _ in range(count):
                slot += 1
                user = demo_user(
                    f"czlonek{number}-{slot}@example.org", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
                )
                if group.memberships.count() < WorkingGroup.MAX_MEMBERS or group.memberships.filter(user=user).exists():
                    added += _add(group, user, category)
        if number == 1:
            resident = User.objects.filter(email="mieszkanka@example.org").first()
            if resident is not None and group.memberships.count() < WorkingGroup.MAX_MEMBERS:
                added += _add(group, resident, MemberCategory.RESIDENT)
    applications = 0
    for index, group in enumerate(groups[1:5], start=1):
        applicant = demo_user(f"kandydat{index}@example.org", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.")
        if Application.objects.filter(group=group, applicant=applicant).exists():
            continue
        if Membership.objects.filter(group=group, user=applicant).exists():
            continue
        application = Application(
            group=group,
            applicant=applicant,
            category=[MemberCategory.RESIDENT, MemberCategory.NGO, MemberCategory.BUSINESS, MemberCategory.UNIVERSITY][
                index - 1
            ],
            motivation=MOTIVATIONS[index - 1],
            status=ApplicationStatus.PENDING,
        )
        application.full_clean()
        application.save()
        applications += 1
    stdout.write(
        f"workgroups: {len(groups)} groups, {added} new memberships, {applications} new pending applications "
        f"(leaders lider1..lider{min(len(groups), 11)}@example.org, password “{DEMO_PASSWORD}”)"
    )
