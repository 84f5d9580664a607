"""Demo: a finished consultation of the demo draft, ready for its report.

Called by `manage.py seed_demo` after the strategy's demo. The strategy's demo leaves version 1 in internal
review; here the city settles its checklist and publishes it as the consultation draft (through the strategy's
services), then the consultation that ran on it: announced 60 days ago for 40 days, one debate with its
participants, about three hundred comments from every channel (online from residents and organisations, the
debate, paper forms, e-mails, letters), a few rejected as abuse, a neighbourhood campaign grouped and answered
at once, and every other comment answered, so that a coordinator can generate the report at once.

The comments are written straight to the tables in bulk (as participation's demo writes its opinions): the
services refuse comments outside the consultation's period, and this one has ended. Idempotent: a second run
finds the consultation and does nothing.
"""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from participation.models import Channel, District, Event, ModerationAction, ModerationLogEntry, ModerationStatus
from stages.models import Stage
from strategy import services as strategy_services
from strategy.models import Block, ChecklistItem, CommentStatus, InternalComment, ItemStatus, VersionState
from strategy.selectors import current_strategy

from . import demo_texts as texts
from .models import Answer, Comment, CommentChannel, CommentGroup, Consultation, Meeting, SpeaksAs, Target

EDITOR_EMAIL = "redakcja@example.org"
COORDINATOR_EMAIL = DEMO_USERS[2][0]
RESIDENT_EMAIL = DEMO_USERS[0][0]
STARTED_DAYS_AGO = 60
DAYS = 40
COMMENTERS = 24
# How many comments come through each channel (the campaign and abuse come on top, online).
CHANNELS = {
    CommentChannel.ONLINE: 170,
    CommentChannel.MEETING: 40,
    CommentChannel.PAPER: 40,
    CommentChannel.EMAIL: 25,
    CommentChannel.LETTER: 12,
}
CAMPAIGN_SIZE = 14
ANSWER_SHARES = [
    (Answer.TAKEN, 30),
    (Answer.PARTLY, 20),
    (Answer.NOT_TAKEN, 35),
    (Answer.OUT_OF_SCOPE, 12),
    (Answer.WITHDRAWN, 3),
]


def _publish_draft(version, city, editor) -> None:
    """Settle the formal evaluation left half-done by the strategy's demo and publish the consultation draft."""
    for item in ChecklistItem.objects.filter(version=version).exclude(status=ItemStatus.DONE):
        strategy_services.checklist_item_update(
            actor=city,
            item=item,
            expected_revision=item.revision,
            data=strategy_services.ChecklistData(
                status=ItemStatus.DONE, responsible=item.responsible or city, notes=item.notes or "Zakończone."
            ),
        )
    for comment in InternalComment.objects.filter(version=version, status=CommentStatus.OPEN):
        strategy_services.internal_comment_answer(
            actor=editor, comment=comment, status=CommentStatus.RESOLVED, resolution="Uzupełniono dane w akapicie."
        )
    strategy_services.version_publish(actor=city, version=version)


def _commenters() -> list[User]:
    """Demo residents with verified addresses (one password hash for all: hashing is the slow part)."""
    password = make_password(DEMO_PASSWORD)
    people = []
    for n in range(1, COMMENTERS + 1):
        email = f"mieszkaniec{n:02d}@example.org"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(email=email, display_name=f"Mieszkaniec {n}", password=password)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people.append(user)
    resident = User.objects.filter(email=RESIDENT_EMAIL).first()
    return ([resident] if resident else []) + people


def _meeting(consultation, starts_on) -> Meeting:
    when = timezone.make_aware(datetime.datetime.combine(starts_on + datetime.timedelta(days=14), datetime.time(17)))
    event = Event.objects.create(
        title="Debata o projekcie Strategii Lublin 2030",
        description="Prezentacja projektu strategii i zbieranie uwag mieszkańców.",
        stage=Stage.objects.get(number=7),
        channel=Channel.objects.filter(code="spotkanie-dzielnicowe").first() or Channel.objects.first(),
        district=District.objects.filter(is_whole_city=True).first() or District.objects.first(),
        place="Ratusz, Sala Obrad, Plac Króla Władysława Łokietka 1",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2, minutes=30),
    )
    return Meeting.objects.create(consultation=consultation, event=event, participants=48, notes="Protokół w BIP.")


