"""Versions and their states: the first or the next version (a copy, key by key), internal review,
return to drafting, publication as the consultation draft, and its PDF."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from reports.models import Report, ReportKind, ReportStatus

from .. import selectors
from ..models import (
    PUBLIC_STATES,
    Attachment,
    Block,
    Chapter,
    ChecklistItem,
    ChecklistPhase,
    ChecklistTemplateItem,
    Citation,
    CommentStatus,
    Direction,
    Indicator,
    InternalComment,
    RecommendationExplanation,
    Section,
    StrategicGoal,
    Strategy,
    StrategyVersion,
    VersionStateChange,
)
from .common import V, _locked_version, _required, _touch

# The strategy is a Polish document: its PDF is Polish, the English pages link the same file.
PDF_LANGUAGE = "pl"


@transaction.atomic
def version_create(
    *, actor, strategy: Strategy, based_on: StrategyVersion | None = None, note: str = ""
) -> StrategyVersion:
    """The first (empty) working version, or the next one copied, key by key, from a frozen version."""
    require_permission(actor, "strategy.create_version", strategy)
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    working = StrategyVersion.objects.filter(strategy=strategy, state=V.WORKING).first()
    if working is not None:
        raise ValidationError(
            _("Version %(number)d is still the working draft: finish it before starting another one.")
            % {"number": working.number},
            code="working_exists",
        )
    if based_on is None and StrategyVersion.objects.filter(strategy=strategy).exists():
        raise ValidationError(_("Choose the version the new one starts from."), code="based_on")
    if based_on is not None and based_on.strategy_id != strategy.pk:
        raise ValidationError(_("That version belongs to another strategy."), code="based_on")
    phase = ChecklistPhase.ADOPTION if strategy.versions.public().exists() else ChecklistPhase.FORMAL
    version = StrategyVersion(
        strategy=strategy,
        number=_next_number(strategy),
        state=V.WORKING,
        based_on=based_on,
        note=note.strip()[: StrategyVersion.NOTE_MAX_LENGTH],
        created_by=actor,
        state_changed_at=timezone.now(),
        edited_at=timezone.now(),
    )
    version.full_clean(validate_constraints=False)
    version.save()
    if based_on is not None:
        _copy_contents(based_on, version)
    _seed_checklist(version, phase)
    return version


def _next_number(strategy: Strategy) -> int:
    return (StrategyVersion.objects.filter(strategy=strategy).aggregate(top=Max("number"))["top"] or 0) + 1


def _copy_rows(model, rows, **remap):
    """Copy rows into the new version with the same keys; `remap` maps foreign-key fields to {old id: new id}."""
    fields = [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in ("version", "updated_at", "created_at", "uploaded_at")
    ]
    copies = []
    for row in rows:
        values = {name: getattr(row, name) for name in fields}
        for name, mapping in remap.items():
            old = values.get(f"{name}_id")
            values[f"{name}_id"] = mapping.get(old) if old is not None else None
        copies.append(values)
    return copies


def _copy_contents(source: StrategyVersion, target: StrategyVersion) -> None:
    """Everything of the source, in a fixed number of queries (bulk inserts), keys and texts unchanged."""

    def copy(model, queryset, **remap):
        rows = list(queryset.order_by("pk"))
        created = model.objects.bulk_create(
            [model(version=target, **values) for values in _copy_rows(model, rows, **remap)], batch_size=500
        )
        return {old.pk: new.pk for old, new in zip(rows, created, strict=True)}

    chapters = copy(Chapter, Chapter.objects.filter(version=source))
    sections = copy(Section, Section.objects.filter(version=source), chapter=chapters)
    blocks = copy(Block, Block.objects.filter(version=source), chapter=chapters, section=sections)
    goals = copy(StrategicGoal, StrategicGoal.objects.filter(version=source))
    directions = copy(Direction, Direction.objects.filter(version=source), goal=goals)
    copy(Indicator, Indicator.objects.filter(version=source), goal=goals, direction=directions)
    copy(Citation, Citation.objects.filter(version=source), goal=goals, direction=directions, block=blocks)
    copy(RecommendationExplanation, RecommendationExplanation.objects.filter(version=source))
    copy(Attachment, Attachment.objects.filter(version=source, checklist_item__isnull=True))


def _seed_checklist(version: StrategyVersion, phase: str) -> None:
    templates = ChecklistTemplateItem.objects.filter(phase=phase).order_by("position", "id")
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                version=version,
                phase=phase,
                position=position,
                title=template.title,
                title_en=template.title_en,
                description=template.description,
                mandatory=template.mandatory,
            )
            for position, template in enumerate(templates, start=1)
        ]
    )


TRANSITIONS = {
    (V.WORKING, V.INTERNAL_REVIEW): "strategy.submit_version",
    (V.INTERNAL_REVIEW, V.WORKING): "strategy.submit_version",
    (V.INTERNAL_REVIEW, V.CONSULTATION_DRAFT): "strategy.publish_version",
    # Stage VIII (strategy.adoption.services): the final draft goes public, then a resolution adopts it.
    (V.INTERNAL_REVIEW, V.AFTER_CONSULTATION): "strategy.publish_version",
    (V.AFTER_CONSULTATION, V.ADOPTED): "strategy.record_adoption",
    (V.AFTER_CONSULTATION, V.AMENDED): "strategy.record_adoption",
}


def _transition(version: StrategyVersion, to_state: str, *, actor, reason: str = "") -> None:
    from_state = version.state
    permission = TRANSITIONS.get((from_state, to_state))
    if permission is None:
        raise ValidationError(
            _("Version %(number)d cannot go from “%(from)s” to “%(to)s”.")
            % {"number": version.number, "from": V(from_state).label, "to": V(to_state).label},
            code="transition",
        )
    require_permission(actor, permission, version)
    now = timezone.now()
    version.state = to_state
    version.state_changed_at = now
    fields = ["state", "state_changed_at"]
    if to_state in PUBLIC_STATES and version.published_at is None:
        version.published_at = now
        fields.append("published_at")
    version.save(update_fields=fields)
    VersionStateChange.objects.create(
        version=version, from_state=from_state, to_state=to_state, actor=actor, reason=reason
    )


def _coverage_problem(version: StrategyVersion) -> str | None:
    uncovered = list(selectors.uncovered_recommendations(version))
    if not uncovered:
        return None
    titles = "; ".join(f"„{recommendation.title}”" for recommendation in uncovered)
    return _(
        "These recommendations included in the strategy are neither cited nor explained: %(titles)s. "
        "Cite each in a goal, a direction or a block, or write why it was not taken up."
    ) % {"titles": titles}


@transaction.atomic
def version_submit_for_review(*, actor, version: StrategyVersion) -> StrategyVersion:
    """The working draft goes to internal review (stage VI) once every included recommendation is covered."""
    version = _locked_version(version)
    require_permission(actor, "strategy.submit_version", version)
    if version.state != V.WORKING:
        _transition(version, V.INTERNAL_REVIEW, actor=actor)  # raises with the workflow's message
    problem = _coverage_problem(version)
    if problem:
        raise ValidationError(problem, code="uncovered")
    _transition(version, V.INTERNAL_REVIEW, actor=actor)
    return version


@transaction.atomic
def version_return_to_drafting(*, actor, version: StrategyVersion, reason: str) -> StrategyVersion:
    """Back from internal review to the working draft, e.g. to take up the departments' comments."""
    version = _locked_version(version)
    reason = _required(reason, "reason", _("Say why the version goes back to drafting."))
    if StrategyVersion.objects.filter(strategy=version.strategy, state=V.WORKING).exclude(pk=version.pk).exists():
        raise ValidationError(_("Another version is already the working draft."), code="working_exists")
    _transition(version, V.WORKING, actor=actor, reason=reason)
    _touch(version)
    return version


