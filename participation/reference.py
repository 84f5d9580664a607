"""Idempotent reference data of participation: areas, districts and channels."""

from django.db import transaction
from django.utils.text import slugify

from stages.reference.load import REFERENCE_DIR

from .models import Area, Channel, District

# The strategic areas the city has published. The twelve working groups need twelve areas:
# coordinators add the rest (`seed_demo` adds clearly marked demo ones).
PUBLISHED_AREAS = [
    ("akademickosc", "Akademickość", "Academic city"),
    ("dobre-sasiedztwo", "Dobre sąsiedztwo", "Good neighbourhood"),
    ("edukacja", "Edukacja", "Education"),
    (
        "inteligentna-i-zrownowazona-gospodarka",
        "Inteligentna i zrównoważona gospodarka",
        "Smart and sustainable economy",
    ),
]

WHOLE_CITY = ("caly-lublin", "Cały Lublin", "Whole of Lublin")

CHANNELS = [
    (Channel.ONLINE_FORM, "Formularz internetowy", "Online form", True),
    ("kafejka", "Kafejka Partycypacyjna", "Participatory Café", False),
    ("punkt-mobilny", "Punkt mobilny", "Mobile point", False),
    ("spotkanie-dzielnicowe", "Spotkanie w dzielnicy", "District meeting", False),
    ("warsztat-gra", "Warsztat przyszłości lub gra terenowa", "Future workshop or field game", False),
    ("badanie-spoleczne", "Badanie społeczne", "Social research", False),
    ("konsultacja-ekspercka", "Konsultacja ekspercka", "Expert consultation", False),
    ("e-mail", "E-mail", "E-mail", False),
    ("formularz-papierowy", "Formularz papierowy", "Paper form", False),
]


def district_names() -> list[str]:
    lines = (REFERENCE_DIR / "districts.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@transaction.atomic
def load_reference(*, reset: bool = False) -> dict:
    counts = {"areas_created": 0, "districts_created": 0, "channels_created": 0}
    for position, (slug, name_pl, name_en) in enumerate(PUBLISHED_AREAS, start=1):
        _, created = _upsert(
            Area, {"slug": slug}, {"name_pl": name_pl, "name_en": name_en, "position": position}, reset
        )
        counts["areas_created"] += created
    slug, name, name_en = WHOLE_CITY
    _, created = _upsert(
        District, {"slug": slug}, {"name": name, "name_en": name_en, "is_whole_city": True, "position": 0}, reset
    )
    counts["districts_created"] += created
    for position, name in enumerate(district_names(), start=1):
        _, created = _upsert(
            District,
            {"slug": slugify(name.replace("ł", "l").replace("Ł", "L"))},
            {"name": name, "position": position},
            reset,
        )
        counts["districts_created"] += created
    for position, (code, name_pl, name_en, is_online) in enumerate(CHANNELS, start=1):
        _, created = _upsert(
            Channel,
            {"code": code},
            {"name_pl": name_pl, "name_en": name_en, "is_online": is_online, "position": position},
            reset,
        )
        counts["channels_created"] += created
    return counts


def _upsert(model, lookup: dict, values: dict, reset: bool):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        return instance, True
    if reset:
        for field, value in values.items():
            setattr(instance, field, value)
        instance.full_clean()
        instance.save()
    return instance, False
