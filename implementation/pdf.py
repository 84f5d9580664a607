"""The annual report on the implementation of the strategy (raport z realizacji strategii), a report kind.

`report.subject_id` is the year reported on. The reports pipeline renders it in one WeasyPrint pass (tagged
PDF/UA, the contents with page numbers, "strona X z Y"); this module chooses what to print: for the version
in force, goal by goal, each indicator's value at the end of the year against its baseline and target, the
actions under way in the year with their budgets, the sector strategies and the educational programme.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from reports.rendering import TocEntry, base_context
from strategy.adoption.selectors import in_force_version
from strategy.selectors import current_strategy

from . import selectors
from .models import ActionStatus
from .progress import indicator_progress, progress_label


@dataclass
class YearIndicator:
    row: selectors.IndicatorRow
    value: object  # the last measurement up to the end of the year, or None
    progress: Decimal | None
    state: str


def _overlaps(action, first: datetime.date, last: datetime.date) -> bool:
    starts, ends = action.starts_on or first, action.ends_on or last
    return starts <= last and ends >= first and action.status != ActionStatus.CANCELLED


def annual(year: int):
    """What the report of `year` prints, or None before the strategy is adopted."""
    version = in_force_version(current_strategy())
    if version is None:
        return None
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    data = selectors.monitoring(version, charts=False)
    goals = []
    for goal_row in data.goals:
        indicators = []
        for row in goal_row.indicators:
            upto = [m for m in row.measurements if m.measured_on <= last]
            value = upto[-1] if upto else None
            percent = indicator_progress(
                baseline=row.indicator.baseline_value,
                target=row.indicator.target_value,
                value=value.value if value else None,
                polarity=row.indicator.polarity,
            )
            indicators.append(YearIndicator(row, value, percent, progress_label(percent)))
        actions = [action for action in goal_row.actions if _overlaps(action, first, last)]
        goals.append({"row": goal_row, "indicators": indicators, "actions": actions})
    events = [e for e in selectors.educational_events() if first <= e.event.starts_at.date() <= last]
    return {"version": version, "year": year, "goals": goals, "monitoring": data, "events": events}


def monitoring_html(report) -> str:
    year = int(report.subject_id)
    data = annual(year)
    if data is None:
        raise ValueError("The strategy is not adopted: there is nothing to report on.")
    toc = [
        TocEntry(
            _("Strategic goal %(number)s") % {"number": g["row"].goal.number} + f": {g['row'].goal.title}",
            f"g-{g['row'].goal.key}",
        )
        for g in data["goals"]
    ]
    toc += [
        TocEntry(_("Sector strategies and programmes"), "programmes"),
        TocEntry(_("Educational programme"), "education"),
    ]
    actions = data["monitoring"].actions
    context = base_context(report, single_pass=True)
    context.update(
        {
            **data,
            "toc": toc,
            "subtitle": data["version"].strategy.title,
            "cover_facts": [
                (_("Year"), year),
                (_("Version in force"), data["version"].number),
                (_("Strategic goals"), len(data["goals"])),
                (_("Actions"), len(actions)),
            ],
        }
    )
    return render_to_string("implementation/pdf/monitoring.html", context)
