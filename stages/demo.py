"""Demo calendar: the city's nine stages moved in time so that the demo runs a live process today.

Called by `manage.py seed_demo` first. The reference data keeps the city's real calendar (2018–2022);
a demo opened in a later year would otherwise show stage II "open until 31 December 2020" through a
pin, with the stages after it "upcoming" although their dates have passed. Instead, every stage and
window moves by whole quarters (the city plans in quarters) so that today falls in the last quarter
in which stage II runs alone: opinions are collected now, recruitment to the working groups opens
next, and every date on the pages tells the truth. No pin is needed, so the demo releases its own.

Idempotent: on the same quarter a second run moves nothing; a run in a later quarter moves the
calendar on by the quarters that passed (and `participation.demo` moves its dated data with it).
"""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from lublin2030 import versions

from .models import ParticipationWindow, ProcessState, Stage

DEMO_STAGE = 2  # collecting opinions: what a visitor of the demo can do first
# The pin an earlier demo set (before the calendar was laid around today); a coordinator's pin stays.
OLD_DEMO_PIN_REASON = "Demo: zbieranie opinii"


def _quarter(day: datetime.date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the last day of a month stays the last day (quarters end on one)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    is_last = day.day == calendar.monthrange(day.year, day.month)[1]
    return datetime.date(year, month + 1, last if is_last else min(day.day, last))


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def target_quarter_shift(stages: list[Stage], today: datetime.date) -> int:
    """How many quarters to move the calendar so that today is in the last quarter stage II runs alone."""
    demo = next(stage for stage in stages if stage.number == DEMO_STAGE)
    following = [stage.starts_on for stage in stages if stage.number > DEMO_STAGE]
    # The last quarter of stage II before the next stage starts (the city's stages overlap by a quarter).
    alone_until = min([*following, shift_months(demo.ends_on, 1)]) - datetime.timedelta(days=1)
    target = max(_quarter(alone_until), _quarter(demo.starts_on))
    return _quarter(today) - target


@transaction.atomic
def lay_calendar(*, today: datetime.date | None = None) -> int:
    """Move every stage and window so that stage II runs today; returns the months moved (0 if none)."""
    today = today or timezone.localdate()
    stages = list(Stage.objects.select_for_update().order_by("number"))
    if not any(stage.number == DEMO_STAGE for stage in stages):
        return 0
    months = 3 * target_quarter_shift(stages, today)
    if not months:
        return 0
    for stage in stages:
        stage.starts_on = shift_months(stage.starts_on, months)
        stage.ends_on = shift_months(stage.ends_on, months)
        stage.full_clean()
    Stage.objects.bulk_update(stages, ["starts_on", "ends_on"])
    windows = list(ParticipationWindow.objects.exclude(opens_on=None, closes_on=None))
    for window in windows:
        window.opens_on = window.opens_on and shift_months(window.opens_on, months)
        window.closes_on = window.closes_on and shift_months(window.closes_on, months)
    ParticipationWindow.objects.bulk_update(windows, ["opens_on", "closes_on"])
    versions.bump(versions.CALENDAR)  # bulk updates send no signal
    return months


def release_old_demo_pin() -> bool:
    """The pin an earlier demo set is released by the demo coordinator (the service needs a person)."""
    from accounts.demo import coordinator

    state = ProcessState.objects.filter(current_stage_override__isnull=False).first()
    actor = coordinator()
    if state is None or state.reason != OLD_DEMO_PIN_REASON or actor is None:
        return False
    from .services import process_set_current_stage

    process_set_current_stage(actor=actor, stage=None)
    return True


def seed(*, stdout, **options):
    if not Stage.objects.filter(number=DEMO_STAGE).exists():
        stdout.write("stages: no reference data; run `manage.py load_reference_data` first")
        return
    months = lay_calendar()
    released = release_old_demo_pin()
    stage = Stage.objects.get(number=DEMO_STAGE)
    moved = f"moved by {months} months" if months else "already laid around today"
    stdout.write(
        f"stages: calendar {moved}; stage {stage.roman} runs "
        f"{stage.starts_on:%d.%m.%Y}–{stage.ends_on:%d.%m.%Y}" + ("; released the old demo pin" if released else "")
    )
