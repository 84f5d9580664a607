"""Writes about the strategy document. Every one checks its permission itself, then the version's state.

The life of a version, and the only transitions these services allow:

    working ──submit (team or city; every included recommendation cited or explained)──▶ internal review
    internal review ──return with a reason──▶ working
    internal review ──publish (coordinator; mandatory checklist items settled, comments answered)──▶ consultation draft
    internal review ──publish the final draft (stage VIII, strategy.adoption)──▶ after consultation
    after consultation ──resolution recorded (strategy.adoption)──▶ adopted (the first time) or amended

A new version is created from any frozen one (never while another is working): every row is copied
with its stable key. Only the working version is editable: every edit locks the version row first,
so an edit and a change of state never cross, then checks the element's revision (optimistic
locking: a stale save is an EditConflict and writes nothing). Stage V and VI open no participation
window: these writes depend on the version's state, not on the calendar (docs/strategy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission
from lublin2030.queue import enqueue
from recommendations.models import Recommendation, RecommendationStatus
from reports.models import Report, ReportKind, ReportStatus

from . import files, markup, selectors
from .models import (
    PUBLIC_STATES,
    Attachment,
    Block,
    BlockRevision,
    Chapter,
    ChapterElement,
    ChecklistItem,
    ChecklistPhase,
    ChecklistTemplateItem,
    Citation,
    CommentStatus,
    Direction,
    DirectionKind,
    Indicator,
    InternalComment,
    ItemStatus,
    RecommendationExplanation,
    Section,
    StrategicGoal,
    Strategy,
    StrategyVersion,
    TeamMembership,
    TeamRole,
    VersionState,
    VersionStateChange,
)
from .numbers import parse_decimal

V = VersionState
# The strategy is a Polish document: its PDF is Polish, the English pages link the same file.
PDF_LANGUAGE = "pl"


# Errors ---------------------------------------------------------------------------------------


class FrozenVersion(ValidationError):
    """An edit of a version that is not the working draft."""

    def __init__(self, version: StrategyVersion):
        super().__init__(
            _(
                "Version %(number)d is “%(state)s” and can no longer be changed: only the working draft is edited. "
                "Create the next version to make changes."
            )
            % {"number": version.number, "state": version.get_state_display()},
            code="frozen",
        )


class EditConflict(ValidationError):
    """Someone saved the element after the editor opened it; nothing was written."""

    def __init__(self, *, current, expected_revision: int):
        self.current = current
        self.expected_revision = expected_revision
        who = current.updated_by
        name = (who.display_name or who.email.split("@")[0]) if who else _("someone")
        when = timezone.localtime(current.updated_at).strftime("%d.%m.%Y %H:%M") if current.updated_at else ""
        super().__init__(
            _(
                "%(name)s saved a newer text (revision %(revision)d) on %(when)s, after you opened this page. "
                "Your changes have not been saved. Compare them with the newer text below, then save again to "
                "replace it."
            )
            % {"name": name, "revision": current.revision, "when": when},
            code="conflict",
        )


# Common steps ---------------------------------------------------------------------------------


def _locked_version(version: StrategyVersion) -> StrategyVersion:
    return StrategyVersion.objects.select_for_update().select_related("strategy").get(pk=version.pk)


def _editable_version(actor, version: StrategyVersion, permission: str = "strategy.edit_version") -> StrategyVersion:
    """Lock the version, check the person may edit it, and refuse when it is frozen."""
    version = _locked_version(version)
    require_permission(actor, permission, version)
    if not version.is_editable:
        raise FrozenVersion(version)
    return version


def _touch(version: StrategyVersion) -> None:
    version.edited_at = timezone.now()
    StrategyVersion.objects.filter(pk=version.pk).update(edited_at=version.edited_at)


def _fresh(model, obj, version: StrategyVersion):
    """The row as it is now, and only if it belongs to the (locked) version."""
    fresh = model.objects.select_related("updated_by").filter(pk=obj.pk, version=version).first()
    if fresh is None:
        raise ValidationError(_("This element no longer exists in the working draft."), code="missing")
    return fresh


def _check_revision(current, expected_revision: int | None) -> None:
    if expected_revision is not None and current.revision != expected_revision:
        raise EditConflict(current=current, expected_revision=expected_revision)


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _insert_position(queryset, after) -> int:
    """The position right after `after` (or at the end), moving the later siblings one place down."""
    if after is None:
        return _next_position(queryset)
    queryset.filter(position__gt=after.position).update(position=F("position") + 1)
    return after.position + 1


def _renumber(queryset) -> None:
    rows = list(queryset.order_by("position", "id"))
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        type(rows[0]).objects.bulk_update(changed, ["position"])


def _move(queryset, obj, offset: int) -> None:
    """Move one place up (-1) or down (+1) among its siblings; at either end nothing changes."""
    rows = list(queryset.order_by("position", "id"))
    index = next((i for i, row in enumerate(rows) if row.pk == obj.pk), None)
    if index is None:
        return
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(rows):
        return
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# The team -------------------------------------------------------------------------------------


@transaction.atomic
def team_grant(*, actor, strategy: Strategy, user, role: str, department: str = "") -> TeamMembership:
    """A coordinator adds a person to the editorial team (staff or expert) or as a department's reviewer."""
    require_permission(actor, "strategy.manage_team", strategy)
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    current = TeamMembership.objects.select_for_update().filter(strategy=strategy, user=user, withdrawn_at__isnull=True)
    current = current.first()
    if current is not None:
        if current.role == role and current.department == department.strip():
            raise ValidationError(_("%(person)s already has this role.") % {"person": user}, code="duplicate")
        current.withdrawn_at, current.withdrawn_by = timezone.now(), actor
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    membership = TeamMembership(
        strategy=strategy, user=user, role=role, department=department.strip(), granted_by=actor
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def team_withdraw(*, actor, membership: TeamMembership) -> TeamMembership:
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    require_permission(actor, "strategy.manage_team", membership.strategy)
    if membership.withdrawn_at is not None:
        raise ValidationError(_("This role has already been withdrawn."), code="withdrawn")
    membership.withdrawn_at, membership.withdrawn_by = timezone.now(), actor
    membership.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return membership


# Versions -------------------------------------------------------------------------------------


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
    from . import tasks

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


# Chapters and sections ------------------------------------------------------------------------


def _title(title: str, max_length: int) -> str:
    title = _required(title, "title", _("Give it a title."))
    if len(title) > max_length:
        raise ValidationError({"title": _("At most %(max)d characters.") % {"max": max_length}})
    return title


@transaction.atomic
def chapter_create(*, actor, version: StrategyVersion, title: str, element: str = "other", after=None) -> Chapter:
    version = _editable_version(actor, version)
    if element not in ChapterElement.values:
        raise ValidationError({"element": _("Choose an element of the strategy.")})
    siblings = Chapter.objects.filter(version=version)
    after = _fresh(Chapter, after, version) if after is not None else None
    chapter = Chapter(
        version=version,
        title=_title(title, Chapter.TITLE_MAX_LENGTH),
        element=element,
        position=_insert_position(siblings, after),
        updated_by=actor,
    )
    chapter.full_clean(validate_constraints=False)
    chapter.save()
    _touch(version)
    return chapter


@transaction.atomic
def chapter_update(*, actor, chapter: Chapter, expected_revision: int | None, title: str, element: str) -> Chapter:
    version = _editable_version(actor, chapter.version)
    chapter = _fresh(Chapter, chapter, version)
    _check_revision(chapter, expected_revision)
    if element not in ChapterElement.values:
        raise ValidationError({"element": _("Choose an element of the strategy.")})
    title = _title(title, Chapter.TITLE_MAX_LENGTH)
    if (title, element) == (chapter.title, chapter.element):
        return chapter
    chapter.title, chapter.element, chapter.updated_by = title, element, actor
    chapter.revision += 1
    chapter.save(update_fields=["title", "element", "updated_by", "revision", "updated_at"])
    _touch(version)
    return chapter


@transaction.atomic
def chapter_move(*, actor, chapter: Chapter, offset: int) -> None:
    version = _editable_version(actor, chapter.version)
    _move(Chapter.objects.filter(version=version), _fresh(Chapter, chapter, version), offset)
    _touch(version)


@transaction.atomic
def chapter_delete(*, actor, chapter: Chapter) -> None:
    """Only an empty chapter: text is never lost by one click."""
    version = _editable_version(actor, chapter.version)
    chapter = _fresh(Chapter, chapter, version)
    if chapter.blocks.exists() or chapter.sections.exists():
        raise ValidationError(
            _("The chapter “%(title)s” still has sections or text: delete or move them first.")
            % {"title": chapter.title},
            code="not_empty",
        )
    chapter.delete()
    _renumber(Chapter.objects.filter(version=version))
    _touch(version)


@transaction.atomic
def section_create(*, actor, chapter: Chapter, title: str, after=None) -> Section:
    version = _editable_version(actor, chapter.version)
    chapter = _fresh(Chapter, chapter, version)
    after = _fresh(Section, after, version) if after is not None else None
    section = Section(
        version=version,
        chapter=chapter,
        title=_title(title, Section.TITLE_MAX_LENGTH),
        position=_insert_position(Section.objects.filter(chapter=chapter), after),
        updated_by=actor,
    )
    section.full_clean(validate_constraints=False)
    section.save()
    _touch(version)
    return section


@transaction.atomic
def section_update(*, actor, section: Section, expected_revision: int | None, title: str) -> Section:
    version = _editable_version(actor, section.version)
    section = _fresh(Section, section, version)
    _check_revision(section, expected_revision)
    title = _title(title, Section.TITLE_MAX_LENGTH)
    if title == section.title:
        return section
    section.title, section.updated_by = title, actor
    section.revision += 1
    section.save(update_fields=["title", "updated_by", "revision", "updated_at"])
    _touch(version)
    return section


@transaction.atomic
def section_move(*, actor, section: Section, offset: int) -> None:
    version = _editable_version(actor, section.version)
    section = _fresh(Section, section, version)
    _move(Section.objects.filter(chapter_id=section.chapter_id), section, offset)
    _touch(version)


@transaction.atomic
def section_delete(*, actor, section: Section) -> None:
    version = _editable_version(actor, section.version)
    section = _fresh(Section, section, version)
    if section.blocks.exists():
        raise ValidationError(
            _("The section “%(title)s” still has text: delete or move its blocks first.") % {"title": section.title},
            code="not_empty",
        )
    chapter_id = section.chapter_id
    section.delete()
    _renumber(Section.objects.filter(chapter_id=chapter_id))
    _touch(version)


# Blocks ---------------------------------------------------------------------------------------


def checked_text(text: str) -> tuple[str, markup.Rendered]:
    """The cleaned text and its rendering, or a ValidationError saying what is wrong with it."""
    text = markup.clean(text)
    if not text:
        raise ValidationError({"text": _("Write the text of the block.")})
    if len(text) > Block.TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "A block may have at most %(max)s characters; this one has %(length)s. Split it into two blocks."
                )
                % {"max": f"{Block.TEXT_MAX_LENGTH:,}".replace(",", " "), "length": f"{len(text):,}".replace(",", " ")}
            }
        )
    problems = markup.problems(text)
    if problems:
        raise ValidationError({"text": problems})
    return text, markup.render(text)


