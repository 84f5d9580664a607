"""The recommendation services: structure, versions, locking, evidence, every workflow transition."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participation.models import ModerationAction, ModerationLogEntry, ModerationStatus
from recommendations import services
from recommendations.models import (
    Assessment,
    AssessmentKind,
    Direction,
    Evidence,
    Goal,
    Recommendation,
    RecommendationStatus,
    StatusChange,
    Verdict,
)
from recommendations.services import DirectionData, GoalData, Structure, workflow
from stages.services import WindowClosed
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import CommentFactory, RecommendationFactory, cite
from tests.workgroups.factories import WorkingGroupFactory, leader, member

S = RecommendationStatus
pytestmark = pytest.mark.django_db


def structure(**overrides) -> Structure:
    data = {
        "title": "Lublin miastem rowerów",
        "vision": "Każdy dojedzie rowerem w 15 minut.",
        "diagnosis": "Sieć dróg rowerowych jest dziurawa.",
        "goals": [GoalData(text="Spójna sieć dróg rowerowych"), GoalData(text="Bezpieczne skrzyżowania")],
        "directions": [DirectionData(title="Domknąć sieć", description="Połączyć odcinki.", goals=[1, 2])],
    }
    data.update(overrides)
    return Structure(**data)


@pytest.fixture
def group(reference_data):
    return WorkingGroupFactory()


@pytest.fixture
def drafting(open_window):
    return open_window("drafting")


@pytest.fixture
def verification(open_window):
    return open_window("verification")


# Drafting ----------------------------------------------------------------------------------------


def test_member_creates_a_recommendation_with_its_structure_and_version_1(group, drafting):
    author = member(group)
    recommendation = services.recommendation_create(actor=author, group=group, structure=structure())
    assert recommendation.status == S.DRAFT
    assert recommendation.stage == drafting.stage
    assert [g.text for g in recommendation.goals.all()] == ["Spójna sieć dróg rowerowych", "Bezpieczne skrzyżowania"]
    direction = recommendation.directions.get()
    assert sorted(goal.position for goal in direction.goals.all()) == [1, 2]
    version = recommendation.versions.get()
    assert (version.number, version.author) == (1, author)
    assert version.snapshot["goals"][1]["text"] == "Bezpieczne skrzyżowania"
    assert version.snapshot["directions"][0]["goals"] == [1, 2]


def test_non_member_cannot_create_in_a_group(group, drafting):
    other_group = WorkingGroupFactory()
    with pytest.raises(PermissionDenied):
        services.recommendation_create(actor=member(other_group), group=group, structure=structure())
    with pytest.raises(PermissionDenied):
        services.recommendation_create(actor=coordinator(), group=group, structure=structure())


def test_drafting_needs_the_drafting_window(group, close_all_windows):
    with pytest.raises(WindowClosed):
        services.recommendation_create(actor=member(group), group=group, structure=structure())


def test_direction_serving_a_missing_goal_is_refused(group, drafting):
    bad = structure(directions=[DirectionData(title="X", goals=[3])])
    with pytest.raises(ValidationError):
        services.recommendation_create(actor=member(group), group=group, structure=bad)
    assert not Recommendation.objects.exists()


def test_every_save_is_a_version_and_ids_of_kept_goals_stay(group, drafting):
    author = member(group)
    recommendation = services.recommendation_create(actor=author, group=group, structure=structure())
    first, second = recommendation.goals.order_by("position")
    # Swap the goals, edit one, add a third; the direction now serves the (moved) first goal only.
    new = structure(
        goals=[
            GoalData(id=second.pk, text="Bezpieczne skrzyżowania"),
            GoalData(id=first.pk, text="Sieć bez luk"),
            GoalData(text="Parkingi"),
        ],
        directions=[DirectionData(id=recommendation.directions.get().pk, title="Domknąć sieć", goals=[2])],
    )
    services.recommendation_update(actor=author, recommendation=recommendation, expected_version=1, structure=new)
    recommendation.refresh_from_db()
    assert recommendation.version == 2
    goals = list(recommendation.goals.order_by("position"))
    assert [g.pk for g in goals[:2]] == [second.pk, first.pk]
    assert goals[1].text == "Sieć bez luk"
    assert list(recommendation.directions.get().goals.values_list("pk", flat=True)) == [first.pk]
    assert recommendation.versions.count() == 2


def test_a_save_that_changes_nothing_records_no_version(group, drafting):
    author = member(group)
    recommendation = services.recommendation_create(actor=author, group=group, structure=structure())
    services.recommendation_update(
        actor=author, recommendation=recommendation, expected_version=1, structure=structure()
    )
    assert recommendation.versions.count() == 1


def test_second_editor_gets_a_conflict_and_nothing_is_overwritten(group, drafting):
    alice, bob = member(group), member(group)
    recommendation = services.recommendation_create(actor=alice, group=group, structure=structure())
    # Both opened version 1. Alice saves first.
    services.recommendation_update(
        actor=alice, recommendation=recommendation, expected_version=1, structure=structure(vision="Wizja Alicji")
    )
    with pytest.raises(services.EditConflict) as caught:
        services.recommendation_update(
            actor=bob, recommendation=recommendation, expected_version=1, structure=structure(vision="Wizja Boba")
        )
    assert caught.value.latest.number == 2
    assert caught.value.latest.author == alice
    recommendation.refresh_from_db()
    assert recommendation.vision == "Wizja Alicji"
    assert recommendation.version == 2
    # Having seen the newer version, Bob saves on top of it deliberately.
    services.recommendation_update(
        actor=bob, recommendation=recommendation, expected_version=2, structure=structure(vision="Wizja Boba")
    )
    recommendation.refresh_from_db()
    assert recommendation.vision == "Wizja Boba"
    assert recommendation.version == 3


def test_evidence_attached_meanwhile_does_not_conflict_with_a_text_edit(group, drafting):
    alice, bob = member(group), member(group)
    recommendation = services.recommendation_create(actor=alice, group=group, structure=structure())
    services.evidence_attach(
        actor=alice, recommendation=recommendation, opinion=OpinionFactory(published=True, area=group.area)
    )
    services.recommendation_update(
        actor=bob, recommendation=recommendation, expected_version=1, structure=structure(title="Nowy tytuł")
    )
    recommendation.refresh_from_db()
    assert (recommendation.title, recommendation.version, recommendation.evidence.count()) == ("Nowy tytuł", 3, 1)


# Evidence ----------------------------------------------------------------------------------------


def test_attach_and_detach_evidence_make_versions(group, drafting):
    author = member(group)
    recommendation = RecommendationFactory(group=group)
    opinion = OpinionFactory(published=True, area=group.area)
    services.evidence_attach(actor=author, recommendation=recommendation, opinion=opinion)
    assert recommendation.versions.first().snapshot["evidence"] == [opinion.pk]
    with pytest.raises(ValidationError):
        services.evidence_attach(actor=author, recommendation=recommendation, opinion=opinion)
    services.evidence_detach(actor=author, recommendation=recommendation, opinion_id=opinion.pk)
    assert not Evidence.objects.exists()
    assert recommendation.versions.count() == 3


@pytest.mark.parametrize(
    "opinion_kwargs",
    [
        {"status": ModerationStatus.PENDING},
        {"status": ModerationStatus.REJECTED},
        {"published": True, "hidden_by_flags": True},
    ],
)
def test_only_public_opinions_can_be_evidence(group, drafting, opinion_kwargs):
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(ValidationError):
        services.evidence_attach(
            actor=member(group),
            recommendation=recommendation,
            opinion=OpinionFactory(area=group.area, **opinion_kwargs),
        )


def test_opinions_of_other_areas_can_be_cited(group, drafting):
    recommendation = RecommendationFactory(group=group)
    elsewhere = OpinionFactory(published=True)
    assert elsewhere.area != group.area
    services.evidence_attach(actor=member(group), recommendation=recommendation, opinion=elsewhere)
    assert recommendation.evidence.count() == 1


def test_member_of_another_group_cannot_attach_evidence(group, drafting):
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.evidence_attach(
            actor=member(WorkingGroupFactory()), recommendation=recommendation, opinion=OpinionFactory(published=True)
        )


# The workflow ------------------------------------------------------------------------------------


def test_leader_submits_a_complete_recommendation(group, drafting):
    boss = leader(group)
    recommendation = RecommendationFactory(group=group)
    services.recommendation_submit(actor=boss, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == S.SUBMITTED
    assert recommendation.submitted_at is not None
    assert recommendation.verification_round == 1
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.actor) == (S.DRAFT, S.SUBMITTED, boss)


def test_plain_member_cannot_submit(group, drafting):
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.recommendation_submit(actor=member(group), recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == S.DRAFT


def test_leader_of_another_group_cannot_submit(group, drafting):
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(PermissionDenied):
        services.recommendation_submit(actor=leader(WorkingGroupFactory()), recommendation=recommendation)


def test_submitting_needs_the_drafting_window(group, open_window):
    open_window("verification")
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(WindowClosed):
        services.recommendation_submit(actor=leader(group), recommendation=recommendation)


def test_incomplete_recommendation_cannot_be_submitted(group, drafting):
    recommendation = RecommendationFactory(group=group, structure=False, vision="")
    with pytest.raises(ValidationError) as caught:
        services.recommendation_submit(actor=leader(group), recommendation=recommendation)
    assert len(caught.value.messages) == 3  # no vision, no goal, no direction


def test_editing_a_submitted_recommendation_is_refused(group, drafting):
    author = member(group)
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.recommendation_update(
            actor=author, recommendation=recommendation, expected_version=1, structure=structure()
        )


def _submitted(group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    services.recommendation_submit(actor=leader(group), recommendation=recommendation)
    open_window("verification")
    return recommendation


def _assess_all(recommendation, actor, verdicts=(Verdict.POSITIVE, Verdict.CONDITIONAL, Verdict.NEGATIVE)):
    for kind, verdict in zip(AssessmentKind.values, verdicts, strict=True):
        services.assessment_record(
            actor=actor, recommendation=recommendation, kind=kind, verdict=verdict, justification=f"Uzasadnienie {kind}"
        )


def test_three_assessments_make_a_recommendation_verified(group, open_window):
    recommendation = _submitted(group, open_window)
    city = coordinator()
    services.assessment_record(
        actor=city,
        recommendation=recommendation,
        kind=AssessmentKind.LEGALITY,
        verdict=Verdict.POSITIVE,
        justification="Zgodna z prawem.",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == S.IN_VERIFICATION
    services.assessment_record(
        actor=city,
        recommendation=recommendation,
        kind=AssessmentKind.FEASIBILITY,
        verdict=Verdict.CONDITIONAL,
        justification="Wykonalna etapami.",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == S.IN_VERIFICATION
    services.assessment_record(
        actor=city,
        recommendation=recommendation,
        kind=AssessmentKind.FINANCING,
        verdict=Verdict.NEGATIVE,
        justification="Brak środków w WPF.",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == S.VERIFIED
    assert recommendation.verified_at is not None
    assert set(Assessment.objects.values_list("kind", "author")) == {(kind, city.pk) for kind in AssessmentKind.values}
    steps = list(StatusChange.objects.values_list("to_status", flat=True))
    assert steps == [S.SUBMITTED, S.IN_VERIFICATION, S.VERIFIED]


def test_an_assessment_cannot_be_recorded_twice(group, open_window):
    recommendation = _submitted(group, open_window)
    city = coordinator()
    services.assessment_record(
        actor=city, recommendation=recommendation, kind="legality", verdict="positive", justification="Tak."
    )
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=city, recommendation=recommendation, kind="legality", verdict="negative", justification="Nie."
        )


def test_leader_cannot_verify(group, open_window):
    recommendation = _submitted(group, open_window)
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=leader(WorkingGroupFactory()),
            recommendation=recommendation,
            kind="legality",
            verdict="positive",
            justification="Tak.",
        )
    boss = recommendation.group.memberships.get(category="leader").user
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=boss, recommendation=recommendation, kind="legality", verdict="positive", justification="Tak."
        )


def test_coordinator_who_is_a_member_cannot_verify_their_own_group(group, open_window):
    recommendation = _submitted(group, open_window)
    staff = coordinator()
    member(group, category="city_staff", user=staff)
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=staff, recommendation=recommendation, kind="legality", verdict="positive", justification="Tak."
        )


def test_moderator_cannot_verify(group, open_window):
    recommendation = _submitted(group, open_window)
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=moderator(), recommendation=recommendation, kind="legality", verdict="positive", justification="Tak."
        )


def test_verification_needs_its_window(group, open_window):
    recommendation = _submitted(group, open_window)
    open_window("drafting")
    with pytest.raises(WindowClosed):
        services.assessment_record(
            actor=coordinator(),
            recommendation=recommendation,
            kind="legality",
            verdict="positive",
            justification="Tak.",
        )


def test_a_draft_cannot_be_assessed_or_started(group, verification):
    recommendation = RecommendationFactory(group=group)
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=coordinator(),
            recommendation=recommendation,
            kind="legality",
            verdict="positive",
            justification="Tak.",
        )
    with pytest.raises(ValidationError):
        services.recommendation_start_verification(actor=coordinator(), recommendation=recommendation)


def test_start_verification_explicitly(group, open_window):
    recommendation = _submitted(group, open_window)
    services.recommendation_start_verification(actor=coordinator(), recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == S.IN_VERIFICATION
    with pytest.raises(ValidationError):
        services.recommendation_start_verification(actor=coordinator(), recommendation=recommendation)


def test_returned_recommendation_is_editable_and_starts_a_new_round(group, open_window):
    recommendation = _submitted(group, open_window)
    city = coordinator()
    services.assessment_record(
        actor=city, recommendation=recommendation, kind="legality", verdict="negative", justification="Niezgodna."
    )
    with pytest.raises(ValidationError):
        services.recommendation_return(actor=city, recommendation=recommendation, reason="  ")
    services.recommendation_return(actor=city, recommendation=recommendation, reason="Popraw podstawę prawną.")
    recommendation.refresh_from_db()
    assert recommendation.status == S.RETURNED
    assert recommendation.return_reason == "Popraw podstawę prawną."
    open_window("drafting")
    author = member(group)
    services.recommendation_update(
        actor=author, recommendation=recommendation, expected_version=recommendation.version, structure=structure()
    )
    services.recommendation_submit(actor=group.memberships.get(category="leader").user, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.verification_round, recommendation.return_reason) == (
        S.SUBMITTED,
        2,
        "",
    )
    open_window("verification")
    # The old round's assessment does not count: all three are needed again.
    services.assessment_record(
        actor=city, recommendation=recommendation, kind="legality", verdict="positive", justification="Teraz tak."
    )
    services.assessment_record(
        actor=city, recommendation=recommendation, kind="feasibility", verdict="positive", justification="Tak."
    )
    recommendation.refresh_from_db()
    assert recommendation.status == S.IN_VERIFICATION


def test_include_only_a_verified_recommendation(group, open_window):
    recommendation = _submitted(group, open_window)
    city = coordinator()
    with pytest.raises(ValidationError):
        services.recommendation_include(actor=city, recommendation=recommendation)
    _assess_all(recommendation, city)
    with pytest.raises(PermissionDenied):
        services.recommendation_include(actor=leader(WorkingGroupFactory()), recommendation=recommendation)
    services.recommendation_include(actor=city, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == S.INCLUDED


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFT, S.VERIFIED),
        (S.DRAFT, S.IN_VERIFICATION),
        (S.DRAFT, S.INCLUDED),
        (S.DRAFT, S.RETURNED),
        (S.SUBMITTED, S.VERIFIED),
        (S.SUBMITTED, S.INCLUDED),
        (S.SUBMITTED, S.DRAFT),
        (S.IN_VERIFICATION, S.SUBMITTED),
        (S.IN_VERIFICATION, S.INCLUDED),
        (S.VERIFIED, S.RETURNED),
        (S.VERIFIED, S.SUBMITTED),
        (S.INCLUDED, S.VERIFIED),
        (S.INCLUDED, S.RETURNED),
        (S.RETURNED, S.VERIFIED),
        (S.RETURNED, S.IN_VERIFICATION),
    ],
)
def test_every_other_transition_is_refused(group, start, target):
    recommendation = RecommendationFactory(group=group, status=start)
    with pytest.raises(ValidationError):
        workflow._transition(recommendation, target, actor=None)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VERIFIED, S.INCLUDED, S.IN_VERIFICATION])
def test_submitting_again_is_refused(group, drafting, status):
    recommendation = RecommendationFactory(group=group, status=status)
    with pytest.raises(ValidationError):
        services.recommendation_submit(actor=leader(group), recommendation=recommendation)


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.VERIFIED, S.INCLUDED])
def test_returning_is_refused_outside_verification(group, verification, status):
    recommendation = RecommendationFactory(group=group, status=status)
    with pytest.raises(ValidationError):
        services.recommendation_return(actor=coordinator(), recommendation=recommendation, reason="Popraw.")


# Comments ----------------------------------------------------------------------------------------


def test_internal_comment_only_by_members(group):
    recommendation = RecommendationFactory(group=group)
    comment = services.internal_comment_add(
        actor=member(group), recommendation=recommendation, text="Dodajmy dane GUS."
    )
    assert comment.recommendation == recommendation
    for outsider in (member(WorkingGroupFactory()), coordinator(), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.internal_comment_add(actor=outsider, recommendation=recommendation, text="Nie moje.")


def test_resident_comments_a_public_recommendation_while_the_window_is_open(group, open_window):
    window = open_window("recommendation_comments")
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED)
    comment = services.comment_submit(
        actor=UserFactory(), recommendation=recommendation, text="Brakuje tu ścieżek rowerowych."
    )
    assert (comment.status, comment.stage) == (ModerationStatus.PENDING, window.stage)


def test_comments_are_refused_on_drafts_for_unverified_and_outside_the_window(group, open_window):
    open_window("recommendation_comments")
    with pytest.raises(PermissionDenied):
        services.comment_submit(
            actor=UserFactory(), recommendation=RecommendationFactory(group=group), text="Komentarz do szkicu."
        )
    public = RecommendationFactory(group=group, status=S.VERIFIED)
    with pytest.raises(PermissionDenied):
        services.comment_submit(
            actor=UserFactory(verified=False), recommendation=public, text="Bez weryfikacji e-maila."
        )
    with pytest.raises(ValidationError):
        services.comment_submit(actor=UserFactory(), recommendation=public, text="Za krótki")
    open_window("drafting")
    with pytest.raises(WindowClosed):
        services.comment_submit(actor=UserFactory(), recommendation=public, text="Okno jest zamknięte.")


def test_moderator_publishes_and_rejects_comments_with_a_log(group):
    mod = moderator()
    first, second = CommentFactory(), CommentFactory()
    services.comment_moderate(actor=mod, comment=first, publish=True)
    first.refresh_from_db()
    assert first.status == ModerationStatus.PUBLISHED
    assert first.published_at is not None
    assert first.moderated_by == mod
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=mod, comment=second, publish=False, reason="")
    services.comment_moderate(actor=mod, comment=second, publish=False, reason="Wulgaryzmy.")
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == (ModerationStatus.REJECTED, "Wulgaryzmy.")
    log = list(ModerationLogEntry.objects.order_by("id"))
    assert [(entry.action, entry.target, entry.actor) for entry in log] == [
        (ModerationAction.PUBLISH, first, mod),
        (ModerationAction.REJECT, second, mod),
    ]
    assert log[1].reason == "Wulgaryzmy."
    # A published comment can still be withdrawn with a reason; a rejected one cannot be published.
    services.comment_moderate(actor=mod, comment=first, publish=False, reason="Dane osobowe.")
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=mod, comment=second, publish=True)


def test_only_moderation_staff_moderate(group):
    comment = CommentFactory()
    for user in (UserFactory(), leader(group)):
        with pytest.raises(PermissionDenied):
            services.comment_moderate(actor=user, comment=comment, publish=True)
    services.comment_moderate(actor=coordinator(), comment=comment, publish=True)


# Structure details ------------------------------------------------------------------------------


def test_snapshot_is_the_whole_structure(group):
    recommendation = RecommendationFactory(group=group)
    opinion = cite(recommendation)
    data = services.snapshot(recommendation)
    assert data["title"] == recommendation.title
    assert data["goals"] == [{"id": Goal.objects.get().pk, "text": "Więcej zieleni w każdej dzielnicy."}]
    assert data["directions"][0]["goals"] == [1]
    assert data["directions"][0]["id"] == Direction.objects.get().pk
    assert data["evidence"] == [opinion.pk]
