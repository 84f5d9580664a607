"""What the consultation report contains (art. 6 ust. 6 u.z.p.p.r.): read once, shared by its page, its PDF
and its CSV, XLSX and JSON exports, so that the four never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.models import ModerationStatus
from strategy.models import Chapter

from . import selectors
from .models import Answer, Comment, CommentChannel, Consultation, Meeting

# The fields a row of the report needs, and nothing more: 5,000 comments stay a few megabytes.
ROW_FIELDS = (
    "id",
    "number",
    "target",
    "chapter_key",
    "commenter_name",
    "speaks_as",
    "text",
    "proposed_wording",
    "justification",
    "answer",
    "answer_justification",
    "channel",
    "received_on",
    "chapter__position",
    "chapter__title",
    "section__position",
    "block__position",
)


@dataclass
class Group:
    """The comments on one chapter (or on the whole document), in their order."""

    anchor: str
    title: str
    comments: list[Comment] = field(default_factory=list)
    count: int = 0


@dataclass
class ReportData:
    consultation: Consultation
    groups: list[Group]
    meetings: list[Meeting]
    total: int
    rejected: int
    by_channel: list[tuple[str, str, int]]  # (code, label, count)
    by_answer: list[tuple[str, str, int]]
    by_chapter: list[tuple[str, int]]  # (title, count)

    @property
    def forms(self) -> list[str]:
        """The forms of consultation used, as the announcement gave them."""
        consultation = self.consultation
        forms = []
        if consultation.online_form:
            forms.append(_("the online form on the portal"))
        if self.meetings:
            forms.append(_("meetings and debates"))
        if consultation.paper_forms:
            forms.append(_("paper forms"))
        if consultation.email_address:
            forms.append(_("e-mail"))
        if consultation.postal_address:
            forms.append(_("letters"))
        return forms

    @property
    def days(self) -> int:
        return (self.consultation.ends_on - self.consultation.starts_on).days


def document_group_title() -> str:
    return _("The whole document and new provisions")


def report_data(consultation: Consultation, *, with_comments: bool = True) -> ReportData:
    """Every comment the report lists, grouped by chapter, with the statistics (six queries).

    `with_comments=False` leaves the comments out (the PDF's front matter, printed apart from them): the groups
    then have their titles and counts only (`Group.count`)."""
    listed = Comment.objects.filter(consultation=consultation).in_report()
    rows = []
    if with_comments:
        rows = list(listed.select_related("chapter", "section", "block").only(*ROW_FIELDS).order_by("number"))
        selectors.annotate(rows)
    chapters = list(Chapter.objects.filter(version_id=consultation.version_id).order_by("position", "id"))
    groups = {chapter.key: Group(f"r-{chapter.key}", f"{chapter.position}. {chapter.title}") for chapter in chapters}
    general = Group("r-document", document_group_title())
    for comment in rows:
        groups.get(comment.chapter_key, general).comments.append(comment)
    for key, count in listed.values_list("chapter_key").annotate(n=Count("id")).order_by():
        groups.get(key, general).count += count
    ordered = [general] + [groups[chapter.key] for chapter in chapters]
    rejected = Comment.objects.filter(consultation=consultation, status=ModerationStatus.REJECTED).count()
    channel_counts = dict(listed.values_list("channel").annotate(n=Count("id")).order_by())
    answer_counts = dict(listed.values_list("answer").annotate(n=Count("id")).order_by())
    meetings = list(
        Meeting.objects.filter(consultation=consultation)
        .select_related("event")
        .annotate(comment_total=Count("comments"))
        .order_by("event__starts_at", "id")
    )
    present = [group for group in ordered if group.count]
    return ReportData(
        consultation=consultation,
        groups=present,
        meetings=meetings,
        total=sum(group.count for group in present),
        rejected=rejected,
        by_channel=[(v, CommentChannel(v).label, channel_counts.get(v, 0)) for v in CommentChannel.values],
        by_answer=[(v, Answer(v).label, answer_counts.get(v, 0)) for v in Answer.values],
        by_chapter=[(group.title, group.count) for group in present],
    )


# The table as data: the exports' rows ------------------------------------------------------------

COLUMNS = (
    ("number", gettext_lazy("No.")),
    ("commenter", gettext_lazy("Commenter")),
    ("speaks_as", gettext_lazy("Speaks")),
    ("channel", gettext_lazy("Channel")),
    ("received_on", gettext_lazy("Received on")),
    ("chapter", gettext_lazy("Chapter")),
    ("fragment", gettext_lazy("Fragment")),
    ("text", gettext_lazy("Comment")),
    ("proposed_wording", gettext_lazy("Proposed wording")),
    ("justification", gettext_lazy("Justification of the comment")),
    ("answer", gettext_lazy("Position of the city")),
    ("answer_justification", gettext_lazy("Justification of the position")),
)


def row_dict(comment: Comment, group: Group) -> dict:
    return {
        "number": comment.number,
        "commenter": comment.commenter,
        "speaks_as": comment.get_speaks_as_display(),
        "channel": comment.get_channel_display(),
        "received_on": comment.received_on.isoformat(),
        "chapter": group.title,
        "fragment": comment.fragment,
        "text": comment.text,
        "proposed_wording": comment.proposed_wording,
        "justification": comment.justification,
        "answer": comment.get_answer_display(),
        "answer_justification": comment.answer_justification,
    }


def rows(data: ReportData):
    for group in data.groups:
        for comment in group.comments:
            yield row_dict(comment, group)
