"""The text and its structure: chapters, sections and blocks, created, edited (with a block's
history and optimistic locking), moved and deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import markup
from ..models import Block, BlockRevision, Chapter, ChapterElement, Section, StrategyVersion
from .common import _check_revision, _editable_version, _fresh, _insert_position, _move, _renumber, _title, _touch

# Chapters and sections ------------------------------------------------------------------------


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
