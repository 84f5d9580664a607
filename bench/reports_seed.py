"""Published opinions for the report benchmarks, written with bulk_create (20,000 in a few seconds).

Independent of `seed_demo`: the benchmark must not change when the demo data does. Texts are Polish,
with every diacritic, 80 to ~1,400 characters (mean ~560): 20,000 of them fill about 2,800 A4 pages,
like the production figures the benchmark is compared with.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

SUBJECTS = [
    "Ścieżki rowerowe na Czechowie",
    "Zieleń przy ulicy Zana",
    "Komunikacja miejska w nocy",
    "Żłobki i przedszkola na Węglinie",
    "Miejsca parkingowe przy szpitalu",
    "Park Ludowy i bulwary nad Bystrzycą",
    "Bezpieczeństwo pieszych przy szkołach",
    "Oferta kulturalna dla młodzieży",
    "Ławki i cień na przystankach",
    "Rewitalizacja podwórek na Starym Mieście",
]
SENTENCES = [
    "Mieszkańcy dzielnicy od lat zgłaszają, że brakuje tu bezpiecznych przejść dla pieszych.",
    "Proponuję posadzić więcej drzew i krzewów, bo latem chodnik nagrzewa się ponad miarę.",
    "Autobusy linii nocnych jeżdżą zbyt rzadko, a powrót z pracy po dwudziestej trzeciej jest uciążliwy.",
    "Warto zorganizować konsultacje w szkołach, żeby głos młodzieży był lepiej słyszalny.",
    "Źle oświetlone przejście podziemne budzi niepokój, szczególnie wśród seniorów.",
    "Dobrym przykładem jest Ogród Saski, gdzie udało się połączyć zieleń z miejscami do odpoczynku.",
    "Chciałabym, żeby miasto częściej informowało o remontach i objazdach z wyprzedzeniem.",
    "Ścieżka rowerowa urywa się nagle przy skrzyżowaniu, co zmusza rowerzystów do jazdy jezdnią.",
    "Przydałyby się zadaszone stojaki na rowery przy dworcu i przy uczelniach.",
    "Na osiedlu brakuje placu zabaw dostępnego dla dzieci z niepełnosprawnościami.",
    "Gęsta zabudowa powoduje, że w okolicy nie ma gdzie zaparkować ani przejść wygodnie z wózkiem.",
    "Źródła finansowania mogłyby obejmować budżet obywatelski oraz środki z funduszy europejskich.",
    "Należy zadbać o dostępność budynków użyteczności publicznej dla osób starszych.",
    "Bardzo dobrze oceniam nowe połączenie trolejbusowe, ale częstotliwość kursów jest za mała.",
    "Zachęcam do tworzenia łąk kwietnych zamiast koszenia trawników co dwa tygodnie.",
    "Hałas z obwodnicy jest dokuczliwy, ekrany akustyczne należałoby przedłużyć o kilkaset metrów.",
    "Stare Miasto potrzebuje więcej ławek, koszy na śmieci i publicznych toalet.",
    "Młodzi ludzie wyjeżdżają z Lublina, bo brakuje dobrze płatnej pracy w nowoczesnych branżach.",
    "Współpraca uczelni z przedsiębiorstwami mogłaby zatrzymać absolwentów w mieście.",
    "Żądam, żeby przy każdej inwestycji sprawdzano wpływ na drzewa i retencję wody deszczowej.",
]


def opinion_text(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    count = rng.choice([1, 2, 3, 4, 4, 5, 6, 7, 8, 10, 14])
    return subject + ". " + " ".join(rng.choice(SENTENCES) for _ in range(count))


@transaction.atomic
def seed_opinions(count: int, *, seed: int = 2030, areas: int = 4) -> int:
    """Add `count` published opinions over the first `areas` areas, every district and channel."""
    from participation.models import Area, Channel, District, ModerationStatus, Opinion

    rng = random.Random(seed)
    area_ids = list(Area.objects.order_by("position", "name_pl").values_list("pk", flat=True)[:areas])
    district_ids = list(District.objects.values_list("pk", flat=True))
    channel_ids = list(Channel.objects.values_list("pk", flat=True))
    now = timezone.now()
    first_day = datetime.date(2021, 3, 1)
    rows = []
    for _ in range(count):
        rows.append(
            Opinion(
                text=opinion_text(rng),
                area_id=rng.choice(area_ids),
                district_id=rng.choice(district_ids),
                channel_id=rng.choice(channel_ids),
                collected_on=first_day + datetime.timedelta(days=rng.randrange(120)),
                status=ModerationStatus.PUBLISHED,
                published_at=now,
            )
        )
    Opinion.objects.bulk_create(rows, batch_size=2000)
    return count