def _container(version: StrategyVersion, chapter: Chapter, section: Section | None):
    chapter = _fresh(Chapter, chapter, version)
    if section is not None:
        section = _fresh(Section, section, version)
        if section.chapter_id != chapter.pk:
            raise ValidationError(_("That section belongs to another chapter."), code="section")
    return chapter, section


@transaction.atomic
def block_create(
    *, actor, version: StrategyVersion, chapter: Chapter, section: Section | None = None, text: str, after=None
) -> Block:
    """A new block at the end of its chapter's introduction or of a section (or right after `after`)."""
    version = _editable_version(actor, version)
    chapter, section = _container(version, chapter, section)
    text, rendered = checked_text(text)
    siblings = Block.objects.filter(chapter=chapter, section=section)
    after = _fresh(Block, after, version) if after is not None else None
    if after is not None and (after.chapter_id, after.section_id) != (chapter.pk, getattr(section, "pk", None)):
        after = None
    block = Block(
        version=version,
        chapter=chapter,
        section=section,
        text=text,
        html=rendered.html,
        plain=rendered.plain,
        kind=rendered.kind,
        position=_insert_position(siblings, after),
        updated_by=actor,
    )
    block.full_clean(validate_constraints=False)
    block.save()
    BlockRevision.objects.create(block=block, number=block.revision, text=text, author=actor)
    _touch(version)
    return block