def _place(rng, target, blocks) -> dict:
    if target == Target.BLOCK:
        block = rng.choice(blocks)
        section = block.section
        return {
            "block": block,
            "block_key": block.key,
            "section": section,
            "section_key": section.key if section else "",
            "chapter": block.chapter,
            "chapter_key": block.chapter.key,
        }
    if target == Target.SECTION:
        section = rng.choice([block.section for block in blocks if block.section_id])
        return {
            "section": section,
            "section_key": section.key,
            "chapter": section.chapter,
            "chapter_key": section.chapter.key,
        }
    return {}


def _targets(rng) -> str:
    return rng.choices([Target.BLOCK, Target.SECTION, Target.DOCUMENT, Target.NEW_PROVISION], weights=[78, 10, 9, 3])[0]


def _comments(rng, consultation, meeting, blocks, people, staff, now) -> list[Comment]:
    rows = []
    start = consultation.starts_on
    for channel, count in CHANNELS.items():
        for _ in range(count):
            target = _targets(rng)
            organisation = rng.random() < 0.12
            author = rng.choice(people) if channel == CommentChannel.ONLINE else None
            text = rng.choice(texts.ORGANISATION_COMMENTS if organisation else texts.COMMENTS)
            proposed = rng.choice(texts.PROPOSED) if target == Target.NEW_PROVISION or rng.random() < 0.35 else ""
            name = rng.choice(texts.ORGANISATIONS) if organisation else ""
            if not organisation and channel != CommentChannel.ONLINE and rng.random() < 0.5:
                name = f"{rng.choice(['Anna', 'Piotr', 'Maria', 'Tomasz', 'Ewa', 'Jan'])} {rng.choice(['N.', 'K.', 'W.', 'Z.'])}"
            day = (
                meeting.event.starts_at.date()
                if channel == CommentChannel.MEETING
                else start + datetime.timedelta(days=rng.randrange(DAYS + 1))
            )
            rows.append(
                Comment(
                    consultation=consultation,
                    version=consultation.version,
                    target=target,
                    text=text,
                    proposed_wording=proposed,
                    justification=rng.choice(texts.JUSTIFICATIONS) if rng.random() < 0.8 else "",
                    author=author,
                    speaks_as=SpeaksAs.ORGANISATION if organisation else SpeaksAs.PERSON,
                    commenter_name=name,
                    channel=channel,
                    received_on=day,
                    meeting=meeting if channel == CommentChannel.MEETING else None,
                    entered_by=None if channel == CommentChannel.ONLINE else staff,
                    status=ModerationStatus.PUBLISHED,
                    moderated_by=staff,
                    moderated_at=now,
                    published_at=now,
                    **_place(rng, target, blocks),
                )
            )
    for _ in range(CAMPAIGN_SIZE):
        rows.append(
            Comment(
                consultation=consultation,
                version=consultation.version,
                target=Target.DOCUMENT,
                text=texts.CAMPAIGN,
                justification="",
                author=rng.choice(people),
                channel=CommentChannel.ONLINE,
                received_on=start + datetime.timedelta(days=rng.randrange(20, DAYS)),
                status=ModerationStatus.PUBLISHED,
                moderated_by=staff,
                moderated_at=now,
                published_at=now,
            )
        )
    for text, reason in texts.ABUSE:
        rows.append(
            Comment(
                consultation=consultation,
                version=consultation.version,
                target=Target.DOCUMENT,
                text=text,
                author=rng.choice(people),
                channel=CommentChannel.ONLINE,
                received_on=start + datetime.timedelta(days=rng.randrange(DAYS)),
                status=ModerationStatus.REJECTED,
                rejection_reason=reason,
                moderated_by=staff,
                moderated_at=now,
            )
        )
    rows.sort(key=lambda comment: (comment.received_on, rng.random()))
    for number, comment in enumerate(rows, start=1):
        comment.number = number
        comment.external_id = None if comment.channel == CommentChannel.ONLINE else f"DEMO-{number:04d}"
    return rows


def _answer(rng, rows, editor, city, now) -> None:
    """Every comment the report lists gets its answer; the team's two members share the work."""
    answers, weights = zip(*ANSWER_SHARES, strict=True)
    for comment in rows:
        if comment.status == ModerationStatus.REJECTED:
            continue
        if comment.text == texts.CAMPAIGN:
            comment.answer, comment.answer_justification = Answer.TAKEN, texts.CAMPAIGN_ANSWER
        else:
            comment.answer = rng.choices(answers, weights=weights)[0]
            if comment.answer == Answer.WITHDRAWN and comment.channel != CommentChannel.MEETING:
                comment.answer = Answer.NOT_TAKEN
            comment.answer_justification = rng.choice(texts.ANSWERS[comment.answer])
        comment.assignee = comment.answered_by = rng.choice([editor, city])
        comment.answered_at = now


