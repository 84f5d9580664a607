"""A realistic draft of the strategy: the chapters of art. 10e, four goals, twelve directions, twenty
indicators, blocks citing the demo's included recommendations, an editorial team, a half-done checklist
and the internal consultation under way (version 1 in internal review).

Called by `manage.py seed_demo` after `recommendations.demo`. Idempotent: nothing is done when the
strategy already has a version. Everything is written through the services, as the team would.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from recommendations.models import Recommendation, RecommendationStatus
from recommendations.services.workflow import _transition as recommendation_transition

from . import services
from .models import ChecklistItem, CommentStatus, ItemStatus, StrategyVersion, TeamRole
from .selectors import current_strategy

TEAM = [
    ("redakcja@example.org", "Ewa (zespół redakcyjny)", TeamRole.EDITOR, "Wydział Strategii i Przedsiębiorczości"),
    ("ekspert@example.org", "dr Piotr (ekspert zewnętrzny)", TeamRole.EXPERT, "Uniwersytet Marii Curie-Skłodowskiej"),
    ("wydzial@example.org", "Joanna (Wydział Ochrony Środowiska)", TeamRole.DEPARTMENT, "Wydział Ochrony Środowiska"),
]

# (title, element, introduction blocks, [(section title, blocks)])
CHAPTERS = [
    (
        "Wprowadzenie",
        "other",
        [
            "Strategia Rozwoju Lublina na lata 2021–2030 powstała w procesie partycypacyjnym „Wymyślmy wspólnie Lublin”. "
            "Mieszkańcy zgłosili **kilkanaście tysięcy opinii**, a 12 Tematycznych Grup Roboczych przełożyło je na "
            "rekomendacje strategiczne.",
            "Dokument spełnia wymagania art. 10e ustawy o samorządzie gminnym. Jego części odpowiadają kolejnym "
            "elementom wymaganym przez ustawę: od wniosków z diagnozy po ramy finansowe.",
        ],
        [],
    ),
    (
        "Wnioski z diagnozy",
        "diagnosis",
        ["Diagnoza opiera się na raporcie o stanie miasta, badaniach społecznych i opiniach zebranych w II etapie."],
        [
            (
                "Ludność i jakość życia",
                [
                    "Liczba mieszkańców Lublina jest stabilna, ale miasto się starzeje: udział osób w wieku 65+ "
                    "wzrósł z 15,1% w 2010 r. do 21,4% w 2019 r.",
                    "| Wskaźnik | 2010 | 2019 |\n|---|---|---|\n| Liczba mieszkańców | 348 450 | 339 784 |\n"
                    "| Udział osób 65+ | 15,1% | 21,4% |\n| Saldo migracji | -1 120 | -640 |",
                    "Mieszkańcy najczęściej wskazują na:\n- brak usług na nowych osiedlach,\n- korki na głównych ulicach,\n"
                    "- niedobór zieleni w centrum.",
                ],
            ),
            (
                "Gospodarka i nauka",
                [
                    "Lublin jest największym ośrodkiem akademickim na wschód od Wisły: pięć uczelni publicznych i "
                    "ponad 60 tys. studentów. Zbyt wielu absolwentów wyjeżdża jednak po studiach.",
                    "Sektor nowoczesnych usług biznesowych zatrudnia ponad 10 tys. osób i rośnie najszybciej spośród "
                    "branż w mieście.",
                ],
            ),
            (
                "Przestrzeń i środowisko",
                [
                    "Doliny Bystrzycy, Czechówki i Czerniejówki tworzą naturalny szkielet zieleni, przerwany jednak "
                    "przez drogi i zabudowę. Najmniej zieleni przypada na mieszkańca w Śródmieściu i na Kośminku.",
                ],
            ),
        ],
    ),
    (
        "Wizja i cele strategiczne",
        "goals",
        [
            "**Wizja:** Lublin w 2030 roku jest miastem wspólnoty, talentów i zieleni, w którym dobrze się żyje na "
            "każdym osiedlu.",
            "Cztery cele strategiczne obejmują wymiar społeczny, gospodarczy i przestrzenny rozwoju miasta. Ich "
            "szczegółowy opis i wskaźniki zawiera część „Cele, kierunki działań i wskaźniki”.",
        ],
        [],
    ),
    (
        "Kierunki działań",
        "directions",
        ["Każdy cel strategiczny realizują trzy kierunki działań, wskazujące zadania miasta i jego partnerów."],
        [
            (
                "Mobilność",
                [
                    "Transport publiczny ma być pierwszym wyborem mieszkańców: miasto wydzieli buspasy na głównych "
                    "ciągach i da autobusom priorytet na skrzyżowaniach.",
                    "Nowe osiedla otrzymają połączenia komunikacyjne razem z oddaniem pierwszych budynków.",
                ],
            ),
            (
                "Talenty",
                [
                    "Miasto wspólnie z uczelniami i pracodawcami stworzy program płatnych staży dla absolwentów.",
                ],
            ),
        ],
    ),
    (
        "Oczekiwane rezultaty i wskaźniki",
        "results",
        [
            "Postęp realizacji strategii mierzy 20 wskaźników przypisanych do celów i kierunków działań. Wartości "
            "bazowe pochodzą z lat 2019–2020, docelowe dotyczą roku 2030.",
        ],
        [],
    ),
    (
        "Model struktury funkcjonalno-przestrzennej",
        "spatial_model",
        [
            "Model wyróżnia śródmieście, pierścień osiedli wielorodzinnych, strefy rozwoju mieszkaniowego na "
            "obrzeżach oraz korytarze ekologiczne dolin rzecznych. Mapa modelu stanowi załącznik do strategii.",
        ],
        [],
    ),
    (
        "Ustalenia i rekomendacje w zakresie kształtowania i prowadzenia polityki przestrzennej",
        "spatial_policy",
        [
            "Nowa zabudowa mieszkaniowa powinna powstawać przede wszystkim na terenach już uzbrojonych, w zasięgu "
            "transportu publicznego.",
            "Plany miejscowe obejmą w pierwszej kolejności doliny rzeczne, aby chronić korytarze ekologiczne.",
        ],
        [],
    ),
    (
        "Obszary strategicznej interwencji",
        "intervention_areas",
        ["Obszarem strategicznej interwencji miasta jest dolina Bystrzycy wraz z terenami Zalewu Zemborzyckiego."],
        [],
    ),
    (
        "System realizacji strategii",
        "implementation",
        [
            "Strategię realizują strategie sektorowe i programy, a koordynuje Wydział Strategii i "
            "Przedsiębiorczości. Raport z realizacji strategii jest publikowany co roku.",
        ],
        [],
    ),
    (
        "Ramy finansowe i źródła finansowania",
        "financing",
        [
            "Źródłami finansowania są budżet miasta, fundusze Unii Europejskiej na lata 2021–2027, Krajowy Plan "
            "Odbudowy oraz partnerstwa publiczno-prywatne.",
            "| Źródło | Udział szacunkowy |\n|---|---|\n| Budżet miasta | 55% |\n| Fundusze UE | 35% |\n| Inne | 10% |",
        ],
        [],
    ),
]

# (title, dimension, description, [directions], [(name, unit, baseline, year, target, source, frequency, polarity, direction index or None)])
GOALS = [
    (
        "Lublin miastem wspólnoty i dobrego życia",
        "social",
        "Mieszkańcy każdego osiedla mają usługi, miejsca spotkań i wpływ na decyzje miasta.",
        [
            "Usługi w zasięgu 15 minut od domu",
            "Domy sąsiedzkie na każdym osiedlu",
            "Budżet obywatelski i rady dzielnic",
        ],
        [
            (
                "Mieszkańcy zadowoleni z życia w Lublinie",
                "%",
                "78",
                2019,
                "85",
                "Badanie jakości życia",
                "biennial",
                "more",
                None,
            ),
            ("Liczba domów sąsiedzkich", "szt.", "3", 2020, "27", "Urząd Miasta Lublin", "annual", "more", 1),
            ("Frekwencja w budżecie obywatelskim", "%", "12,4", 2020, "20", "Urząd Miasta Lublin", "annual", "more", 2),
            (
                "Mieszkańcy z przychodnią w zasięgu 15 minut pieszo",
                "%",
                "64",
                2019,
                "80",
                "Analiza GIS",
                "triennial",
                "more",
                0,
            ),
            ("Wskaźnik obciążenia demograficznego", "osoby", "58,3", 2019, "62", "GUS", "annual", "less", None),
        ],
    ),
    (
        "Lublin miastem przedsiębiorczym i akademickim",
        "economic",
        "Absolwenci zostają w mieście, bo znajdują tu pracę, mieszkanie i ciekawe życie.",
        ["Staże i praca dla absolwentów", "Wsparcie nowych firm technologicznych", "Kampusy otwarte dla miasta"],
        [
            (
                "Absolwenci pracujący w Lublinie rok po studiach",
                "%",
                "41",
                2019,
                "55",
                "Ekonomiczne Losy Absolwentów",
                "annual",
                "more",
                0,
            ),
            ("Stopa bezrejestrowa bezrobocia", "%", "5,2", 2019, "4", "Powiatowy Urząd Pracy", "annual", "less", None),
            ("Nowe firmy technologiczne", "szt.", "120", 2019, "200", "REGON, GUS", "annual", "more", 1),
            (
                "Zatrudnieni w nowoczesnych usługach biznesowych",
                "tys. osób",
                "10,2",
                2020,
                "16",
                "ABSL",
                "annual",
                "more",
                1,
            ),
            ("Wydarzenia uczelni otwarte dla mieszkańców", "szt.", "85", 2019, "150", "Uczelnie", "annual", "more", 2),
        ],
    ),
    (
        "Lublin miastem zielonym i odpornym na zmiany klimatu",
        "spatial",
        "Doliny rzeczne tworzą ciągłą sieć zieleni, a każda ulica ma drzewa.",
        ["Zielona sieć dolin rzecznych", "Drzewa przy każdej ulicy", "Woda opadowa zatrzymana w mieście"],
        [
            (
                "Powierzchnia terenów zieleni publicznej",
                "ha",
                "1 250,5",
                2019,
                "1 400",
                "GUS, Bank Danych Lokalnych",
                "annual",
                "more",
                0,
            ),
            (
                "Drzewa posadzone przy ulicach",
                "szt./rok",
                "1 200",
                2020,
                "3 000",
                "Zarząd Zieleni Miejskiej",
                "annual",
                "more",
                1,
            ),
            (
                "Emisja CO2 na mieszkańca",
                "t",
                "6,8",
                2019,
                "4,5",
                "Plan gospodarki niskoemisyjnej",
                "biennial",
                "less",
                None,
            ),
            ("Powierzchnie uszczelnione w śródmieściu", "%", "72", 2019, "65", "Analiza GIS", "triennial", "less", 2),
            ("Mieszkańcy z parkiem w zasięgu 300 m", "%", "58", 2019, "75", "Analiza GIS", "triennial", "more", 0),
        ],
    ),
    (
        "Lublin miastem dostępnym i dobrze skomunikowanym",
        "spatial",
        "Transport publiczny, rower i chodzenie pieszo są wygodniejsze niż samochód na codziennych trasach.",
        ["Transport publiczny pierwszym wyborem", "Sieć tras rowerowych", "Bezpieczne przejścia i chodniki"],
        [
            (
                "Udział podróży komunikacją miejską",
                "%",
                "38,2",
                2019,
                "45",
                "Badanie zachowań komunikacyjnych",
                "triennial",
                "more",
                0,
            ),
            ("Długość wydzielonych buspasów", "km", "18", 2020, "40", "Zarząd Dróg i Mostów", "annual", "more", 0),
            ("Długość dróg rowerowych", "km", "180", 2020, "300", "Zarząd Dróg i Mostów", "annual", "more", 1),
            ("Ofiary śmiertelne wypadków drogowych", "osoby", "14", 2019, "5", "Policja", "annual", "less", 2),
            ("Przystanki dostępne bez barier", "%", "61", 2019, "100", "ZTM Lublin", "annual", "more", 0),
        ],
    ),
]

COMMENTS = [
    ("Proszę uzupełnić dane o jakości powietrza z 2020 roku (stacja przy ul. Obywatelskiej).", CommentStatus.OPEN),
    ("Tabela ludności: liczby z 2019 roku nie zgadzają się z raportem o stanie miasta.", CommentStatus.RESOLVED),
]


def _account(email: str, display_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, display_name=display_name)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _include_recommendations(city) -> list[Recommendation]:
    """The demo has one included recommendation; the verified one is included too, so the draft shows both a
    citation and a written reason for a recommendation not taken up."""
    for recommendation in Recommendation.objects.filter(status=RecommendationStatus.VERIFIED).order_by("id")[:1]:
        recommendation_transition(recommendation, RecommendationStatus.INCLUDED, actor=city)
        recommendation.save(update_fields=["status", "updated_at"])
    return list(Recommendation.objects.filter(status=RecommendationStatus.INCLUDED).order_by("id"))


@transaction.atomic
def seed(*, stdout, **options):
    strategy = current_strategy()
    city = User.objects.filter(email="koordynatorka@example.org").first()
    if strategy is None or city is None:
        stdout.write("strategy: no strategy or no coordinator (run load_reference_data and accounts.demo first)")
        return
    if StrategyVersion.objects.filter(strategy=strategy).exists():
        stdout.write("strategy: the demo draft exists already")
        return
    people = {}
    for email, display_name, role, department in TEAM:
        people[role] = _account(email, display_name)
        services.team_grant(actor=city, strategy=strategy, user=people[role], role=role, department=department)
    team = people[TeamRole.EDITOR]
    recommendations = _include_recommendations(city)
    version = services.version_create(actor=team, strategy=strategy, note="Pierwszy projekt zespołu redakcyjnego")

    blocks = []
    for title, element, intro, sections in CHAPTERS:
        chapter = services.chapter_create(actor=team, version=version, title=title, element=element)
        for text in intro:
            blocks.append(services.block_create(actor=team, version=version, chapter=chapter, text=text))
        for section_title, texts in sections:
            section = services.section_create(actor=team, chapter=chapter, title=section_title)
            for text in texts:
                blocks.append(
                    services.block_create(actor=team, version=version, chapter=chapter, section=section, text=text)
                )

    goals, directions = [], []
    for title, dimension, description, direction_titles, indicators in GOALS:
        goal = services.goal_save(
            actor=team,
            version=version,
            data=services.GoalData(title=title, dimension=dimension, description=description),
        )
        goals.append(goal)
        own = [
            services.direction_save(actor=team, version=version, goal=goal, data=services.DirectionData(title=text))
            for text in direction_titles
        ]
        directions.extend(own)
        for name, unit, baseline, year, target, source, frequency, polarity, direction_index in indicators:
            services.indicator_save(
                actor=people[TeamRole.EXPERT],
                version=version,
                data=services.IndicatorData(
                    name=name,
                    unit=unit,
                    baseline_value=baseline,
                    baseline_year=year,
                    target_value=target,
                    target_year=2030,
                    source=source,
                    frequency=frequency,
                    polarity=polarity,
                    goal=goal if direction_index is None else None,
                    direction=own[direction_index] if direction_index is not None else None,
                ),
            )

    # The transport recommendation lands in goal 4, direction 4.1 and the mobility blocks; the other is explained.
    transport = next(
        (r for r in recommendations if "Transport" in r.title), recommendations[0] if recommendations else None
    )
    for recommendation in recommendations:
        if recommendation == transport:
            services.citation_add(actor=team, version=version, recommendation=recommendation, target=goals[3])
            services.citation_add(actor=team, version=version, recommendation=recommendation, target=directions[9])
            for block in blocks:
                if "buspasy" in block.text or "połączenia komunikacyjne" in block.text:
                    services.citation_add(actor=team, version=version, recommendation=recommendation, target=block)
        else:
            services.explanation_set(
                actor=team,
                version=version,
                recommendation=recommendation,
                reason="Staże dla absolwentów realizuje samorząd województwa w programie regionalnym; miasto "
                "wspiera je w kierunku 2.1 bez osobnego zadania w strategii.",
            )

    services.version_submit_for_review(actor=team, version=version)
    reviewer = people[TeamRole.DEPARTMENT]
    for (text, status), block in zip(COMMENTS, (blocks[5], blocks[3]), strict=True):
        comment = services.internal_comment_add(actor=reviewer, block=block, text=text)
        if status != CommentStatus.OPEN:
            services.internal_comment_answer(
                actor=team, comment=comment, status=status, resolution="Poprawione według raportu o stanie miasta 2019."
            )

    items = list(ChecklistItem.objects.filter(version=version).order_by("position"))
    notes = {
        1: "Decyzja RDOŚ z 12.10.2021: strategiczna ocena oddziaływania na środowisko jest wymagana.",
        5: "Zgodność potwierdzona przez Departament Strategii Urzędu Marszałkowskiego.",
        6: "Analiza zgodności z KSRR 2030 – bez uwag.",
        7: "Cele zgodne z celami polityki spójności 2021–2027.",
    }
    for index, item in enumerate(items):
        status = ItemStatus.DONE if index in notes else ItemStatus.IN_PROGRESS if index in (0, 2) else ItemStatus.TODO
        services.checklist_item_update(
            actor=city,
            item=item,
            expected_revision=item.revision,
            data=services.ChecklistData(
                status=status, responsible=team if index % 2 else city, notes=notes.get(index, "")
            ),
        )
    stdout.write(
        f"strategy: version {version.number} in internal review, {len(blocks)} blocks, {len(goals)} goals, "
        f"{len(directions)} directions, {sum(len(goal[4]) for goal in GOALS)} indicators; "
        f"team {', '.join(email for email, *_ in TEAM)} (password “{DEMO_PASSWORD}”)"
    )
