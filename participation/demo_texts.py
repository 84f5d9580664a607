"""The words of the demo opinions: places, sentence openings and endings, topics by area, weights.

Kept apart from `demo.py` so the code that builds the opinions reads on one screen.
"""

from .models import AgeBracket, ModerationStatus

WHERE = [
    "przy Alejach Racławickich",
    "na Krakowskim Przedmieściu",
    "nad Bystrzycą",
    "na Starym Mieście",
    "w okolicy Zalewu Zemborzyckiego",
    "na Czechowie",
    "na Czubach",
    "przy Placu Litewskim",
    "koło Dworca Metropolitalnego",
    "na Kalinowszczyźnie",
    "na Węglinie",
    "przy ulicy Lipowej",
    "w Śródmieściu",
    "na osiedlach Lubelskiej Spółdzielni Mieszkaniowej",
    "przy Ogrodzie Saskim",
    "na Felinie",
    "na Wrotkowie",
    "w okolicy miasteczka akademickiego",
    "na Tatarach",
    "przy Zamku Lubelskim",
]

INTROS = [
    "",
    "",
    "",
    "Mieszkam w Lublinie od urodzenia i widzę, jak miasto się zmienia.",
    "Jestem mamą dwójki dzieci i codziennie przemierzam miasto.",
    "Od kilku lat dojeżdżam do pracy przez całe miasto.",
    "Jako senior często korzystam z miejskich usług.",
    "Studiuję w Lublinie i chciałbym tu zostać po studiach.",
    "Prowadzę małą firmę w centrum miasta.",
    "Przeprowadziłam się do Lublina kilka lat temu.",
    "Rozmawiałem o tym z sąsiadami i wszyscy się zgadzamy.",
]

CLOSERS = [
    "",
    "",
    "",
    "To by naprawdę poprawiło życie w naszej dzielnicy.",
    "Lublin w 2030 roku powinien być miastem dla wszystkich.",
    "Dziękuję za możliwość wypowiedzenia się.",
    "Mam nadzieję, że ta opinia zostanie wzięta pod uwagę.",
    "Inne miasta już to zrobiły, czas na Lublin.",
]

