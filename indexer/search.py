"""The search API shared by the CLI and the web app: parameters in, the search JSON out.

    parse the query (indexer/query/language.py) -> mark glossary concepts (query/glossary.py)
    -> search the engine (indexer/engine/) -> "did you mean" when few match -> the JSON

The JSON shape is documented in README.md ("The search JSON") and kept stable by tests.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from .engine import Engine, TimeLimitExceeded
from .engine.highlight import Highlight
from .ingest.authorities import lookup
from .model import FACETS
from .query.glossary import Glossary, default_glossary
from .query.language import Group, Phrase, Word, parse, walk, without_filler_words

SORTS = ("relevance", "newest", "oldest")
FEW_RESULTS = 5           # below this many matches, "did you mean" is worked out
MAX_LIMIT = 1000


class SearchError(ValueError):
    """Parameters that cannot be searched with (a bad date, sort or page); the message says why."""


class SearchTooSlow(SearchError):
    """The search was still running at SearchParams.deadline and was stopped."""

    def __init__(self):
        super().__init__("This search took too long and was stopped. Try fewer or rarer words, "
                         "more letters before a \"*\", or a filter.")


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet -> values (OR)
    date_from: str | None = None   # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    date_to: str | None = None
    sort: str = "relevance"        # relevance | newest | oldest
    page: int = 1
    limit: int = 20
    deadline: float | None = None  # a time.monotonic() value; past it, SearchTooSlow
    explain: bool = False          # each result's score broken into its parts
    neighbours: list[str] = field(default_factory=list)  # authorities: each with its ten
                                                         # statistical neighbours (OR)
    fold: bool = True              # a paragraph repeating a listed one word for word not listed


def search(engine: Engine, params: SearchParams, glossary: Glossary | None = None, *,
           snippets: bool = True, max_limit: int = MAX_LIMIT) -> dict:
    """Run one search; raises SearchError only for bad parameters, never for a bad query, and
    its SearchTooSlow when the search runs past `params.deadline`.

    `snippets=False` leaves each result's snippet null and `max_limit` raises the page size
    allowed: for an export that wants every match's text in one search."""
    try:
        return _search(engine, params, glossary, snippets, max_limit)
    except TimeLimitExceeded:
        raise SearchTooSlow() from None


def _search(engine: Engine, params: SearchParams, glossary: Glossary | None, snippets: bool,
            max_limit: int) -> dict:
    page, limit, sort = _checked_paging(params, max_limit)
    date_from = _checked_date(params.date_from, "from")
    date_to = _checked_date(params.date_to, "to")
    if date_from and date_to and date_from[:len(date_to)] > date_to:
        raise SearchError(f"the date range is empty: from {date_from} is after to {date_to}")
    filters = {f: [str(v).strip() for v in vals if str(v).strip()]
               for f, vals in (params.filters or {}).items() if f in FACETS}
    filters = {f: v for f, v in filters.items() if v}

    neighbours = neighbour_groups(params.neighbours)
    within = ({"authority": [a for g in neighbours for a in g["authorities"]]}
              if neighbours else None)

    parsed = parse(params.q or "")
    tree, expansions = _expanded(parsed.tree, glossary)
    out = engine.search(tree, filters, date_from=date_from, date_to=date_to, sort=sort,
                        page=page, limit=limit, snippet_chars=300 if snippets else None,
                        deadline=params.deadline, explain=params.explain, within=within,
                        fold=params.fold)
    notices = parsed.notices + out["notices"]
    if not parsed.empty and not out["searched"]:
        notices.append("The query has only very common words (like \"the\" or \"of\"), "
                       "which are not searched.")
    # A word typed loose that no paragraph has is searched for nothing, so the results match
    # the other words only ("ABE interviews" finds return home interviews): say so, and offer
    # a spelling that is in the reports however many results there are.
    missing = engine.missing(dict.fromkeys(
        i.text for i in tree.items if isinstance(i, Word))) if out["total"] else []
    if missing:
        names = ", ".join(f'"{w}"' for w in missing)
        notices.append(f"No paragraph has {names}: these results match the other words.")
    suggestion = None
    if (out["total"] < FEW_RESULTS or missing) and not parsed.empty:
        try:
            suggestion = _did_you_mean(engine, params.q or "", parsed.tree, out["total"],
                                       params.deadline)
        except TimeLimitExceeded:
            pass  # the results are found: they go out without a suggestion
    return {
        "query": params.q or "",
        "total": out["total"],
        "folded": out["folded"],
        "reports": out["reports"],
        "page": page,
        "pages": math.ceil((out["total"] - out["folded"]) / limit),
        "limit": limit,
        "sort": sort,
        "filters": filters,
        "neighbours": neighbours,
        "date_from": date_from,
        "date_to": date_to,
        "results": out["results"],
        "facets": out["facets"],
        "expansions": expansions,
        "suggestion": suggestion,
        "missing": missing,
        "notices": notices,
    }


