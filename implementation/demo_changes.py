"""The demo's version after the consultation, with the comments that changed it: between the consultation's demo
and the adoption's, the editorial team starts the next version, revises two paragraphs and cites, for each, the
consultation comments taken into account that led to it. `strategy.adoption.demo` then adopts that version.

It lives here because it joins the strategy and the consultation, and implementation sits above both.
Idempotent: nothing is done once a version follows the consulted one.
"""

from django.db import transaction

from consultation.models import Answer, Comment, Consultation
from consultation.services import change_cite
from strategy import services
from strategy.adoption.demo import revise
from strategy.models import StrategyVersion, TeamMembership, TeamRole

COMMENTS_PER_CHANGE = 2


@transaction.atomic
def seed(*, stdout, **options):
    consultation = Consultation.objects.select_related("version__strategy").order_by("-id").first()
    if consultation is None:
        stdout.write("implementation: no demo consultation, no changes to cite")
        return
    consulted = consultation.version
    if StrategyVersion.objects.filter(strategy=consulted.strategy, number__gt=consulted.number).exists():
        stdout.write("implementation: the version after the consultation exists already")
        return
    membership = (
        TeamMembership.objects.filter(strategy=consulted.strategy, role=TeamRole.EDITOR, withdrawn_at__isnull=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        return
    team = membership.user
    version = services.version_create(
        actor=team, strategy=consulted.strategy, based_on=consulted, note="Projekt po konsultacjach"
    )
    taken = list(
        Comment.objects.in_report()
        .filter(consultation=consultation, answer__in=(Answer.TAKEN, Answer.PARTLY))
        .order_by("number")
    )
    cited, used = 0, set()
    for block in revise(version, team):
        # The comments on that very paragraph first, then any other taken into account.
        ranked = sorted((c for c in taken if c.pk not in used), key=lambda c: c.block_key != block.key)
        chosen = ranked[:COMMENTS_PER_CHANGE]
        used.update(c.pk for c in chosen)
        if chosen:
            change_cite(actor=team, version=version, block_key=block.key, comment_ids=[c.pk for c in chosen])
            cited += len(chosen)
    stdout.write(f"implementation: version {version.number} after the consultation, {cited} comments cited as causes")
