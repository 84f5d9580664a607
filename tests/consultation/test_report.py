"""The report: refused while comments are unanswered (counted), generated with its PDF through the reports
pipeline, published with one e-mail per online commenter; the coordinators' reminders; the import of offline
comments with the opinion import's guards."""

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from consultation import services
from consultation.models import Answer, Comment, CommentChannel, Consultation, Target
from consultation.pdf import report_html
from participation.imports import ImportRejected
from participation.models import ModerationStatus
from reports.models import Report, ReportKind, ReportStatus
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.consultation.factories import (
    closed_consultation,
    draft,
    make_comment,
    make_consultation,
    make_meeting,
    today,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JUSTIFICATION = "Zapis przeniesiono do programu rewitalizacji, który to obejmuje."


@pytest.fixture
def consultation(reference_data):
    return closed_consultation(draft(blocks=3)["version"])


def answered(consultation, **kwargs):
    return make_comment(consultation, answer=Answer.TAKEN, answer_justification=JUSTIFICATION, **kwargs)


def test_the_report_is_refused_while_comments_are_unanswered(consultation):
    answered(consultation)
    make_comment(consultation)
    make_comment(consultation)
    make_comment(consultation, status=ModerationStatus.REJECTED)  # rejected as abuse: not answered
    with pytest.raises(ValidationError) as raised:
        services.report_generate(actor=coordinator(), consultation=consultation)
    assert "2 comments have no answer yet" in " ".join(raised.value.messages)
    consultation.refresh_from_db()
    assert consultation.report_generated_at is None


def test_the_report_waits_for_the_deadline_and_for_moderation(reference_data):
    open_one = make_consultation(draft()["version"])
    with pytest.raises(ValidationError, match="after the deadline"):
        services.report_generate(actor=coordinator(), consultation=open_one)
    closed = closed_consultation()
    make_comment(closed, status=ModerationStatus.PENDING, answer=Answer.TAKEN, answer_justification=JUSTIFICATION)
    with pytest.raises(ValidationError, match="waits for moderation"):
        services.report_generate(actor=coordinator(), consultation=closed)


def test_generate_publish_and_tell_each_online_commenter_once(consultation, run_on_commit):
    resident, other = UserFactory(), UserFactory()
    answered(consultation, author=resident)
    answered(consultation, author=resident)
    answered(consultation, author=other)
    answered(consultation, channel=CommentChannel.PAPER, commenter_name="Jan Nowak")
    with pytest.raises(PermissionDenied):
        services.report_generate(actor=moderator(), consultation=consultation)
    run_on_commit(services.report_generate, actor=coordinator(), consultation=consultation)
    report = Report.objects.get(kind=ReportKind.CONSULTATION, subject_id=consultation.pk)
    assert report.status == ReportStatus.DONE, report.error_detail
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(report.path).pages)
    assert "Sprawozdanie z przebiegu konsultacji" in text
    assert "Spis treści" in text
    assert "Jan Nowak" in text
    assert "Uwzględniona" in text
    assert f"strona 1 z {report.page_count}" in text
    assert "/StructTreeRoot" in PdfReader(report.path).trailer["/Root"]  # tagged
    run_on_commit(services.report_publish, actor=coordinator(), consultation=consultation)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([resident.email, other.email])
    own = next(message for message in mail.outbox if message.to == [resident.email])
    for comment in Comment.objects.filter(author=resident):
        assert comment.get_absolute_url() in own.body
        assert comment.notified_at is not None
    services.commenters_notify(consultation_id=consultation.pk)  # a retry sends nothing again
    assert len(mail.outbox) == 2


def test_the_pdf_html_holds_every_comment_grouped_by_chapter(consultation):
    meeting = make_meeting(consultation, participants=42)
    block = consultation.version.blocks.order_by("position").first()
    answered(consultation, block=block, commenter_name="Fundacja Miasto", text="<b>pogrubione</b> uwagi")
    answered(consultation, channel=CommentChannel.MEETING, meeting=meeting, text="Uwaga z debaty w ratuszu.")
    report = Report(kind=ReportKind.CONSULTATION, subject_id=consultation.pk, language="pl")
    html = report_html(report)
    assert "Fundacja Miasto" in html
    assert "&lt;b&gt;pogrubione&lt;/b&gt;" in html
    assert "Uwaga z debaty w ratuszu." in html
    assert ">42<" in html
    assert "art. 6 ust. 3–6" in html.replace("Article 6(3)–(6)", "art. 6 ust. 3–6")


# Reminders -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "sent"), [(10, 0), (7, 1), (5, 1), (2, 1)])
def test_coordinators_are_reminded_7_and_2_days_before_the_deadline(consultation, days_left, sent):
    person = coordinator()
    day = consultation.report_due_on - datetime.timedelta(days=days_left)
    assert services.reminders_send(today=day) == sent
    assert len(mail.outbox) == sent
    if sent:
        recipients = mail.outbox[0].to + mail.outbox[0].bcc
        assert person.email in recipients
    assert services.reminders_send(today=day) == 0  # once each