@transaction.atomic
def block_update(*, actor, block: Block, expected_revision: int, text: str) -> Block:
    """Save a block's text; refuse with EditConflict when someone saved it after the editor opened it."""
    version = _editable_version(actor, block.version)
    block = _fresh(Block, block, version)
    text, rendered = checked_text(text)
    _check_revision(block, expected_revision)
    if text == block.text:
        return block
    block.text, block.html, block.plain, block.kind = text, rendered.html, rendered.plain, rendered.kind
    block.revision += 1
    block.updated_by = actor
    block.save(update_fields=["text", "html", "plain", "kind", "revision", "updated_by", "updated_at"])
    BlockRevision.objects.create(block=block, number=block.revision, text=text, author=actor)
    _touch(version)
    return block


@transaction.atomic
def block_move(*, actor, block: Block, offset: int) -> None:
    version = _editable_version(actor, block.version)
    block = _fresh(Block, block, version)
    _move(Block.objects.filter(chapter_id=block.chapter_id, section_id=block.section_id), block, offset)
    _touch(version)


@transaction.atomic
def block_delete(*, actor, block: Block) -> None:
    """The block leaves the working draft; earlier versions keep it, and internal comments keep its key."""
    version = _editable_version(actor, block.version)
    block = _fresh(Block, block, version)
    siblings = Block.objects.filter(chapter_id=block.chapter_id, section_id=block.section_id)
    block.delete()
    _renumber(siblings)
    _touch(version)


