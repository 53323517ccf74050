"""The search JSON turned into what the templates draw: facet lists, result groups, pagination.

Pure functions on plain dicts, so each rule (which facet options show first, how results of one
report fold together, which page links appear) is testable without a server.
"""
from __future__ import annotations

import math
from datetime import date

from indexer.model import GRADES

from .state import FACET_LABELS, FACETS, PAGE_SIZE, SearchState

def facet_panels(facets: dict, state: SearchState, top_n: int) -> list[dict]:
    """One panel per facet: the search's options (value, count, checked), split into the top
    `top_n` and the rest behind "Show all".

    The search JSON already orders them (most frequent first, years newest first) and lists a
    selected value with no matches at count 0, so a user can always untick what they ticked;
    here ticked values go first among the top ones, and grades read best first.
    """
    panels = []
    for f in FACETS:
        options = [{"value": str(o["value"]), "count": o["count"], "checked": o["selected"]}
                   for o in facets[f]]
        if f == "grade":  # the scale's order reads better than an order by count
            options.sort(key=_grade_order)
        top = [o for o in options if o["checked"]]
        top += [o for o in options if not o["checked"]][:max(top_n - len(top), 0)]
        rest = [o for o in options if o not in top]
        if f in ("year", "grade"):  # natural order, ticked or not
            top = [o for o in options if o in top]
        panels.append({"name": f, "label": FACET_LABELS[f], "options": options, "top": top,
                       "rest": rest, "selected": len(state.selected(f))})
    return panels


def _grade_order(option: dict):
    value = option["value"]
    return (GRADES.index(value) if value in GRADES else len(GRADES), value)


def group_results(results: list[dict]) -> list[dict]:
    """Fold the results of one report on this page under its best-ranked paragraph.

    Each group is {"hit": best result, "more": [the report's other results on this page]}, in
    the order of each report's best result. When the search JSON says how many matches the
    report has in all (`report_hits`), "more" counts those beyond the one shown.
    """
    groups: dict[str, dict] = {}
    for r in results:
        g = groups.get(r["report_id"])
        if g is None:
            groups[r["report_id"]] = {"hit": r, "more": []}
        else:
            g["more"].append(r)
    for g in groups.values():
        g["more_count"] = max(g["hit"]["report_hits"] - 1, len(g["more"]))
    return list(groups.values())


def listed(result: dict) -> int:
    """How many results the search lists: its matches less those folded into a listed one
    because they repeat its words."""
    return result["total"] - (result.get("folded") or 0)


def page_count(total: int, limit: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / limit))


def pagination(state: SearchState, total: int, limit: int = PAGE_SIZE) -> dict | None:
    """GOV.UK pagination: previous/next, first and last, the current page and its neighbours,
    with "..." where pages are skipped."""
    pages = page_count(total, limit)
    if pages <= 1:
        return None
    current = min(state.page, pages)
    shown = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    items, last = [], 0
    for n in shown:
        if n - last > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "url": state.at_page(n).url(), "current": n == current})
        last = n
    return {
        "items": items,
        "previous": state.at_page(current - 1).url() if current > 1 else None,
        "next": state.at_page(current + 1).url() if current < pages else None,
        "current": current,
        "pages": pages,
    }


def long_date(iso: str | None) -> str:
    """2015-02-03 -> 3 February 2015 (GOV.UK style); anything unparseable is shown as is."""
    if not iso:
        return ""
    try:
        d = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def expansions(result: dict) -> list[str]:
    """The glossary expansions the search applied, as short phrases ("CSE: child sexual
    exploitation, exploitation")."""
    out = []
    for item in result["expansions"]:
        names = [a for a in item["also"] if a.lower() != item["term"].lower()]
        names += [r for r in item["related"] if r not in names]
        out.append(f'{item["term"]}: {", ".join(names)}' if names else item["term"])
    return out
