"""The checklist items a version created after the consultation starts with (phase "adoption").

They are what the final draft needs before it goes to the council; the board's opinion, the mayor's
submission and the session are recorded as adoption steps on the final draft itself. Coordinators change
these items in the admin (checklist item templates); `load_reference_data --reset` restores them.
"""

from django.db import transaction

from ..models import ChecklistPhase
from ..reference import load_checklist_templates

ADOPTION_CHECKLIST = [
    (
        "Analiza uwag z konsultacji i wprowadzenie ich do projektu",
        "Analysis of the consultation comments and their introduction into the draft",
        "Każda uwaga ma odpowiedź w sprawozdaniu; zmienione bloki wskazują uwagi, które je spowodowały.",
        True,
    ),
    (
        "Opinia prawna projektu końcowego",
        "Legal review of the final draft",
        "Radcy prawni Urzędu: projekt uchwały Rady Miasta wraz z załącznikiem.",
        True,
    ),
    (
        "Projekt uchwały Rady Miasta w sprawie przyjęcia strategii",
        "Draft resolution of the city council adopting the strategy",
        "Z uzasadnieniem i sprawozdaniem z konsultacji.",
        False,
    ),
]


@transaction.atomic
def load_reference(*, reset: bool = False) -> dict:
    created = load_checklist_templates(ChecklistPhase.ADOPTION, ADOPTION_CHECKLIST, reset=reset)
    return {"adoption_checklist_items_created": created}