# Goals, directions, indicators ----------------------------------------------------------------


@dataclass
class GoalData:
    title: str
    dimension: str
    description: str = ""


@dataclass
class DirectionData:
    title: str
    description: str = ""
    kind: str = DirectionKind.DIRECTION


@dataclass
class IndicatorData:
    name: str
    unit: str
    baseline_value: Decimal | str
    baseline_year: int | str | None
    target_value: Decimal | str
    target_year: int | str | None
    source: str
    frequency: str
    polarity: str
    goal: StrategicGoal | None = None
    direction: Direction | None = None


def _apply(obj, values: dict, actor) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed and obj.pk:
        obj.revision += 1
    obj.updated_by = actor
    obj.full_clean(validate_constraints=False, exclude=["version"])
    return bool(changed) or obj.pk is None


@transaction.atomic
def goal_save(*, actor, version: StrategyVersion, data: GoalData, goal=None, expected_revision=None) -> StrategicGoal:
    """Create a strategic goal (at the end) or change one."""
    version = _editable_version(actor, version)
    if goal is None:
        goal = StrategicGoal(version=version, position=_next_position(StrategicGoal.objects.filter(version=version)))
    else:
        goal = _fresh(StrategicGoal, goal, version)
        _check_revision(goal, expected_revision)
    values = {
        "title": _title(data.title, StrategicGoal.TITLE_MAX_LENGTH),
        "description": (data.description or "").strip(),
        "dimension": data.dimension,
    }
    if _apply(goal, values, actor):
        goal.save()
        _touch(version)
    return goal


@transaction.atomic
def direction_save(
    *, actor, version: StrategyVersion, goal: StrategicGoal, data: DirectionData, direction=None, expected_revision=None
) -> Direction:
    """Create a direction under a goal (at the end) or change one (moving it to `goal` if it changed)."""
    version = _editable_version(actor, version)
    goal = _fresh(StrategicGoal, goal, version)
    if direction is None:
        direction = Direction(version=version, goal=goal, position=_next_position(goal.directions.all()))
    else:
        direction = _fresh(Direction, direction, version)
        _check_revision(direction, expected_revision)
        if direction.goal_id != goal.pk:
            old_goal = direction.goal_id
            direction.goal, direction.position = goal, _next_position(goal.directions.all())
            direction.revision += 1
            direction.save(update_fields=["goal", "position", "revision"])
            _renumber(Direction.objects.filter(goal_id=old_goal))
    values = {
        "title": _title(data.title, Direction.TITLE_MAX_LENGTH),
        "description": (data.description or "").strip(),
        "kind": data.kind or DirectionKind.DIRECTION,
    }
    if _apply(direction, values, actor):
        direction.save()
    _touch(version)
    return direction


def _year(value, *, label: str, low: int, high: int, field: str) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s: enter a year, e.g. 2019.") % {"label": label}}) from None
    if not low <= year <= high:
        raise ValidationError(
            {field: _("%(label)s: a year from %(low)d to %(high)d.") % {"label": label, "low": low, "high": high}}
        )
    return year


