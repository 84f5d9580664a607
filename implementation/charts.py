"""An indicator's values over time as an SVG line chart drawn on the server: no script, no inline style.

The chart is a picture of the table beside it (the data table is always on the page): the baseline, every
measurement, and a dashed line from the baseline to the target. Coordinates are computed here; the template
only writes them into <polyline>, <line> and <circle> elements styled by classes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 12, 26


@dataclass
class Point:
    x: float
    y: float
    label: str

    # SVG coordinates are written with a dot whatever the page's language: never through a localized filter.
    @property
    def sx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def sy(self) -> str:
        return f"{self.y:.1f}"


@dataclass
class Chart:
    points: list[Point] = field(default_factory=list)
    baseline: Point | None = None
    target: Point | None = None
    y_ticks: list[Point] = field(default_factory=list)
    x_ticks: list[Point] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        line = ([self.baseline] if self.baseline else []) + self.points
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in line)

    @property
    def bottom(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return WIDTH - RIGHT


def _year_fraction(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    return day.year + (day - start).days / 365.25


def indicator_chart(
    *, baseline_year: int, baseline: Decimal, target_year: int, target: Decimal, measurements, fmt
) -> Chart:
    """`measurements`: (date, value) pairs in date order; `fmt` formats a number as the page does."""
    years = [float(baseline_year), float(target_year)] + [_year_fraction(day) for day, _value in measurements]
    values = [float(baseline), float(target)] + [float(value) for _day, value in measurements]
    x_low, x_high = min(years), max(years)
    y_low, y_high = min(values), max(values)
    if y_high == y_low:
        y_low, y_high = y_low - 1, y_high + 1
    pad = (y_high - y_low) * 0.08
    y_low, y_high = y_low - pad, y_high + pad
    x_span = (x_high - x_low) or 1.0

    def x(year: float) -> float:
        return LEFT + (year - x_low) / x_span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (y_high - value) / (y_high - y_low) * (HEIGHT - TOP - BOTTOM)

    chart = Chart(
        baseline=Point(x(baseline_year), y(float(baseline)), fmt(baseline)),
        target=Point(x(target_year), y(float(target)), fmt(target)),
        points=[Point(x(_year_fraction(day)), y(float(value)), fmt(value)) for day, value in measurements],
    )
    for value in (y_high - pad, (y_high + y_low) / 2, y_low + pad):
        chart.y_ticks.append(Point(LEFT - 4, y(value), fmt(Decimal(str(round(value, 2))))))
    first, last = int(x_low), int(round(x_high))
    chart.x_ticks = [Point(x(first), HEIGHT - 8, str(first)), Point(x(last), HEIGHT - 8, str(last))]
    return chart