def test_both_reminders_come_and_none_after_publication(consultation):
    coordinator()
    services.reminders_send(today=consultation.report_due_on - datetime.timedelta(days=7))
    services.reminders_send(today=consultation.report_due_on - datetime.timedelta(days=2))
    assert len(mail.outbox) == 2
    consultation.refresh_from_db()
    assert consultation.reminders_sent == [7, 2]
    Consultation.objects.filter(pk=consultation.pk).update(reminders_sent=[], report_published_at="2030-01-01T10:00Z")
    assert services.reminders_send(today=consultation.report_due_on - datetime.timedelta(days=2)) == 0


# Import --------------------------------------------------------------------------------------------


HEADER = "uwaga;proponowane brzmienie;uzasadnienie;fragment;kanał;data wpływu;zgłaszający;organizacja;identyfikator"


def write_csv(tmp_path, rows, *, encoding="cp1250") -> Path:
    path = tmp_path / "uwagi.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def open_consultation(reference_data):
    return make_consultation(draft(blocks=3)["version"])


def rows_for(consultation, count=20):
    day = today().strftime("%d.%m.%Y")
    return [
        f"Uwaga z formularza papierowego numer {n} o zieleni.;;Bo tak będzie lepiej.;1.1–{n % 3 + 1};"
        f"formularz papierowy;{day};Mieszkaniec {n};;P-{n:03d}"
        for n in range(1, count + 1)
    ]


def test_twenty_paper_comments_import_once(open_consultation, tmp_path):
    path = write_csv(tmp_path, rows_for(open_consultation))
    staff = moderator()
    result = services.comments_import(actor=staff, consultation=open_consultation, path=path, name="uwagi.csv")
    assert (result.created, result.skipped) == (20, 0)
    again = services.comments_import(actor=staff, consultation=open_consultation, path=path, name="uwagi.csv")
    assert (again.created, again.skipped) == (0, 20)
    comments = Comment.objects.filter(consultation=open_consultation).order_by("number")
    assert [comment.number for comment in comments] == list(range(1, 21))
    first = comments.first()
    assert first.target == Target.BLOCK
    assert first.status == ModerationStatus.PUBLISHED
    assert first.commenter_name == "Mieszkaniec 1"
    assert first.text.endswith("o zieleni.")  # read from Windows-1250


def test_one_bad_row_imports_nothing_and_names_row_and_column(open_consultation, tmp_path):
    rows = rows_for(open_consultation, 5)
    rows[2] = rows[2].replace("1.1–", "9.9–")
    rows[3] = rows[3].replace("formularz papierowy", "gołąb pocztowy")
    path = write_csv(tmp_path, rows)
    with pytest.raises(ImportRejected) as raised:
        services.comments_import(actor=moderator(), consultation=open_consultation, path=path, name="uwagi.csv")
    errors = {(error.row, error.column) for error in raised.value.preview.errors}
    assert errors == {(4, "fragment"), (5, "kanał")}
    assert not Comment.objects.exists()


def test_an_organisation_and_a_new_provision_from_a_file(open_consultation, tmp_path):
    day = today().strftime("%Y-%m-%d")
    path = write_csv(
        tmp_path,
        [
            f"Dodać rozdział o klimacie.;Nowy rozdział: adaptacja do zmian klimatu.;Brakuje go.;nowy zapis;list;{day};;Stowarzyszenie Eko;L-1"
        ],
        encoding="utf-8",
    )
    services.comments_import(actor=moderator(), consultation=open_consultation, path=path, name="uwagi.csv")
    comment = Comment.objects.get()
    assert comment.target == Target.NEW_PROVISION
    assert comment.speaks_as == "organisation"
    assert comment.commenter_name == "Stowarzyszenie Eko"
    assert comment.channel == CommentChannel.LETTER


def test_residents_cannot_import(open_consultation, tmp_path):
    with pytest.raises(PermissionDenied):
        services.comments_import(
            actor=UserFactory(),
            consultation=open_consultation,
            path=write_csv(tmp_path, rows_for(open_consultation, 1)),
        )


def test_a_long_report_is_made_in_parts_and_merged(consultation, run_on_commit, settings):
    settings.REPORTS_CHUNK_SIZE, settings.REPORTS_MIN_CHUNK_SIZE, settings.REPORTS_MIN_PARTS = 3, 1, 4
    blocks = list(consultation.version.blocks.order_by("chapter__position", "position"))
    for n in range(10):
        answered(consultation, block=blocks[n % len(blocks)], text=f"Uwaga o numerze porządkowym {n + 100}.")
    answered(consultation, text="Uwaga do całego dokumentu o budżecie.")
    run_on_commit(services.report_generate, actor=coordinator(), consultation=consultation)
    report = Report.objects.get(kind=ReportKind.CONSULTATION, subject_id=consultation.pk)
    assert report.status == ReportStatus.DONE, report.error_detail
    assert report.parts.count() == 5  # the front matter and four slices of three comments
    reader = PdfReader(report.path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for n in range(10):
        assert f"Uwaga o numerze porządkowym {n + 100}." in text
    assert "Uwaga do całego dokumentu o budżecie." in text
    assert f"strona {report.page_count} z {report.page_count}" in text
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == ["Konsultacje", "Statystyki"]