@transaction.atomic
def seed(*, stdout, seed: int = 2030, **options):
    strategy = current_strategy()
    city = User.objects.filter(email=COORDINATOR_EMAIL).first()
    editor = User.objects.filter(email=EDITOR_EMAIL).first()
    staff = User.objects.filter(email=DEMO_USERS[1][0]).first()
    version = strategy.versions.order_by("number").first() if strategy else None
    if version is None or city is None or editor is None:
        stdout.write("consultation: no demo draft or no demo team (run the strategy's demo first)")
        return
    if Consultation.objects.filter(version__strategy=strategy).exists():
        stdout.write("consultation: the demo consultation exists already")
        return
    if version.state == VersionState.INTERNAL_REVIEW:
        _publish_draft(version, city, editor)
        version.refresh_from_db()
    if version.state != VersionState.CONSULTATION_DRAFT:
        stdout.write(f"consultation: version {version.number} is “{version.get_state_display()}”, not consulted")
        return
    rng = random.Random(seed)
    now = timezone.now()
    starts_on = timezone.localdate() - datetime.timedelta(days=STARTED_DAYS_AGO)
    consultation = Consultation.objects.create(
        version=version,
        title="Konsultacje społeczne projektu Strategii Rozwoju Lublina na lata 2021–2030",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=DAYS),
        announcement=(
            "Prezydent Miasta Lublin zaprasza mieszkańców, organizacje pozarządowe, gminy sąsiednie i inne "
            "podmioty do zgłaszania uwag do projektu Strategii Rozwoju Lublina na lata 2021–2030.\n\n"
            "Uwagi można zgłaszać do każdego akapitu, podrozdziału i rozdziału projektu, do całego dokumentu "
            "lub jako propozycję nowego zapisu. Miasto odpowie na każdą uwagę w sprawozdaniu z konsultacji."
        ),
        who_may_comment="Mieszkańcy Lublina, gminy sąsiednie i ich związki, organizacje pozarządowe, partnerzy "
        "społeczni i gospodarczy oraz wszyscy zainteresowani.",
        online_form=True,
        paper_forms="Biuro Partycypacji Społecznej, ul. Peowiaków 11 (pok. 12) oraz rady dzielnic.",
        email_address="strategia@example.org",
        postal_address="Urząd Miasta Lublin, Biuro Partycypacji Społecznej, Plac Króla Władysława Łokietka 1, "
        "20-109 Lublin (decyduje data wpływu)",
        contact_person="Katarzyna Nowak, Biuro Partycypacji Społecznej",
        contact_email="strategia@example.org",
        contact_phone="81 466 00 00",
        published_where="Biuletyn Informacji Publicznej Urzędu Miasta Lublin (bip.lublin.eu), tablica ogłoszeń "
        "w Ratuszu, lublin.eu",
        announced_at=timezone.make_aware(datetime.datetime.combine(starts_on, datetime.time(9))),
        announced_by=city,
        created_by=city,
    )
    meeting = _meeting(consultation, starts_on)
    blocks = list(Block.objects.filter(version=version).select_related("chapter", "section"))
    rows = _comments(rng, consultation, meeting, blocks, _commenters(), staff or city, now)
    _answer(rng, rows, editor, city, now)
    created = Comment.objects.bulk_create(rows, batch_size=500)
    Consultation.objects.filter(pk=consultation.pk).update(last_number=len(created))
    campaign = [comment.pk for comment in created if comment.text == texts.CAMPAIGN]
    group = CommentGroup.objects.create(
        consultation=consultation, title="Park Rusałka (akcja sąsiedzka)", created_by=editor
    )
    Comment.objects.filter(pk__in=campaign).update(group=group)
    content_type = ContentType.objects.get_for_model(Comment)
    ModerationLogEntry.objects.bulk_create(
        ModerationLogEntry(
            actor=staff or city,
            action=ModerationAction.IMPORT
            if comment.channel != CommentChannel.ONLINE
            else (ModerationAction.REJECT if comment.status == ModerationStatus.REJECTED else ModerationAction.PUBLISH),
            content_type=content_type,
            object_id=comment.pk,
            reason=comment.rejection_reason,
        )
        for comment in created
    )
    stdout.write(
        f"consultation: version {version.number} published as the consultation draft; the consultation ran "
        f"{starts_on:%d.%m.%Y}–{consultation.ends_on:%d.%m.%Y} with {len(created)} comments, "
        f"one debate, every listed comment answered: the report can be generated "
        f"({COORDINATOR_EMAIL}, /panel/konsultacje/{consultation.pk}/sprawozdanie/)"
    )
