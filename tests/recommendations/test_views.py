"""The pages: public list and detail, the editor with conflicts, evidence, history, verification, comments."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from participation.models import ModerationLogEntry, ModerationStatus
from recommendations.models import Assessment, Comment, Recommendation, RecommendationStatus
from recommendations.selectors import recommendations_citing
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.participation.factories import OpinionFactory
from tests.recommendations.factories import CommentFactory, RecommendationFactory, cite
from tests.workgroups.factories import WorkingGroupFactory, leader, member

S = RecommendationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def group(reference_data):
    return WorkingGroupFactory()


def editor_data(
    recommendation=None,
    *,
    version=0,
    title="Lublin rowerowy",
    vision="Wizja.",
    goals=("Cel pierwszy",),
    directions=(("Kierunek", "Opis", [1]),),
):
    """POST data of the editor: the main form and the two formsets, in the form's own field names."""
    data = {"title": title, "vision": vision, "diagnosis": "Diagnoza.", "version": version}
    existing_goals = list(recommendation.goals.all()) if recommendation else []
    existing_directions = list(recommendation.directions.all()) if recommendation else []
    data.update(
        {
            "goals-TOTAL_FORMS": len(goals),
            "goals-INITIAL_FORMS": len(existing_goals),
            "goals-MIN_NUM_FORMS": 0,
            "goals-MAX_NUM_FORMS": 1000,
        }
    )
    for index, text in enumerate(goals):
        data[f"goals-{index}-text"] = text
        data[f"goals-{index}-ORDER"] = index + 1
        if index < len(existing_goals):
            data[f"goals-{index}-id"] = existing_goals[index].pk
    data.update(
        {
            "directions-TOTAL_FORMS": len(directions),
            "directions-INITIAL_FORMS": len(existing_directions),
            "directions-MIN_NUM_FORMS": 0,
            "directions-MAX_NUM_FORMS": 1000,
        }
    )
    for index, (title_, description, served) in enumerate(directions):
        data[f"directions-{index}-title"] = title_
        data[f"directions-{index}-description"] = description
        data[f"directions-{index}-ORDER"] = index + 1
        data[f"directions-{index}-goals"] = served
        if index < len(existing_directions):
            data[f"directions-{index}-id"] = existing_directions[index].pk
    return data


# Public pages --------------------------------------------------------------------------------------


def test_public_list_shows_submitted_and_later_never_drafts(client, group, django_assert_num_queries):
    public = [
        RecommendationFactory(group=group, status=status)
        for status in (S.SUBMITTED, S.IN_VERIFICATION, S.VERIFIED, S.INCLUDED)
    ]
    hidden = [
        RecommendationFactory(group=group, status=status, title=f"Ukryta {status}") for status in (S.DRAFT, S.RETURNED)
    ]
    for recommendation in public:
        cite(recommendation)
        cite(recommendation)
    for _ in range(10):
        cite(RecommendationFactory(status=S.SUBMITTED))
    with django_assert_num_queries(6):
        response = client.get(reverse("recommendations:list"))
    content = response.content.decode()
    for recommendation in public:
        assert recommendation.title in content
    for recommendation in hidden:
        assert recommendation.title not in content
    assert "na podstawie 2 opinii" in content
    assert "na podstawie 1 opinii" in content


def test_public_list_search_folds_polish_letters_and_inflection(client, group):
    wanted = RecommendationFactory(
        group=group, status=S.SUBMITTED, title="Zieleń w Śródmieściu", vision="Ławki i fontanny.", diagnosis=""
    )
    other = RecommendationFactory(
        group=group, status=S.SUBMITTED, title="Komunikacja nocna", vision="Autobusy.", diagnosis=""
    )
    for q in ("zielen", "srodmiescie", "ławek", "fontanna"):
        content = client.get(reverse("recommendations:list"), {"q": q}).content.decode()
        assert wanted.title in content, q
        assert other.title not in content, q


