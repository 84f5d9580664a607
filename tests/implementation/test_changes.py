"""What changed between the consultation draft and the adopted text, each changed paragraph with the
consultation comments that caused it; and the consultation comments with their answers as open data."""

import pytest
from django.utils import timezone, translation

from consultation.models import Answer, ChangeCitation, SpeaksAs
from participation.models import ModerationStatus
from strategy.models import Block, VersionState
from tests.consultation.factories import closed_consultation, draft, make_comment
from tests.strategy.adoption_factories import adopted
from tests.strategy.factories import make_block, make_chapter, make_version

pytestmark = pytest.mark.django_db


def consulted_and_adopted():
    """Version 1 consulted (two paragraphs), version 2 adopted with the first paragraph changed."""
    parts = draft(blocks=2)
    consulted, first, second = parts["version"], parts["blocks"][0], parts["blocks"][1]
    consultation = closed_consultation(consulted)
    final = make_version(VersionState.AFTER_CONSULTATION, based_on=consulted)
    chapter = make_chapter(final, title="Wnioski z diagnozy")
    changed = make_block(chapter, "Akapit 1 o mieszkańcach Lublina, uzupełniony o seniorów.")
    kept = make_block(chapter, second.text)
    Block.objects.filter(pk=changed.pk).update(key=first.key)
    Block.objects.filter(pk=kept.pk).update(key=second.key)
    Block.objects.filter(version=final, chapter=chapter).update(chapter=chapter)
    adopted(final)
    return consultation, consulted, final, first


def test_each_changed_paragraph_with_the_comments_that_caused_it(reference_data, client):
    consultation, consulted, final, block = consulted_and_adopted()
    cause = make_comment(
        consultation,
        block=block,
        text="Proszę dopisać seniorów.",
        answer=Answer.TAKEN,
        answer_justification="Dopisano.",
    )
    hidden = make_comment(consultation, block=block, text="Obraźliwy wpis.", status=ModerationStatus.REJECTED)
    for comment in (cause, hidden):
        ChangeCitation.objects.create(comment=comment, version=final, block_key=block.key)
    response = client.get(f"/strategia/zmiany/{final.number}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "seniorów" in content
    assert "<ins" in content
    assert "Proszę dopisać seniorów." in content
    assert "Obraźliwy wpis." not in content  # rejected as abuse: never shown
    assert "Dopisano" not in content  # the answers are public with the report only
    assert cause.get_absolute_url() in content
    consultation.report_published_at = timezone.now()
    consultation.save()
    with translation.override("pl"):
        label = str(Answer.TAKEN.label)
    assert f"<strong>{label}</strong>" in client.get(f"/strategia/zmiany/{final.number}/").content.decode()


def test_the_adopted_page_links_the_changes(reference_data, client):
    _consultation, _consulted, final, _block = consulted_and_adopted()
    assert f"/strategia/zmiany/{final.number}/" in client.get("/strategia/").content.decode()


def test_consultation_comments_as_open_data(reference_data, client):
    consultation, _consulted, _final, block = consulted_and_adopted()
    make_comment(
        consultation,
        block=block,
        text="Uwaga organizacji.",
        speaks_as=SpeaksAs.ORGANISATION,
        commenter_name="Stowarzyszenie Rowerowy Lublin",
        answer=Answer.PARTLY,
        answer_justification="Częściowo uwzględniono.",
    )
    make_comment(consultation, text="Uwaga osoby.", commenter_name="Jan Kowalski", answer=Answer.NOT_TAKEN)
    make_comment(consultation, text="Niepublikowana.", status=ModerationStatus.PENDING)
    body = client.get("/api/v1/consultation/comments").json()
    assert body["count"] == 2
    organisation, person = body["items"]
    assert organisation["organisation"] == "Stowarzyszenie Rowerowy Lublin"
    assert organisation["block_key"] == block.key
    assert person["organisation"] is None
    assert "Jan Kowalski" not in str(body)  # a private person's name is never published here
    assert organisation["answer"] is None  # before the report
    consultation.report_published_at = timezone.now()
    consultation.save()
    from django.core.cache import cache

    cache.clear()
    body = client.get("/api/v1/consultation/comments").json()
    assert (body["items"][0]["answer"], body["items"][0]["answer_justification"]) == (
        "partly",
        "Częściowo uwzględniono.",
    )
