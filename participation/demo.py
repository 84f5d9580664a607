"""Demo data of participation: the remaining strategic areas, events and realistic Polish opinions.

Called by `manage.py seed_demo` after `accounts.demo`. Idempotent: demo opinions carry an
external id `demo-NNNNNN`, so a second run only tops the demo up to `--opinions` and never doubles
it; areas and events are found by slug and title. Opinions are built in memory from Polish
sentence templates and written with `bulk_create` (20,000 in a few seconds).

`stages.demo` lays the calendar so that stage II (collecting opinions) runs today; when it moves the
calendar on, `follow_calendar` moves the demo events and opinions with it.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from stages.demo import months_between, shift_months
from stages.models import Stage

from .demo_texts import (
    AGE_WEIGHTS,
    BUSY_DISTRICTS,
    CHANNEL_WEIGHTS,
    CLOSERS,
    INTROS,
    PLACES,
    REJECTION_REASONS,
    STATUS_WEIGHTS,
    TOPICS,
    WHERE,
)
from .models import Area, Channel, District, Event, ModerationStatus, Opinion

DEMO_PREFIX = "demo-"
TOTAL_AREAS = 12
WARSAW = ZoneInfo("Europe/Warsaw")

# (slug, Polish name, English name, description): clearly marked as demo.
DEMO_AREAS = [
    ("demo-kultura-i-dziedzictwo", "Kultura i dziedzictwo (demo)", "Culture and heritage (demo)"),
    ("demo-mobilnosc-i-transport", "Mobilność i transport (demo)", "Mobility and transport (demo)"),
    ("demo-zielen-i-klimat", "Zieleń i klimat (demo)", "Green spaces and climate (demo)"),
    ("demo-mieszkalnictwo", "Mieszkalnictwo (demo)", "Housing (demo)"),
    ("demo-przestrzen-publiczna", "Przestrzeń publiczna i Stare Miasto (demo)", "Public space and the Old Town (demo)"),
    ("demo-zdrowie-i-sport", "Zdrowie i sport (demo)", "Health and sport (demo)"),
    ("demo-wlaczenie-spoleczne", "Włączenie społeczne (demo)", "Social inclusion (demo)"),
    ("demo-praca-i-przedsiebiorczosc", "Praca i przedsiębiorczość (demo)", "Work and enterprise (demo)"),
]

# (title, channel code, district name, place, (months after the stage's first month, day), hour): the
# events move with the demo calendar (`stages.demo`), so the later ones are still to come.
DEMO_EVENTS = [
    (
        "Kafejka Partycypacyjna: miasto zieleni",
        "kafejka",
        "Śródmieście",
        "Centrum Kultury, ul. Peowiaków 12",
        (1, 14),
        17,
    ),
    (
        "Kafejka Partycypacyjna: Lublin akademicki",
        "kafejka",
        "Sławin",
        "Chatka Żaka, ul. Radziszewskiego 16",
        (3, 22),
        18,
    ),
    ("Punkt mobilny na Placu Litewskim", "punkt-mobilny", "Śródmieście", "Plac Litewski", (8, 6), 11),
    (
        "Punkt mobilny nad Zalewem Zemborzyckim",
        "punkt-mobilny",
        "Zemborzyce",
        "Plaża nad Zalewem Zemborzyckim",
        (9, 18),
        12,
    ),
    (
        "Otwarte spotkanie dzielnicowe: Czechów",
        "spotkanie-dzielnicowe",
        "Czechów Północny",
        "Szkoła Podstawowa nr 51",
        (4, 12),
        18,
    ),
    (
        "Otwarte spotkanie dzielnicowe: Czuby",
        "spotkanie-dzielnicowe",
        "Czuby Południowe",
        "Dom Kultury SM Czuby, ul. Bursztynowa 22",
        (11, 9),
        18,
    ),
    (
        "Warsztat przyszłości: Lublin 2030",
        "warsztat-gra",
        "Stare Miasto",
        "Trybunał Koronny, Rynek 1",
        (5, 7),
        10,
    ),
    ("Gra terenowa po Starym Mieście", "warsztat-gra", "Stare Miasto", "Brama Krakowska", (10, 29), 15),
]

RESIDENT_EMAIL = "mieszkanka@example.org"
MODERATOR_EMAIL = "moderator@example.org"
COORDINATOR_EMAIL = "koordynatorka@example.org"


def _user(email):
    from accounts.models import User

    return User.objects.filter(email=email).first()


def ensure_areas() -> int:
    """Add clearly marked demo areas until there are twelve."""
    created = 0
    existing = Area.objects.count()
    last_position = max(Area.objects.values_list("position", flat=True), default=0)
    for slug, name_pl, name_en in DEMO_AREAS:
        if Area.objects.filter(slug=slug).exists():
            continue
        if existing >= TOTAL_AREAS:
            break
        last_position += 1
        area = Area(slug=slug, name_pl=name_pl, name_en=name_en, position=last_position, is_demo=True)
        area.description_pl = "Obszar przykładowy, utworzony dla demonstracji portalu."
        area.description_en = "A sample area made for the portal's demonstration."
        area.full_clean()
        area.save()
        existing += 1
        created += 1
    return created


def _event_start(stage: Stage, offset: tuple[int, int], hour: int) -> datetime.datetime:
    months, day = offset
    first = shift_months(stage.starts_on.replace(day=1), months)
    return datetime.datetime(first.year, first.month, day, hour, tzinfo=WARSAW)


@transaction.atomic
def follow_calendar(stage: Stage) -> int:
    """After `stages.demo` moved the calendar on, move the demo events and opinions by as many months.

    The first demo event tells how far: its date against where the stage's dates now put it.
    Returns the months moved. Nothing moves past today.
    """
    title, _code, _district, _place, offset, hour = DEMO_EVENTS[0]
    event = Event.objects.filter(title=title).first()
    if event is None:
        return 0
    months = months_between(timezone.localtime(event.starts_at).date(), _event_start(stage, offset, hour).date())
    if not months:
        return 0
    now, today = timezone.now(), timezone.localdate()

    def later(moment):
        if moment is None:
            return None
        if isinstance(moment, datetime.datetime):
            local = timezone.localtime(moment)
            moved = datetime.datetime.combine(shift_months(local.date(), months), local.time(), tzinfo=local.tzinfo)
            return min(moved, now)
        return min(shift_months(moment, months), today)

    titles = [item[0] for item in DEMO_EVENTS]
    events = list(Event.objects.filter(title__in=titles))
    for event in events:
        event.starts_at = datetime.datetime.combine(
            shift_months(timezone.localtime(event.starts_at).date(), months),
            timezone.localtime(event.starts_at).time(),
            tzinfo=WARSAW,
        )
        event.ends_at = event.ends_at and event.starts_at + datetime.timedelta(hours=3)
    Event.objects.bulk_update(events, ["starts_at", "ends_at"])
    opinions = Opinion.objects.filter(external_id__startswith=DEMO_PREFIX).only(
        "id", "collected_on", "moderated_at", "published_at"
    )
    batch = []
    for opinion in opinions.iterator(chunk_size=2000):
        opinion.collected_on = later(opinion.collected_on)
        opinion.moderated_at = later(opinion.moderated_at)
        opinion.published_at = later(opinion.published_at)
        batch.append(opinion)
        if len(batch) == 2000:
            Opinion.objects.bulk_update(batch, ["collected_on", "moderated_at", "published_at"])
            batch = []
    Opinion.objects.bulk_update(batch, ["collected_on", "moderated_at", "published_at"])
    from .services import public_opinions_changed

    public_opinions_changed()  # cached pages show the old dates
    return months


def ensure_events(stage: Stage) -> int:
    """The demo events of stage II, through the events service when it exists."""
    created = 0
    actor = _user(COORDINATOR_EMAIL)
    channels = {channel.code: channel for channel in Channel.objects.all()}
    districts = {district.name: district for district in District.objects.all()}
    for title, code, district_name, place, offset, hour in DEMO_EVENTS:
        if Event.objects.filter(title=title).exists() or code not in channels or district_name not in districts:
            continue
        starts_at = _event_start(stage, offset, hour)
        fields = {
            "title": title,
            "stage": stage,
            "channel": channels[code],
            "district": districts[district_name],
            "place": place,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=3),
            "description": "Spotkanie przykładowe (dane demonstracyjne).",
        }
        try:
            from .services import event_create
        except ImportError:
            event_create = None
        if event_create is not None and actor is not None:
            event_create(actor=actor, **fields)
        else:
            event = Event(**fields)
            event.full_clean()
            event.save()
        created += 1
    return created


class OpinionBuilder:
    """Builds unsaved demo opinions, each from its own seeded generator (repeatable, any order)."""

    def __init__(self, *, seed: int, stage: Stage, statuses: dict | None = None):
        self.seed = seed
        self.stage = stage
        self.statuses = statuses or STATUS_WEIGHTS
        self.areas = {area.slug: area for area in Area.objects.all()}
        self.area_list = list(self.areas.values())
        self.channels = {channel.code: channel for channel in Channel.objects.all()}
        self.channel_codes = [code for code in CHANNEL_WEIGHTS if code in self.channels]
        self.channel_weights = [CHANNEL_WEIGHTS[code] for code in self.channel_codes]
        self.districts = list(District.objects.all())
        self.district_weights = [BUSY_DISTRICTS.get(district.name, 1) for district in self.districts]
        self.events = {}
        # Opinions are collected at events that took place; later ones are still to come.
        for event in Event.objects.filter(stage=stage, starts_at__lte=timezone.now()).select_related("district"):
            self.events.setdefault(event.channel_id, []).append(event)
        self.moderator = _user(MODERATOR_EMAIL)
        self.resident = _user(RESIDENT_EMAIL)
        today = timezone.localdate()
        self.first_day = stage.starts_on
        self.last_day = min(stage.ends_on, today)
        self.span = max((self.last_day - self.first_day).days, 0)
        self.topics = list(TOPICS.values())

    def text(self, rng: random.Random) -> tuple[str, str]:
        area_slug, proposals, reasons = rng.choice(self.topics)
        proposal = rng.choice(proposals).format(where=rng.choice(WHERE))
        parts = [rng.choice(INTROS), proposal, rng.choice(reasons), rng.choice(CLOSERS)]
        if rng.random() < 0.3:  # a second idea from another topic
            _, more, _ = rng.choice(self.topics)
            parts.insert(2, "Poza tym " + _lower_first(rng.choice(more).format(where=rng.choice(WHERE))))
        return " ".join(part for part in parts if part), area_slug

    def build(self, index: int) -> Opinion:
        rng = random.Random(self.seed * 1_000_003 + index)
        text, area_slug = self.text(rng)
        area = self.areas.get(area_slug) or rng.choice(self.area_list)
        code = rng.choices(self.channel_codes, self.channel_weights)[0]
        channel = self.channels[code]
        district = rng.choices(self.districts, self.district_weights)[0]
        collected_on = self.first_day + datetime.timedelta(days=rng.randint(0, self.span))
        event = None
        place = ""
        if not channel.is_online:
            events = self.events.get(channel.pk)
            if events and rng.random() < 0.5:
                event = rng.choice(events)
                district = event.district
                place = event.place
                collected_on = timezone.localtime(event.starts_at).date()
            else:
                place = rng.choice(PLACES.get(code, [""]))
        status = rng.choices(list(self.statuses), list(self.statuses.values()))[0]
        moderated_at = None
        if status != ModerationStatus.PENDING:
            moderated_at = datetime.datetime.combine(
                collected_on + datetime.timedelta(days=rng.randint(1, 7)),
                datetime.time(rng.randint(8, 17), rng.randint(0, 59)),
            ).replace(tzinfo=WARSAW)
        return Opinion(
            text=text,
            area=area,
            district=district,
            channel=channel,
            stage=self.stage,
            event=event,
            place=place,
            collected_on=collected_on,
            age_bracket=rng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()))[0],
            author=self.resident if channel.is_online and index % 2500 == 0 else None,
            status=status,
            rejection_reason=rng.choice(REJECTION_REASONS) if status == ModerationStatus.REJECTED else "",
            moderated_by=self.moderator if moderated_at else None,
            moderated_at=moderated_at,
            published_at=moderated_at if status == ModerationStatus.PUBLISHED else None,
            external_id=f"{DEMO_PREFIX}{index:06d}",
        )


def _lower_first(text: str) -> str:
    if not text or text[1:2].isupper():  # "UMCS, KUL..." keeps its capitals
        return text
    return text[:1].lower() + text[1:]


def demo_opinion_count() -> int:
    return Opinion.objects.filter(external_id__startswith=DEMO_PREFIX).count()


@transaction.atomic
def create_opinions(
    *, count: int, seed: int, stage: Stage, statuses: dict | None = None, batch_size: int = 2000
) -> int:
    """Top the demo opinions up to `count`; returns how many were created."""
    existing = set(Opinion.objects.filter(external_id__startswith=DEMO_PREFIX).values_list("external_id", flat=True))
    builder = OpinionBuilder(seed=seed, stage=stage, statuses=statuses)
    missing = [index for index in range(count) if f"{DEMO_PREFIX}{index:06d}" not in existing]
    created = 0
    for start in range(0, len(missing), batch_size):
        batch = [builder.build(index) for index in missing[start : start + batch_size]]
        Opinion.objects.bulk_create(batch, batch_size=batch_size)
        created += len(batch)
    if created:
        try:
            from .services import public_opinions_changed
        except ImportError:
            pass
        else:
            public_opinions_changed()
    return created


def seed(*, stdout, opinions: int = 600, seed: int = 2030, **options):
    stage = Stage.objects.filter(number=2).first()
    if stage is None or not Channel.objects.exists() or not District.objects.exists():
        stdout.write("participation: no reference data; run `manage.py load_reference_data` first")
        return
    start = timezone.now()
    moved = follow_calendar(stage)
    areas = ensure_areas()
    events = ensure_events(stage)
    created = create_opinions(count=opinions, seed=seed, stage=stage)
    seconds = (timezone.now() - start).total_seconds()
    stdout.write(
        f"participation: {areas} demo areas, {events} events and {created} opinions created "
        f"({demo_opinion_count()} demo opinions in all) in {seconds:.1f} s"
        + (f"; demo events and opinions moved {moved} months on with the calendar" if moved else "")
    )
