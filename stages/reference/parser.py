"""Reads the city's description of the stages: numbered headings with a period in quarters."""

import calendar
import datetime
import re
from dataclasses import dataclass

ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
HEADING = re.compile(r"^(?P<roman>[IVX]+)\.\s+(?P<title>.+?)\s+\((?P<period>[^()]*kwarta[łl][^()]*)\)\s*$")
# "IV kwartał 2018", "II–III kwartał 2021" (a range of quarters in one year)
QUARTERS = re.compile(r"(?P<first>[IV]+)(?:\s*[–-]\s*(?P<last>[IV]+))?\s+kwarta[łl]\s+(?P<year>\d{4})")


@dataclass
class StageText:
    number: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    description: str


def quarter_bounds(quarter: int, year: int) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def parse_period(period: str) -> tuple[datetime.date, datetime.date]:
    """'IV kwartał 2018 – IV kwartał 2019' -> (2018-10-01, 2019-12-31)."""
    bounds = []
    for match in QUARTERS.finditer(period):
        year = int(match["year"])
        first = ROMAN_VALUES[match["first"]]
        last = ROMAN_VALUES[match["last"]] if match["last"] else first
        bounds.append(quarter_bounds(first, year)[0])
        bounds.append(quarter_bounds(last, year)[1])
    if not bounds:
        raise ValueError(f"No quarter found in period {period!r}")
    return min(bounds), max(bounds)


def parse_stages(text: str) -> list[StageText]:
    stages: list[StageText] = []
    current: dict | None = None
    for raw_line in text.splitlines():
        line = raw_line.strip()
        heading = HEADING.match(line)
        if heading:
            if current:
                stages.append(_finish(current))
            starts_on, ends_on = parse_period(heading["period"])
            current = {
                "number": ROMAN_VALUES[heading["roman"]],
                "title": heading["title"].strip(),
                "starts_on": starts_on,
                "ends_on": ends_on,
                "paragraphs": [],
            }
        elif current and line:
            if current["paragraphs"] and len(line) < 60:
                # A short line after the description is the page's footer (links, logo), not text.
                stages.append(_finish(current))
                current = None
            else:
                current["paragraphs"].append(line)
    if current:
        stages.append(_finish(current))
    return stages


def _finish(current: dict) -> StageText:
    return StageText(
        number=current["number"],
        title=current["title"],
        starts_on=current["starts_on"],
        ends_on=current["ends_on"],
        description="\n\n".join(current["paragraphs"]),
    )
