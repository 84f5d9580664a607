"""Reads about the process calendar. `is_window_open` is the one answer every service asks."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import ParticipationWindow, ProcessState, Stage, WindowKind


def _local_date(at: datetime.datetime | datetime.date | None) -> datetime.date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, datetime.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def stage_list():
    return Stage.objects.prefetch_related("windows").order_by("number")


def process_state() -> ProcessState | None:
    return ProcessState.objects.select_related("current_stage_override").first()


def running_stages(*, at=None, state: ProcessState | None = None) -> list[Stage]:
    """The stages in progress at `at`: the override alone, or every stage whose period holds the day.

    The city's calendar overlaps stages (III, IV and V all run in Q2 2021), so more than one can run.
    """
    state = state if state is not None else process_state()
    if state and state.current_stage_override_id:
        return [state.current_stage_override]
    day = _local_date(at)
    return list(Stage.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("number"))


def current_stage(*, at=None) -> Stage | None:
    """The stage the process is in: the coordinator's override, or the most advanced running one."""
    running = running_stages(at=at)
    return running[-1] if running else None


def calendar_stage(*, at=None) -> Stage | None:
    """What the calendar alone says, ignoring any override."""
    day = _local_date(at)
    return Stage.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("-number").first()


def open_windows(*, at=None) -> list[ParticipationWindow]:
    """Every window open at `at`, one per kind (the most advanced stage's where stages overlap).

    A window is open when a running stage opens it and, if the window has dates of its own, `at`
    falls between them. With an override only the pinned stage runs. Three queries.
    """
    stages = running_stages(at=at)
    if not stages:
        return []
    day = _local_date(at)
    windows = ParticipationWindow.objects.select_related("stage").filter(stage__in=stages)
    by_kind: dict[str, ParticipationWindow] = {}
    for window in sorted(windows, key=lambda w: -w.stage.number):
        if window.opens_on and day < window.opens_on:
            continue
        if window.closes_on and day > window.closes_on:
            continue
        by_kind.setdefault(window.kind, window)
    return sorted(by_kind.values(), key=lambda w: (w.stage.number, w.kind))


def open_window(kind: str, *, at=None) -> ParticipationWindow | None:
    """The open window of `kind`, whose `.stage` is the stage a contribution belongs to."""
    return next((window for window in open_windows(at=at) if window.kind == kind), None)


def is_window_open(kind: str, *, at=None) -> bool:
    """Is window `kind` open at time `at` (now by default)? Every service that depends on a stage asks this."""
    return open_window(kind, at=at) is not None


@dataclass
class WindowStatus:
    kind: str
    label: str
    is_open: bool
    window: ParticipationWindow | None
    next_opens_on: datetime.date | None
    closed_on: datetime.date | None


def window_status(kind: str, *, at=None) -> WindowStatus:
    """Open now? If not, when does it open next, or when did it close?"""
    day = _local_date(at)
    window = open_window(kind, at=at)
    next_opens_on = closed_on = None
    if window is None:
        windows = list(ParticipationWindow.objects.select_related("stage").filter(kind=kind))
        future = [w.first_day for w in windows if w.first_day > day]
        past = [w.last_day for w in windows if w.last_day < day]
        next_opens_on = min(future) if future else None
        closed_on = max(past) if past else None
    return WindowStatus(
        kind=kind,
        label=WindowKind(kind).label,
        is_open=window is not None,
        window=window,
        next_opens_on=next_opens_on,
        closed_on=closed_on,
    )


@dataclass
class TimelineEntry:
    stage: Stage
    state: str  # "done" | "current" | "upcoming"


def timeline(*, at=None) -> list[TimelineEntry]:
    day = _local_date(at)
    pinned = process_state()
    running = {stage.pk for stage in running_stages(at=at, state=pinned)}
    pinned_number = pinned.current_stage_override.number if pinned and pinned.current_stage_override_id else None
    entries = []
    for stage in stage_list():
        if stage.pk in running:
            state = "current"
        elif pinned_number is not None:
            state = "done" if stage.number < pinned_number else "upcoming"
        else:
            state = "done" if stage.ends_on < day else "upcoming"
        entries.append(TimelineEntry(stage=stage, state=state))
    return entries


def next_window(*, at=None) -> ParticipationWindow | None:
    """The next window to open after `at`, for 'what comes next' on the home page."""
    day = _local_date(at)
    windows = ParticipationWindow.objects.select_related("stage").order_by("stage__number")
    upcoming = [w for w in windows if w.first_day > day]
    return min(upcoming, key=lambda w: w.first_day) if upcoming else None
