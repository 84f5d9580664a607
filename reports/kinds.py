"""Report kinds that apps above reports print (the strategy's PDF): they register how, reports never imports them.

An app calls `register(kind, render)` in its AppConfig.ready(); `render(report)` returns the whole HTML of a
single-pass report, with the report's language active, for the object `report.subject_id`. The pipeline then
makes it like any other report: one WeasyPrint pass, tagged PDF/UA, the footer "page X of Y".

A kind that can be long (the consultation report: thousands of comments) also registers `parts=Parts(...)`:
the pipeline then cuts it as the opinions report is cut, into a front matter and parts rendered by any worker
and merged (memory per process bounded by REPORTS_CHUNK_SIZE, parts rendered in parallel):

- `plan(report)` returns `(front_spec, [part_spec, ...])` (JSON-able dicts; the front's needs "digits", the
  width of the longest page number) or None to render the report in one pass;
- `render_front(report, front_spec, page_of)` returns the front matter's HTML, `page_of(anchor)` giving the page
  label of an anchor printed in a part (a placeholder while the parts' lengths are not known);
- `render_part(report, part_spec)` returns one part's HTML;
- `outline(report, front_anchors, located, front_spec)` returns the PDF outline (`reports.pdfmerge.OutlineItem`),
  anchors given as {name: (page index, left, top)} of the front and of the parts.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Parts:
    plan: Callable
    render_front: Callable
    render_part: Callable
    outline: Callable


_renderers: dict[str, Callable] = {}
_parts: dict[str, Parts] = {}


def register(kind: str, render: Callable, *, parts: Parts | None = None) -> None:
    _renderers[kind] = render
    if parts is not None:
        _parts[kind] = parts


def is_registered(kind: str) -> bool:
    return kind in _renderers


def render(report) -> str:
    return _renderers[report.kind](report)


def parts(kind: str) -> Parts | None:
    """How a registered kind is cut into parts, or None: it is rendered in one pass."""
    return _parts.get(kind)
