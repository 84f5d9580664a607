"""Texts of the demo consultation's comments and answers, as residents, organisations and the city write them.
demo.py combines them; nothing here is code."""

COMMENTS = [
    "Brakuje w tym fragmencie konkretnego terminu: do kiedy miasto chce to osiągnąć?",
    "Proszę dopisać, że działania obejmą także dzielnice peryferyjne, nie tylko Śródmieście.",
    "Zapis jest zbyt ogólny. Proponuję wskazać, które instytucje będą za to odpowiadać.",
    "W akapicie nie ma ani słowa o osobach z niepełnosprawnościami, a to ich także dotyczy.",
    "Uważam, że ten cel powinien mieć wyższy priorytet niż pozostałe w tym rozdziale.",
    "Dane w tym akapicie są z 2019 roku; warto je zaktualizować o wyniki z 2020 roku.",
    "Proszę doprecyzować, czy chodzi o nowe inwestycje, czy o remonty istniejącej infrastruktury.",
    "Zapis pomija seniorów, którzy stanowią coraz większą część mieszkańców Lublina.",
    "Warto dodać współpracę z uczelniami, które mają w tej dziedzinie duże doświadczenie.",
    "Ten fragment powtarza treść poprzedniego akapitu; proponuję je połączyć.",
    "Proszę uwzględnić koszty utrzymania, a nie tylko koszty budowy.",
    "Brakuje wskaźnika, po którym poznamy, że ten kierunek działań przyniósł efekt.",
    "Sformułowanie „w miarę możliwości” osłabia zapis. Proponuję je usunąć.",
    "Należy dopisać konsultacje z radami dzielnic przy każdym projekcie wynikającym z tego zapisu.",
    "Jako rodzic małych dzieci proszę o uwzględnienie bezpiecznych dojść do szkół i przedszkoli.",
    "Zapis powinien obejmować także tereny zielone wzdłuż Bystrzycy i Czechówki.",
    "Proszę dodać zachęty dla przedsiębiorców, którzy zatrudniają absolwentów lubelskich uczelni.",
    "Transport publiczny wieczorem i w weekendy jest niewystarczający; ten akapit powinien to zmienić.",
    "Nie zgadzam się z tym zapisem: miasto powinno najpierw zadbać o chodniki, potem o nowe drogi.",
    "Warto wspomnieć o retencji wody deszczowej, szczególnie na osiedlach z wielkiej płyty.",
]

ORGANISATION_COMMENTS = [
    "Postulujemy dopisanie programu małych grantów dla organizacji pozarządowych działających w dzielnicach.",
    "Proponujemy, aby każdy kierunek działań miał wskazanego partnera społecznego odpowiedzialnego za monitoring.",
    "Wnosimy o uwzględnienie potrzeb osób w kryzysie bezdomności w części dotyczącej polityki społecznej.",
    "Zapis o kulturze powinien obejmować także instytucje prowadzone przez organizacje, nie tylko miejskie.",
]

ORGANISATIONS = [
    "Stowarzyszenie Zielony Lublin",
    "Fundacja Wspólnota Czechowa",
    "Rada Dzielnicy Czuby Północne",
    "Lubelskie Forum Organizacji Pozarządowych",
    "Uniwersytet Marii Curie-Skłodowskiej",
    "Gmina Świdnik",
]

PROPOSED = [
    "Dodać na końcu zdanie: „Działania obejmą wszystkie dzielnice miasta do 2025 roku.”",
    "Zastąpić słowa „w miarę możliwości” słowami „w pierwszej kolejności”.",
    "Dopisać: „we współpracy z lubelskimi uczelniami i organizacjami pozarządowymi”.",
    "Dodać wskaźnik: liczba mieszkańców objętych działaniem w danym roku.",
]

JUSTIFICATIONS = [
    "Bez tego zapisu mieszkańcy nie będą wiedzieli, czego mogą oczekiwać.",
    "Takie rozwiązanie sprawdziło się w innych miastach, np. w Gdańsku i w Poznaniu.",
    "Z moich doświadczeń jako mieszkańca wynika, że to najpilniejsza potrzeba.",
    "Dzięki temu strategia będzie bardziej konkretna i łatwiejsza do rozliczenia.",
]

# Many residents sent the same words (a neighbourhood campaign): the team groups them and answers once.
CAMPAIGN = (
    "Prosimy o zachowanie Parku Rusałka w obecnym kształcie, bez nowej zabudowy i bez parkingów na jego "
    "terenie. Park jest jedynym dużym terenem zielonym w okolicy."
)
CAMPAIGN_ANSWER = (
    "Projekt strategii nie przewiduje zabudowy Parku Rusałka; w wersji po konsultacjach dopisano ochronę "
    "istniejących parków miejskich w kierunku działań 3.2."
)

ABUSE = [
    (
        "Kupię tanio mieszkanie na Czechowie, kontakt pod numerem 600 000 000.",
        "Ogłoszenie handlowe niezwiązane z konsultacjami.",
    ),
    ("Wszyscy urzędnicy to [słowo usunięte przez moderatora].", "Treść obraźliwa."),
    ("Jan Kowalski z ul. Lipowej 7 nie płaci podatków, proszę to sprawdzić.", "Ujawnia dane osobowe innej osoby."),
]

ANSWERS = {
    "taken": [
        "Uwaga została uwzględniona: w wersji po konsultacjach zapis uzupełniono zgodnie z propozycją.",
        "Uwzględniono. Zapis doprecyzowano, wskazując odpowiedzialne jednostki i termin realizacji.",
        "Propozycja została przyjęta i dopisana do opisu kierunku działań.",
    ],
    "partly": [
        "Uwzględniono częściowo: dopisano ogólne zobowiązanie, a szczegóły znajdą się w programach wykonawczych.",
        "Częściowo uwzględniono. Wskaźnik dodano, bez wartości docelowej, którą określi monitoring w 2022 roku.",
    ],
    "not_taken": [
        "Nie uwzględniono: strategia określa kierunki, a konkretne inwestycje wskaże Wieloletnia Prognoza Finansowa.",
        "Nie uwzględniono, ponieważ zapis dotyczy całego miasta, a proponowane zawężenie ograniczyłoby jego zakres.",
        "Nie uwzględniono. Aktualne dane zostaną podane w raporcie o stanie miasta, do którego strategia odsyła.",
    ],
    "out_of_scope": [
        "Uwaga dotyczy bieżącego utrzymania miasta, a nie kierunków rozwoju; przekazano ją do właściwego wydziału.",
        "Sprawa wykracza poza przedmiot konsultacji; zostanie rozpatrzona w ramach miejscowego planu zagospodarowania.",
    ],
    "withdrawn": ["Uwaga została wycofana przez zgłaszającego podczas spotkania konsultacyjnego."],
}
