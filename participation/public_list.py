"""The public list of opinions: search, filters, facets, the page of rows, and the reference names.

Performance design of the public list (tens of thousands of opinions, hundreds of pages per second,
and a first visitor after each moderation decision served within 100 ms):
- Everything public is cached under a *publication version*, a number kept in the cache that every
  service changing what the public sees bumps (after commit). Old entries are never deleted, they
  simply stop being read and expire.
- Facet counts never aggregate the opinion table on PostgreSQL: triggers keep the number of public
  opinions per (area, district, channel, stage) in `PublicOpinionCount` (a few thousand rows), and
  one query sums it for the four facets and the total. A search has no such table: one grouped
  query over the matching opinions (the GIN index finds them) gives the same rows.
- The page itself is one query: the ids of the page from the public index, then those rows only,
  without joins: the names come from the cached reference lists. A deep page does not walk the
  index from the top (an OFFSET of thousands): it starts at the nearest *page boundary*, the key
  (published_at, id) of every tenth page's first row, found once per version and filters by a
  pass over the index as deep as the pages asked for, and cached (`page_boundaries`), so page 800
  costs what page 2 does.
- The rendered list fragment is cached by the view (key: version, language, normalised filters).
"""

import dataclasses
import functools
from collections import defaultdict

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Count, F, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThanOrEqual
from django.db.models.functions import RowNumber
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from lublin2030 import versions
from lublin2030.versions import publication_version
from stages.models import ROMAN, Stage, pick_language

from .models import (
    Area,
    Channel,
    District,
    Opinion,
    PublicOpinionCount,
)
from .selectors import PAGE_SIZE, cache_key, cache_seconds, list_cache_seconds


def search_supported_natively() -> bool:
    """Whether search runs on a GIN index (PostgreSQL), which decides how a searched page is fetched."""
    return connection.vendor == "postgresql"


def apply_search(queryset, q: str):
    """Diacritics and inflection folded on every database: see `lublin2030.search`."""
    return queryset.search(q)


@dataclasses.dataclass(frozen=True)
class OpinionFilters:
    """Normalised filters of the public list: ids of reference rows, or None."""

    area: int | None = None
    district: int | None = None
    channel: int | None = None
    stage: int | None = None
    q: str = ""

    def as_dimensions(self) -> dict:
        return {"area": self.area, "district": self.district, "channel": self.channel, "stage": self.stage}

    @property
    def is_empty(self) -> bool:
        return not (self.area or self.district or self.channel or self.stage or self.q)


DIMENSIONS = ("area", "district", "channel", "stage")


def list_version(filters: OpinionFilters) -> int | str:
    """The version a list page with these filters is cached under (page, fragment, facets, boundaries).

    A page shows its rows, the total, and for each filter the counts of its values given the other
    filters. An opinion matching none of two chosen values (say another area and another district)
    changes none of these, so a page with two or more of area, district, channel and stage chosen is
    keyed by their list scopes, which a decision about an opinion with any of those values bumps
    (`versions.bump_publication_of`). A page with one filter or none shows every area's count (or
    every district's...): any decision changes it, so it follows the publication version.
    """
    chosen = [(dimension, pk) for dimension, pk in filters.as_dimensions().items() if pk is not None]
    if len(chosen) < 2:
        return publication_version()
    return versions.combined([versions.list_scope(dimension, pk) for dimension, pk in chosen])


def public_counts_kept() -> bool:
    """Whether triggers keep `PublicOpinionCount` (PostgreSQL, migration 0005); SQLite counts directly."""
    return connection.vendor == "postgresql"


def _counted_combinations() -> list[tuple[int, int, int, int | None, int]]:
    table = PublicOpinionCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT area_id, district_id, channel_id, stage_id, SUM(count) FROM {table} "  # noqa: S608
            "GROUP BY area_id, district_id, channel_id, stage_id HAVING SUM(count) <> 0"
        )
        return [(area, district, channel, stage, int(n)) for area, district, channel, stage, n in cursor.fetchall()]


def opinion_combinations(*, q: str = "", version: int | None = None) -> list[tuple[int, int, int, int | None, int]]:
    """(area_id, district_id, channel_id, stage_id, count) of public opinions matching `q`; cached.

    Without a search on PostgreSQL the rows come from `PublicOpinionCount` (kept by triggers), with one
    the matching opinions are grouped (the GIN index finds them).
    """
    q = " ".join((q or "").split()).lower()
    key = cache_key("combinations", version or publication_version(), q)
    rows = cache.get(key)
    if rows is None:
        if not q and public_counts_kept():
            rows = _counted_combinations()
        else:
            queryset = apply_search(Opinion.objects.public(), q)
            rows = [
                (row["area_id"], row["district_id"], row["channel_id"], row["stage_id"], row["n"])
                for row in queryset.order_by()
                .values("area_id", "district_id", "channel_id", "stage_id")
                .annotate(n=Count("*"))
            ]
        cache.set(key, rows, cache_seconds())
    return rows