# topic -> (area slug, proposals with an optional {where}, reasons)
TOPICS = {
    "zielen": (
        "demo-zielen-i-klimat",
        [
            "Potrzebujemy więcej drzew i zieleni {where}.",
            "Warto posadzić nowe drzewa i łąki kwietne {where}.",
            "Zamiast kolejnych parkingów proszę o park kieszonkowy {where}.",
            "Trzeba chronić tereny zielone {where} przed zabudową.",
            "Przydałyby się ławki w cieniu i poidełka {where}.",
        ],
        [
            "Latem w mieście jest coraz goręcej i brakuje cienia.",
            "Zieleń poprawia jakość powietrza i zdrowie mieszkańców.",
            "Dzieci nie mają gdzie bezpiecznie się bawić.",
            "Wąwozy i doliny rzeczne to największy skarb Lublina.",
        ],
    ),
    "transport": (
        "demo-mobilnosc-i-transport",
        [
            "Autobusy i trolejbusy powinny kursować częściej, także wieczorem i w weekendy.",
            "Potrzebny jest buspas i lepsze skomunikowanie {where}.",
            "Bilet miejski powinien być tańszy dla uczniów, studentów i seniorów.",
            "Przystanki {where} trzeba zadaszyć i wyposażyć w tablice z czasem odjazdu.",
            "Warto uruchomić nocne linie łączące osiedla z centrum.",
        ],
        [
            "Dziś szybciej dojeżdżam samochodem niż komunikacją miejską.",
            "Korki w godzinach szczytu są coraz dłuższe.",
            "Wiele osób nie ma samochodu i zależy od komunikacji.",
            "Trolejbusy to nasza lubelska specjalność, warto ją rozwijać.",
        ],
    ),
    "rowery": (
        "demo-mobilnosc-i-transport",
        [
            "Brakuje ciągłych dróg rowerowych {where}.",
            "Trzeba połączyć ścieżki rowerowe wzdłuż Bystrzycy z osiedlami.",
            "Proszę o więcej stojaków i stacji roweru miejskiego {where}.",
            "Ścieżka rowerowa {where} urywa się w najgorszym miejscu.",
        ],
        [
            "Rowerem po Lublinie da się dojechać wszędzie w 20 minut.",
            "Rowerzyści i piesi nie powinni dzielić wąskiego chodnika.",
            "Coraz więcej osób dojeżdża rowerem do pracy i na uczelnię.",
        ],
    ),
    "kultura": (
        "demo-kultura-i-dziedzictwo",
        [
            "Więcej wydarzeń kulturalnych poza centrum, także na osiedlach.",
            "Domy kultury powinny być otwarte dłużej i mieć ofertę dla młodzieży.",
            "Warto wspierać festiwale, takie jak Carnaval Sztukmistrzów i Noc Kultury.",
            "Potrzebna jest scena plenerowa {where}.",
            "Trzeba zadbać o zabytkowe kamienice {where}.",
        ],
        [
            "Kultura to wizytówka Lublina i przyciąga turystów.",
            "Młodzi ludzie nie mają gdzie spędzać wolnego czasu.",
            "Nasze dziedzictwo wielu kultur jest wyjątkowe w Polsce.",
        ],
    ),
    "edukacja": (
        "edukacja",
        [
            "Szkoły podstawowe {where} są przepełnione i potrzebują rozbudowy.",
            "Potrzeba więcej żłobków i przedszkoli bliżej nowych osiedli.",
            "Szkoły powinny uczyć programowania, języków i przedsiębiorczości.",
            "Boiska szkolne powinny być otwarte dla mieszkańców po lekcjach.",
        ],
        [
            "Rodzice wożą dzieci przez pół miasta do przedszkola.",
            "Dobra edukacja to przyszłość Lublina.",
            "Nauczyciele potrzebują wsparcia i nowoczesnego sprzętu.",
        ],
    ),
    "mieszkania": (
        "demo-mieszkalnictwo",
        [
            "Miasto powinno budować więcej mieszkań na wynajem z umiarkowanym czynszem.",
            "Nowe osiedla {where} powstają bez szkół, sklepów i zieleni.",
            "Warto wyremontować pustostany w kamienicach zamiast budować na polach.",
            "Deweloperzy powinni zostawiać miejsce na podwórka i place zabaw.",
        ],
        [
            "Młodych ludzi nie stać na własne mieszkanie.",
            "Miasto rozlewa się, a centrum pustoszeje.",
            "Bez mieszkań młodzi wyjadą do Warszawy.",
        ],
    ),
    "stare_miasto": (
        "demo-przestrzen-publiczna",
        [
            "Stare Miasto powinno żyć także poza sezonem turystycznym.",
            "Trzeba ograniczyć ruch samochodów {where}.",
            "Deptak i Plac Litewski potrzebują więcej miejsc do siedzenia.",
            "Podwórka {where} można zamienić w miejsca spotkań sąsiadów.",
        ],
        [
            "Stare Miasto to serce Lublina.",
            "Turyści chwalą klimat, ale mieszkańcy narzekają na hałas.",
            "Przestrzeń publiczna powinna służyć ludziom, nie samochodom.",
        ],
    ),
    "uczelnie": (
        "akademickosc",
        [
            "Uczelnie i miasto powinny wspólnie zatrzymywać absolwentów w Lublinie.",
            "Warto stworzyć więcej miejsc do nauki i pracy dla studentów {where}.",
            "Studenci z zagranicy potrzebują informacji po angielsku w urzędach.",
            "UMCS, KUL i Politechnika mogą razem prowadzić projekty dla miasta.",
        ],
        [
            "Lublin to miasto akademickie i powinno to wykorzystać.",
            "Po studiach wielu moich znajomych wyjechało.",
            "Nauka może pomóc rozwiązywać problemy miasta.",
        ],
    ),
    "sasiedztwo": (
        "dobre-sasiedztwo",
        [
            "Potrzebujemy domów sąsiedzkich {where}.",
            "Rady dzielnic powinny mieć więcej do powiedzenia.",
            "Warto organizować pikniki i festyny osiedlowe {where}.",
            "Budżet obywatelski powinien mieć więcej środków na małe projekty.",
        ],
        [
            "Sąsiedzi coraz mniej się znają.",
            "Wspólne działania budują zaufanie.",
            "Mieszkańcy najlepiej wiedzą, czego potrzebuje ich okolica.",
        ],
    ),
    "gospodarka": (
        "inteligentna-i-zrownowazona-gospodarka",
        [
            "Miasto powinno przyciągać firmy technologiczne i tworzyć dobre miejsca pracy.",
            "Warto wspierać lokalne targowiska i małe sklepy {where}.",
            "Potrzebne są panele słoneczne na budynkach miejskich.",
            "Lubelski park naukowo-technologiczny powinien współpracować z uczelniami.",
        ],
        [
            "Zarobki w Lublinie są niższe niż w innych dużych miastach.",
            "Energia odnawialna obniży rachunki miasta.",
            "Lokalny biznes daje miastu charakter.",
        ],
    ),
    "zdrowie": (
        "demo-zdrowie-i-sport",
        [
            "Potrzebne są ogólnodostępne siłownie plenerowe {where}.",
            "Warto zbudować kryty basen {where}.",
            "Przychodnie powinny być dostępne bez długiego czekania.",
            "Trasy biegowe {where} trzeba oświetlić.",
        ],
        [
            "Ruch to zdrowie dla każdego pokolenia.",
            "Seniorzy potrzebują opieki blisko domu.",
            "Dzieci i młodzież coraz mniej się ruszają.",
        ],
    ),
    "wlaczenie": (
        "demo-wlaczenie-spoleczne",
        [
            "Przystanki i chodniki {where} muszą być dostępne dla osób na wózkach.",
            "Potrzeba więcej miejsc aktywności dla seniorów.",
            "Urząd powinien mieć informacje w języku ukraińskim i angielskim.",
            "Warto wspierać organizacje pomagające osobom w kryzysie.",
        ],
        [
            "Miasto powinno być dostępne dla każdego.",
            "Wiele osób czuje się wykluczonych.",
            "W Lublinie mieszka coraz więcej osób z innych krajów.",
        ],
    ),
    "praca": (
        "demo-praca-i-przedsiebiorczosc",
        [
            "Potrzebne są miejsca pracy dla absolwentów w Lublinie.",
            "Warto stworzyć miejskie przestrzenie coworkingowe {where}.",
            "Miasto powinno pomagać w zakładaniu firm, zwłaszcza młodym.",
        ],
        [
            "Bez pracy młodzi wyjadą.",
            "Lublin ma potencjał, ale brakuje inwestycji.",
            "Praca blisko domu to więcej czasu dla rodziny.",
        ],
    ),
}

