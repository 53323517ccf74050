"""The search page's whole state, read from and written back to the URL.

Pure functions on query-string pairs: no Flask, no index. Every link the page draws (chips, facet
options, sort, pagination, "did you mean") is built here so that the URL stays the one source of
truth, and every change of filter drops the page number (back to page 1).
"""
from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from indexer.model import FACETS
from indexer.query.language import MAX_QUERY_CHARS
from indexer.search import SORTS as SORT_NAMES, SearchParams

FACET_LABELS = {
    "authority": "Local authority",
    "region": "Region",
    "section": "Section",
    "grade": "Grade",
    "year": "Year",
    "report_type": "Report type",
}
SORT_LABELS = {"relevance": "Most relevant", "newest": "Newest first", "oldest": "Oldest first"}
SORTS = {name: SORT_LABELS[name] for name in SORT_NAMES}  # the search's sorts, labelled
PAGE_SIZE = 20
MAX_PAGE = 10_000
# Every link on the page carries every filter, so the page grows with the square of their
# number: 5,000 made-up authorities made a 500 MB page. Ticking all 153 authorities is ~1,700
# characters.
MAX_FILTER_VALUES = 200
MAX_FILTER_CHARS = 4_000

MONTHS = ("january february march april may june july august september october november "
          "december").split()


