"""Report kinds that apps above reports print (the strategy's PDF): they register how, reports never imports them.

An app calls `register(kind, render)` in its AppConfig.ready(); `render(report)` returns the whole HTML of a
single-pass report, with the report's language active, for the object `report.subject_id`. The pipeline then
makes it like any other report: one WeasyPrint pass, tagged PDF/UA, the footer "page X of Y".
"""

from collections.abc import Callable

_renderers: dict[str, Callable] = {}


def register(kind: str, render: Callable) -> None:
    _renderers[kind] = render


def is_registered(kind: str) -> bool:
    return kind in _renderers


def render(report) -> str:
    return _renderers[report.kind](report)
