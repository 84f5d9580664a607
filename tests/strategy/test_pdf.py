"""The PDF of a public version: asked for when the version is published, made by the reports
pipeline (tagged PDF/UA, contents, "strona X z Y"), linked from the public page."""

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from reports.models import Report, ReportKind, ReportStatus
from strategy import services
from strategy.models import VersionState
from tests.accounts.factories import coordinator
from tests.strategy.factories import (
    checklist_item,
    make_block,
    make_chapter,
    make_goal,
    make_indicator,
    make_section,
    make_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


def text_of(report) -> str:
    assert report.status == ReportStatus.DONE, report.error_detail
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(report.path).pages)


def test_publishing_makes_the_pdf_and_the_page_links_it(reference_data, files, run_on_commit, client):
    version = make_version(VersionState.INTERNAL_REVIEW, published_at=None)
    chapter = make_chapter(version, "Wnioski z diagnozy")
    make_block(chapter, "Lublin jest największym ośrodkiem **akademickim** na wschód od Wisły.")
    section = make_section(chapter, "Ludność")
    make_block(section.chapter, "| Rok | Mieszkańcy |\n|---|---|\n| 2019 | 339 784 |", section=section)
    make_indicator(goal=make_goal(version, "Lublin miastem zielonym"), name="Powierzchnia terenów zieleni")
    checklist_item(version, status="done")

    run_on_commit(services.version_publish, actor=coordinator(), version=version)

    report = Report.objects.get(kind=ReportKind.STRATEGY, subject_id=version.pk)
    text = text_of(report)
    assert "Strategia Rozwoju Lublina na lata 2021–2030, wersja 1" in text
    assert "Spis treści" in text
    assert "ośrodkiem akademickim na wschód od Wisły" in text
    assert "339 784" in text
    assert "Powierzchnia terenów zieleni" in text
    assert "1 250,5" in text
    assert f"strona 1 z {report.page_count}" in text
    reader = PdfReader(report.path)
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged

    page = client.get("/strategia/")
    assert b"/strategia/wersje/1/pdf/" in page.content
    download = client.get("/strategia/wersje/1/pdf/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_version_that_is_not_public_has_no_pdf(reference_data, files, client):
    version = make_version(VersionState.INTERNAL_REVIEW)
    with pytest.raises(ValidationError, match="Drukowana jest tylko publiczna wersja strategii"):
        services.version_pdf_request(actor=coordinator(), version=version)
    assert client.get("/strategia/wersje/1/pdf/").status_code == 404
    assert not Report.objects.exists()


def test_the_pdf_is_asked_for_once(reference_data, files, run_on_commit):
    version = make_version(VersionState.CONSULTATION_DRAFT)
    city = coordinator()
    first = run_on_commit(services.version_pdf_request, actor=city, version=version)
    assert first is not None
    assert services.version_pdf_request(actor=city, version=version) is None
    assert Report.objects.filter(kind=ReportKind.STRATEGY).count() == 1