@dataclasses.dataclass
class FacetResult:
    total: int
    counts: dict[str, dict]  # dimension -> {id: count}, each with the other dimensions' filters applied


def facet_counts(filters: OpinionFilters, *, version: int | None = None) -> FacetResult:
    """Counts per value of each filter given the *other* filters, and the total given all of them; cached.

    Without a search on PostgreSQL, one query sums `PublicOpinionCount` for each facet in the
    database (a few thousand rows, however many opinions there are). Otherwise the grouped rows of
    `opinion_combinations` are summed here.
    """
    if not filters.q and public_counts_kept():
        key = cache_key("facets", version or publication_version(), filters.as_dimensions())
        result = cache.get(key)
        if result is None:
            result = _counted_facets(filters)
            cache.set(key, result, cache_seconds())
        return result
    return _facets_from_rows(opinion_combinations(q=filters.q, version=version), filters)


def _counted_facets(filters: OpinionFilters) -> FacetResult:
    """One UNION ALL: for each dimension, the counts per value among the rows matching the other filters."""
    table = PublicOpinionCount._meta.db_table
    chosen = filters.as_dimensions()
    parts, params = [], []
    for index, dimension in enumerate(DIMENSIONS):
        conditions = []
        for other in DIMENSIONS:
            if other != dimension and chosen[other] is not None:
                conditions.append(f"{other}_id = %s")
                params.append(chosen[other])
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        parts.append(
            f"SELECT {index}, {dimension}_id, SUM(count) FROM {table}{where} "  # noqa: S608
            f"GROUP BY {dimension}_id HAVING SUM(count) <> 0"
        )
    counts = {dimension: {} for dimension in DIMENSIONS}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, value, n in cursor.fetchall():
            counts[DIMENSIONS[index]][value] = int(n)
    # The area facet counts the rows matching every other filter: with the chosen area, that is the total.
    by_area = counts["area"]
    total = by_area.get(filters.area, 0) if filters.area is not None else sum(by_area.values())
    return FacetResult(total=total, counts=counts)


def _facets_from_rows(rows, filters: OpinionFilters) -> FacetResult:
    """The same sums over (area, district, channel, stage, count) rows, in Python.

    A row matching every filter counts everywhere; a row missing exactly one filter counts only in
    that filter's facet (it is what choosing another value there would add); others count nowhere.
    """
    chosen = (filters.area, filters.district, filters.channel, filters.stage)
    counts = [defaultdict(int) for _ in DIMENSIONS]
    total = 0
    for row in rows:
        missed = -1
        misses = 0
        for index in range(4):
            wanted = chosen[index]
            if wanted is not None and row[index] != wanted:
                misses += 1
                missed = index
                if misses > 1:
                    break
        if misses == 0:
            total += row[4]
            for index in range(4):
                counts[index][row[index]] += row[4]
        elif misses == 1:
            counts[missed][row[missed]] += row[4]
    return FacetResult(total=total, counts={dimension: dict(counts[i]) for i, dimension in enumerate(DIMENSIONS)})