def indicator_values(version: StrategyVersion, data: IndicatorData) -> dict:
    """Every field checked, numbers parsed (a Polish decimal comma is a number); errors by field."""
    strategy = version.strategy
    errors: dict[str, list] = {}
    values: dict = {}

    def field(name, check):
        try:
            values[name] = check()
        except ValidationError as error:
            for key, messages in (
                error.message_dict if hasattr(error, "error_dict") else {name: error.messages}
            ).items():
                errors.setdefault(key, []).extend(messages)

    field("name", lambda: _title(data.name, Indicator.NAME_MAX_LENGTH))
    field("unit", lambda: _required(data.unit, "unit", _("Give the unit, e.g. “%” or “persons”.")))
    field("baseline_value", lambda: parse_decimal(data.baseline_value, label=_("Baseline value")))
    field("target_value", lambda: parse_decimal(data.target_value, label=_("Target value")))
    field(
        "baseline_year",
        lambda: _year(
            data.baseline_year, label=_("Baseline year"), low=1990, high=strategy.ends_year, field="baseline_year"
        ),
    )
    field(
        "target_year",
        lambda: _year(
            data.target_year or strategy.ends_year,
            label=_("Target year"),
            low=strategy.starts_year,
            high=strategy.ends_year,
            field="target_year",
        ),
    )
    field("source", lambda: _required(data.source, "source", _("Say where the data come from.")))
    if data.frequency not in [choice for choice, _label in Indicator._meta.get_field("frequency").choices]:
        errors.setdefault("frequency", []).append(_("Choose how often it is measured."))
    if data.polarity not in [choice for choice, _label in Indicator._meta.get_field("polarity").choices]:
        errors.setdefault("polarity", []).append(_("Choose whether more or less is better."))
    if (data.goal is None) == (data.direction is None):
        errors.setdefault("goal", []).append(_("Tie the indicator to one goal or to one direction."))
    if "baseline_year" in values and "target_year" in values and values["target_year"] < values["baseline_year"]:
        errors.setdefault("target_year", []).append(_("The target year cannot come before the baseline year."))
    if errors:
        raise ValidationError(errors)
    values.update(frequency=data.frequency, polarity=data.polarity)
    return values


@transaction.atomic
def indicator_save(
    *, actor, version: StrategyVersion, data: IndicatorData, indicator=None, expected_revision=None
) -> Indicator:
    version = _editable_version(actor, version)
    goal = _fresh(StrategicGoal, data.goal, version) if data.goal is not None else None
    direction = _fresh(Direction, data.direction, version) if data.direction is not None else None
    values = indicator_values(version, data)
    values.update(goal=goal, direction=direction)
    if indicator is None:
        siblings = Indicator.objects.filter(version=version, goal=goal, direction=direction)
        indicator = Indicator(version=version, position=_next_position(siblings))
    else:
        indicator = _fresh(Indicator, indicator, version)
        _check_revision(indicator, expected_revision)
    if _apply(indicator, values, actor):
        indicator.save()
        _touch(version)
    return indicator


@transaction.atomic
def element_move(*, actor, element, offset: int) -> None:
    """Move a goal, a direction or an indicator one place up or down among its siblings."""
    version = _editable_version(actor, element.version)
    model = type(element)
    element = _fresh(model, element, version)
    if model is StrategicGoal:
        siblings = StrategicGoal.objects.filter(version=version)
    elif model is Direction:
        siblings = Direction.objects.filter(goal_id=element.goal_id)
    else:
        siblings = Indicator.objects.filter(version=version, goal_id=element.goal_id, direction_id=element.direction_id)
    _move(siblings, element, offset)
    _touch(version)


@transaction.atomic
def element_delete(*, actor, element) -> None:
    """Delete a goal (only without directions and indicators), a direction (only without indicators) or an indicator."""
    version = _editable_version(actor, element.version)
    model = type(element)
    element = _fresh(model, element, version)
    if model is StrategicGoal:
        if element.directions.exists() or element.indicators.exists():
            raise ValidationError(
                _("The goal still has directions or indicators: delete or move them first."), code="not_empty"
            )
        siblings = StrategicGoal.objects.filter(version=version)
    elif model is Direction:
        if element.indicators.exists():
            raise ValidationError(_("The direction still has indicators: delete or move them first."), code="not_empty")
        siblings = Direction.objects.filter(goal_id=element.goal_id)
    else:
        siblings = Indicator.objects.filter(version=version, goal_id=element.goal_id, direction_id=element.direction_id)
    element.delete()
    _renumber(siblings)
    _touch(version)