PLACES = {
    "kafejka": ["Centrum Kultury", "Chatka Żaka", "Kawiarnia Między Słowami"],
    "punkt-mobilny": ["Plac Litewski", "Deptak", "Galeria Olimp", "Dworzec Metropolitalny", "Targ na Ruskiej"],
    "spotkanie-dzielnicowe": ["Rada Dzielnicy", "Szkoła podstawowa", "Dom kultury"],
    "warsztat-gra": ["Trybunał Koronny", "Warsztaty Kultury", "Brama Krakowska"],
    "badanie-spoleczne": ["Ankieta telefoniczna", "Wywiad w domu respondenta"],
    "konsultacja-ekspercka": ["Urząd Miasta Lublin"],
    "e-mail": [""],
    "formularz-papierowy": ["Biuro Obsługi Mieszkańców", "Filia biblioteki"],
}

CHANNEL_WEIGHTS = {
    "online-form": 40,
    "kafejka": 12,
    "punkt-mobilny": 15,
    "spotkanie-dzielnicowe": 10,
    "warsztat-gra": 8,
    "badanie-spoleczne": 5,
    "konsultacja-ekspercka": 2,
    "e-mail": 4,
    "formularz-papierowy": 4,
}
BUSY_DISTRICTS = {"Śródmieście": 6, "Stare Miasto": 4, "Czechów Północny": 3, "Czuby Północne": 3, "Cały Lublin": 5}
AGE_WEIGHTS = {
    "": 30,
    AgeBracket.UNDER_18: 4,
    AgeBracket.FROM_18_TO_24: 14,
    AgeBracket.FROM_25_TO_34: 18,
    AgeBracket.FROM_35_TO_44: 14,
    AgeBracket.FROM_45_TO_54: 9,
    AgeBracket.FROM_55_TO_64: 6,
    AgeBracket.FROM_65: 5,
}
STATUS_WEIGHTS = {ModerationStatus.PUBLISHED: 85, ModerationStatus.PENDING: 11, ModerationStatus.REJECTED: 4}
REJECTION_REASONS = [
    "Opinia zawiera dane osobowe innej osoby.",
    "Treść nie dotyczy przyszłości Lublina.",
    "Wypowiedź obraża innych mieszkańców.",
    "Ta sama opinia została już wysłana przez tę osobę.",
]
