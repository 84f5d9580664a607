"""Writes of stage VIII. Each checks its permission itself, then the version's state, and says what is wrong.

    internal review ──final_draft_publish (coordinator)──▶ after consultation (public, frozen: the text the
        board gives its opinion on and the council votes on)
    after consultation ──adoption_step_record × 3──▶ (the board's opinion, the mayor's submission, the session)
    after consultation ──resolution_record──▶ adopted (the first resolution) or amended (every later one)
    adopted | amended ──resolution_correct (a mistake in the record, with the reason; the text stays frozen)

An adopted or amended version never changes again: a later change of the strategy is a new version (created
from it as usual), published as a final draft and adopted by a new resolution of its own.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue

from .. import files
from ..models import (
    PUBLIC_STATES,
    ChecklistPhase,
    StrategyVersion,
    VersionState,
)
from ..numbers import parse_day
from ..services.common import _locked_version
from ..services.versions import _transition, publication_problems
from .models import (
    BOARD_OPINION_DAYS,
    IN_FORCE_STATES,
    RESOLUTION_NUMBER,
    AdoptionStep,
    AdoptionStepKind,
    Resolution,
    ResolutionCorrection,
    ResolutionKind,
)

V = VersionState
ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
# Every step is recorded before the resolution; its date can never come after the resolution's.
REQUIRED_STEPS = (AdoptionStepKind.BOARD_OPINION, AdoptionStepKind.MAYOR_SUBMISSION, AdoptionStepKind.COUNCIL_SESSION)


# The final draft --------------------------------------------------------------------------------


def final_draft_problems(version: StrategyVersion) -> list[str]:
    """What still keeps a version in internal review from going to the council as the final draft."""
    problems = []
    if not StrategyVersion.objects.public().filter(strategy_id=version.strategy_id, number__lt=version.number).exists():
        problems.append(
            _(
                "No earlier version has been public: the draft is consulted first (publish it as the consultation draft)."
            )
        )
    return problems + publication_problems(version, phase=ChecklistPhase.ADOPTION)


@transaction.atomic
def final_draft_publish(*, actor, version: StrategyVersion) -> StrategyVersion:
    """Internal review → after consultation: the final draft, public and frozen, goes to the board and the council."""
    version = _locked_version(version)
    require_permission(actor, "strategy.publish_version", version)
    if version.state != V.INTERNAL_REVIEW:
        _transition(version, V.AFTER_CONSULTATION, actor=actor)  # raises with the workflow's message
    problems = final_draft_problems(version)
    if problems:
        raise ValidationError(problems, code="not_ready")
    _transition(version, V.AFTER_CONSULTATION, actor=actor)
    from .. import tasks

    enqueue(tasks.request_version_pdf, version.pk, actor.pk)
    return version


# Steps ------------------------------------------------------------------------------------------


def _adoption_version(actor, version: StrategyVersion) -> StrategyVersion:
    """Lock the version; only the final draft (after consultation) takes adoption records."""
    version = _locked_version(version)
    require_permission(actor, "strategy.record_adoption", version)
    if version.state in IN_FORCE_STATES:
        raise ValidationError(
            _(
                "Version %(number)d has been adopted and is frozen for good, its adoption record too. A change of "
                "the strategy is a new version, adopted by a new resolution."
            )
            % {"number": version.number},
            code="adopted",
        )
    if version.state != V.AFTER_CONSULTATION:
        raise ValidationError(
            _(
                "Version %(number)d is “%(state)s”: the adoption is recorded on the final draft. Publish it as the "
                "final draft after the consultation first."
            )
            % {"number": version.number, "state": version.get_state_display()},
            code="not_final",
        )
    return version


def _date(value, *, label: str, field: str, required: bool = True) -> datetime.date | None:
    """A date as a person types it (16.12.2021 or 2021-12-16), never later than today."""
    return parse_day(value, label=label, field=field, required=required, not_after=timezone.localdate())


def _store(upload, *, pdf_only: bool, field: str) -> files.Stored:
    try:
        stored = files.store(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    if pdf_only and stored.kind is not files.PDF:
        raise ValidationError({field: _("The signed resolution is accepted as a PDF file only.")})
    return stored


def _attach(record, upload, stored: files.Stored) -> None:
    record.file, record.size, record.sha256 = stored.relative, stored.size, stored.sha256
    record.content_type, record.extension = stored.kind.content_type, stored.kind.extension
    record.original_name = (getattr(upload, "name", "") or "")[:255]


@dataclass
class StepData:
    kind: str
    happened_on: object = None
    requested_on: object = None
    reference: str = ""
    notes: str = ""
    upload: object = None


@transaction.atomic
def adoption_step_record(*, actor, version: StrategyVersion, data: StepData) -> AdoptionStep:
    """Record (or correct, until the adoption) one step of the final draft's way through the council."""
    version = _adoption_version(actor, version)
    if data.kind not in AdoptionStepKind.values:
        raise ValidationError({"kind": _("Choose the step.")})
    step = AdoptionStep.objects.filter(version=version, kind=data.kind).first() or AdoptionStep(
        version=version, kind=data.kind
    )
    step.happened_on = _date(data.happened_on, label=_("Date"), field="happened_on")
    step.requested_on = None
    if data.kind == AdoptionStepKind.BOARD_OPINION:
        step.requested_on = _date(data.requested_on, label=_("Draft sent on"), field="requested_on", required=False)
        if step.requested_on and step.requested_on > step.happened_on:
            raise ValidationError({"requested_on": _("The draft cannot be sent after the opinion was given.")})
    if data.kind == AdoptionStepKind.COUNCIL_SESSION:
        submission = AdoptionStep.objects.filter(version=version, kind=AdoptionStepKind.MAYOR_SUBMISSION).first()
        if submission and step.happened_on < submission.happened_on:
            raise ValidationError(
                {
                    "happened_on": _("The session cannot come before the mayor submitted the draft (%(date)s).")
                    % {"date": submission.happened_on.strftime("%d.%m.%Y")}
                }
            )
    step.reference = (data.reference or "").strip()
    step.notes = (data.notes or "").strip()
    step.recorded_by = actor
    if data.upload:
        _attach(step, data.upload, _store(data.upload, pdf_only=False, field="upload"))
    elif data.kind == AdoptionStepKind.BOARD_OPINION and not step.has_document:
        raise ValidationError({"upload": _("Attach the board's opinion (the document it sent).")})
    step.full_clean(exclude=["version"], validate_constraints=False)
    step.save()
    return step


