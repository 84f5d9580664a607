"""Reads about consultations and their comments, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import ModerationStatus

from .models import Answer, ChangeCitation, Comment, CommentChannel, CommentGroup, Consultation, Meeting, Target

# What a list of comments needs to name each one's fragment and people, in its one query.
LIST_RELATED = ("chapter", "section", "block", "assignee", "group", "meeting__event", "author")
# The triage list reads only what it shows, and the first characters of each text.
TRIAGE_EXCERPT = 160
TRIAGE_FIELDS = (
    "id",
    "consultation_id",
    "number",
    "target",
    "commenter_name",
    "status",
    "channel",
    "answer",
    "chapter__position",
    "section__position",
    "block__position",
    "assignee__email",
    "assignee__display_name",
    "group__title",
)


def current_consultation() -> Consultation | None:
    """The consultation the public pages are about: the most recently announced one."""
    return (
        Consultation.objects.filter(announced_at__isnull=False)
        .select_related("version__strategy")
        .order_by("-starts_on", "-id")
        .first()
    )


def consultation(pk: int) -> Consultation | None:
    return Consultation.objects.select_related("version__strategy").filter(pk=pk).first()


def consultations():
    return Consultation.objects.select_related("version").order_by("-starts_on", "-id")


def meetings(consultation: Consultation) -> list[Meeting]:
    return list(
        Meeting.objects.filter(consultation=consultation)
        .select_related("event__district")
        .annotate(comment_total=Count("comments"))
        .order_by("event__starts_at", "id")
    )


# Naming a comment's fragment ------------------------------------------------------------------


def fragment_number(comment: Comment) -> str:
    """ "3.2–1" (a block of section 3.2), "3–2" (of chapter 3's introduction), "3.2", "3" or "" (the
    document); read from the rows joined to the comment (no query)."""
    chapter = comment.chapter.position if comment.chapter_id else None
    section = comment.section.position if comment.section_id else None
    if comment.target == Target.BLOCK and comment.block_id:
        prefix = f"{chapter}.{section}" if section is not None else f"{chapter}"
        return f"{prefix}–{comment.block.position}"
    if section is not None:
        return f"{chapter}.{section}"
    if chapter is not None:
        return str(chapter)
    return ""


def fragment_label(comment: Comment) -> str:
    number = fragment_number(comment)
    if comment.target == Target.BLOCK:
        return _("paragraph %(number)s") % {"number": number}
    if comment.target in (Target.SECTION, Target.CHAPTER):
        return _("chapter %(number)s") % {"number": number}
    if comment.target == Target.NEW_PROVISION:
        if number:
            return _("new provision (chapter %(number)s)") % {"number": number}
        return _("new provision")
    return _("the whole document")


def commenter_label(comment: Comment) -> str:
    """The commenter as they chose to be named; a private person who gave no name stays unnamed."""
    return comment.commenter_name or _("private person")


def annotate(comments) -> list[Comment]:
    """Names for printing each comment, translated once per list (not once per row and field)."""
    channels = {value: str(label) for value, label in CommentChannel.choices}
    answers = {value: str(label) for value, label in Answer.choices}
    statuses = {value: str(label) for value, label in ModerationStatus.choices}
    for comment in comments:
        comment.fragment = fragment_label(comment)
        comment.fragment_number = fragment_number(comment)
        comment.commenter = commenter_label(comment)
        comment.channel_label = channels.get(comment.channel, "")
        comment.answer_label = answers.get(comment.answer, "")
        comment.status_label = statuses.get(comment.status, "")
    return comments


# The public draft with counts -------------------------------------------------------------------


@dataclass
class Counts:
    """Public comments per block, section, chapter, and on the whole document (one query)."""

    blocks: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    chapters: dict[str, int] = field(default_factory=dict)
    document: int = 0
    new_provisions: int = 0
    total: int = 0


def public_counts(consultation: Consultation) -> Counts:
    counts = Counts()
    rows = (
        Comment.objects.public()
        .filter(consultation=consultation)
        .values_list("target", "block_key", "section_key", "chapter_key")
        .annotate(total=Count("id"))
        .order_by()
    )
    for target, block_key, section_key, chapter_key, total in rows:
        counts.total += total
        if target == Target.BLOCK:
            counts.blocks[block_key] = counts.blocks.get(block_key, 0) + total
        elif target == Target.SECTION:
            counts.sections[section_key] = counts.sections.get(section_key, 0) + total
        elif target == Target.CHAPTER:
            counts.chapters[chapter_key] = counts.chapters.get(chapter_key, 0) + total
        elif target == Target.NEW_PROVISION:
            counts.new_provisions += total
        else:
            counts.document += total
    return counts


def public_comments(consultation: Consultation, *, target: str = "", key: str = ""):
    """Published comments of a consultation (what `Comment.objects.public()` allows), in their order."""
    comments = Comment.objects.public().filter(consultation=consultation)
    if target == Target.BLOCK:
        comments = comments.filter(target=Target.BLOCK, block_key=key)
    elif target == Target.SECTION:
        comments = comments.filter(target=Target.SECTION, section_key=key)
    elif target == Target.CHAPTER:
        comments = comments.filter(target=Target.CHAPTER, chapter_key=key)
    elif target in (Target.DOCUMENT, Target.NEW_PROVISION):
        comments = comments.filter(target=target)
    return comments.select_related("chapter", "section", "block", "meeting__event").order_by("number")


def own_comments(user, consultation: Consultation | None = None):
    comments = Comment.objects.filter(author=user)
    if consultation is not None:
        comments = comments.filter(consultation=consultation)
    return comments.select_related("consultation", "chapter", "section", "block").order_by("-created_at", "-id")


def comment_by_number(consultation: Consultation, number: int) -> Comment | None:
    return (
        Comment.objects.filter(consultation=consultation, number=number)
        .select_related(*LIST_RELATED, "answered_by", "moderated_by", "entered_by", "consultation__version")
        .first()
    )


def changes_of(comment: Comment, *, public_only: bool) -> list[ChangeCitation]:
    """The later versions' blocks that cite this comment, each with the diff of the block since the
    consulted version (two queries and one per cited version at most)."""
    from recommendations.diff import word_diff
    from strategy.models import Block

    citations = ChangeCitation.objects.filter(comment=comment).select_related("version").order_by("version__number")
    if public_only:
        citations = citations.filter(version__state__in=_public_states())
    citations = list(citations)
    if not citations:
        return []
    keys = {citation.block_key for citation in citations}
    versions = {citation.version_id for citation in citations} | {comment.version_id}
    texts = {
        (block.version_id, block.key): block.text
        for block in Block.objects.filter(version_id__in=versions, key__in=keys).only("version_id", "key", "text")
    }
    for citation in citations:
        before = texts.get((comment.version_id, citation.block_key), "")
        after = texts.get((citation.version_id, citation.block_key), "")
        citation.removed = (citation.version_id, citation.block_key) not in texts
        citation.added = (comment.version_id, citation.block_key) not in texts
        citation.diff = word_diff(before, after)
    return citations


def _public_states():
    from strategy.models import PUBLIC_STATES

    return PUBLIC_STATES


# Staff: triage ----------------------------------------------------------------------------------


@dataclass
class TriageFilter:
    status: str = ""  # "unanswered", "answered", one of Answer, "pending" (moderation), "rejected"
    chapter: str = ""  # a chapter key
    section: str = ""  # a section key
    channel: str = ""
    assignee: int | None = None  # a user id; 0: nobody
    group: int | None = None
    query: str = ""


def triage(consultation: Consultation, flt: TriageFilter):
    """The staff list of comments with any filter; index-backed, ordered by number."""
    comments = Comment.objects.filter(consultation=consultation)
    if flt.status == "unanswered":
        comments = comments.unanswered()
    elif flt.status == "answered":
        comments = comments.in_report().exclude(answer="")
    elif flt.status == "pending":
        comments = comments.filter(status=ModerationStatus.PENDING)
    elif flt.status == "rejected":
        comments = comments.filter(status=ModerationStatus.REJECTED)
    elif flt.status in Answer.values:
        comments = comments.in_report().filter(answer=flt.status)
    if flt.chapter:
        comments = comments.filter(chapter_key=flt.chapter)
    if flt.section:
        comments = comments.filter(section_key=flt.section)
    if flt.channel in CommentChannel.values:
        comments = comments.filter(channel=flt.channel)
    if flt.assignee == 0:
        comments = comments.filter(assignee__isnull=True)
    elif flt.assignee:
        comments = comments.filter(assignee_id=flt.assignee)
    if flt.group:
        comments = comments.filter(group_id=flt.group)
    if flt.query:
        comments = comments.filter(Q(text__icontains=flt.query) | Q(commenter_name__icontains=flt.query))
    return (
        comments.select_related("chapter", "section", "block", "assignee", "group")
        .annotate(excerpt=Substr("text", 1, TRIAGE_EXCERPT))
        .only(*TRIAGE_FIELDS)
        .order_by("number")
    )


def fragment_choices(consultation: Consultation) -> list[tuple[str, str]]:
    """Chapters ("c:<key>") and their sections ("s:<key>"), numbered, for the triage filter (two queries)."""
    from strategy.models import Chapter, Section

    chapters = Chapter.objects.filter(version_id=consultation.version_id).order_by("position")
    sections: dict[int, list] = {}
    for chapter_id, key, position, title in (
        Section.objects.filter(version_id=consultation.version_id)
        .order_by("position")
        .values_list("chapter_id", "key", "position", "title")
    ):
        sections.setdefault(chapter_id, []).append((key, position, title))
    choices = []
    for pk, key, position, title in chapters.values_list("pk", "key", "position", "title"):
        choices.append((f"c:{key}", f"{position}. {title}"))
        choices += [(f"s:{key_}", f"— {position}.{number}. {name}") for key_, number, name in sections.get(pk, [])]
    return choices


def groups(consultation: Consultation) -> list[CommentGroup]:
    return list(
        CommentGroup.objects.filter(consultation=consultation)
        .annotate(size=Count("comments"), unanswered=Count("comments", filter=Q(comments__answer="")))
        .order_by("title", "id")
    )


@dataclass
class Dashboard:
    total: int
    in_report: int
    answered: int
    pending_moderation: int
    rejected: int
    by_answer: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    by_chapter: list[tuple[str, str, int, int]]  # (number, title, comments, unanswered)
    days_left: int | None
    report_due_on: datetime.date

    @property
    def unanswered(self) -> int:
        return self.in_report - self.answered


def dashboard(consultation: Consultation, *, today: datetime.date | None = None) -> Dashboard:
    """Counts by status, answer, channel, chapter and section, and the days left to the report (eight queries)."""
    today = today or timezone.localdate()
    comments = Comment.objects.filter(consultation=consultation)
    totals = comments.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=ModerationStatus.PENDING)),
        rejected=Count("id", filter=Q(status=ModerationStatus.REJECTED)),
        answered=Count("id", filter=~Q(answer="") & ~Q(status=ModerationStatus.REJECTED)),
    )
    by_answer = dict(comments.in_report().exclude(answer="").values_list("answer").annotate(n=Count("id")).order_by())
    by_channel = dict(comments.in_report().values_list("channel").annotate(n=Count("id")).order_by())
    per_chapter = {
        key: (total, unanswered)
        for key, total, unanswered in comments.in_report()
        .values_list("chapter_key")
        .annotate(total=Count("id"), unanswered=Count("id", filter=Q(answer="")))
        .order_by()
    }
    per_section = {
        key: (total, unanswered)
        for key, total, unanswered in comments.in_report()
        .exclude(section_key="")
        .values_list("section_key")
        .annotate(total=Count("id"), unanswered=Count("id", filter=Q(answer="")))
        .order_by()
    }
    by_chapter = []  # chapters, each followed by its sections ("3.2")
    for choice, label in fragment_choices(consultation):
        kind, key = choice.split(":", 1)
        number, _space, title = label.removeprefix("— ").partition(" ")
        by_chapter.append((number.rstrip("."), title, *(per_chapter if kind == "c" else per_section).get(key, (0, 0))))
    if "" in per_chapter:
        by_chapter.append(("", _("The whole document"), *per_chapter[""]))
    days_left = (consultation.report_due_on - today).days if today > consultation.ends_on else None
    return Dashboard(
        total=totals["total"],
        in_report=totals["total"] - totals["rejected"],
        answered=totals["answered"],
        pending_moderation=totals["pending"],
        rejected=totals["rejected"],
        by_answer=[(Answer(value).label, by_answer.get(value, 0)) for value in Answer.values],
        by_channel=[(CommentChannel(value).label, by_channel.get(value, 0)) for value in CommentChannel.values],
        by_chapter=by_chapter,
        days_left=days_left,
        report_due_on=consultation.report_due_on,
    )


def moderation_queue(consultation: Consultation):
    return (
        Comment.objects.filter(consultation=consultation, status=ModerationStatus.PENDING)
        .select_related(*LIST_RELATED)
        .order_by("number")
    )


def citations_for_block(version, block_key: str) -> list[ChangeCitation]:
    return list(
        ChangeCitation.objects.filter(version=version, block_key=block_key)
        .select_related("comment__chapter", "comment__section", "comment__block")
        .order_by("comment__number")
    )


def meetings_prefetch():
    return Prefetch("meetings", queryset=Meeting.objects.select_related("event").order_by("event__starts_at"))


def personal_data(user) -> dict:
    """The person's consultation comments with the city's answers, for the download of her own data (GDPR access)."""
    comments = Comment.objects.filter(author=user).select_related("consultation").order_by("created_at", "id")
    return {
        "consultation_comments": [
            {
                "consultation": comment.consultation.title,
                "number": comment.number,
                "about": comment.target,
                "chapter_key": comment.chapter_key,
                "section_key": comment.section_key,
                "block_key": comment.block_key,
                "text": comment.text,
                "proposed_wording": comment.proposed_wording,
                "justification": comment.justification,
                "speaks_as": comment.speaks_as,
                "name_shown": comment.commenter_name,
                "status": comment.status,
                "rejection_reason": comment.rejection_reason,
                "answer": comment.answer,
                "answer_justification": comment.answer_justification,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ]
    }
