"""Idempotent reference data of the strategy: the document and the checklist items of stage VI.

Coordinators change the checklist items in the admin; `load_reference_data --reset` restores these.
"""

from django.db import transaction

from .models import ChecklistPhase, ChecklistTemplateItem, Strategy

STRATEGY = {
    "slug": "lublin-2030",
    "title": "Strategia Rozwoju Lublina na lata 2021–2030",
    "title_en": "Development Strategy of Lublin for 2021–2030",
    "starts_year": 2021,
    "ends_year": 2030,
}

# Stage VI of the seed: internal consultation in the city office and the formal verification the law
# requires (the strategic environmental assessment, consistency with higher-level strategies).
FORMAL_CHECKLIST = [
    (
        "Konsultacje wewnętrzne w Urzędzie Miasta Lublin",
        "Internal consultation in the Lublin City Office",
        "Uwagi wydziałów do bloków tekstu rozpatrzone przez zespół redakcyjny.",
        True,
    ),
    (
        "Decyzja w sprawie potrzeby strategicznej oceny oddziaływania na środowisko",
        "Decision on the need for a strategic environmental assessment",
        "Uzgodnienie z Regionalnym Dyrektorem Ochrony Środowiska i Państwowym Wojewódzkim Inspektorem Sanitarnym.",
        True,
    ),
    (
        "Prognoza oddziaływania na środowisko",
        "Environmental impact forecast",
        "Jeżeli ocena jest wymagana; w przeciwnym razie „nie dotyczy” z uzasadnieniem.",
        True,
    ),
    (
        "Opinia Regionalnego Dyrektora Ochrony Środowiska w Lublinie",
        "Opinion of the Regional Director for Environmental Protection in Lublin",
        "",
        True,
    ),
    (
        "Opinia Państwowego Wojewódzkiego Inspektora Sanitarnego",
        "Opinion of the Voivodeship Sanitary Inspector",
        "",
        True,
    ),
    (
        "Zgodność ze Strategią Rozwoju Województwa Lubelskiego",
        "Consistency with the Development Strategy of the Lubelskie Voivodeship",
        "",
        True,
    ),
    (
        "Zgodność z Krajową Strategią Rozwoju Regionalnego",
        "Consistency with the National Strategy of Regional Development",
        "",
        True,
    ),
    (
        "Zgodność z polityką spójności Unii Europejskiej",
        "Consistency with the European Union's cohesion policy",
        "",
        True,
    ),
    (
        "Opinia prawna projektu",
        "Legal review of the draft",
        "Kancelaria Prezydenta / radcy prawni Urzędu.",
        True,
    ),
]


@transaction.atomic
def load_reference(*, reset: bool = False) -> dict:
    counts = {"strategies_created": 0, "checklist_items_created": 0}
    strategy = Strategy.objects.filter(slug=STRATEGY["slug"]).first()
    if strategy is None:
        strategy = Strategy(**STRATEGY)
        strategy.full_clean()
        strategy.save()
        counts["strategies_created"] += 1
    elif reset:
        for field, value in STRATEGY.items():
            setattr(strategy, field, value)
        strategy.full_clean()
        strategy.save()
    counts["checklist_items_created"] = load_checklist_templates(ChecklistPhase.FORMAL, FORMAL_CHECKLIST, reset=reset)
    return counts


def load_checklist_templates(phase: str, items: list[tuple], *, reset: bool) -> int:
    """The template items of one phase: (title, English title, description, mandatory). Returns how many were new."""
    existing = {item.title: item for item in ChecklistTemplateItem.objects.filter(phase=phase)}
    if existing and not reset:
        return 0  # coordinators own the list once it exists
    created = 0
    for position, (title, title_en, description, mandatory) in enumerate(items, start=1):
        item = existing.get(title) or ChecklistTemplateItem(phase=phase, title=title)
        created += item.pk is None
        item.title_en, item.description, item.mandatory, item.position = title_en, description, mandatory, position
        item.full_clean()
        item.save()
    return created
