"""Search that ignores Polish letters and inflection, the same on PostgreSQL and SQLite.

Every searchable text keeps a *search text* beside it: each word replaced by its dictionary form
(lemma) without diacritics, "Nowe ławki w Śródmieściu" → "nowy lawka w srodmiescie". A query goes
through the same function, so "lawki", "ławek" and "Ławka" all look for `lawka`, and
"srodmiesciu" for `srodmiescie`. PostgreSQL indexes the search text (GIN over
`to_tsvector('simple', search_text)`), SQLite matches it with LIKE; both give the same rows.

The lemmas come from simplemma's Polish dictionary (shipped inside the package: nothing is
downloaded). Its 3.7 million forms are folded once into the *lexicon*, a sorted text file of
`folded form<TAB>folded lemma[ lemma…]` lines (~70 MB) that every process maps into memory and
searches by bisection (~25 µs a word, cached): loading simplemma's dictionary itself costs each
process 400 MB and 10 seconds. The file is built by `manage.py build_search_lexicon` (run by
`make install` and in the Docker image) or, failing that, by the first process that needs it.
A folded form can have several lemmas ("lawek": ławka or ławki, "lublinie": Lublin or Lublino):
the text keeps them all and a query accepts any, so folding never loses a match.

Query syntax, as on the page: words must all appear (a word of 3+ letters also matches as the
beginning of a word: "rower" finds "rowerowe"), `"a phrase"` in that order, `or` between
alternatives, `-word` to exclude.
"""

import dataclasses
import fcntl
import functools
import logging
import mmap
import os
import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat

logger = logging.getLogger(__name__)

LEXICON_LANGUAGE = "pl"
LEXICON_FORMAT = 1  # bump when the file's layout or the folding below changes
WORD = re.compile(r"[^\W_]+")
MIN_PREFIX = 3
MAX_TERMS = 10
MAX_PHRASE_WORDS = 8