class BadSearch(ValueError):
    """A parameter the user can fix; `field` names the form control it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str = ""   # as the user typed it, shown back in the box
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    neighbours: tuple[str, ...] = ()  # authorities, each searched with its statistical neighbours
    every_copy: bool = False  # list paragraphs repeating a listed one word for word, not fold them

    # -- reading ----------------------------------------------------------------------------
    @classmethod
    def from_args(cls, args) -> "SearchState":
        """`args` is a MultiDict (request.args). Raises BadSearch for what the user must fix."""
        q = " ".join(args.get("q", "").split())
        if len(q) > MAX_QUERY_CHARS:
            raise BadSearch(f"Search terms must be {MAX_QUERY_CHARS} characters or fewer", "q")
        filters = _filters(args)
        if (sum(len(v) for v in filters.values()) > MAX_FILTER_VALUES
                or sum(len(x) for v in filters.values() for x in v) > MAX_FILTER_CHARS):
            raise BadSearch(f"Choose at most {MAX_FILTER_VALUES} filters", "filters")
        sort = args.get("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise BadSearch("Sort by most relevant, newest or oldest", "sort")
        every_copy = args.get("every_copy", "0") or "0"
        if every_copy not in ("0", "1"):
            raise BadSearch("every_copy must be 0 or 1", "every_copy")
        state = cls(q=q, filters=filters, date_from=args.get("from", "").strip(),
                    date_to=args.get("to", "").strip(), sort=sort,
                    page=parse_page(args.get("page")), neighbours=_neighbours(args),
                    every_copy=every_copy == "1")
        state.date_range()  # validate now, so a bad date is reported before searching
        return state

    @classmethod
    def lenient(cls, args) -> "SearchState":
        """What can be kept of a URL that from_args refused: words, filters and a valid sort;
        dates and page dropped. Used to redraw the form around the error message."""
        q = " ".join(args.get("q", "").split())[:MAX_QUERY_CHARS]
        filters, kept, chars = {}, 0, 0
        for f, values in _filters(args).items():  # the first ones, up to the limits
            for v in values:
                kept, chars = kept + 1, chars + len(v)
                if kept > MAX_FILTER_VALUES or chars > MAX_FILTER_CHARS:
                    break
                filters[f] = filters.get(f, ()) + (v,)
        sort = args.get("sort", "relevance")
        return cls(q=q, filters=filters, sort=sort if sort in SORTS else "relevance",
                   neighbours=_neighbours(args, strict=False),
                   every_copy=args.get("every_copy") == "1")

    def date_range(self) -> tuple[str | None, str | None]:
        start = parse_date(self.date_from, end=False, field="from")
        end = parse_date(self.date_to, end=True, field="to")
        if start and end and start > end:
            raise BadSearch("The 'from' date must be the same as or before the 'to' date", "from")
        return start, end

    @property
    def active(self) -> bool:
        """True when there is something to search for (words, a filter or a date)."""
        return bool(self.q or self.filters or self.date_from or self.date_to or self.neighbours)

    @property
    def has_filters(self) -> bool:
        return bool(self.filters or self.date_from or self.date_to or self.neighbours)

    def selected(self, facet: str) -> tuple[str, ...]:
        return self.filters.get(facet, ())

    def to_params(self, limit: int = PAGE_SIZE, page: int | None = None) -> SearchParams:
        start, end = self.date_range()
        return SearchParams(q=self.q, filters={f: list(v) for f, v in self.filters.items()},
                            date_from=start, date_to=end, sort=self.sort,
                            page=page or self.page, limit=limit,
                            neighbours=list(self.neighbours), fold=not self.every_copy)

    # -- writing ----------------------------------------------------------------------------
    def pairs(self) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        for f in FACETS:
            out += [(f, v) for v in self.selected(f)]
        out += [("neighbours", v) for v in self.neighbours]
        if self.date_from:
            out.append(("from", self.date_from))
        if self.date_to:
            out.append(("to", self.date_to))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.every_copy:
            out.append(("every_copy", "1"))
        if self.page != 1:
            out.append(("page", str(self.page)))
        return out

    def query_string(self) -> str:
        return urlencode(self.pairs())

    def url(self, path: str = "/search") -> str:
        qs = self.query_string()
        return f"{path}?{qs}" if qs else path

    def without(self, facet: str, value: str | None = None) -> "SearchState":
        """Drop one facet value (or the whole date filter when facet is "from"/"to")."""
        if facet == "from":
            return replace(self, date_from="", page=1)
        if facet == "to":
            return replace(self, date_to="", page=1)
        if facet == "neighbours":
            return replace(self, neighbours=tuple(v for v in self.neighbours if v != value),
                           page=1)
        filters = dict(self.filters)
        kept = tuple(v for v in filters.get(facet, ()) if v != value)
        if kept:
            filters[facet] = kept
        else:
            filters.pop(facet, None)
        return replace(self, filters=filters, page=1)

    def cleared(self) -> "SearchState":
        return replace(self, filters={}, date_from="", date_to="", page=1, neighbours=())

    def with_query(self, q: str) -> "SearchState":
        return replace(self, q=q, page=1)

    def at_page(self, page: int) -> "SearchState":
        return replace(self, page=page)

    def copies(self, every: bool) -> "SearchState":
        """Every copy of a repeated wording listed (True), or each folded into its first."""
        return replace(self, every_copy=every, page=1)

    def chips(self) -> list[dict]:
        """The selected filters as removable chips: label, value, the URL without it."""
        chips = []
        for f in FACETS:
            for v in self.selected(f):
                chips.append({"label": FACET_LABELS[f], "value": v,
                              "remove_url": self.without(f, v).url()})
        for v in self.neighbours:
            chips.append({"label": "Statistical neighbours of", "value": v,
                          "remove_url": self.without("neighbours", v).url()})
        if self.date_from:
            chips.append({"label": "From", "value": self.date_from,
                          "remove_url": self.without("from").url()})
        if self.date_to:
            chips.append({"label": "To", "value": self.date_to,
                          "remove_url": self.without("to").url()})
        return chips


def _filters(args) -> dict[str, tuple[str, ...]]:
    """Facet -> the distinct values given, stripped, in order; facets without one left out."""
    filters = {}
    for f in FACETS:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(f) if v.strip()))
        if values:
            filters[f] = values
    return filters


def _neighbours(args, strict: bool = True) -> tuple[str, ...]:
    """The authorities whose statistical neighbours are asked for: at most 10, in order."""
    values = tuple(dict.fromkeys(v.strip()[:100] for v in args.getlist("neighbours")
                                 if v.strip()))
    if not strict:
        return values[:10]
    if len(values) > 10:
        raise BadSearch("Choose at most 10 authorities to compare with their neighbours",
                        "neighbours")
    return values


def parse_page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not re.fullmatch(r"\s*\d{1,6}\s*", raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise BadSearch("The page number must be a whole number, 1 or more", "page")
    return int(raw)


def parse_date(raw: str, end: bool, field: str) -> str | None:
    """A typed date to ISO. A year or a month stands for its first day ('from') or its last ('to').

    Accepts 2015, 2015-03, 2015-03-20, 20/03/2015, 3/2015, 20 March 2015, March 2015.
    """
    raw = raw.strip()
    if not raw:
        return None
    text = raw.lower().replace(",", " ")
    y = m = d = None
    if mt := re.fullmatch(r"(\d{4})", text):
        y = int(mt[1])
    elif mt := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, m = int(mt[1]), int(mt[2])
    elif mt := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        y, m, d = int(mt[1]), int(mt[2]), int(mt[3])
    elif mt := re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", text):
        m, y = int(mt[1]), int(mt[2])
    elif mt := re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", text):
        d, m, y = int(mt[1]), int(mt[2]), int(mt[3])
    elif mt := re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\s+(\d{4})", text):
        month = next((i for i, name in enumerate(MONTHS, 1)
                      if len(mt[2]) >= 3 and name.startswith(mt[2])), None)
        if month:
            d, m, y = (int(mt[1]) if mt[1] else None), month, int(mt[3])
    label = "'from'" if field == "from" else "'to'"
    if y is None:
        raise BadSearch(f"Enter the {label} date as a year (2015), a month (03/2015) or a date "
                        "(20/03/2015)", field)
    try:
        if m is None:
            m, d = (12, 31) if end else (1, 1)
        elif d is None:
            d = monthrange(y, m)[1] if end else 1
        return date(y, m, d).isoformat()
    except (ValueError, KeyError):
        raise BadSearch(f"The {label} date must be a real date", field) from None
