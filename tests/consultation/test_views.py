"""The consultation's pages: the draft with counts (queries pinned), the comment form on a phone-sized flow,
lists, one comment with its answer, the staff pages, the report and its exports. Markup is shown as text."""

import json

import pytest
from django.urls import reverse

from consultation.models import Answer, Comment, Consultation
from participation.models import ModerationStatus
from tests.accounts.factories import UserFactory, coordinator, moderator
from tests.consultation.factories import closed_consultation, draft, make_comment, make_consultation, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(consultation_open):
    parts = draft(blocks=4)
    consultation = make_consultation(parts["version"])
    for block in parts["blocks"]:
        make_comment(consultation, block=block)
    make_comment(consultation)
    make_comment(consultation, block=parts["blocks"][0], status=ModerationStatus.PENDING, text="Czeka na moderację.")
    return {**parts, "consultation": consultation}


def test_the_draft_shows_counts_and_a_way_to_comment_on_every_paragraph(client, world):
    consultation = world["consultation"]
    response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    form = reverse("consultation:comment_create", kwargs={"pk": consultation.pk})
    assert html.count(f'class="comment-link" href="{form}?cel=block') == 5  # the introduction and four paragraphs
    assert "Zgłoś uwagę do tego fragmentu<span" in html
    assert f"cel=block&amp;klucz={world['blocks'][0].key}" in html
    assert ">1 uwaga<" in html  # the pending comment on the first paragraph is not counted


@pytest.mark.parametrize("blocks", [4, 40])
def test_the_draft_page_costs_the_same_queries_however_long(
    client, consultation_open, blocks, django_assert_num_queries
):
    parts = draft(blocks=blocks)
    consultation = make_consultation(parts["version"])
    for block in parts["blocks"]:
        make_comment(consultation, block=block)
    url = consultation.get_absolute_url()
    with django_assert_num_queries(9):  # consultation, meetings; document (6) and counts when rendered
        client.get(url)
    client.logout()
    user = UserFactory()
    client.force_login(user)
    # user with her roles (the session from the cache), consultation, meetings; the draft from the cache
    with django_assert_num_queries(3):
        client.get(url)


def test_anonymous_visitors_get_the_page_from_the_cache(client, world, django_assert_num_queries):
    url = world["consultation"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):  # the consultation (its phase and who may read it)
        response = client.get(url)
    assert response.status_code == 200


def test_an_unannounced_consultation_does_not_exist_for_the_public(client, consultation_open):
    consultation = make_consultation(announced=False)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    client.force_login(coordinator())
    assert client.get(consultation.get_absolute_url()).status_code == 200


def test_a_resident_comments_through_the_form(client, world):
    consultation, block = world["consultation"], world["blocks"][2]
    url = reverse("consultation:comment_create", kwargs={"pk": consultation.pk}) + f"?cel=block&klucz={block.key}"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    page = client.get(url)
    assert "Zgłoś uwagę do tego fragmentu" in page.content.decode()
    token = page.context["form"].initial["token"]
    data = {
        "target": "block",
        "key": block.key,
        "token": token,
        "text": "<script>alert(1)</script> Więcej zieleni.",
        "proposed_wording": "",
        "justification": "Bo drzewa dają cień.",
        "speaks_as": "person",
        "commenter_name": "",
    }
    response = client.post(url, data)
    comment = Comment.objects.get(text__startswith="<script>")
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    client.post(url, data)  # a double click
    assert Comment.objects.filter(text__startswith="<script>").count() == 1
    detail = client.get(comment.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "<script>alert(1)" not in detail


def test_an_unverified_account_is_told_to_verify(client, world):
    client.force_login(UserFactory(verified=False))
    url = reverse("consultation:comment_create", kwargs={"pk": world["consultation"].pk})
    assert (
        "verified e-mail" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        or client.get(url).status_code == 200
    )
    response = client.post(
        url, {"target": "document", "text": "Uwaga bez weryfikacji.", "justification": "Bo tak.", "speaks_as": "person"}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(text="Uwaga bez weryfikacji.").exists()


def test_a_late_comment_is_refused_with_the_dates(client, consultation_open):
    consultation = closed_consultation()
    client.force_login(UserFactory())
    url = reverse("consultation:comment_create", kwargs={"pk": consultation.pk})
    response = client.post(
        url, {"target": "document", "text": "Spóźniona uwaga o parkach.", "justification": "Bo.", "speaks_as": "person"}
    )
    assert response.status_code == 400
    assert consultation.ends_on.strftime("%d.%m.%Y") in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_of_one_paragraph_list_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    consultation, block = world["consultation"], world["blocks"][0]
    for _ in range(10):
        make_comment(consultation, block=block)
    url = reverse("consultation:comments", kwargs={"pk": consultation.pk}) + f"?cel=block&klucz={block.key}"
    with django_assert_num_queries(4):  # consultation, fragment, count, page
        response = client.get(url)
    assert len(response.context["comments"]) == 11


def test_answers_are_public_only_with_the_report(client, world):
    consultation = world["consultation"]
    comment = Comment.objects.filter(consultation=consultation, status=ModerationStatus.PUBLISHED).first()
    Comment.objects.filter(pk=comment.pk).update(
        answer=Answer.TAKEN, answer_justification="Dopisaliśmy seniorów do akapitu."
    )
    assert "Dopisaliśmy seniorów" not in client.get(comment.get_absolute_url()).content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(
        report_generated_at="2030-01-01T10:00Z", report_published_at="2030-01-02T10:00Z"
    )
    assert "Dopisaliśmy seniorów" in client.get(comment.get_absolute_url()).content.decode()


def test_a_pending_comment_is_seen_by_its_author_and_staff_only(client, world):
    pending = Comment.objects.get(status=ModerationStatus.PENDING)
    assert client.get(pending.get_absolute_url()).status_code == 404
    author = UserFactory()
    Comment.objects.filter(pk=pending.pk).update(author=author)
    client.force_login(author)
    assert client.get(pending.get_absolute_url()).status_code == 200
    client.force_login(moderator())
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_staff_pages_open_for_a_coordinator(client, world):
    consultation = world["consultation"]
    make_meeting(consultation)
    client.force_login(coordinator())
    for name in (
        "staff_dashboard",
        "staff_edit",
        "staff_meetings",
        "triage",
        "moderation",
        "groups",
        "enter",
        "import",
        "changes",
        "staff_report",
    ):
        response = client.get(reverse(f"consultation:{name}", kwargs={"pk": consultation.pk}))
        assert response.status_code == 200, name
    assert client.get(reverse("consultation:staff_list")).status_code == 200
    number = Comment.objects.filter(consultation=consultation).first().number
    assert (
        client.get(reverse("consultation:staff_comment", kwargs={"pk": consultation.pk, "number": number})).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", 8),
        ("?status=unanswered", 8),
        ("?channel=online", 8),
        ("?assignee=0", 8),
        ("?q=uwaga", 8),
        ("?status=taken&channel=paper", 7),
    ],
)
def test_the_triage_list_costs_a_fixed_number_of_queries(client, world, query, queries, django_assert_num_queries):
    """The user with her roles (the session from the cache), the consultation, the team, groups, chapters,
    sections, the count and the page (an empty page is not read)."""
    consultation = world["consultation"]
    for _ in range(30):
        make_comment(consultation, block=world["blocks"][1])
    client.force_login(coordinator())
    url = reverse("consultation:triage", kwargs={"pk": consultation.pk}) + query
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_a_bulk_answer_from_the_list(client, world):
    consultation = world["consultation"]
    ids = list(Comment.objects.filter(consultation=consultation).in_report().values_list("pk", flat=True))
    client.force_login(coordinator())
    url = reverse("consultation:triage", kwargs={"pk": consultation.pk})
    response = client.post(
        url,
        {
            "action": "answer",
            "comments": ids,
            "answer": Answer.NOT_TAKEN,
            "justification": "Te sprawy reguluje inny dokument miasta.",
        },
    )
    assert response.status_code == 302
    assert set(Comment.objects.filter(pk__in=ids).values_list("answer", flat=True)) == {Answer.NOT_TAKEN}


def test_the_report_page_and_exports(client, consultation_open):
    consultation = closed_consultation()
    parts_block = draft()["blocks"]
    comment = make_comment(
        consultation,
        commenter_name="Rada Dzielnicy Czuby",
        text='=HYPERLINK("x") uwaga',
        answer=Answer.PARTLY,
        answer_justification="Uwzględniliśmy część propozycji.",
    )
    assert parts_block  # another draft does not leak into this report
    url = reverse("consultation:report", kwargs={"pk": consultation.pk})
    assert client.get(url).status_code == 404
    Consultation.objects.filter(pk=consultation.pk).update(
        report_generated_at="2030-01-01T10:00Z", report_published_at="2030-01-02T10:00Z"
    )
    page = client.get(url).content.decode()
    assert "Rada Dzielnicy Czuby" in page
    assert "Uwzględniliśmy część propozycji." in page
    csv_body = client.get(
        reverse("consultation:report_export", kwargs={"pk": consultation.pk, "fmt": "csv"})
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body
    data = json.loads(
        client.get(reverse("consultation:report_export", kwargs={"pk": consultation.pk, "fmt": "json"})).content
    )
    assert data["comments"][0]["number"] == comment.number
    xlsx = client.get(reverse("consultation:report_export", kwargs={"pk": consultation.pk, "fmt": "xlsx"}))
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_stage_vii_and_the_home_page_link_to_the_open_consultation(client, world):
    from consultation.services import ConsultationData, consultation_update
    from stages.models import Stage

    consultation = world["consultation"]
    fields = ConsultationData.__dataclass_fields__
    consultation_update(
        actor=coordinator(),
        consultation=consultation,
        data=ConsultationData(**{name: getattr(consultation, name) for name in fields}),
    )
    home = client.get(reverse("home")).content.decode()
    assert reverse("consultation:current") in home
    stage = client.get(Stage.objects.get(number=7).get_absolute_url()).content.decode()
    assert consultation.get_absolute_url() in stage
    assert reverse("consultation:current") in stage


def test_a_moderation_decision_refreshes_the_counts_without_rendering_the_draft(
    client, world, django_assert_num_queries
):
    from consultation.services import comment_moderate
    from participation.models import ModerationAction

    consultation = world["consultation"]
    url = consultation.get_absolute_url()
    assert ">1 uwaga<" in client.get(url).content.decode()
    pending = Comment.objects.get(status=ModerationStatus.PENDING)
    comment_moderate(actor=moderator(), comment=pending, action=ModerationAction.PUBLISH)
    with django_assert_num_queries(3):  # the consultation, its meetings, the counts: the text is not read again
        html = client.get(url).content.decode()
    assert ">2 uwagi<" in html


def test_the_triage_list_filters_by_section_and_chapter(client, world):
    consultation = world["consultation"]
    make_comment(consultation, block=world["intro"])  # in the chapter's introduction, in no section
    client.force_login(coordinator())
    url = reverse("consultation:triage", kwargs={"pk": consultation.pk})
    in_section = client.get(url, {"chapter": f"s:{world['section'].key}"}).context["page"].paginator.count
    in_chapter = client.get(url, {"chapter": f"c:{world['chapter'].key}"}).context["page"].paginator.count
    assert in_section == Comment.objects.filter(section_key=world["section"].key).count() == 5
    assert in_chapter == in_section + 1
