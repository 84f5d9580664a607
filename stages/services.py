"""Writes about the process calendar."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lublin2030.permissions import require_permission

from .models import ParticipationWindow, ProcessState, Stage
from .selectors import window_status


class WindowClosed(ValidationError):
    """Raised by a service when the participation window it depends on is not open."""


def require_open_window(kind: str, *, at=None) -> None:
    """Every service whose write depends on a stage calls this first."""
    status = window_status(kind, at=at)
    if status.is_open:
        return
    if status.next_opens_on:
        message = _("“%(label)s” is not open now. It opens on %(date)s.") % {
            "label": status.label,
            "date": status.next_opens_on.strftime("%d.%m.%Y"),
        }
    elif status.closed_on:
        message = _("“%(label)s” closed on %(date)s.") % {
            "label": status.label,
            "date": status.closed_on.strftime("%d.%m.%Y"),
        }
    else:
        message = _("“%(label)s” is not open now.") % {"label": status.label}
    raise WindowClosed(message, code="window_closed")


@transaction.atomic
def process_set_current_stage(*, actor, stage: Stage | None, reason: str = "") -> ProcessState:
    """A coordinator pins the current stage (or, with None, returns to the calendar)."""
    require_permission(actor, "stages.manage_process", message=_("Only coordinators manage the process."))
    state = ProcessState.objects.select_for_update().first() or ProcessState()
    state.current_stage_override = stage
    state.changed_by = actor
    state.changed_at = timezone.now()
    state.reason = reason.strip()
    state.full_clean()
    state.save()
    return state


@transaction.atomic
def window_set_dates(*, actor, stage: Stage, kind: str, opens_on, closes_on) -> ParticipationWindow:
    """Open a stage's window of `kind` on exactly these days (creating it if the stage has none).

    Apps whose participation has dates of its own (the formal consultation) keep the calendar in step
    with them through this, so `require_open_window` and the stage pages say the same as they do.
    """
    require_permission(actor, "stages.manage_process", message=_("Only coordinators manage the process."))
    window, _created = ParticipationWindow.objects.select_for_update().get_or_create(
        stage=stage, kind=kind, defaults={"opens_on": opens_on, "closes_on": closes_on}
    )
    window.opens_on, window.closes_on = opens_on, closes_on
    window.full_clean()
    window.save(update_fields=["opens_on", "closes_on"])
    return window