class KnownCountPaginator(Paginator):
    """A paginator told the total, so that it never counts the table."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def public_opinion_list(filters: OpinionFilters):
    """Public opinions matching `filters`, newest published first (a queryset of whole opinions)."""
    queryset = Opinion.objects.public()
    for dimension, value in filters.as_dimensions().items():
        if value is not None:
            queryset = queryset.filter(**{f"{dimension}_id": value})
    queryset = apply_search(queryset, filters.q)
    return queryset.order_by("-published_at", "-id")


# A boundary every ten pages: a page starts at most 180 rows after one, as page 10 always did.
BOUNDARY_ROWS = 10 * PAGE_SIZE


def page_boundaries(filters: OpinionFilters, *, upto: int | None = None, version: int | None = None) -> list[tuple]:
    """Keys (published_at, id) of the rows at positions 0, BOUNDARY_ROWS, 2 × BOUNDARY_ROWS… of the list,
    at least up to boundary number `upto` (every one when None) while the list goes on.

    Cached per version and filters, and extended on demand from the last one known: the database
    numbers only the rows between (on PostgreSQL without a search an index-only range of
    `opinion_public_recent`, and the window stops at the last row wanted). So the first deep page of
    a version walks what an OFFSET to it would have walked, once; a page at or above a known boundary
    reads from there; a deeper one walks only from the deepest boundary known.
    """
    key = cache_key("boundaries", version or publication_version(), filters)
    known, complete = cache.get(key) or ([], False)
    if complete or (upto is not None and upto < len(known)):
        return known
    matching = public_opinion_list(filters)
    if known:
        matching = from_boundary(matching, known[-1])  # position 1 is the last boundary known
    numbered = matching.annotate(
        position=Window(RowNumber(), order_by=(F("published_at").desc(), F("id").desc()))
    ).annotate(step=F("position") % BOUNDARY_ROWS)
    wanted = None if upto is None else upto + 1 - len(known) + (1 if known else 0)
    numbered = numbered.filter(step=1)
    if wanted is not None:
        numbered = numbered.filter(position__lte=(wanted - 1) * BOUNDARY_ROWS + 1)
    # Sorted here: ORDER BY position would make the database sort every row it numbered.
    found = sorted(numbered.order_by().values_list("published_at", "id"), reverse=True)
    complete = wanted is None or len(found) < wanted
    boundaries = known + found[1:] if known else found
    cache.set(key, (boundaries, complete), cache_seconds())
    return boundaries


def from_boundary(queryset, boundary: tuple):
    """The rows of `queryset` from `boundary` on, in list order: a range of the index, not a walk."""
    return queryset.filter(TupleLessThanOrEqual(Tuple(F("published_at"), F("id")), boundary))


EXCERPT_LENGTH = 400
ROW_FIELDS = ("id", "text", "collected_on", "area_id", "district_id", "channel_id", "stage_id", "author__display_name")


@dataclasses.dataclass(frozen=True)
class OpinionRow:
    """What the public list shows of one opinion, with the names of its reference rows."""

    pk: int
    url: str
    excerpt: SafeString  # truncated, escaped, line breaks as <br>
    collected_on: object
    area: "RefItem | None"
    district: "RefItem | None"
    channel: "RefItem | None"
    stage: "RefItem | None"
    author_name: str


class PublicRows:
    """The rows of the public list for the paginator: slicing runs one query for that page only.

    The page's ids come from an inner query over the public index only (an OFFSET walks index
    entries, not table rows), then the outer query reads those rows with no join but the author's:
    areas, districts, channels and stages are named from the cached reference lists.
    """

    def __init__(
        self,
        filters: OpinionFilters,
        refs: "ReferenceLists",
        *,
        matches: int = 0,
        public: int = 0,
        version: int | None = None,
    ):
        self.filters = filters
        self.refs = refs
        self.matches = matches  # how many opinions match the filters (known from the facets)
        self.public = public  # how many are public in all
        self.version = version

    def _start(self, start: int) -> tuple:
        """(queryset, offset): the list from the nearest boundary at or before row `start`."""
        queryset = public_opinion_list(self.filters)
        step = start // BOUNDARY_ROWS
        if step == 0:
            return queryset, start
        boundaries = page_boundaries(self.filters, upto=step, version=self.version)
        step = min(step, len(boundaries) - 1)  # past the end: the last boundary (position 0 at worst)
        if step <= 0:
            return queryset, start
        return from_boundary(queryset, boundaries[step]), start - step * BOUNDARY_ROWS

    def _page_ids(self, window: slice):
        queryset, offset = self._start(window.start or 0)
        window = slice(offset, offset + (window.stop - window.start))
        if self.filters.q and search_supported_natively() and self._sort_matches(offset):
            # Fetch every match through the GIN index, then sort: an ORDER BY … LIMIT would walk the
            # recency index and compute to_tsvector() for each opinion it passes. OFFSET 0 keeps
            # PostgreSQL from merging the two levels back into that plan.
            sql, params = queryset.order_by().values("id", "published_at").query.sql_with_params()
            return RawSQL(  # noqa: S611 (Django's own SQL, parameters passed apart)
                f"SELECT id FROM ({sql} OFFSET 0) AS matching "  # noqa: S608
                "ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",
                (*params, window.stop - window.start, window.start),
            )
        return queryset.values("id")[window]

    def _sort_matches(self, offset: int) -> bool:
        """Whether sorting all the matches beats walking the recency index for this page of a search.

        Walking passes (offset + page) × public / matches opinions at ~45 µs each (to_tsvector of
        each text); fetching the matches costs ~3 µs each (measured on 20,000 demo opinions). With
        20,000 public opinions the first page of a search sorts up to ~2,400 matches.
        """
        if not self.matches or not self.public:
            return False
        return 3 * self.matches * self.matches < 45 * (offset + PAGE_SIZE) * self.public

    def __getitem__(self, window: slice) -> list[OpinionRow]:
        ids = self._page_ids(window)
        rows = Opinion.objects.filter(pk__in=ids).order_by("-published_at", "-id").values_list(*ROW_FIELDS)
        areas, districts = self.refs.by_pk("areas"), self.refs.by_pk("districts")
        channels, stages = self.refs.by_pk("channels"), self.refs.by_pk("stages")
        # One reverse() for the page: the rest is string formatting.
        url = reverse("participation:opinion_detail", kwargs={"pk": 1}).removesuffix("1/") + "{}/"
        return [
            OpinionRow(
                pk=pk,
                url=url.format(pk),
                excerpt=excerpt(text),
                collected_on=collected_on,
                area=areas.get(area_id),
                district=districts.get(district_id),
                channel=channels.get(channel_id),
                stage=stages.get(stage_id),
                author_name=author_name or "",
            )
            for pk, text, collected_on, area_id, district_id, channel_id, stage_id, author_name in rows
        ]


def excerpt(text: str) -> SafeString:
    """`text|truncatechars:400|linebreaksbr`, skipping the truncation of the short texts (most of them)."""
    if len(text) > EXCERPT_LENGTH:
        text = Truncator(text).chars(EXCERPT_LENGTH)
    return linebreaksbr(text, autoescape=True)


def public_opinion_page(
    filters: OpinionFilters, page_number, refs: "ReferenceLists | None" = None, *, version: int | None = None
) -> tuple:
    """(page, facets) for the public list; the total comes from the facet counts, the rows are `OpinionRow`."""
    version = version or publication_version()
    refs = refs or reference_lists(version=version)
    facets = facet_counts(filters, version=version)
    rows = PublicRows(filters, refs, matches=facets.total, version=version)
    if filters.q and search_supported_natively():
        rows.public = facet_counts(OpinionFilters(), version=version).total  # to choose how to fetch the page
    paginator = KnownCountPaginator(rows, PAGE_SIZE, count=facets.total)
    page = paginator.get_page(page_number)
    return page, facets


@dataclasses.dataclass(frozen=True)
class RefItem:
    """A light copy of an area, district, channel or stage row, safe to keep in the cache."""

    kind: str
    pk: int
    slug: str
    name_pl: str
    name_en: str
    position: int

    @property
    def name(self) -> str:
        return pick_language(self.name_pl, self.name_en)

    @property
    def roman(self) -> str:
        return ROMAN.get(self.position, str(self.position))

    @property
    def label(self) -> str:
        """What a filter shows: stages by their Roman number too."""
        if self.kind == "stage":
            return f"{ROMAN.get(self.position, self.position)}. {self.name}"
        return self.name

    def __str__(self):
        return self.label


@dataclasses.dataclass
class ReferenceLists:
    areas: list
    districts: list
    channels: list
    stages: list

    def by_slug(self, kind: str) -> dict:
        return {item.slug: item for item in getattr(self, kind)}

    def by_pk(self, kind: str) -> dict:
        return {item.pk: item for item in getattr(self, kind)}


def _reference_rows():
    areas = (
        Area.objects.annotate(kind=Value("area", output_field=CharField()))
        .values_list("kind", "id", "slug", "name_pl", "name_en", "position")
        .order_by()
    )
    districts = (
        District.objects.annotate(kind=Value("district", output_field=CharField()))
        .values_list("kind", "id", "slug", "name", "name_en", "position")
        .order_by()
    )
    channels = (
        Channel.objects.annotate(kind=Value("channel", output_field=CharField()))
        .values_list("kind", "id", "code", "name_pl", "name_en", "position")
        .order_by()
    )
    stages = (
        Stage.objects.annotate(kind=Value("stage", output_field=CharField()))
        .values_list("kind", "id", "slug", "title_pl", "title_en", "number")
        .order_by()
    )
    return areas.union(districts, channels, stages, all=True)


@functools.cache
def _reference_sql() -> tuple[str, tuple]:
    """The UNION of `_reference_rows`, compiled once per process (it has no parameter that varies)."""
    sql, params = _reference_rows().query.sql_with_params()
    return sql, tuple(params)


def reference_lists(*, version: int | None = None) -> ReferenceLists:
    """Areas, districts, channels and stages (a few dozen rows) in one query, cached briefly.

    The public list and the statistics show these names; one UNION query keeps a cold page within
    its query budget. They are cached under the publication version (the admin bumps it on change).
    """
    key = cache_key("reference", version or publication_version())
    rows = cache.get(key)
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(*_reference_sql())
            rows = [tuple(row) for row in cursor.fetchall()]
        cache.set(key, rows, list_cache_seconds() * 5)
    groups = defaultdict(list)
    for kind, pk, slug, name_pl, name_en, position in rows:
        groups[kind].append(RefItem(kind, pk, slug, name_pl, name_en or "", position))
    for items in groups.values():
        items.sort(key=lambda item: (item.position, item.name_pl))
    return ReferenceLists(
        areas=groups["area"], districts=groups["district"], channels=groups["channel"], stages=groups["stage"]
    )
