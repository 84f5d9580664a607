"""Demo recommendations in every state of the workflow, with evidence from published demo opinions.

Called by `manage.py seed_demo` after `workgroups.demo`. Idempotent: a group's demo recommendation
is found by its title and never created twice. The workflow is replayed through the same internal
steps the services use (versions, status changes, verification rounds), without the window checks,
since the demo runs whatever stage the calendar is in.
"""

import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participation.models import ModerationStatus, Opinion
from workgroups.models import MemberCategory, WorkingGroup

from .models import Assessment, AssessmentKind, Comment, Evidence, Recommendation, RecommendationStatus, Verdict
from .services import DirectionData, GoalData, Structure
from .services.structure import _apply_structure, _record_version
from .services.workflow import _transition

S = RecommendationStatus

# (title, vision, diagnosis, goals, directions [(title, description, goal numbers)]); the area's name fills {area}.
CONTENT = [
    (
        "Miasto 15 minut: usługi blisko domu",
        "W 2030 roku każdy mieszkaniec Lublina ma szkołę, przychodnię, sklep i zieleń w zasięgu 15 minut pieszo "
        "lub rowerem. Osiedla żyją przez cały dzień, a nie tylko wieczorem.",
        "Opinie mieszkańców z obszaru „{area}” wskazują, że nowe osiedla na obrzeżach (Węglin, Zemborzyce, "
        "Felin) powstają bez usług i zieleni, a mieszkańcy dojeżdżają samochodem do podstawowych usług. "
        "Starsze osiedla mają usługi, ale brakuje im miejsc spotkań i bezpiecznych przejść.",
        [
            "Usługi podstawowe w zasięgu 15 minut od domu",
            "Bezpieczne i wygodne dojścia piesze",
            "Miejsca spotkań na każdym osiedlu",
        ],
        [
            (
                "Standard usług dla nowych osiedli",
                "Plan miejscowy i umowy urbanistyczne wymagają lokali usługowych i terenów zieleni przed oddaniem mieszkań.",
                [1],
            ),
            (
                "Program przejść i chodników",
                "Co roku przebudowa najbardziej niebezpiecznych przejść wskazanych przez mieszkańców.",
                [2],
            ),
            (
                "Domy sąsiedzkie",
                "Lokale miejskie na parterach udostępniane radom dzielnic i organizacjom na spotkania.",
                [1, 3],
            ),
        ],
    ),
    (
        "Zielona sieć Lublina",
        "Doliny Bystrzycy, Czechówki i Czerniejówki tworzą połączoną sieć zieleni, którą można przejść i przejechać "
        "rowerem przez całe miasto; każda ulica ma drzewa.",
        "Mieszkańcy w obszarze „{area}” piszą o wycinkach przy inwestycjach drogowych, upałach w centrum i "
        "zaniedbanych brzegach rzek. Parki są nierówno rozmieszczone: najmniej zieleni mają Śródmieście i Kośminek.",
        ["Więcej drzew przy ulicach", "Ciągła sieć terenów zielonych wzdłuż rzek"],
        [
            (
                "Standard drzew ulicznych",
                "Każda przebudowa ulicy sadzi co najmniej tyle drzew, ile usuwa, z właściwą przestrzenią dla korzeni.",
                [1],
            ),
            ("Parki rzeczne", "Wykup i zagospodarowanie terenów wzdłuż rzek z przejściami pod ulicami.", [2]),
        ],
    ),
    (
        "Lublin miastem młodych talentów",
        "Absolwenci lubelskich uczelni zostają w mieście, bo znajdują tu pracę, mieszkanie i ciekawe życie kulturalne.",
        "Opinie zebrane w obszarze „{area}” mówią o odpływie absolwentów do Warszawy i za granicę, o drogich "
        "mieszkaniach na wynajem i słabej współpracy uczelni z firmami.",
        ["Praca dla absolwentów w Lublinie", "Dostępne mieszkania dla młodych"],
        [
            (
                "Staże miejskie i firmowe",
                "Program płatnych staży w urzędzie, spółkach miejskich i firmach partnerskich.",
                [1],
            ),
            (
                "Mieszkania na start",
                "Miejski zasób mieszkań na wynajem dla absolwentów przez pierwsze trzy lata pracy.",
                [2],
            ),
        ],
    ),
    (
        "Szkoła otwarta dla dzielnicy",
        "Szkoły po lekcjach są centrami życia dzielnicy: boiska, sale i biblioteki służą mieszkańcom w każdym wieku.",
        "W obszarze „{area}” mieszkańcy piszą, że szkolne boiska są zamknięte po południu, a w dzielnicach brakuje "
        "miejsc na zajęcia dla seniorów i młodzieży.",
        ["Szkolna infrastruktura dostępna po lekcjach", "Zajęcia dla wszystkich pokoleń"],
        [
            ("Otwarte boiska i sale", "Dyżury animatorów i monitoringu, by szkoły mogły być otwarte do wieczora.", [1]),
            (
                "Dzielnicowe programy zajęć",
                "Rady dzielnic współtworzą ofertę zajęć z organizacjami pozarządowymi.",
                [2],
            ),
        ],
    ),
    (
        "Transport publiczny pierwszym wyborem",
        "Autobus i trolejbus są w Lublinie szybsze i wygodniejsze niż samochód na większości codziennych tras.",
        "Opinie w obszarze „{area}” wskazują na korki na Alejach Racławickich, rzadkie kursy wieczorem i brak "
        "buspasów; mieszkańcy nowych osiedli nie mają bezpośrednich połączeń.",
        ["Szybsze przejazdy komunikacją miejską", "Połączenia dla nowych osiedli"],
        [
            ("Sieć buspasów", "Wydzielone pasy na głównych ciągach i priorytet na sygnalizacji.", [1]),
            ("Nowe linie", "Linie do nowych osiedli uruchamiane razem z oddaniem budynków.", [2]),
        ],
    ),
    (
        "Dostępne mieszkania na wynajem",
        "Mieszkanie w Lublinie jest osiągalne dla rodzin o przeciętnych dochodach.",
        "Mieszkańcy w obszarze „{area}” piszą o rosnących czynszach i długim oczekiwaniu na mieszkanie komunalne.",
        ["Więcej mieszkań na wynajem o umiarkowanym czynszu"],
        [
            (
                "Społeczna agencja najmu",
                "Miasto pośredniczy w najmie prywatnych mieszkań, gwarantując czynsz właścicielom.",
                [1],
            )
        ],
    ),
    (
        "Kampus otwarty dla miasta",
        "Kampusy lubelskich uczelni są częścią miasta: ich parki, biblioteki i sale służą także mieszkańcom.",
        "W obszarze „{area}” mieszkańcy piszą, że miasteczko akademickie jest zamknięte dla osób spoza uczelni, "
        "a studenci mało korzystają z oferty dzielnic.",
        ["Przestrzenie uczelni dostępne dla mieszkańców"],
        [("Umowy miasta z uczelniami", "Wspólne zasady udostępniania terenów i sal, z programem wydarzeń.", [1])],
    ),
]

