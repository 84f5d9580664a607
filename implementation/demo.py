"""The demo implementation of the adopted strategy: two sector strategies, ten actions across the districts,
three years of measurements of every indicator, two events of the educational programme, and the demo
resident following an opinion the adopted strategy draws on.

Called by `manage.py seed_demo` after `strategy.adoption.demo`. Everything goes through the services, as
the city's staff would enter it. Idempotent: nothing is done when the strategy already has actions.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participation.models import Channel, District
from participation.services import event_create
from recommendations.models import Evidence
from stages.models import Stage
from strategy.adoption.selectors import in_force_version
from strategy.selectors import current_strategy

from . import services
from .following import follow_start
from .models import Action, ActionStatus, ProgrammeKind
from .selectors import structure

# (name, kind, owner, first year, last year, goal index, direction indexes of that goal, adopted by)
SECTOR_STRATEGIES = [
    (
        "Program ochrony środowiska i zieleni miejskiej „Zielony Lublin” na lata 2022–2027",
        ProgrammeKind.PROGRAMME,
        "Wydział Ochrony Środowiska",
        2022,
        2027,
        2,
        (0, 1, 2),
        "Uchwała nr 1456/XLIX/2022 Rady Miasta Lublin",
    ),
    (
        "Strategia mobilności i transportu publicznego Lublina na lata 2022–2030",
        ProgrammeKind.SECTOR_STRATEGY,
        "Zarząd Transportu Miejskiego",
        2022,
        2030,
        3,
        (0, 1, 2),
        "Uchwała nr 1502/L/2022 Rady Miasta Lublin",
    ),
]
# (title, unit, district, (goal, direction), planned, spent, status, start, end, sector strategy index)
ACTIONS = [
    (
        "Buspas na Al. Racławickich",
        "Zarząd Dróg i Mostów",
        "Czechów Południowy",
        (3, 0),
        "12 500 000",
        "9 800 000",
        ActionStatus.IN_PROGRESS,
        "2022-03-01",
        "2024-10-31",
        1,
    ),
    (
        "Zakup 40 autobusów elektrycznych",
        "Zarząd Transportu Miejskiego",
        None,
        (3, 0),
        "98 000 000",
        "97 450 000",
        ActionStatus.COMPLETED,
        "2022-01-10",
        "2023-06-30",
        1,
    ),
    (
        "Trasa rowerowa wzdłuż Bystrzycy – etap II",
        "Zarząd Dróg i Mostów",
        "Śródmieście",
        (3, 1),
        "7 200 000",
        "2 100 000",
        ActionStatus.IN_PROGRESS,
        "2023-04-01",
        "2025-06-30",
        1,
    ),
    (
        "Bezpieczne przejścia przy szkołach",
        "Zarząd Dróg i Mostów",
        None,
        (3, 2),
        "3 400 000",
        "3 350 000",
        ActionStatus.COMPLETED,
        "2022-05-01",
        "2023-09-30",
        1,
    ),
    (
        "Park kieszonkowy na Kośminku",
        "Zarząd Zieleni Miejskiej",
        "Kośminek",
        (2, 0),
        "1 800 000",
        "0",
        ActionStatus.PLANNED,
        "2024-04-01",
        "2025-10-31",
        0,
    ),
    (
        "Tysiąc drzew przy ulicach co roku",
        "Zarząd Zieleni Miejskiej",
        None,
        (2, 1),
        "4 500 000",
        "2 900 000",
        ActionStatus.IN_PROGRESS,
        "2022-03-01",
        "2026-12-31",
        0,
    ),
    (
        "Ogrody deszczowe na Czechowie",
        "Wydział Ochrony Środowiska",
        "Czechów Północny",
        (2, 2),
        "950 000",
        "950 000",
        ActionStatus.COMPLETED,
        "2022-06-01",
        "2023-08-31",
        0,
    ),
    (
        "Domy sąsiedzkie w dzielnicach",
        "Wydział Spraw Społecznych",
        None,
        (0, 1),
        "6 000 000",
        "3 100 000",
        ActionStatus.IN_PROGRESS,
        "2022-02-01",
        "2026-12-31",
        None,
    ),
    (
        "Staże dla absolwentów w lubelskich firmach",
        "Lubelskie Centrum Przedsiębiorczości",
        None,
        (1, 0),
        "2 400 000",
        "800 000",
        ActionStatus.IN_PROGRESS,
        "2023-01-01",
        "2025-12-31",
        None,
    ),
    (
        "Otwarte kampusy: wykłady dla mieszkańców",
        "Wydział Kultury",
        "Sławin",
        (1, 2),
        "600 000",
        "0",
        ActionStatus.SUSPENDED,
        "2023-10-01",
        "2024-06-30",
        None,
    ),
]
MEASURED_YEARS = (2021, 2022, 2023)
# (title, kind, channel, district, place, date)
EDUCATION = [
    (
        "Lekcje o strategii w lubelskich szkołach",
        "school",
        "warsztat-gra",
        "Śródmieście",
        "IX LO im. Jana Pawła II",
        (2022, 10, 12),
    ),
    (
        "Wystawa „Wymyślmy wspólnie Lublin” w Centrum Spotkania Kultur",
        "exhibition",
        "spotkanie-dzielnicowe",
        "Śródmieście",
        "Centrum Spotkania Kultur",
        (2022, 5, 20),
    ),
]


def _value(indicator, year: int, rng: random.Random) -> Decimal:
    """A plausible value on the way from the baseline to the target, with a little noise."""
    share = (year - indicator.baseline_year + 1) / max(1, indicator.target_year - indicator.baseline_year + 1)
    span = indicator.target_value - indicator.baseline_value
    noise = Decimal(str(rng.uniform(-0.08, 0.08))) * abs(span)
    return (indicator.baseline_value + span * Decimal(str(round(share, 3))) + noise).quantize(Decimal("0.1"))


def _educational_events(city) -> int:
    stage = Stage.objects.filter(number=9).first()
    channels = {channel.code: channel for channel in Channel.objects.all()}
    districts = {district.name: district for district in District.objects.all()}
    count = 0
    for title, kind, channel, district, place, (year, month, day) in EDUCATION:
        if stage is None or channel not in channels or district not in districts:
            continue
        starts_at = timezone.make_aware(datetime.datetime(year, month, day, 10))
        event = event_create(
            actor=city,
            title=title,
            stage=stage,
            channel=channels[channel],
            district=districts[district],
            place=place,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            description="Wydarzenie programu edukacyjnego (dane demonstracyjne).",
        )
        services.educational_event_set(
            actor=city, event=event, kind=kind, audience="Mieszkańcy i uczniowie", participants=120
        )
        count += 1
    return count


@transaction.atomic
def seed(*, stdout, seed: int = 2030, **options):
    strategy = current_strategy()
    version = in_force_version(strategy)
    city = User.objects.filter(email="koordynatorka@example.org").first()
    if version is None or city is None:
        stdout.write("implementation: the demo strategy is not adopted (run strategy.adoption.demo first)")
        return
    if Action.objects.filter(strategy=strategy).exists():
        stdout.write("implementation: the demo implementation exists already")
        return
    rng = random.Random(seed)
    goals, directions, indicators = structure(version)
    by_goal = [[d for d in directions if d.goal_id == goal.pk] for goal in goals]
    programmes = []
    for name, kind, owner, first, last, goal_index, direction_indexes, adopted_by in SECTOR_STRATEGIES:
        programmes.append(
            services.sector_strategy_save(
                actor=city,
                strategy=strategy,
                data=services.SectorStrategyData(
                    name=name,
                    kind=kind,
                    owner_department=owner,
                    starts_year=first,
                    ends_year=last,
                    adopted_by=adopted_by,
                    document_url="https://bip.lublin.eu/",
                    goal_keys=[goals[goal_index].key],
                    direction_keys=[by_goal[goal_index][i].key for i in direction_indexes],
                ),
            )
        )
    districts = {district.name: district for district in District.objects.all()}
    whole_city = District.objects.filter(is_whole_city=True).first()
    for title, unit, district, (goal, direction), planned, spent, status, start, end, programme in ACTIONS:
        services.action_save(
            actor=city,
            strategy=strategy,
            data=services.ActionData(
                title=title,
                responsible_unit=unit,
                district=districts.get(district, whole_city),
                planned_budget=planned,
                spent_budget=spent,
                status=status,
                starts_on=start,
                ends_on=end,
                sector_strategy=programmes[programme] if programme is not None else None,
                direction_keys=[by_goal[goal][direction].key],
                description="Działanie przykładowe (dane demonstracyjne).",
            ),
        )
    values = 0
    for indicator in indicators:
        for year in MEASURED_YEARS:
            services.measurement_add(
                actor=city,
                strategy=strategy,
                data=services.MeasurementData(
                    indicator=indicator, measured_on=datetime.date(year, 12, 31), value=_value(indicator, year, rng)
                ),
            )
            values += 1
    events = _educational_events(city)
    resident = User.objects.filter(email="mieszkanka@example.org").first()
    cited = (
        Evidence.objects.filter(recommendation__strategy_citations__version=version)
        .select_related("opinion")
        .order_by("opinion_id")
        .first()
    )
    if resident is not None and cited is not None and cited.opinion.is_public:
        follow_start(actor=resident, opinion=cited.opinion)
    stdout.write(
        f"implementation: {len(programmes)} sector strategies, {len(ACTIONS)} actions, {values} measurements "
        f"({MEASURED_YEARS[0]}–{MEASURED_YEARS[-1]}), {events} educational events"
    )