def publication_problems(version: StrategyVersion, *, phase: str = ChecklistPhase.FORMAL) -> list[str]:
    """What still keeps a version in internal review from becoming public: the consultation draft (the formal
    checklist), or after the consultation the final draft (the adoption checklist, strategy.adoption)."""
    problems = []
    unsettled = [
        item
        for item in ChecklistItem.objects.filter(version=version, phase=phase, mandatory=True)
        if not item.is_settled
    ]
    if unsettled:
        problems.append(
            _("These mandatory checklist items are not done: %(items)s.")
            % {"items": "; ".join(f"„{item.display_title}” ({item.get_status_display()})" for item in unsettled)}
        )
    open_comments = InternalComment.objects.filter(version=version, status=CommentStatus.OPEN).count()
    if open_comments:
        problems.append(
            _("%(count)d internal comments still wait for the editorial team's answer.") % {"count": open_comments}
        )
    coverage = _coverage_problem(version)
    if coverage:
        problems.append(coverage)
    return problems


@transaction.atomic
def version_publish(*, actor, version: StrategyVersion) -> StrategyVersion:
    """Internal review → consultation draft: public from now on, frozen for good."""
    version = _locked_version(version)
    require_permission(actor, "strategy.publish_version", version)
    if version.state != V.INTERNAL_REVIEW:
        _transition(version, V.CONSULTATION_DRAFT, actor=actor)  # raises with the workflow's message
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems, code="not_ready")
    _transition(version, V.CONSULTATION_DRAFT, actor=actor)
    from .. import tasks

    enqueue(tasks.request_version_pdf, version.pk, actor.pk)
    return version


def version_pdf_request(*, actor, version: StrategyVersion) -> Report | None:
    """Ask the reports pipeline for the PDF of a public version, unless one is ready or on its way."""
    from reports.services import report_request

    require_permission(actor, "strategy.publish_version", version)
    if not version.is_public:
        raise ValidationError(_("Only a public version of the strategy is printed."), code="not_public")
    reports = Report.objects.filter(kind=ReportKind.STRATEGY, subject_id=version.pk)
    if reports.exclude(status=ReportStatus.FAILED).exists():
        return None
    with translation.override(PDF_LANGUAGE):
        label = _("%(title)s, version %(number)d") % {"title": version.strategy.title, "number": version.number}
    return report_request(
        actor=actor, kind=ReportKind.STRATEGY, language=PDF_LANGUAGE, subject_id=version.pk, subject_label=label
    )
