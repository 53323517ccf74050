"""The search JSON turned into what the templates draw: facet lists, result groups, pagination.

Pure functions on plain dicts, so each rule (which facet options show first, how results of one
report fold together, which page links appear) is testable without a server.
"""
from __future__ import annotations

import math
from datetime import date

from indexer.model import GRADES

from .state import FACET_LABELS, FACETS, PAGE_SIZE, SearchState

# Facets with many values show this many options; the rest sit behind "Show all".
TOP_OPTIONS = 10


def facet_panels(facets: dict, state: SearchState, top_n: int = TOP_OPTIONS) -> list[dict]:
    """One panel per facet: options (value, count, checked), split into top ones and the rest.

    Facet values match case-insensitively (as the search does). A selected value is always
    listed, and always among the top ones, even when no match has it (count 0): a user must be
    able to untick what they ticked.
    """
    panels = []
    for f in FACETS:
        selected = {v.lower() for v in state.selected(f)}
        options, seen = [], set()
        for o in facets.get(f) or []:
            value = str(o.get("value") or "")
            if not value or value.lower() in seen:
                continue
            seen.add(value.lower())
            options.append({"value": value, "count": o.get("count", 0),
                            "checked": value.lower() in selected or bool(o.get("selected"))})
        for v in state.selected(f):
            if v.lower() not in seen:
                seen.add(v.lower())
                options.append({"value": v, "count": 0, "checked": True})
        options.sort(key=_option_order(f))
        top = [o for o in options if o["checked"]]
        top += [o for o in options if not o["checked"]][:max(top_n - len(top), 0)]
        rest = [o for o in options if o not in top]
        if f in ("year", "grade"):  # natural order reads better than an order by count
            top.sort(key=_option_order(f))
        panels.append({"name": f, "label": FACET_LABELS[f], "options": options, "top": top,
                       "rest": rest, "selected": len(state.selected(f))})
    return panels


def _option_order(facet: str):
    if facet == "year":
        return lambda o: (-int(o["value"]) if o["value"].isascii() and o["value"].isdigit()
                          else 0, o["value"])
    if facet == "grade":
        return lambda o: (GRADES.index(o["value"]) if o["value"] in GRADES else len(GRADES),
                          o["value"])
    return lambda o: (-o["count"], o["value"].lower())


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
        in_report = g["hit"].get("report_hits")
        g["more_count"] = (max(in_report - 1, len(g["more"])) if isinstance(in_report, int)
                           else len(g["more"]))
    return list(groups.values())


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
    exploitation"), whatever exact shape the search JSON gives them."""
    raw = result.get("expansions") or result.get("also_searched") or []
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            term = item.get("term") or item.get("query") or ""
            also = item.get("expansions") or item.get("also") or item.get("terms") or []
            if isinstance(also, str):
                also = [also]
            also = [a for a in also if str(a).lower() != str(term).lower()]
            also += [r for r in item.get("related") or [] if r not in also]
            phrase = ", ".join(str(a) for a in also)
            out.append(f"{term}: {phrase}" if term and phrase else term or phrase)
    return [o for o in out if o]


def report_count(result: dict) -> int | None:
    """How many reports the matches come from, when the search JSON says."""
    for key in ("reports", "report_count", "total_reports"):
        if isinstance(result.get(key), int):
            return result[key]
    return None