# (content index, the area it fits, else the group number in area order, final status, opinions as evidence)
PLAN = [
    (2, "akademickosc", 1, S.VERIFIED, 6),
    (6, "akademickosc", 1, S.DRAFT, 2),
    (0, "dobre-sasiedztwo", 2, S.SUBMITTED, 4),
    (3, "edukacja", 3, S.IN_VERIFICATION, 3),
    (4, "demo-mobilnosc-i-transport", 4, S.INCLUDED, 5),
    (1, "demo-zielen-i-klimat", 5, S.RETURNED, 2),
    (5, "demo-mieszkalnictwo", 6, S.DRAFT, 2),
]

JUSTIFICATIONS = {
    AssessmentKind.LEGALITY: "Rekomendacja mieści się w zadaniach własnych gminy (ustawa o samorządzie gminnym, art. 7).",
    AssessmentKind.FEASIBILITY: "Wykonalna etapami w latach 2022–2030; wymaga koordynacji z zarządem dróg.",
    AssessmentKind.FINANCING: "Możliwe finansowanie z budżetu miasta i funduszy UE na lata 2021–2027.",
}
COMMENTS = [
    ("Bardzo dobra rekomendacja, ale proszę pamiętać o osobach starszych na osiedlach.", ModerationStatus.PUBLISHED),
    ("Czy na Węglinie też powstanie dom sąsiedzki? Tam najbardziej go brakuje.", ModerationStatus.PUBLISHED),
    ("Zgadzam się z diagnozą, sam dojeżdżam do przychodni samochodem.", ModerationStatus.PENDING),
]


