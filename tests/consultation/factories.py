"""Consultation test data, written straight to the models (the services are what the tests test)."""

import datetime

from django.utils import timezone

from consultation.models import Comment, CommentChannel, Consultation, Meeting, Target
from participation.models import Channel, District, Event, ModerationStatus
from stages.models import Stage
from strategy.models import VersionState
from tests.strategy.factories import make_block, make_chapter, make_section, make_version


def draft(blocks: int = 3) -> dict:
    """A consultation-draft version: chapter 1 with an introduction block and section 1.1 with `blocks` blocks."""
    version = make_version(VersionState.CONSULTATION_DRAFT)
    chapter = make_chapter(version, title="Wnioski z diagnozy")
    intro = make_block(chapter, text="Wstęp do rozdziału o diagnozie.")
    section = make_section(chapter, title="Mieszkańcy")
    section_blocks = [
        make_block(chapter, text=f"Akapit {n} o mieszkańcach Lublina.", section=section) for n in range(1, blocks + 1)
    ]
    return {"version": version, "chapter": chapter, "intro": intro, "section": section, "blocks": section_blocks}


def today() -> datetime.date:
    return timezone.localdate()


def make_consultation(version=None, *, starts_on=None, ends_on=None, announced=True, **kwargs) -> Consultation:
    version = version or draft()["version"]
    starts_on = starts_on or today() - datetime.timedelta(days=5)
    ends_on = ends_on or starts_on + datetime.timedelta(days=40)
    values = {
        "title": "Konsultacje projektu Strategii Lublin 2030",
        "announcement": "Zapraszamy do zgłaszania uwag do projektu strategii.",
        "who_may_comment": "Mieszkańcy, organizacje pozarządowe, gminy sąsiednie.",
        "contact_person": "Anna Kowalska",
        "paper_forms": "Biuro Partycypacji, ul. Narutowicza 4",
        "email_address": "konsultacje@example.org",
        **kwargs,
    }
    if announced:
        values["announced_at"] = timezone.now() - datetime.timedelta(days=5)
    return Consultation.objects.create(version=version, starts_on=starts_on, ends_on=ends_on, **values)


def closed_consultation(version=None, **kwargs) -> Consultation:
    """Its period is over: comments are being answered."""
    starts_on = today() - datetime.timedelta(days=50)
    return make_consultation(version, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=40), **kwargs)


def make_comment(consultation, *, block=None, number=None, status=ModerationStatus.PUBLISHED, **kwargs) -> Comment:
    if number is None:
        consultation.last_number += 1
        Consultation.objects.filter(pk=consultation.pk).update(last_number=consultation.last_number)
        number = consultation.last_number
    values = {"target": Target.DOCUMENT, "channel": CommentChannel.ONLINE, "received_on": consultation.starts_on}
    if block is not None:
        values.update(
            target=Target.BLOCK,
            block=block,
            block_key=block.key,
            chapter=block.chapter,
            chapter_key=block.chapter.key,
            section=block.section,
            section_key=block.section.key if block.section_id else "",
        )
    values.update(kwargs)
    values.setdefault("text", f"Uwaga numer {number} do projektu strategii.")
    return Comment.objects.create(
        consultation=consultation, version=consultation.version, number=number, status=status, **values
    )


def make_meeting(consultation, title="Debata o projekcie strategii", participants=None) -> Meeting:
    event = Event.objects.create(
        title=title,
        stage=Stage.objects.get(number=7),
        channel=Channel.objects.get(code="spotkanie-dzielnicowe"),
        district=District.objects.get(is_whole_city=True),
        place="Ratusz, Sala Obrad",
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    return Meeting.objects.create(consultation=consultation, event=event, participants=participants)
