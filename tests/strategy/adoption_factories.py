"""Adoption test data: a final draft after a consultation draft, its steps and resolution, written straight."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from strategy.adoption.models import AdoptionStep, AdoptionStepKind, Resolution, ResolutionKind
from strategy.models import VersionState
from tests.strategy.factories import make_version

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SESSION_DAY = datetime.date(2021, 12, 16)


def pdf(name="dokument.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def final_draft(**kwargs):
    """Version 1 consulted, version 2 the final draft after the consultation."""
    consulted = make_version(VersionState.CONSULTATION_DRAFT)
    return consulted, make_version(VersionState.AFTER_CONSULTATION, based_on=consulted, **kwargs)


def record_steps(version, *, skip=()):
    days = {
        AdoptionStepKind.BOARD_OPINION: datetime.date(2021, 11, 30),
        AdoptionStepKind.MAYOR_SUBMISSION: datetime.date(2021, 12, 1),
        AdoptionStepKind.COUNCIL_SESSION: SESSION_DAY,
    }
    return [
        AdoptionStep.objects.create(version=version, kind=kind, happened_on=day, reference=f"ref {kind}")
        for kind, day in days.items()
        if kind not in skip
    ]


def adopted(version=None, number="XLII/1234/2021", kind=ResolutionKind.ADOPTION):
    """A version put in force by a resolution (its state set as the service would)."""
    version = version or final_draft()[1]
    version.state = VersionState.ADOPTED if kind == ResolutionKind.ADOPTION else VersionState.AMENDED
    version.save(update_fields=["state"])
    Resolution.objects.create(
        strategy_id=version.strategy_id,
        version=version,
        kind=kind,
        number=number,
        adopted_on=SESSION_DAY,
        title="w sprawie przyjęcia Strategii Rozwoju Lublina na lata 2021–2030",
        bip_url="https://bip.lublin.eu/uchwala",
    )
    return version