# Recommendations in the strategy --------------------------------------------------------------


@transaction.atomic
def citation_add(*, actor, version: StrategyVersion, recommendation: Recommendation, target) -> Citation:
    """A goal, a direction or a block draws on an included recommendation."""
    version = _editable_version(actor, version)
    recommendation = Recommendation.objects.filter(pk=recommendation.pk).first()
    if recommendation is None or recommendation.status != RecommendationStatus.INCLUDED:
        raise ValidationError(_("Only recommendations included in the strategy can be cited."), code="not_included")
    model = type(target)
    if model not in (StrategicGoal, Direction, Block):
        raise ValidationError(_("Cite a recommendation in a goal, a direction or a block."), code="target")
    target = _fresh(model, target, version)
    field = {StrategicGoal: "goal", Direction: "direction", Block: "block"}[model]
    if Citation.objects.filter(**{field: target}, recommendation=recommendation).exists():
        raise ValidationError(_("This recommendation is already cited here."), code="duplicate")
    citation = Citation(version=version, recommendation=recommendation, created_by=actor, **{field: target})
    citation.full_clean(validate_constraints=False)
    citation.save()
    _touch(version)
    return citation


@transaction.atomic
def citation_remove(*, actor, citation: Citation) -> None:
    version = _editable_version(actor, citation.version)
    Citation.objects.filter(pk=citation.pk, version=version).delete()
    _touch(version)


@transaction.atomic
def explanation_set(
    *, actor, version: StrategyVersion, recommendation: Recommendation, reason: str
) -> RecommendationExplanation:
    """The team's written reason for not taking up an included recommendation (shown on its public page)."""
    version = _editable_version(actor, version)
    if recommendation.status != RecommendationStatus.INCLUDED:
        raise ValidationError(
            _("Only recommendations included in the strategy need an explanation."), code="not_included"
        )
    reason = (reason or "").strip()
    if len(reason) < RecommendationExplanation.REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Explain in at least %(min)d characters why the recommendation was not taken up.")
                % {"min": RecommendationExplanation.REASON_MIN_LENGTH}
            }
        )
    explanation = RecommendationExplanation.objects.filter(version=version, recommendation=recommendation).first()
    explanation = explanation or RecommendationExplanation(version=version, recommendation=recommendation)
    explanation.reason, explanation.author = reason, actor
    explanation.full_clean(validate_constraints=False)
    explanation.save()
    _touch(version)
    return explanation


@transaction.atomic
def explanation_remove(*, actor, explanation: RecommendationExplanation) -> None:
    version = _editable_version(actor, explanation.version)
    RecommendationExplanation.objects.filter(pk=explanation.pk, version=version).delete()
    _touch(version)


# The checklist (stage VI) ---------------------------------------------------------------------


def _checklist_version(actor, version: StrategyVersion) -> StrategyVersion:
    version = _locked_version(version)
    require_permission(actor, "strategy.manage_checklist", version)
    if version.is_public:
        raise ValidationError(
            _("The checklist of version %(number)d was closed when the version became public.")
            % {"number": version.number},
            code="frozen",
        )
    return version


@dataclass
class ChecklistData:
    status: str
    responsible: object = None
    due_on: object = None
    notes: str = ""


@transaction.atomic
def checklist_item_update(
    *, actor, item: ChecklistItem, expected_revision: int | None, data: ChecklistData
) -> ChecklistItem:
    version = _checklist_version(actor, item.version)
    item = ChecklistItem.objects.select_related("updated_by").filter(pk=item.pk, version=version).first()
    if item is None:
        raise ValidationError(_("This checklist item no longer exists."), code="missing")
    _check_revision(item, expected_revision)
    if data.status not in ItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    notes = (data.notes or "").strip()
    if data.status == ItemStatus.NOT_APPLICABLE and not notes:
        raise ValidationError({"notes": _("Say in the notes why this item does not apply.")})
    if data.status == ItemStatus.DONE and item.status != ItemStatus.DONE:
        item.completed_at = timezone.now()
    elif data.status not in (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE):
        item.completed_at = None
    item.status, item.responsible, item.due_on, item.notes = data.status, data.responsible, data.due_on, notes
    item.updated_by = actor
    item.revision += 1
    item.full_clean(exclude=["version"])
    item.save()
    return item


