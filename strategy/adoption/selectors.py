"""Reads of stage VIII: which version is in force, and a version's way through the council."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from ..models import ChecklistItem, ChecklistPhase, Strategy, StrategyVersion, VersionState
from .models import IN_FORCE_STATES, AdoptionStep, AdoptionStepKind, Resolution


def in_force_version(strategy: Strategy | None) -> StrategyVersion | None:
    """The newest adopted or amended version, with its resolution (one query): what the city implements."""
    if strategy is None:
        return None
    return (
        StrategyVersion.objects.filter(strategy=strategy, state__in=IN_FORCE_STATES)
        .select_related("strategy", "resolution")
        .order_by("-number")
        .first()
    )


IN_FORCE_FIRST = Case(When(state__in=IN_FORCE_STATES, then=Value(0)), default=Value(1), output_field=IntegerField())


def reading_version(strategy: Strategy | None) -> StrategyVersion | None:
    """What /strategia/ shows: the strategy in force, or before the adoption the newest public version (one
    query, with its strategy and resolution)."""
    if strategy is None:
        return None
    return (
        StrategyVersion.objects.public()
        .filter(strategy=strategy)
        .select_related("strategy", "resolution")
        .order_by(IN_FORCE_FIRST, "-number")
        .first()
    )


def current_reading_version() -> StrategyVersion | None:
    """`reading_version` of the current strategy (the most recent one) without reading the strategy first."""
    return (
        StrategyVersion.objects.public()
        .select_related("strategy", "resolution")
        .order_by("-strategy__starts_year", "strategy_id", IN_FORCE_FIRST, "-number")
        .first()
    )


def consulted_version(version: StrategyVersion) -> StrategyVersion | None:
    """The consultation draft a later version came out of: the newest consultation draft before it."""
    return (
        StrategyVersion.objects.filter(
            strategy_id=version.strategy_id, state=VersionState.CONSULTATION_DRAFT, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )


def resolutions(strategy: Strategy):
    return Resolution.objects.filter(strategy=strategy).select_related("version").order_by("adopted_on", "id")


@dataclass
class Adoption:
    """A version's adoption record: the steps by kind, the resolution, and what is still missing."""

    version: StrategyVersion
    steps: dict[str, AdoptionStep] = field(default_factory=dict)
    resolution: Resolution | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def ordered_steps(self) -> list[tuple[str, str, AdoptionStep | None]]:
        return [(kind.value, kind.label, self.steps.get(kind.value)) for kind in AdoptionStepKind]

    @property
    def board_opinion(self) -> AdoptionStep | None:
        return self.steps.get(AdoptionStepKind.BOARD_OPINION)

    @property
    def is_adopted(self) -> bool:
        return self.resolution is not None


def adoption(version: StrategyVersion, *, with_checklist: bool = False) -> Adoption:
    """The steps and the resolution of one version (two queries; three with its adoption checklist)."""
    steps = {step.kind: step for step in AdoptionStep.objects.filter(version=version).select_related("recorded_by")}
    resolution = Resolution.objects.filter(version=version).first()
    checklist = []
    if with_checklist:
        checklist = list(
            ChecklistItem.objects.filter(version=version, phase=ChecklistPhase.ADOPTION).order_by("position", "id")
        )
    return Adoption(version=version, steps=steps, resolution=resolution, checklist=checklist)


@dataclass
class PublicAdoption:
    """What a public version's page says about the adoption: its resolution or its way to the council."""

    adoption: Adoption | None
    in_force: StrategyVersion | None
    consulted: StrategyVersion | None


def public_adoption(version: StrategyVersion) -> PublicAdoption | None:
    """For the public page of a version from the final draft on (at most four queries; none before)."""
    if version.state not in (VersionState.AFTER_CONSULTATION, *IN_FORCE_STATES):
        return None
    in_force = in_force_version(version.strategy)
    return PublicAdoption(adoption=adoption(version), in_force=in_force, consulted=consulted_version(version))