def neighbour_groups(names: list[str] | None) -> list[dict]:
    """Each authority named with its ten statistical neighbours:
    [{"authority": "Halton", "authorities": ["Halton", "St Helens", ...]}]. An authority the
    lookup does not know is a SearchError naming it."""
    groups = []
    for name in dict.fromkeys(str(n).strip() for n in names or () if str(n).strip()):
        found = lookup().with_neighbours(name)
        if found is None:
            raise SearchError(f"there is no authority called {name!r} to take the statistical "
                              "neighbours of")
        groups.append({"authority": found[0].name, "authorities": [a.name for a in found]})
    return groups


def highlighter(engine: Engine, text: str, glossary: Glossary | None = None) -> Highlight:
    """What a search for `text` marks (its stems, phrases, wildcards and the glossary's other
    names), without searching: the report page marks every paragraph with it."""
    tree, _ = _expanded(parse(text or "").tree, glossary)
    return engine.highlighter(tree)


def _expanded(tree: Group, glossary: Glossary | None = None) -> tuple[Group, list[dict]]:
    """What is searched for a parsed query: the glossary's other names added (first, so that a
    term such as "children who go missing" is read whole), then the words naming no topic
    dropped (a question's "how", a preposition)."""
    tree, expansions = (glossary or default_glossary()).expand(tree)
    return without_filler_words(tree), expansions


def _checked_paging(params: SearchParams, max_limit: int = MAX_LIMIT) -> tuple[int, int, str]:
    try:
        page, limit = int(params.page), int(params.limit)
    except (TypeError, ValueError):
        raise SearchError("page and limit must be whole numbers") from None
    if page < 1:
        raise SearchError("page must be 1 or more")
    if not 1 <= limit <= max_limit:
        raise SearchError(f"limit must be between 1 and {max_limit}")
    sort = (params.sort or "relevance").lower()
    if sort not in SORTS:
        raise SearchError(f"sort must be one of: {', '.join(SORTS)}")
    return page, limit, sort


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _checked_date(value: str | None, name: str) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD, checked to be a real date; kept as the prefix typed."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    m = _DATE.match(value)
    try:
        if not m:
            raise ValueError
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise SearchError(f"--{name} must be a date written YYYY, YYYY-MM or YYYY-MM-DD, "
                          f"not {value!r}") from None
    return value


def _did_you_mean(engine: Engine, text: str, tree: Group, total: int,
                  deadline: float | None = None) -> str | None:
    """The query with rare or unknown words replaced by well-attested spellings, when that
    finds more."""
    words = [n.text for n in walk(tree) if isinstance(n, Word)]
    words += [w for n in walk(tree) if isinstance(n, Phrase) for w in n.text.split()]
    fixes = engine.corrections(dict.fromkeys(words), deadline)
    if not fixes:
        return None
    suggestion = text
    for wrong, right in fixes.items():
        suggestion = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, suggestion)
    if suggestion == text:
        return None
    fixed_tree, _ = _expanded(parse(suggestion).tree)
    return suggestion if engine.count(fixed_tree, deadline) > total else None