@transaction.atomic
def adoption_step_remove(*, actor, step: AdoptionStep) -> None:
    version = _adoption_version(actor, step.version)
    AdoptionStep.objects.filter(pk=step.pk, version=version).delete()


def board_opinion_due(step: AdoptionStep | None) -> datetime.date | None:
    """The last day of the board's 30 days, when the day the draft was sent is known."""
    if step is None or step.requested_on is None:
        return None
    return step.requested_on + datetime.timedelta(days=BOARD_OPINION_DAYS)


# The resolution ---------------------------------------------------------------------------------


def parse_resolution_number(value: str) -> str:
    """ "Nr XXX/123/2021" (or "xxx/123/2021") → "XXX/123/2021"; a message naming the form otherwise."""
    match = RESOLUTION_NUMBER.match((value or "").strip())
    session = match.group(1).upper() if match else ""
    if not match or not ROMAN.match(session) or int(match.group(2)) == 0:
        raise ValidationError(
            {
                "number": _(
                    "“%(value)s” is not a resolution number. Write it as in the resolution: Nr XXX/123/2021 (the "
                    "session in Roman numerals, the number of the resolution, the year)."
                )
                % {"value": value}
            }
        )
    return f"{session}/{int(match.group(2))}/{match.group(3)}"


@dataclass
class ResolutionData:
    number: str
    adopted_on: object
    title: str
    bip_url: str
    upload: object = None


def adoption_problems(version: StrategyVersion, adopted_on: datetime.date | None = None) -> list[str]:
    """The steps a resolution still needs (and, given its date, the steps dated after it)."""
    steps = {step.kind: step for step in AdoptionStep.objects.filter(version=version)}
    problems = []
    for kind in REQUIRED_STEPS:
        step = steps.get(kind)
        if step is None:
            if kind == AdoptionStepKind.BOARD_OPINION:
                problems.append(
                    _(
                        "The voivodeship board's opinion is not recorded: the council adopts the strategy only after "
                        "the board has given its opinion (art. 10f u.s.g.)."
                    )
                )
            else:
                problems.append(_("“%(step)s” is not recorded yet.") % {"step": AdoptionStepKind(kind).label})
        elif adopted_on and step.happened_on > adopted_on:
            problems.append(
                _("“%(step)s” is dated %(date)s, after the resolution.")
                % {"step": step.get_kind_display(), "date": step.happened_on.strftime("%d.%m.%Y")}
            )
    return problems


