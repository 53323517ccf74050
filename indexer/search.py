"""The search API shared by the CLI and the web app: parameters in, the search JSON out.

(First cut; the search issue owns the query language, glossary, facet semantics and paging.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .engine import FACETS, Engine


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet -> values (OR)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 20


def search(engine: Engine, params: SearchParams) -> dict:
    filters = {f: v for f, v in params.filters.items() if f in FACETS and v}
    out = engine.search(params.q, filters, page=params.page, limit=params.limit)
    return {"query": params.q, "total": out["total"], "page": params.page,
            "results": out["results"], "facets": out["facets"], "suggestion": None}
