"""From `opinion_submit` to the text of finished PDFs: only what is public may be printed.

Opinions go through the services in every state a resident's opinion can be in (published, waiting,
rejected, hidden by flags, published then rejected); a recommendation cites some of them as evidence
while they are public. The reports are then made and their text read back: the opinions report
prints the public opinions only, and the working groups' report counts evidence from public
opinions only.
"""

import pytest
from pypdf import PdfReader

from participation import services as participation
from participation.models import Area, District
from recommendations.models import RecommendationStatus
from reports import services
from reports.models import ReportKind, ReportStatus
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.recommendations.factories import RecommendationFactory, cite
from tests.workgroups.factories import WorkingGroupFactory

STATES = ("published", "pending", "rejected", "hidden", "withdrawn")


def _text(report) -> str:
    assert report.status == ReportStatus.DONE, report.error_detail
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(report.path).pages)


@pytest.fixture
def opinions_in_every_state(open_window, settings):
    settings.OPINION_FLAGS_TO_HIDE = 2
    open_window("opinions")
    area = Area.objects.order_by("position").first()
    district = District.objects.order_by("position").first()
    staff = moderator()
    opinions = {}
    for state in STATES:
        opinions[state] = participation.opinion_submit(
            actor=UserFactory(),
            area=area,
            district=district,
            text=f"Opinia w stanie {state}: potrzebujemy drzew przy ulicy Zana {state}.",
        )
    for state in ("published", "hidden", "withdrawn"):
        participation.opinion_publish(actor=staff, opinion=opinions[state])
    participation.opinion_reject(actor=staff, opinion=opinions["rejected"], reason="Treść obraźliwa dla innych osób.")
    return opinions, area, staff


def test_only_public_opinions_and_their_evidence_reach_the_reports(
    opinions_in_every_state, report_files, run_on_commit
):
    opinions, area, staff = opinions_in_every_state
    recommendation = RecommendationFactory(
        group=WorkingGroupFactory(area=area), title="Drzewa przy ulicach", status=RecommendationStatus.SUBMITTED
    )
    for state in ("published", "hidden", "withdrawn"):  # cited while public
        cite(recommendation, opinions[state])
    for _ in range(2):
        participation.opinion_flag(actor=UserFactory(), opinion=opinions["hidden"], reason="spam")
    participation.opinion_reject(actor=staff, opinion=opinions["withdrawn"], reason="Dane osobowe innej osoby.")

    actor = coordinator()
    printed = _text(run_on_commit(services.report_request, actor=actor, kind=ReportKind.OPINIONS))
    assert "Opinia w stanie published: potrzebujemy drzew przy ulicy Zana published." in printed
    for state in ("pending", "rejected", "hidden", "withdrawn"):
        assert f"stanie {state}" not in printed, f"a {state} opinion was printed"

    groups = _text(run_on_commit(services.report_request, actor=actor, kind=ReportKind.WORKGROUPS))
    assert "Drzewa przy ulicach" in groups
    assert "na podstawie 1 opublikowanej opinii" in groups  # of the three cited, one is still public
    for state in STATES:
        assert f"stanie {state}" not in groups  # the groups' report prints no opinion text at all
