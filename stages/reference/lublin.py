"""What the city's text does not say, kept next to it: English texts, results and windows.

The Polish titles, periods and descriptions come from `strategia-lublin-2030-etapy.txt`, the
city's own page, copied verbatim beside this file.
"""

import datetime

from stages.models import WindowKind

SEED_FILE = "strategia-lublin-2030-etapy.txt"

SLUGS = {
    1: "ramy-strategii",
    2: "rozmawiamy-o-przyszlosci",
    3: "rekomendacje-strategiczne",
    4: "weryfikacja-rozwiazan",
    5: "projekt-strategii",
    6: "ocena-formalna",
    7: "konsultacje-spoleczne",
    8: "uchwalenie-strategii",
    9: "wdrazanie-strategii",
}

# The city gives only the start of implementation (Q1 2022); it lasts until the strategy's horizon.
END_OVERRIDES = {9: datetime.date(2030, 12, 31)}

WINDOWS = {
    2: [WindowKind.OPINIONS],
    3: [WindowKind.RECRUITMENT, WindowKind.DRAFTING],
    4: [WindowKind.RECOMMENDATION_COMMENTS, WindowKind.VERIFICATION],
    7: [WindowKind.CONSULTATION],
}

TITLES_EN = {
    1: "We set the framework of the Lublin 2030 Strategy",
    2: "We talk about the future of Lublin",
    3: "We draft strategic recommendations for Lublin",
    4: "We verify the strategic solutions for Lublin",
    5: "We write the draft Lublin 2030 Strategy",
    6: "We assess the formal side of the Lublin 2030 Strategy",
    7: "We consult the draft Lublin 2030 Strategy with the city's community",
    8: "We adopt the Lublin 2030 Strategy",
    9: "We begin implementing the Development Strategy of Lublin for 2021–2030",
}

DESCRIPTIONS_EN = {
    1: "The first stage designs the strategic process as a whole: its scope, the actions and the "
    "resources it needs. Its action plan won a grant in the “Human Smart Cities” competition of the "
    "Ministry of Investment and Development, which secured funding for the project “Let's imagine "
    "Lublin together”. The strategic areas framing the strategy and their key concepts are worked "
    "out in workshops and expert consultations with nearly a hundred Lublin experts.",
    2: "Residents and representatives of many communities and stakeholder groups say what they think "
    "about the city's future. The aim is to gather as many opinions and ideas as possible about the "
    "needs and key challenges of running the city, around one question: “What should Lublin be like "
    "in 2030?”. Opinions are gathered at themed meetings of the Participatory Café, mobile points, "
    "open district meetings, future games and workshops, complemented by social research and expert "
    "consultations. The result will be at least a dozen thousand opinions and comments.",
    3: "The data gathered in stage II, summarised in thematic reports, is analysed and turned into "
    "strategic recommendations that say what progress Lublin should make by 2030 and what must change "
    "to get there. Every recommendation has the same structure: vision, diagnosis, goals and "
    "recommended directions of action. The work is done by 120 people recruited openly into 12 "
    "Thematic Working Groups (TGR) of ten: a leader, city staff, residents, NGOs, business and "
    "universities. A summary report of their recommendations becomes the basis of the new strategy.",
    4: "The working groups' solutions are verified for legality, feasibility and financing. The first "
    "consultation of the recommendations takes place at an open meeting closing the groups' work; "
    "further opinions are gathered at mobile points, meetings, debates and a series of community "
    "meetings. Verification is another chance to join the work for residents and experts who were not "
    "members of the working groups.",
    5: "The first version of the Development Strategy of Lublin for 2021–2030 is written, based on the "
    "summary report of the working groups and the requirements of the law, by an editorial team of "
    "city staff supported by a small group of external experts.",
    6: "The draft strategy goes through internal consultation in the City Hall and the formal "
    "verification the law requires, including an environmental impact assessment and a check of its "
    "coherence with regional, national and EU strategies. After this stage it is ready to be "
    "presented to the public.",
    7: "The draft strategy is opened to the residents of Lublin for the formal public consultation the "
    "law requires. Meetings and debates let residents assess the draft, comment on its content and "
    "form, and submit remarks to be considered in the final version.",
    8: "After the consultation remarks are analysed and reflected in the document, the Mayor presents "
    "the final draft to the City Council, which adopts it at one of its sessions.",
    9: "Once the City Council adopts the strategy, its implementation begins, with detailed sector "
    "strategies developing the main document and an educational programme that promotes Lublin's "
    "image, drawing on two years of a participatory process.",
}

EXPECTED_RESULTS = {
    1: (
        "Koncepcja procesu strategicznego, plan działań i obszary strategiczne z kluczowymi pojęciami.",
        "The concept of the strategic process, an action plan, and the strategic areas with their key concepts.",
    ),
    2: (
        "Co najmniej kilkanaście tysięcy opinii i komentarzy mieszkańców oraz raporty tematyczne.",
        "At least a dozen thousand residents' opinions and comments, and thematic reports.",
    ),
    3: (
        "Rekomendacje 12 Tematycznych Grup Roboczych i raport podsumowujący ich prace.",
        "The recommendations of the 12 Thematic Working Groups and a report summarising their work.",
    ),
    4: (
        "Rekomendacje zweryfikowane pod kątem legalności, wykonalności i możliwości finansowania.",
        "Recommendations verified for legality, feasibility and financing.",
    ),
    5: ("Pierwsza wersja projektu Strategii Rozwoju Lublina na lata 2021–2030.", "The first draft of the strategy."),
    6: (
        "Projekt strategii po konsultacjach wewnętrznych i weryfikacji formalnej, gotowy do prezentacji.",
        "A draft that passed internal consultation and formal verification, ready to be presented.",
    ),
    7: (
        "Uwagi mieszkańców do projektu i raport z konsultacji z odpowiedzią na każdą uwagę.",
        "Residents' remarks on the draft and a consultation report answering each remark.",
    ),
    8: ("Strategia uchwalona przez Radę Miasta Lublin.", "The strategy adopted by the City Council."),
    9: (
        "Strategie sektorowe i program edukacyjny wdrażające strategię.",
        "Sector strategies and an educational programme implementing the strategy.",
    ),
}