def _strip_marks(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


# Latin letters with diacritics, folded by a table (fast); what decomposition does not cover by hand.
_FOLD = {code: _strip_marks(chr(code)) for code in range(0xC0, 0x250) if _strip_marks(chr(code)) != chr(code)}
_FOLD.update({ord("ł"): "l", ord("Ł"): "l", ord("đ"): "d", ord("ø"): "o", ord("ß"): "ss", ord("æ"): "ae"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Źdźbło Łąki" → "zdzblo laki"."""
    text = text.lower().translate(_FOLD)
    return text if text.isascii() else _strip_marks(text)


# The lexicon --------------------------------------------------------------------------------------


def lexicon_path() -> Path:
    import simplemma

    version = simplemma.__version__
    return Path(settings.SEARCH_LEXICON_DIR) / f"{LEXICON_LANGUAGE}-simplemma-{version}-v{LEXICON_FORMAT}.lex"


def build_lexicon(path: Path | None = None) -> Path:
    """Fold simplemma's dictionary into the lexicon file (about half a minute, 1 GB at its peak).

    Several processes may start at once: one builds under a lock, the others wait and reuse it.
    """
    path = path or lexicon_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return path
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        dictionary = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(LEXICON_LANGUAGE)
        first: dict[str, str] = {}
        more: dict[str, set[str]] = {}
        folded_lemmas: dict[str, str] = {}
        for form, lemma in dictionary.items():
            folded_form = fold(form)
            folded_lemma = folded_lemmas.get(lemma)
            if folded_lemma is None:
                folded_lemma = folded_lemmas[lemma] = fold(lemma)
            known = first.setdefault(folded_form, folded_lemma)
            if known != folded_lemma:
                more.setdefault(folded_form, set()).add(folded_lemma)
        del dictionary, folded_lemmas
        partial = path.with_suffix(f".{os.getpid()}.part")
        with open(partial, "w", encoding="utf-8") as out:
            for form in sorted(first):
                lemmas = {first[form], *more.get(form, ())}
                if lemmas != {form}:
                    out.write(f"{form}\t{' '.join(sorted(lemmas))}\n")
        os.replace(partial, path)
        logger.info("search lexicon built: %s", path)
        return path


class Lexicon:
    """Folded form → folded lemmas, looked up by bisection in the memory-mapped sorted file."""

    def __init__(self, path: Path):
        with open(path, "rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def lemmas(self, word: str) -> tuple[str, ...] | None:
        data, key = self._data, word.encode()
        low, high = 0, len(data)
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", 0, middle) + 1
            end = data.find(b"\n", start)
            tab = data.find(b"\t", start, end)
            found = data[start:tab]
            if found == key:
                return tuple(data[tab + 1 : end].decode().split(" "))
            if found < key:
                low = end + 1
            else:
                high = start
        return None


@functools.cache
def lexicon() -> Lexicon:
    path = lexicon_path()
    if not path.exists():
        logger.warning("search lexicon missing, building it now (run `manage.py build_search_lexicon`): %s", path)
        build_lexicon(path)
    return Lexicon(path)


@functools.lru_cache(maxsize=50_000)
def lemmas(word: str) -> tuple[str, ...]:
    """The folded lemmas of one word (itself, folded, when the dictionary does not know it)."""
    folded = fold(word)
    return lexicon().lemmas(folded) or (folded,)


def search_text(text: str) -> str:
    """What is stored to be searched: every word's folded lemmas, in the order of the text."""
    return " ".join(lemma for word in WORD.findall(text or "") for lemma in lemmas(word))


# Queries ------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Term:
    """One word or one quoted phrase of a query: its words' possible lemmas, in order."""

    words: tuple[tuple[str, ...], ...]
    prefix: bool = False
    negated: bool = False


# Terms in a group are alternatives (`or`); every group must match.
ParsedQuery = tuple[tuple[Term, ...], ...]

_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse_query(q: str) -> ParsedQuery:
    groups: list[list[Term]] = []
    join_next = False
    for match in _QUERY_TOKEN.finditer(q or ""):
        negated, phrase, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or":
            join_next = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = True, bare[1:]
        words = WORD.findall(phrase if phrase is not None else bare)[:MAX_PHRASE_WORDS]
        if not words:
            continue
        term = Term(
            words=tuple(lemmas(word) for word in words),
            prefix=phrase is None and not negated and len(words) == 1 and len(fold(words[0])) >= MIN_PREFIX,
            negated=negated,
        )
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
        if len(groups) >= MAX_TERMS:
            break
    return tuple(tuple(group) for group in groups)


def _tsquery(query: ParsedQuery) -> str:
    def word(candidates, prefix):
        suffix = ":*" if prefix else ""
        return "(" + " | ".join(f"'{candidate}'{suffix}" for candidate in candidates) + ")"

    def term(item: Term):
        inner = " <-> ".join(word(candidates, item.prefix) for candidates in item.words)
        return f"!({inner})" if item.negated else f"({inner})"

    return " & ".join("(" + " | ".join(term(item) for item in group) + ")" for group in query)


def _like_q(field: str, query: ParsedQuery) -> Q:
    """The same query as LIKE conditions over " search text " (SQLite, development)."""

    def term(item: Term) -> Q:
        if len(item.words) == 1:
            condition = Q()
            for candidate in item.words[0]:
                needle = f" {candidate}" if item.prefix else f" {candidate} "
                condition |= Q(**{f"{field}__contains": needle})
        else:
            # A phrase: its words in a row, whichever lemma each was stored with.
            sequences = [""]
            for candidates in item.words:
                sequences = [f"{sequence} {candidate}" for sequence in sequences for candidate in candidates][:64]
            condition = Q()
            for sequence in sequences:
                condition |= Q(**{f"{field}__contains": f"{sequence} "})
        return ~condition if item.negated else condition

    combined = Q()
    for group in query:
        alternatives = Q()
        for item in group:
            alternatives |= term(item)
        combined &= alternatives
    return combined


def filter_search(queryset, q: str, *, field: str = "search_text"):
    """`queryset` narrowed to the rows whose search text matches the query `q` (unchanged if `q` is blank).

    A query with no word in it (only punctuation) finds nothing.
    """
    if not (q or "").strip():
        return queryset
    query = parse_query(q)
    if not query:
        return queryset.none()
    if _is_postgres(queryset.db):
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # The same expression as the GIN index, so that the planner uses it.
        vector = SearchVector(field, config="simple")
        return queryset.alias(search_vector=vector).filter(
            search_vector=SearchQuery(_tsquery(query), config="simple", search_type="raw")
        )
    padded = f"{field}_padded"
    spaced = Concat(Value(" "), field, Value(" "), output_field=TextField())
    return queryset.alias(**{padded: spaced}).filter(_like_q(padded, query))


def _is_postgres(alias: str) -> bool:
    from django.db import connections

    return connections[alias].vendor == "postgresql"
