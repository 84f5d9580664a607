"""Versions of the strategy: the current strategy, public and all versions, one by number, its PDF."""

from __future__ import annotations

from ..models import Strategy, StrategyVersion, VersionState, VersionStateChange


def current_strategy() -> Strategy | None:
    """The strategy the portal is about (the most recent one, if a city ever keeps more)."""
    return Strategy.objects.order_by("-starts_year", "id").first()


def latest_public_version(strategy: Strategy | None) -> StrategyVersion | None:
    if strategy is None:
        return None
    return (
        StrategyVersion.objects.public()
        .filter(strategy=strategy)
        .select_related("strategy")
        .order_by("-number")
        .first()
    )


def public_versions(strategy: Strategy | None):
    if strategy is None:
        return StrategyVersion.objects.none()
    return StrategyVersion.objects.public().filter(strategy=strategy).order_by("-number")


def all_versions(strategy: Strategy):
    return (
        StrategyVersion.objects.filter(strategy=strategy).select_related("created_by", "based_on").order_by("-number")
    )


def version_by_number(strategy: Strategy | None, number: int, *, public_only: bool = False) -> StrategyVersion | None:
    if strategy is None:
        return None
    versions = StrategyVersion.objects.public() if public_only else StrategyVersion.objects.all()
    return versions.select_related("strategy").filter(strategy=strategy, number=number).first()


def working_version(strategy: Strategy | None) -> StrategyVersion | None:
    if strategy is None:
        return None
    return StrategyVersion.objects.filter(strategy=strategy, state=VersionState.WORKING).first()


def state_changes(version: StrategyVersion):
    return VersionStateChange.objects.filter(version=version).select_related("actor").order_by("created_at", "id")


def version_pdf(version: StrategyVersion):
    """The newest finished PDF report of a version, or None."""
    from reports.models import Report, ReportKind, ReportStatus

    return (
        Report.objects.filter(kind=ReportKind.STRATEGY, subject_id=version.pk, status=ReportStatus.DONE)
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )
