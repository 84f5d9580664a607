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


@dataclass
class TimelineEntry:
    stage: Stage
    state: str  # "done" | "current" | "upcoming"
    # A coordinator's pin keeps running a stage whose planned period has ended: it runs until further notice.
    extended: bool = False
    # The pin puts the stage where its planned dates do not: done before its end, upcoming after its start.
    off_schedule: bool = False


@dataclass
class WindowStatus:
    kind: str
    label: str
    is_open: bool
    window: ParticipationWindow | None
    next_opens_on: datetime.date | None
    closed_on: datetime.date | None
    # The last day of an open window, or None while a pinned stage keeps it open past its planned end:
    # pages then say "until further notice" and never show a date that has passed as the closing day.
    open_until: datetime.date | None = None


@dataclass
class Calendar:
    """The process calendar on one day: the coordinator's override and every stage with its windows.

    Three queries, then every question about stages and windows is answered from memory, so a page
    that shows the timeline, the running stages and the open windows reads the calendar once.
    """

    day: datetime.date
    state: ProcessState | None
    stages: list[Stage]  # by number, each with its windows prefetched

    @property
    def pinned_stage(self) -> Stage | None:
        if not (self.state and self.state.current_stage_override_id):
            return None
        return next((s for s in self.stages if s.pk == self.state.current_stage_override_id), None)

    def running_stages(self) -> list[Stage]:
        """The override alone, or every stage whose period holds the day.

        The city's calendar overlaps stages (III, IV and V all run in Q2 2021), so more than one can run.
        """
        pinned = self.pinned_stage
        return [pinned] if pinned is not None else self._in_period()

    def current_stage(self) -> Stage | None:
        """The coordinator's override, or the most advanced running stage."""
        running = self.running_stages()
        return running[-1] if running else None

    def calendar_stage(self) -> Stage | None:
        """What the calendar alone says, ignoring any override."""
        in_period = self._in_period()
        return in_period[-1] if in_period else None

    def _in_period(self) -> list[Stage]:
        return [s for s in self.stages if s.starts_on <= self.day <= s.ends_on]

    def windows(self) -> list[ParticipationWindow]:
        return [window for stage in self.stages for window in stage.windows.all()]

    def open_windows(self) -> list[ParticipationWindow]:
        """Every window open on the day, one per kind (the most advanced stage's where stages overlap).

        A window is open when a running stage opens it and, if the window has dates of its own, the
        day falls between them. With an override only the pinned stage runs.
        """
        by_kind: dict[str, ParticipationWindow] = {}
        for stage in reversed(self.running_stages()):
            for window in stage.windows.all():
                if window.opens_on and self.day < window.opens_on:
                    continue
                if window.closes_on and self.day > window.closes_on:
                    continue
                by_kind.setdefault(window.kind, window)
        return sorted(by_kind.values(), key=lambda w: (w.stage.number, w.kind))

    def open_window(self, kind: str) -> ParticipationWindow | None:
        return next((window for window in self.open_windows() if window.kind == kind), None)

    def open_until(self, window: ParticipationWindow) -> datetime.date | None:
        """The closing day to show for an open window; None when a pin keeps it open past its last day."""
        return window.last_day if window.last_day >= self.day else None

    def _open_status(self, window: ParticipationWindow) -> WindowStatus:
        return WindowStatus(
            kind=window.kind,
            label=WindowKind(window.kind).label,
            is_open=True,
            window=window,
            next_opens_on=None,
            closed_on=None,
            open_until=self.open_until(window),
        )

    def open_window_statuses(self) -> list[WindowStatus]:
        """Every open window with the closing day a page may show."""
        return [self._open_status(window) for window in self.open_windows()]

    def window_status(self, kind: str) -> WindowStatus:
        """Open now? Until when? If not, when does it open next, or when did it close?"""
        window = self.open_window(kind)
        if window is not None:
            return self._open_status(window)
        windows = [w for w in self.windows() if w.kind == kind]
        future = [w.first_day for w in windows if w.first_day > self.day]
        past = [w.last_day for w in windows if w.last_day < self.day]
        return WindowStatus(
            kind=kind,
            label=WindowKind(kind).label,
            is_open=False,
            window=None,
            next_opens_on=min(future) if future else None,
            closed_on=max(past) if past else None,
        )

    def stage_window_statuses(self, stage: Stage) -> list[WindowStatus]:
        """The windows of one stage, each open or not today (a stage page lists them all)."""
        open_ids = {window.pk for window in self.open_windows()}
        statuses = []
        for window in stage.windows.all():
            if window.pk in open_ids:
                statuses.append(self._open_status(window))
            else:
                statuses.append(
                    WindowStatus(
                        kind=window.kind,
                        label=WindowKind(window.kind).label,
                        is_open=False,
                        window=window,
                        next_opens_on=window.first_day if window.first_day > self.day else None,
                        closed_on=window.last_day if window.last_day < self.day else None,
                    )
                )
        return statuses

    def is_extended(self, stage: Stage) -> bool:
        """Does a pin keep this stage running although its planned period has ended?"""
        return stage.ends_on < self.day and stage in self.running_stages()

    def timeline(self) -> list[TimelineEntry]:
        running = {stage.pk for stage in self.running_stages()}
        pinned = self.pinned_stage
        entries = []
        for stage in self.stages:
            off_schedule = extended = False
            if stage.pk in running:
                state = "current"
                extended = stage.ends_on < self.day
            elif pinned is not None:
                state = "done" if stage.number < pinned.number else "upcoming"
                off_schedule = stage.ends_on >= self.day if state == "done" else stage.starts_on <= self.day
            else:
                state = "done" if stage.ends_on < self.day else "upcoming"
            entries.append(TimelineEntry(stage=stage, state=state, extended=extended, off_schedule=off_schedule))
        return entries

    def next_window(self) -> ParticipationWindow | None:
        """The next window to open after the day, for 'what comes next' on the home page."""
        upcoming = [w for w in self.windows() if w.first_day > self.day]
        return min(upcoming, key=lambda w: w.first_day) if upcoming else None


def calendar(*, at=None) -> Calendar:
    """The calendar on the day of `at` (today by default). Three queries."""
    return Calendar(day=_local_date(at), state=process_state(), stages=list(stage_list()))


# One question each; a page asking several should read `calendar()` once instead.


def current_stage_among(stages: list[Stage], *, at=None) -> Stage | None:
    """The current stage when the caller already holds the stages (one query: the override)."""
    return Calendar(day=_local_date(at), state=process_state(), stages=list(stages)).current_stage()


def running_stages(*, at=None) -> list[Stage]:
    return calendar(at=at).running_stages()


def current_stage(*, at=None) -> Stage | None:
    return calendar(at=at).current_stage()


def calendar_stage(*, at=None) -> Stage | None:
    return calendar(at=at).calendar_stage()


def open_windows(*, at=None) -> list[ParticipationWindow]:
    return calendar(at=at).open_windows()


def open_window(kind: str, *, at=None) -> ParticipationWindow | None:
    """The open window of `kind`, whose `.stage` is the stage a contribution belongs to."""
    return calendar(at=at).open_window(kind)


def is_window_open(kind: str, *, at=None) -> bool:
    """Is window `kind` open at time `at` (now by default)? Every service that depends on a stage asks this."""
    return open_window(kind, at=at) is not None


def window_status(kind: str, *, at=None) -> WindowStatus:
    return calendar(at=at).window_status(kind)


def timeline(*, at=None) -> list[TimelineEntry]:
    return calendar(at=at).timeline()


def next_window(*, at=None) -> ParticipationWindow | None:
    return calendar(at=at).next_window()
