"""The text of a strategy block: a small Markdown subset, cleaned, checked, rendered and sanitised.

The subset: paragraphs, bulleted and numbered lists, **bold**, *italics*, [links](https://…) and
pipe tables. Everything else CommonMark knows (headings, code, quotes, images, raw HTML) is switched
off in the parser, and whatever it produces goes through nh3 with an allow-list, so no raw HTML,
script or style attribute ever reaches a page. A text that *tries* (raw HTML tags, a
`javascript:` link) is refused with a message instead of being silently changed: the editor must
know what the reader will see.

Text pasted from Word arrives in a textarea as plain text with Word's habits: bullets "•" or
"" followed by a tab, "1)" numbering, tab-separated table rows, soft hyphens, zero-width and
non-breaking spaces, Windows line ends. `clean()` turns those into the subset.
"""

import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

OUTSIDE_SUBSET = [
    "code",
    "fence",
    "blockquote",
    "hr",
    "reference",
    "html_block",
    "heading",
    "lheading",
    "backticks",
    "strikethrough",
    "image",
    "html_inline",
    "linkify",
]

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_renderer.disable(OUTSIDE_SUBSET, ignoreInvalid=True)

# The same syntax, but raw HTML recognised and every link kept, so that the check can name them.
_inspector = MarkdownIt("commonmark", {"html": True}).enable("table")
_inspector.validateLink = lambda url: True

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"a": {"href"}, "ol": {"start"}},
    url_schemes=ALLOWED_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    set_tag_attribute_values={"th": {"scope": "col"}},
)

# Word's bullets: •, ·, ▪, ◦, ●, ○, ■, the Symbol font's private-use bullets, "o" + tab, "–" + space.
_WORD_BULLET = re.compile(r"^[ \t]*(?:[•·▪◦●○■□➢✓\uf0b7\uf0a7\uf0d8\uf076]|o\t|[–—]\s)[ \t]*", re.M)
_WORD_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[.)]\t+[ \t]*", re.M)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
_SPACES = re.compile("[\u00a0\u2007\u202f]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str) -> str:
    """The text as the editor meant it: Word's paste habits turned into the subset, whitespace tidied."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _WORD_BULLET.sub("- ", text)
    text = _WORD_NUMBER.sub(lambda match: f"{match.group(1)}. ", text)
    text = _tab_tables(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _tab_tables(text: str) -> str:
    """Runs of two or more lines with the same number of tabs (a table copied from Word) become a pipe table."""
    lines = text.split("\n")
    result: list[str] = []
    index = 0
    while index < len(lines):
        tabs = lines[index].count("\t")
        end = index
        while tabs and end < len(lines) and lines[end].count("\t") == tabs:
            end += 1
        if end - index >= 2:
            rows = [[cell.strip().replace("|", "\\|") for cell in line.split("\t")] for line in lines[index:end]]
            if result and result[-1].strip():
                result.append("")
            result.append("| " + " | ".join(rows[0]) + " |")
            result.append("|" + "---|" * len(rows[0]))
            result.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            if end < len(lines) and lines[end].strip():
                result.append("")
            index = end
        else:
            result.append(lines[index].replace("\t", " "))
            index += 1
    return "\n".join(result)


def problems(text: str) -> list[str]:
    """Why the text cannot be saved as it is (raw HTML, a link to something else than a web or e-mail address)."""
    found: list[str] = []
    tags: list[str] = []
    for token in _walk(_inspector.parse(text)):
        if token.type in ("html_inline", "html_block"):
            tag = token.content.strip()
            tags.append(tag if len(tag) <= 40 else tag[:40] + "…")
        elif token.type == "link_open":
            href = (token.attrGet("href") or "").strip()
            scheme = urlsplit(href).scheme.lower()
            if scheme and scheme not in ALLOWED_SCHEMES:
                found.append(
                    _("A link may lead only to a web page (https://…) or an e-mail address (mailto:…), not “%(href)s”.")
                    % {"href": href[:60]}
                )
    if tags:
        found.insert(
            0,
            _(
                "HTML code is not allowed in the text (found: %(tags)s). Use the formatting described under the field: "
                "**bold**, *italics*, lists starting with “- ”, [links](https://…), tables with “|”."
            )
            % {"tags": ", ".join(dict.fromkeys(tags))},
        )
    return found


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


@dataclass(frozen=True)
class Rendered:
    html: str
    plain: str
    kind: str


_TABLE_OPEN = re.compile(r"<table>")
_BLOCK_END = re.compile(r"</(?:p|li|th|td|tr|ul|ol|table)>|<br>")
_WHITESPACE = re.compile(r"\s+")


def render(text: str) -> Rendered:
    """Sanitised HTML, the plain text (for search) and the kind of block (paragraph, list, table, mixed)."""
    tokens = _renderer.parse(text)
    kinds = set()
    for token in tokens:
        if token.level != 0:
            continue
        if token.type == "paragraph_open":
            kinds.add("paragraph")
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            kinds.add("list")
        elif token.type == "table_open":
            kinds.add("table")
    html = _cleaner.clean(_renderer.renderer.render(tokens, _renderer.options, {}))
    # After the sanitiser, so that only our own attributes are added: wide tables scroll on phones.
    html = _TABLE_OPEN.sub('<div class="table-scroll" tabindex="0"><table class="data-table">', html)
    html = html.replace("</table>", "</table></div>")
    plain = _WHITESPACE.sub(" ", html_lib.unescape(strip_tags(_BLOCK_END.sub(" ", html)))).strip()
    kind = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else "paragraph")
    return Rendered(html=html.strip(), plain=plain, kind=kind)