def _structure(content, area_name: str) -> Structure:
    title, vision, diagnosis, goals, directions = content
    return Structure(
        title=title,
        vision=vision,
        diagnosis=diagnosis.format(area=area_name),
        goals=[GoalData(text=text) for text in goals],
        directions=[DirectionData(title=t, description=d, goals=list(g)) for t, d, g in directions],
    )


def _people(group: WorkingGroup):
    memberships = list(group.memberships.select_related("user"))
    leader = next((m.user for m in memberships if m.category == MemberCategory.LEADER), None)
    members = [m.user for m in memberships if m.category != MemberCategory.LEADER] or ([leader] if leader else [])
    return leader, members


def _step(recommendation, to_status, actor, reason=""):
    _transition(recommendation, to_status, actor=actor, reason=reason)
    recommendation.save(update_fields=["status", "updated_at"])


@transaction.atomic
def seed(*, stdout, seed: int = 2030, **options):
    rng = random.Random(seed)
    groups = list(WorkingGroup.objects.select_related("area").order_by("area__position", "area__name_pl"))
    city = User.objects.filter(email="koordynatorka@example.org").first()
    created = 0
    by_slug = {group.area.slug: group for group in groups}
    for content_index, area_slug, group_number, status, evidence_count in PLAN:
        group = by_slug.get(area_slug) or (groups[group_number - 1] if group_number <= len(groups) else None)
        if group is None:
            continue
        content = CONTENT[content_index]
        if Recommendation.objects.filter(group=group, title=content[0]).exists():
            continue
        leader, members = _people(group)
        if leader is None or not members:
            continue
        author = rng.choice(members)
        recommendation = Recommendation(group=group, title=content[0], created_by=author)
        recommendation.full_clean()
        recommendation.save()
        _apply_structure(recommendation, _structure(content, group.area.name_pl))
        _record_version(recommendation=recommendation, actor=author, summary="created")
        opinions = list(Opinion.objects.public().filter(area=group.area).order_by("id")[: evidence_count * 5])
        for opinion in rng.sample(opinions, min(evidence_count, len(opinions))):
            Evidence.objects.create(recommendation=recommendation, opinion=opinion, added_by=author)
            _record_version(recommendation=recommendation, actor=author, summary=f"attached:{opinion.pk}")
        recommendation.vision += " Miasto mierzy postęp co roku i publikuje wyniki."
        recommendation.save(update_fields=["vision", "updated_at"])
        _record_version(recommendation=recommendation, actor=rng.choice(members), summary="edited")
        created += 1
        if status == S.DRAFT:
            continue
        _step(recommendation, S.SUBMITTED, leader)
        recommendation.submitted_at = timezone.now()
        recommendation.verification_round = 1
        recommendation.save(update_fields=["submitted_at", "verification_round"])
        if status == S.SUBMITTED:
            continue
        if status == S.RETURNED:
            _step(
                recommendation, S.RETURNED, city, reason="Prosimy uzupełnić diagnozę o dane z raportu o stanie miasta."
            )
            recommendation.return_reason = "Prosimy uzupełnić diagnozę o dane z raportu o stanie miasta."
            recommendation.save(update_fields=["return_reason"])
            continue
        _step(recommendation, S.IN_VERIFICATION, city)
        kinds = [AssessmentKind.LEGALITY] if status == S.IN_VERIFICATION else list(AssessmentKind)
        for kind in kinds:
            verdict = Verdict.CONDITIONAL if kind == AssessmentKind.FINANCING else Verdict.POSITIVE
            Assessment.objects.create(
                recommendation=recommendation,
                round=1,
                kind=kind,
                verdict=verdict,
                justification=JUSTIFICATIONS[kind],
                author=city,
            )
        if status == S.IN_VERIFICATION:
            continue
        _step(recommendation, S.VERIFIED, city)
        recommendation.verified_at = timezone.now()
        recommendation.save(update_fields=["verified_at"])
        resident = User.objects.filter(email="mieszkanka@example.org").first()
        for text, comment_status in COMMENTS:
            Comment.objects.create(
                recommendation=recommendation,
                author=resident,
                text=text,
                status=comment_status,
                published_at=timezone.now() if comment_status == ModerationStatus.PUBLISHED else None,
                moderated_at=timezone.now() if comment_status == ModerationStatus.PUBLISHED else None,
            )
        if status == S.INCLUDED:
            _step(recommendation, S.INCLUDED, city)
    stdout.write(
        f"recommendations: {created} new demo recommendations (draft, submitted, in verification, verified, included, returned)"
    )