@transaction.atomic
def checklist_item_add(
    *, actor, version: StrategyVersion, title: str, mandatory: bool, description: str = ""
) -> ChecklistItem:
    version = _checklist_version(actor, version)
    item = ChecklistItem(
        version=version,
        phase=ChecklistPhase.FORMAL if not version.strategy.versions.public().exists() else ChecklistPhase.ADOPTION,
        title=_title(title, ChecklistItem.TITLE_MAX_LENGTH),
        description=(description or "").strip(),
        mandatory=mandatory,
        position=_next_position(ChecklistItem.objects.filter(version=version)),
        updated_by=actor,
    )
    item.full_clean(exclude=["version"])
    item.save()
    return item


@transaction.atomic
def checklist_item_remove(*, actor, item: ChecklistItem) -> None:
    version = _checklist_version(actor, item.version)
    for attachment in list(Attachment.objects.filter(checklist_item=item, version=version)):
        _drop_attachment(attachment)
    ChecklistItem.objects.filter(pk=item.pk, version=version).delete()


# Internal consultation ------------------------------------------------------------------------


@transaction.atomic
def internal_comment_add(*, actor, block: Block, text: str) -> InternalComment:
    """A department's staff member (or the team, or a coordinator) comments on a block before it is public."""
    version = _locked_version(block.version)
    require_permission(actor, "strategy.comment_internally", version)
    if version.state not in (V.WORKING, V.INTERNAL_REVIEW):
        raise ValidationError(
            _("The internal consultation of version %(number)d has ended.") % {"number": version.number}, code="closed"
        )
    block = _fresh(Block, block, version)
    text = _required(text, "text", _("Write the comment."))
    comment = InternalComment(version=version, block=block, block_key=block.key, author=actor, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def internal_comment_answer(*, actor, comment: InternalComment, status: str, resolution: str) -> InternalComment:
    """The editorial team marks a comment resolved, or rejected with the reason."""
    comment = InternalComment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    require_permission(actor, "strategy.resolve_comment", comment.version)
    if comment.version.is_public:
        raise ValidationError(_("The internal consultation of this version has ended."), code="closed")
    if comment.status != CommentStatus.OPEN:
        raise ValidationError(_("This comment has already been answered."), code="answered")
    resolution = (resolution or "").strip()
    if status == CommentStatus.REJECTED and not resolution:
        raise ValidationError({"resolution": _("Give the reason for rejecting the comment: its author will read it.")})
    if status not in (CommentStatus.RESOLVED, CommentStatus.REJECTED):
        raise ValidationError({"status": _("Choose: resolved or rejected.")})
    comment.status, comment.resolution = status, resolution
    comment.resolved_by, comment.resolved_at = actor, timezone.now()
    comment.full_clean()
    comment.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    return comment


# Attachments ----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    actor,
    version: StrategyVersion,
    upload,
    title: str,
    kind: str,
    checklist_item: ChecklistItem | None = None,
    listed_publicly: bool = True,
) -> Attachment:
    """A file of the working version (the team), or a document of a checklist item (coordinators)."""
    if checklist_item is None:
        version = _editable_version(actor, version)
    else:
        version = _checklist_version(actor, version)
        if checklist_item.version_id != version.pk:
            raise ValidationError(_("That checklist item belongs to another version."), code="item")
    title = _title(title, Attachment.TITLE_MAX_LENGTH)
    stored = files.store(upload)
    attachment = Attachment(
        version=version,
        checklist_item=checklist_item,
        title=title,
        kind=kind,
        file=stored.relative,
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=stored.kind.content_type,
        extension=stored.kind.extension,
        size=stored.size,
        sha256=stored.sha256,
        listed_publicly=listed_publicly,
        uploaded_by=actor,
    )
    try:
        attachment.full_clean(validate_constraints=False)
    except ValidationError:
        if not Attachment.objects.filter(file=stored.relative).exists():
            files.discard(stored.relative)
        raise
    attachment.save()
    if checklist_item is None:
        _touch(version)
    return attachment


def _drop_attachment(attachment: Attachment) -> None:
    relative = attachment.file
    attachment.delete()
    if not Attachment.objects.filter(file=relative).exists():
        transaction.on_commit(lambda: files.discard(relative))


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    if attachment.checklist_item_id is None:
        version = _editable_version(actor, attachment.version)
    else:
        version = _checklist_version(actor, attachment.version)
    attachment = Attachment.objects.filter(pk=attachment.pk, version=version).first()
    if attachment is not None:
        _drop_attachment(attachment)
