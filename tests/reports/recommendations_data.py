"""A working group with one verified recommendation, one in verification and a draft."""

from participation.models import Area
from recommendations.models import Assessment, AssessmentKind, RecommendationStatus, Verdict
from tests.recommendations.factories import RecommendationFactory, cite
from tests.workgroups.factories import WorkingGroupFactory, leader, member

IN_VERIFICATION_JUSTIFICATION = "Uzasadnienie robocze, jeszcze niejawne."


def make() -> dict:
    area = Area.objects.order_by("position").first()
    group = WorkingGroupFactory(area=area)
    leader(group)
    member(group)
    verified = RecommendationFactory(
        group=group, title="Zielone podwórka na Czechowie", status=RecommendationStatus.VERIFIED, verification_round=1
    )
    cite(verified)
    cite(verified)
    for kind in AssessmentKind.values:
        Assessment.objects.create(
            recommendation=verified,
            round=1,
            kind=kind,
            verdict=Verdict.POSITIVE,
            justification=f"Zgodne z prawem miejscowym ({kind}).",
        )
    in_verification = RecommendationFactory(
        group=group, title="Rowerowy Lublin", status=RecommendationStatus.IN_VERIFICATION, verification_round=1
    )
    Assessment.objects.create(
        recommendation=in_verification,
        round=1,
        kind=AssessmentKind.LEGALITY,
        verdict=Verdict.NEGATIVE,
        justification=IN_VERIFICATION_JUSTIFICATION,
    )
    draft = RecommendationFactory(group=group, title="Szkic, którego nikt nie widzi", status=RecommendationStatus.DRAFT)
    return {
        "group": group,
        "verified": verified,
        "in_verification": in_verification,
        "draft": draft,
        "in_verification_justification": IN_VERIFICATION_JUSTIFICATION,
    }