def test_evidence_search_finds_inflected_forms_without_polish_letters(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    wanted = OpinionFactory(
        published=True, area=group.area, text="Potrzebujemy więcej ścieżek rowerowych na Czechowie."
    )
    client.force_login(member(group))
    response = client.get(reverse("recommendations:evidence", args=[recommendation.pk]), {"q": "sciezka czechow"})
    assert wanted.text in response.content.decode()


def test_based_on_count_in_english_and_polish_plurals(client, group):
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED)
    polish, english = f"/rekomendacje/{recommendation.pk}/", f"/en/rekomendacje/{recommendation.pk}/"
    cite(recommendation)
    assert "based on 1 opinion<" in client.get(english).content.decode()
    assert "na podstawie 1 opinii" in client.get(polish).content.decode()
    for _ in range(4):
        cite(recommendation)
    assert "based on 5 opinions" in client.get(english).content.decode()
    assert "na podstawie 5 opinii" in client.get(polish).content.decode()


def test_hidden_or_unpublished_opinions_do_not_count_as_evidence(client, group):
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED)
    cite(recommendation)
    cite(recommendation, OpinionFactory(published=True, hidden_by_flags=True, area=group.area))
    cite(recommendation, OpinionFactory(status=ModerationStatus.REJECTED, area=group.area))
    assert "na podstawie 1 opinii" in client.get(recommendation.get_absolute_url()).content.decode()


def test_public_detail_shows_structure_evidence_and_verdicts_once_verified(client, group, django_assert_num_queries):
    recommendation = RecommendationFactory(group=group, status=S.IN_VERIFICATION, verification_round=1)
    opinions = [cite(recommendation) for _ in range(3)]
    Assessment.objects.create(
        recommendation=recommendation, round=1, kind="legality", verdict="positive", justification="Zgodna z ustawą."
    )
    with django_assert_num_queries(10):
        response = client.get(recommendation.get_absolute_url())
    content = response.content.decode()
    assert "Więcej zieleni w każdej dzielnicy." in content
    assert "Sadzenie drzew" in content
    assert opinions[0].text in content
    assert "Zgodna z ustawą." not in content  # not public before the three verdicts
    recommendation.status = S.VERIFIED
    recommendation.save()
    content = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Zgodna z ustawą." in content


def test_drafts_do_not_exist_for_outsiders(client, group):
    draft = RecommendationFactory(group=group)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    for outsider in (UserFactory(), member(WorkingGroupFactory()), leader(WorkingGroupFactory()), moderator()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("recommendations:history", args=[draft.pk])).status_code == 404
        assert client.get(reverse("recommendations:edit", args=[draft.pk])).status_code == 404
        assert client.get(reverse("recommendations:evidence", args=[draft.pk])).status_code == 404
    for insider in (member(group), coordinator()):
        client.force_login(insider)
        assert client.get(url).status_code == 200