def _resolution_fields(version: StrategyVersion, data: ResolutionData, *, instead_of: Resolution | None = None) -> dict:
    """The checked fields of a resolution's record, for recording it or correcting it (`instead_of`)."""
    number = parse_resolution_number(data.number)
    adopted_on = _date(data.adopted_on, label=_("Date of the resolution"), field="adopted_on")
    if adopted_on.year != int(number.rsplit("/", 1)[1]):
        raise ValidationError(
            {
                "adopted_on": _("The year in the number (%(year)s) is not the year of the date (%(date)s).")
                % {"year": number.rsplit("/", 1)[1], "date": adopted_on.strftime("%d.%m.%Y")}
            }
        )
    problems = adoption_problems(version, adopted_on)
    if problems:
        raise ValidationError(problems, code="steps_missing")
    others = Resolution.objects.filter(strategy_id=version.strategy_id, number=number)
    if instead_of is not None:
        others = others.exclude(pk=instead_of.pk)
    if others.exists():
        raise ValidationError({"number": _("Resolution Nr %(number)s is already recorded.") % {"number": number}})
    bip_url = (data.bip_url or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(bip_url)
    except ValidationError as error:
        raise ValidationError(
            {"bip_url": _("Enter the full address of the resolution in the BIP (https://…).")}
        ) from error
    return {"number": number, "adopted_on": adopted_on, "title": (data.title or "").strip(), "bip_url": bip_url}


@transaction.atomic
def resolution_record(*, actor, version: StrategyVersion, data: ResolutionData) -> Resolution:
    """The council adopted the final draft: record its resolution; the version is in force and frozen for good."""
    version = _adoption_version(actor, version)
    fields = _resolution_fields(version, data)
    if not data.upload:
        raise ValidationError({"upload": _("Attach the signed resolution as a PDF file.")})
    in_force = StrategyVersion.objects.filter(strategy_id=version.strategy_id, state__in=IN_FORCE_STATES).exists()
    resolution = Resolution(
        strategy_id=version.strategy_id,
        version=version,
        kind=ResolutionKind.AMENDMENT if in_force else ResolutionKind.ADOPTION,
        recorded_by=actor,
        **fields,
    )
    _attach(resolution, data.upload, _store(data.upload, pdf_only=True, field="upload"))
    resolution.full_clean(exclude=["strategy", "version"], validate_constraints=False)
    resolution.save()
    _transition(version, V.AMENDED if in_force else V.ADOPTED, actor=actor, reason=resolution.display_number)
    from .. import tasks

    enqueue(tasks.refresh_version_pdf, version.pk, actor.pk)
    return resolution


CORRECTED_FIELDS = ("number", "adopted_on", "title", "bip_url")


@transaction.atomic
def resolution_correct(*, actor, resolution: Resolution, data: ResolutionData, reason: str) -> ResolutionCorrection:
    """Put right a mistake in the record of a resolution (its number, date, title, BIP address or file).

    The version stays in force and its text frozen: only our record of the council's resolution changes,
    with the record as it was, who corrected it and why kept in its history."""
    version = _locked_version(resolution.version)
    require_permission(actor, "strategy.record_adoption", version)
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    reason = (reason or "").strip()
    if len(reason) < ResolutionCorrection.REASON_MIN_LENGTH:
        raise ValidationError(
            {"reason": _("Say what was wrong in the record, in a sentence: it stays in the record's history.")}
        )
    fields = _resolution_fields(version, data, instead_of=resolution)
    before = {name: str(getattr(resolution, name)) for name in CORRECTED_FIELDS}
    before.update(original_name=resolution.original_name, sha256=resolution.sha256)
    changed = [name for name in CORRECTED_FIELDS if fields[name] != getattr(resolution, name)]
    for name in changed:
        setattr(resolution, name, fields[name])
    if data.upload:
        _attach(resolution, data.upload, _store(data.upload, pdf_only=True, field="upload"))
        if resolution.sha256 != before["sha256"]:
            changed.append("file")
    if not changed:
        raise ValidationError(_("The record is the same as before: nothing to correct."), code="unchanged")
    resolution.corrected_at = timezone.now()
    resolution.full_clean(exclude=["strategy", "version"], validate_constraints=False)
    resolution.save()
    # The version's PDF names its state, not the resolution: nothing to make again.
    return ResolutionCorrection.objects.create(resolution=resolution, reason=reason, before=before, corrected_by=actor)


def adopted_pdf_refresh(*, actor, version: StrategyVersion):
    """The PDF of an adopted version names its new state: make it again (or for the first time)."""
    from reports.models import Report, ReportKind
    from reports.services import report_retry

    from ..services import version_pdf_request

    require_permission(actor, "strategy.publish_version", version)
    if version.state not in PUBLIC_STATES:
        return None
    report = Report.objects.filter(kind=ReportKind.STRATEGY, subject_id=version.pk).order_by("-id").first()
    if report is None or report.is_active:
        return version_pdf_request(actor=actor, version=version) if report is None else report
    return report_retry(actor=actor, report=report)
