"""The demo strategy through stage VIII: published for consultation, revised after it, adopted by a resolution.

Called by `manage.py seed_demo` after `strategy.demo` (and after the consultation's demo, when that app has
one). It picks up wherever the demo strategy stands and takes each remaining step through the services, as
the editorial team and the coordinator would: the consultation draft, the version after the consultation
(two paragraphs revised), the final draft, the board's opinion, the mayor's submission, the session and
resolution Nr XLII/1234 of the year of its session. Idempotent: nothing is done once a version is in force.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
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
# (step, days before today, days before today the draft was sent, reference, notes): the consultation's demo
# ends its consultation twenty days before today, and no step of an adoption may be dated in the future.
STEPS = [
    (
        AdoptionStepKind.BOARD_OPINION,
        8,
        19,
        "Uchwała nr 2345 Zarządu Województwa Lubelskiego",
        "Opinia pozytywna, bez uwag do części przestrzennej.",
    ),
    (
        AdoptionStepKind.MAYOR_SUBMISSION,
        6,
        None,
        "Druk nr 1234-1",
        "Projekt uchwały wraz ze sprawozdaniem z konsultacji.",
    ),
    (AdoptionStepKind.COUNCIL_SESSION, 2, None, "XLII sesja Rady Miasta Lublin", ""),
]
SESSION_DAYS_AGO = 2


def resolution(today: datetime.date) -> dict:
    day = today - datetime.timedelta(days=SESSION_DAYS_AGO)
    return {
        "number": f"Nr XLII/1234/{day.year}",
        "adopted_on": day,
        "title": "w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
        "bip_url": f"https://bip.lublin.eu/rada-miasta-lublin/uchwaly/uchwala-nr-xlii-1234-{day.year}",
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


def revise(version, team) -> list:
    """Two paragraphs of the version after the consultation change, as the comments asked (once)."""
    from ..models import Block

    revised = []
    for word, addition in REVISIONS:
        block = Block.objects.filter(version=version, text__icontains=word).order_by("position", "id").first()
        if block is not None and addition not in block.text:
            block = services.block_update(
                actor=team, block=block, expected_revision=block.revision, text=block.text + addition
            )
        if block is not None:
            revised.append(block)
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
        revise(version, team)
        version = services.version_submit_for_review(actor=team, version=version)
    if version.state == "internal_review":
        _settle_checklist(version, city, "adoption")
        _answer_comments(version, team)
        version = adoption_services.final_draft_publish(actor=city, version=version)
    today = timezone.localdate()
    for kind, days_ago, sent_days_ago, reference, notes in STEPS:
        adoption_services.adoption_step_record(
            actor=city,
            version=version,
            data=adoption_services.StepData(
                kind=kind,
                happened_on=today - datetime.timedelta(days=days_ago),
                requested_on=today - datetime.timedelta(days=sent_days_ago) if sent_days_ago else None,
                reference=reference,
                notes=notes,
                upload=demo_pdf("opinia-zarzadu-wojewodztwa") if kind == AdoptionStepKind.BOARD_OPINION else None,
            ),
        )
    record = adoption_services.resolution_record(
        actor=city,
        version=version,
        data=adoption_services.ResolutionData(**resolution(today), upload=demo_pdf("uchwala-rady-miasta")),
    )
    stdout.write(f"strategy.adoption: version {version.number} adopted by resolution {record.display_number}")