def test_member_of_another_group_cannot_post_to_a_draft(client, group, open_window):
    open_window("drafting")
    draft = RecommendationFactory(group=group)
    client.force_login(member(WorkingGroupFactory()))
    response = client.post(
        reverse("recommendations:edit", args=[draft.pk]), editor_data(draft, version=1, title="Przejęta")
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title != "Przejęta"


def test_coordinator_reads_a_draft_but_cannot_edit_it(client, group, open_window):
    open_window("drafting")
    draft = RecommendationFactory(group=group)
    client.force_login(coordinator())
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(reverse("recommendations:edit", args=[draft.pk])).status_code == 403


# The editor ----------------------------------------------------------------------------------------


def test_member_creates_a_recommendation_through_the_form(client, group, open_window):
    open_window("drafting")
    author = member(group)
    client.force_login(author)
    url = reverse("recommendations:create", kwargs={"group_slug": group.slug})
    assert client.get(url).status_code == 200
    data = editor_data(goals=("Cel A", "Cel B"), directions=(("Kierunek 1", "Opis", [2]),))
    response = client.post(url, data)
    recommendation = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == recommendation.get_absolute_url()
    direction = recommendation.directions.get()
    assert [goal.text for goal in direction.goals.all()] == ["Cel B"]
    assert recommendation.versions.get().author == author


def test_editor_refuses_a_direction_serving_an_empty_goal(client, group, open_window):
    open_window("drafting")
    client.force_login(member(group))
    data = editor_data(goals=("Cel A", ""), directions=(("Kierunek", "", [2]),))
    data["goals-TOTAL_FORMS"] = 2
    response = client.post(reverse("recommendations:create", kwargs={"group_slug": group.slug}), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_rows_are_added_without_saving_and_directions_name_their_goals(client, group, open_window):
    """The "add a goal" and "add a direction" buttons work without JavaScript: the page comes back with what was typed,
    one more row, nothing saved and no error; a direction's checkboxes say what each goal is."""
    open_window("drafting")
    client.force_login(member(group))
    url = reverse("recommendations:create", kwargs={"group_slug": group.slug})
    data = editor_data(title="", goals=("Ciągła sieć ścieżek rowerowych",), directions=(("Trasy", "", []),))
    response = client.post(url, {**data, "add_row": "goals"})
    content = response.content.decode()
    assert response.status_code == 200
    assert not Recommendation.objects.exists()
    assert "error-summary" not in content
    assert 'name="goals-TOTAL_FORMS" value="2"' in content
    assert 'name="directions-TOTAL_FORMS" value="1"' in content
    assert "Ciągła sieć ścieżek rowerowych (cel 1)" in content  # the direction names the unsaved goal
    assert "Cel 2 (jeszcze niewpisany)" in content
    assert 'autofocus id="id_goals-1-text"' in content
    assert 'value="Trasy"' in content

    data = editor_data(goals=("Cel A", "Cel B"), directions=(("Kierunek 1", "", [2]),))
    data["add_row"] = "directions"
    content = client.post(url, data).content.decode()
    assert 'name="directions-TOTAL_FORMS" value="2"' in content
    assert 'name="directions-1-title"' in content
    assert "Cel B (cel 2)" in content
    # The rows come back as the form's own: saving them works as any other post.
    data = editor_data(goals=("Cel A", "Cel B", ""), directions=(("Kierunek 1", "", [2]), ("", "", [])))
    data["goals-INITIAL_FORMS"] = 3
    data["directions-INITIAL_FORMS"] = 2
    assert client.post(url, data).status_code == 302
    recommendation = Recommendation.objects.get()
    assert [goal.text for goal in recommendation.directions.get().goals.all()] == ["Cel B"]
    content = client.get(recommendation.get_absolute_url()).content.decode()
    assert '<a href="#goal-2">Cel B</a>' in content


def test_adding_a_row_while_editing_keeps_the_version_and_saves_nothing(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    client.force_login(member(group))
    url = reverse("recommendations:edit", args=[recommendation.pk])
    data = editor_data(recommendation, version=1, vision="Nowa wizja, jeszcze niezapisana.")
    response = client.post(url, {**data, "add_row": "goals"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="version" value="1"' in content
    assert "Nowa wizja, jeszcze niezapisana." in content
    recommendation.refresh_from_db()
    assert recommendation.version == 1
    assert recommendation.vision != "Nowa wizja, jeszcze niezapisana."


def test_second_editor_sees_a_conflict_and_keeps_their_text(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    alice, bob = member(group), member(group)
    url = reverse("recommendations:edit", args=[recommendation.pk])
    client.force_login(alice)
    assert client.post(url, editor_data(recommendation, version=1, vision="Wizja Alicji")).status_code == 302
    client.force_login(bob)
    response = client.post(url, editor_data(recommendation, version=1, vision="Wizja Boba"))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Wizja Boba" in content  # what Bob typed is still in the form
    assert 'name="version" value="2"' in content  # saving again replaces version 2 knowingly
    assert "<ins>" in content  # what Alice changed
    recommendation.refresh_from_db()
    assert recommendation.vision == "Wizja Alicji"


def test_edit_is_refused_when_the_drafting_window_is_closed(client, group, close_all_windows):
    recommendation = RecommendationFactory(group=group)
    client.force_login(member(group))
    response = client.post(
        reverse("recommendations:edit", args=[recommendation.pk]), editor_data(recommendation, version=1, title="Nowy")
    )
    assert response.status_code == 400
    recommendation.refresh_from_db()
    assert recommendation.title != "Nowy"


# Evidence and history ----------------------------------------------------------------------------


def test_evidence_search_and_attach(client, group, open_window, django_assert_num_queries):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    wanted = OpinionFactory(
        published=True, area=group.area, text="Potrzebujemy więcej ścieżek rowerowych na Czechowie."
    )
    OpinionFactory(published=True, area=group.area, text="Więcej koszy na śmieci.")
    OpinionFactory(area=group.area, text="Nieopublikowana o rowerach.")
    elsewhere = OpinionFactory(published=True, text="Rowerowy Lublin w innym obszarze.")
    for _ in range(20):
        OpinionFactory(published=True, area=group.area)
    client.force_login(member(group))
    url = reverse("recommendations:evidence", args=[recommendation.pk])
    with django_assert_num_queries(8):
        response = client.get(url, {"q": "rower"})
    content = response.content.decode()
    assert wanted.text in content
    assert "Nieopublikowana" not in content
    assert elsewhere.text not in content
    partial = client.get(
        reverse("recommendations:evidence_search", args=[recommendation.pk]), {"q": "rower", "all_areas": "on"}
    )
    assert elsewhere.text in partial.content.decode()
    assert "<html" not in partial.content.decode()
    response = client.post(url, {"attach": wanted.pk, "q": "rower"})
    assert response.status_code == 302
    assert "q=rower" in response["Location"]
    assert list(recommendation.evidence.values_list("opinion_id", flat=True)) == [wanted.pk]
    client.post(url, {"detach": wanted.pk})
    assert not recommendation.evidence.exists()


def test_history_shows_a_word_diff(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    author = member(group)
    client.force_login(author)
    client.post(
        reverse("recommendations:edit", args=[recommendation.pk]),
        editor_data(recommendation, version=1, vision="Zielony i rowerowy Lublin."),
    )
    response = client.get(reverse("recommendations:history", args=[recommendation.pk]), {"od": 1, "do": 2})
    content = response.content.decode()
    assert "<del>" in content
    assert "<ins>" in content
    assert "rowerowy" in content
    assert "usunięto:" in content or "removed:" in content


# Workflow through the pages ----------------------------------------------------------------------


def test_plain_member_cannot_submit_and_leader_can(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    url = reverse("recommendations:submit", args=[recommendation.pk])
    client.force_login(member(group))
    client.post(url, {"confirm": "yes"})
    recommendation.refresh_from_db()
    assert recommendation.status == S.DRAFT
    client.force_login(leader(group))
    detail = client.get(recommendation.get_absolute_url()).content.decode()
    assert reverse("recommendations:submit", args=[recommendation.pk]) in detail
    client.post(url, {"confirm": "yes"})
    recommendation.refresh_from_db()
    assert recommendation.status == S.SUBMITTED


def test_members_see_who_submits_and_why_their_button_is_missing(client, group, open_window):
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    client.force_login(member(group))
    content = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Tylko lider lub liderka grupy, Lidia L., może złożyć tę rekomendację" not in content  # no leader yet
    assert "Grupa nie ma jeszcze lidera" in content
    leader(group, user=UserFactory(display_name="Lidia L."))
    content = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Tylko lider lub liderka grupy, Lidia L., może złożyć tę rekomendację" in content
    assert "dlatego nie masz przycisku" in content
    assert reverse("recommendations:submit", args=[recommendation.pk]) not in content
    workspace = client.get(reverse("workgroups:workspace", kwargs={"slug": group.slug})).content.decode()
    assert "składa je tylko lider lub liderka grupy, Lidia L." in workspace


def test_the_leaders_submit_asks_for_confirmation_first(client, group, open_window):
    """Submitting cannot be undone: a page without JavaScript asks first; a plain POST does not submit."""
    open_window("drafting")
    recommendation = RecommendationFactory(group=group)
    client.force_login(leader(group))
    url = reverse("recommendations:submit", args=[recommendation.pk])
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Złożenia nie można cofnąć" in content
    assert 'name="confirm" value="yes"' in content
    assert "<script" not in content.split("</head>")[1].split("</header>")[1]  # the confirmation needs none
    response = client.post(url)  # an old form, or a button pressed by mistake elsewhere
    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.status == S.DRAFT
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == S.SUBMITTED
    assert "została już złożona" in client.get(url).content.decode()


def test_verification_queue_and_three_verdicts(client, group, open_window, django_assert_num_queries):
    open_window("verification")
    recommendations = [RecommendationFactory(group=group, status=S.SUBMITTED, verification_round=1) for _ in range(6)]
    for recommendation in recommendations:
        cite(recommendation)
    city = coordinator()
    client.force_login(city)
    with django_assert_num_queries(6):
        response = client.get(reverse("recommendations:verification_queue"))
    assert response.status_code == 200
    target = recommendations[0]
    url = reverse("recommendations:verify", args=[target.pk])
    assert client.get(url).status_code == 200
    for kind in ("legality", "feasibility", "financing"):
        response = client.post(
            url, {"action": kind, f"{kind}-verdict": "positive", f"{kind}-justification": f"Dobrze: {kind}."}
        )
        assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == S.VERIFIED
    public = client.get(target.get_absolute_url()).content.decode()
    assert "Dobrze: financing." in public


def test_leader_and_moderator_cannot_open_verification(client, group):
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED)
    for user in (leader(group), moderator(), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("recommendations:verification_queue")).status_code == 403
        assert client.get(reverse("recommendations:verify", args=[recommendation.pk])).status_code == 403


def test_coordinator_returns_a_recommendation_with_a_reason(client, group, open_window):
    open_window("verification")
    recommendation = RecommendationFactory(group=group, status=S.SUBMITTED, verification_round=1)
    client.force_login(coordinator())
    url = reverse("recommendations:verify", args=[recommendation.pk])
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "return", "reason": "Dodajcie diagnozę finansową."}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == S.RETURNED
    client.force_login(member(group))
    assert "Dodajcie diagnozę finansową." in client.get(recommendation.get_absolute_url()).content.decode()


# Comments ------------------------------------------------------------------------------------------


def test_resident_comments_and_moderator_publishes(client, group, open_window, django_assert_num_queries):
    open_window("recommendation_comments")
    recommendation = RecommendationFactory(group=group, status=S.VERIFIED)
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(
        reverse("recommendations:comment", args=[recommendation.pk]), {"text": "Dodajcie ścieżki rowerowe, proszę."}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == ModerationStatus.PENDING
    assert "czeka na moderację" in client.get(recommendation.get_absolute_url()).content.decode()
    for _ in range(10):
        CommentFactory()
    client.force_login(moderator())
    with django_assert_num_queries(3):
        response = client.get(reverse("recommendations:comment_moderation"))
    assert response.status_code == 200
    response = client.post(
        reverse("recommendations:comment_moderation"), {"comment": comment.pk, f"c{comment.pk}-decision": "publish"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == ModerationStatus.PUBLISHED
    assert ModerationLogEntry.objects.get().target == comment
    client.logout()
    assert "Dodajcie ścieżki rowerowe, proszę." in client.get(recommendation.get_absolute_url()).content.decode()


def test_rejection_needs_a_reason_on_the_moderation_page(client, group):
    comment = CommentFactory()
    client.force_login(moderator())
    response = client.post(
        reverse("recommendations:comment_moderation"), {"comment": comment.pk, f"c{comment.pk}-decision": "reject"}
    )
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == ModerationStatus.PENDING


def test_comment_moderation_is_for_moderators(client):
    client.force_login(leader(WorkingGroupFactory()))
    assert client.get(reverse("recommendations:comment_moderation")).status_code == 403


# Tracing -------------------------------------------------------------------------------------------


def test_recommendations_citing_in_one_query_public_only(group, django_assert_num_queries):
    opinion, other = OpinionFactory(published=True, area=group.area), OpinionFactory(published=True, area=group.area)
    public = RecommendationFactory(group=group, status=S.VERIFIED)
    draft = RecommendationFactory(group=group)
    second = RecommendationFactory(group=group, status=S.SUBMITTED)
    cite(public, opinion)
    cite(draft, opinion)
    cite(second, opinion)
    cite(second, other)
    with django_assert_num_queries(1):
        result = recommendations_citing(opinion_ids=[opinion.pk, other.pk, 999999])
        titles = {key: [r.title for r in value] + [r.group.area.name for r in value] for key, value in result.items()}
    assert set(result) == {opinion.pk, other.pk}
    assert {r.pk for r in result[opinion.pk]} == {public.pk, second.pk}
    assert len(titles[other.pk]) == 2
    with django_assert_num_queries(0):
        assert recommendations_citing(opinion_ids=[]) == {}


def test_trace_page_links_back_to_the_recommendation(client, group):
    recommendation = RecommendationFactory(group=group, status=S.VERIFIED)
    opinion = cite(recommendation)
    content = client.get(reverse("recommendations:opinion_trace", args=[opinion.pk])).content.decode()
    assert "Gdzie trafiła moja opinia?" in content
    assert recommendation.get_absolute_url() in content
    pending = OpinionFactory(area=group.area)
    assert client.get(reverse("recommendations:opinion_trace", args=[pending.pk])).status_code == 404


# Export --------------------------------------------------------------------------------------------


def test_export_is_formula_safe_in_csv_xlsx_and_json(client, group):
    recommendation = RecommendationFactory(
        group=group, status=S.VERIFIED, title='=HYPERLINK("http://evil")', vision="+1+1", verification_round=1
    )
    cite(recommendation)
    Assessment.objects.create(
        recommendation=recommendation, round=1, kind="legality", verdict="positive", justification="@SUM(A1)"
    )
    RecommendationFactory(group=group, title="Szkic")
    client.force_login(coordinator())
    url = reverse("recommendations:export")
    assert client.get(url).status_code == 200
    rows = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "area", "group", "title", "status"]
    assert len(rows) == 2  # drafts only on request
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"].startswith("'=")
    assert row["vision"] == "'+1+1"
    assert row["legality_justification"] == "'@SUM(A1)"
    assert row["evidence_count"] == "1"
    assert (row["status"], row["legality_verdict"]) == ("Zweryfikowana", "Pozytywna")  # labels, not codes
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"format": "xlsx", "include_drafts": "on"}).content))
    values = list(workbook.active.iter_rows(values_only=True))
    assert len(values) == 3
    english = openpyxl.load_workbook(
        io.BytesIO(client.get("/en" + url, {"format": "xlsx", "include_drafts": "on"}).content)
    )
    english_rows = list(english.active.iter_rows(values_only=True))
    assert {row[4] for row in english_rows[1:]} == {"Verified", "Draft"}
    assert "Positive" in english_rows[1] + english_rows[2]
    assert all(not str(cell).startswith("=") for row in values for cell in row if cell is not None)
    data = json.loads(client.get(url, {"format": "json"}).content)
    item = data["recommendations"][0]
    assert item["goals"][0]["text"] == "Więcej zieleni w każdej dzielnicy."
    assert item["directions"][0]["goals"] == [1]
    assert item["assessments"]["legality"]["verdict"] == "positive"


def test_export_is_for_coordinators(client, group):
    client.force_login(moderator())
    assert client.get(reverse("recommendations:export")).status_code == 403


def test_history_and_export_query_counts_do_not_grow_with_rows(client, group, open_window, django_assert_num_queries):
    recommendation = RecommendationFactory(group=group, status=S.VERIFIED, verification_round=1)
    author = member(group)
    for _ in range(12):
        recommendation.vision += " Więcej."
        recommendation.save()
        from recommendations.services.structure import _record_version

        _record_version(recommendation=recommendation, actor=author, summary="Edycja")
    for _ in range(8):
        other = RecommendationFactory(group=group, status=S.SUBMITTED)
        cite(other)
        cite(other)
    client.force_login(author)
    with django_assert_num_queries(4):
        response = client.get(reverse("recommendations:history", args=[recommendation.pk]))
    assert response.content.decode().count("<tr>") >= 13
    client.force_login(coordinator())
    with django_assert_num_queries(6):
        response = client.get(reverse("recommendations:export"), {"format": "json"})
    assert len(json.loads(response.content)["recommendations"]) == 9
