"""The demo strategy through stage VIII: published for consultation, revised after it, adopted by a resolution.

Called by `manage.py seed_demo` after `strategy.demo` (and after the consultation's demo, when that app has
one). It picks up wherever the demo strategy stands and takes each remaining step through the services, as
the editorial team and the coordinator would: the consultation draft, the version after the consultation
(two paragraphs revised), the final draft, the board's opinion, the mayor's submission, the session and
resolution Nr XLII/1234/2021. Idempotent: nothing is done once a version is in force.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pypdf import PdfWriter

from accounts.models import User

from .. import services
from ..models import (
    ChecklistItem,
    CommentStatus,
    InternalComment,
    ItemStatus,
    StrategyVersion,
    TeamMembership,
    TeamRole,
)
from ..selectors import current_strategy
from . import services as adoption_services
from .models import AdoptionStepKind
from .selectors import in_force_version

REVISIONS = [
    (
        "buspasy",
        " Po konsultacjach: buspasy na Al. Racławickich i ul. Krochmalnej powstaną do 2025 roku (uwagi mieszkańców "
        "Czechowa i Węglina).",
    ),
    ("zieleni", " Po konsultacjach: każda dzielnica otrzyma co najmniej jeden nowy park kieszonkowy do 2027 roku."),
]
STEPS = [
    (
        AdoptionStepKind.BOARD_OPINION,
        datetime.date(2021, 11, 30),
        datetime.date(2021, 11, 5),
        "Uchwała nr 2345/2021 Zarządu Województwa Lubelskiego",
        "Opinia pozytywna, bez uwag do części przestrzennej.",
    ),
    (
        AdoptionStepKind.MAYOR_SUBMISSION,
        datetime.date(2021, 12, 1),
        None,
        "Druk nr 1234-1",
        "Projekt uchwały wraz ze sprawozdaniem z konsultacji.",
    ),
    (AdoptionStepKind.COUNCIL_SESSION, datetime.date(2021, 12, 16), None, "XLII sesja Rady Miasta Lublin", ""),
]
RESOLUTION = {
    "number": "Nr XLII/1234/2021",
    "adopted_on": datetime.date(2021, 12, 16),
    "title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
    "bip_url": "https://bip.lublin.eu/rada-miasta-lublin/uchwaly/uchwala-nr-xlii-1234-2021",
}


def demo_pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF standing for a signed document (the demo has no real scans)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name})
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(f"{name}.pdf", buffer.getvalue(), content_type="application/pdf")


def _settle_checklist(version, city, phase) -> None:
    for item in ChecklistItem.objects.filter(version=version, phase=phase).exclude(
        status__in=(ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)
    ):
        services.checklist_item_update(
            actor=city,
            item=item,
            expected_revision=item.revision,
            data=services.ChecklistData(
                status=ItemStatus.DONE, responsible=city, notes="Zrobione (dane demonstracyjne)."
            ),
        )


def _answer_comments(version, team) -> None:
    for comment in InternalComment.objects.filter(version=version, status=CommentStatus.OPEN):
        services.internal_comment_answer(
            actor=team, comment=comment, status=CommentStatus.RESOLVED, resolution="Uzupełnione (dane demonstracyjne)."
        )


def _revise(version, team) -> int:
    """Two paragraphs of the version after the consultation change, as the comments asked."""
    from ..models import Block

    revised = 0
    for word, addition in REVISIONS:
        block = Block.objects.filter(version=version, text__icontains=word).order_by("position", "id").first()
        if block is not None:
            services.block_update(actor=team, block=block, expected_revision=block.revision, text=block.text + addition)
            revised += 1
    return revised


@transaction.atomic
def seed(*, stdout, **options):
    strategy = current_strategy()
    city = User.objects.filter(email="koordynatorka@example.org").first()
    membership = (
        TeamMembership.objects.filter(strategy=strategy, role=TeamRole.EDITOR, withdrawn_at__isnull=True)
        .select_related("user")
        .first()
    )
    version = StrategyVersion.objects.filter(strategy=strategy).order_by("-number").first() if strategy else None
    if version is None or city is None or membership is None:
        stdout.write("strategy.adoption: no demo draft (run strategy.demo first)")
        return
    if in_force_version(strategy) is not None:
        stdout.write("strategy.adoption: the demo strategy is adopted already")
        return
    team = membership.user
    if version.state == "internal_review" and not StrategyVersion.objects.public().filter(strategy=strategy).exists():
        _settle_checklist(version, city, "formal")
        _answer_comments(version, team)
        version = services.version_publish(actor=city, version=version)
    if version.state == "consultation_draft":
        version = services.version_create(
            actor=team, strategy=strategy, based_on=version, note="Projekt po konsultacjach"
        )
    if version.state == "working":
        _revise(version, team)
        version = services.version_submit_for_review(actor=team, version=version)
    if version.state == "internal_review":
        _settle_checklist(version, city, "adoption")
        _answer_comments(version, team)
        version = adoption_services.final_draft_publish(actor=city, version=version)
    for kind, day, sent, reference, notes in STEPS:
        adoption_services.adoption_step_record(
            actor=city,
            version=version,
            data=adoption_services.StepData(
                kind=kind,
                happened_on=day,
                requested_on=sent,
                reference=reference,
                notes=notes,
                upload=demo_pdf("opinia-zarzadu-wojewodztwa") if kind == AdoptionStepKind.BOARD_OPINION else None,
            ),
        )
    resolution = adoption_services.resolution_record(
        actor=city,
        version=version,
        data=adoption_services.ResolutionData(**RESOLUTION, upload=demo_pdf("uchwala-xlii-1234-2021")),
    )
    stdout.write(f"strategy.adoption: version {version.number} adopted by resolution {resolution.display_number}")
