"""Routes: the search page, its JSON and CSV twins, report pages and the original files."""
from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

from flask import (Blueprint, Response, abort, current_app, g, jsonify, redirect,
                   render_template, request, send_from_directory, stream_with_context, url_for)
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from indexer.ingest.authorities import lookup
from indexer.query.language import MAX_QUERY_CHARS
from indexer.search import highlighter, search

from . import charts, export, present
from .cite import citation
from .anchors import unique_anchors
from .security import web_url
from .state import FACET_LABELS, PAGE_SIZE, SORTS, BadSearch, SearchState

bp = Blueprint("search", __name__)

API_MAX_LIMIT = 100
CSV_MAX_ROWS = 10_000
CSV_BATCH = CSV_MAX_ROWS  # one search: each search scores every match, so batches repeat it


def index():
    """The index this request reads: one snapshot for the whole request, so the engine and the
    report summaries agree even if a build switches generations meanwhile."""
    if "index_snapshot" not in g:
        g.index_snapshot = current_app.extensions["index_reader"].snapshot()
    return g.index_snapshot


def search_deadline() -> float | None:
    """When this request must stop searching: SEARCH_TIME_LIMIT seconds after its first search,
    EXPORT_TIME_LIMIT for a CSV export (which searches batch after batch)."""
    if "search_deadline" not in g:
        key = "EXPORT_TIME_LIMIT" if request.endpoint == "search.search_csv" else \
            "SEARCH_TIME_LIMIT"
        seconds = current_app.config.get(key)
        g.search_deadline = time.monotonic() + seconds if seconds is not None else None
    return g.search_deadline


def search_state(state: SearchState, limit: int = PAGE_SIZE, page: int | None = None,
                 explain: bool = False, every_copy: bool = False, **options) -> dict:
    """The search JSON for `state` (with each score's parts when `explain`; with `every_copy`,
    paragraphs repeating a listed one's words listed too, whatever the state says). A query the
    engine cannot read, or one still running at the deadline, becomes a BadSearch (400) with
    the search layer's message."""
    params = state.to_params(limit=limit, page=page)
    params = replace(params, deadline=search_deadline(), explain=explain,
                     fold=params.fold and not every_copy)
    try:
        return search(index().engine, params, **options)
    except BadSearch:
        raise
    except ValueError as e:  # the search layer's way of saying the query cannot be read
        raise BadSearch(str(e) or "The search terms could not be read", "q") from None


def check_page(state: SearchState, result: dict, limit: int) -> None:
    pages = present.page_count(present.listed(result), limit)
    if state.page > pages:
        raise NotFound(f"There is no page {state.page}: these results have "
                       f"{pages} page{'s' if pages != 1 else ''}.")


# -- links every page draws --------------------------------------------------------------------

def paragraph_url(hit: dict, state: SearchState | None = None, external: bool = False) -> str:
    """The report page at the paragraph; the search state rides along so the report page can
    highlight the words and link back to these results."""
    qs = state.query_string() if state else ""
    base = url_for("search.report_page", report_id=hit["report_id"], _external=external)
    anchor = current_app.extensions["anchors"].of(index().engine, hit)
    return f"{base}{'?' + qs if qs else ''}#{anchor}"


def copy_url(copy: dict, state: SearchState | None = None) -> str:
    """Where a paragraph repeating a result's words is (`repeated` in the search JSON): through
    a redirect, so its report's anchors are worked out only when the link is followed."""
    qs = state.query_string() if state else ""
    base = url_for("search.paragraph_at", report_id=copy["report_id"],
                   position=copy["position"])
    return f"{base}{'?' + qs if qs else ''}"


def copies_search_url(paragraph: dict) -> str | None:
    """A search listing every paragraph holding this one's words as a phrase (its copies among
    them), for a paragraph short enough to be typed as a query."""
    words = " ".join(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", paragraph.get("text") or ""))
    if not words or len(words) + 2 > MAX_QUERY_CHARS:
        return None
    return url_for("search.search_page", q=f'"{words}"', every_copy="1")


def original_path(source: str | None) -> Path | None:
    """The file `source` names, if it is a file inside the corpus folder once every symlink is
    followed (a link inside the corpus may point anywhere)."""
    corpus = current_app.config.get("CORPUS_DIR")
    if not source or not corpus or "\x00" in source:
        return None
    root = Path(corpus).resolve()
    path = (root / source).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def source_available(source: str | None) -> bool:
    return original_path(source) is not None


def original_link(hit: dict, external: bool = False) -> dict | None:
    """Where the original is: the PDF opened at the paragraph's page, else the Ofsted URL."""
    source = hit.get("source") or ""
    if source.lower().endswith(".pdf") and source_available(source):
        url = url_for("search.source_file", source=source, _external=external)
        page = hit.get("page")
        return {"url": f"{url}#page={page}" if page else url,
                "text": f"Original PDF, page {page}" if page else "Original PDF"}
    if web_url(hit.get("url")):
        return {"url": web_url(hit["url"]), "text": "Original on the Ofsted website"}
    return None


def cite_url(doc: dict) -> str:
    """Where a citation sends its reader: the original on the Ofsted website when known, else
    the original this site serves (at its page), else the paragraph on this site."""
    return (web_url(doc.get("url")) or (original_link(doc, external=True) or {}).get("url")
            or paragraph_url(doc, external=True))


def cite(doc: dict) -> str:
    """The citation of a paragraph (a search result or a stored paragraph document)."""
    report = index().reports.get(doc.get("report_id")) or doc
    return citation(report, doc, cite_url(doc))


@bp.app_context_processor
def helpers():
    return {"paragraph_url": paragraph_url, "copy_url": copy_url, "original_link": original_link,
            "long_date": present.long_date, "FACET_LABELS": FACET_LABELS}


# -- search ------------------------------------------------------------------------------------

@bp.route("/")
@bp.route("/search")
def search_page():
    error, status = None, 200
    try:
        state = SearchState.from_args(request.args)
    except BadSearch as e:
        # Redraw the form around the message, keeping what can be kept, as GOV.UK forms do.
        error, status = e, 400
        state = SearchState.lenient(request.args)
    dates = {"from": request.args.get("from", state.date_from),
             "to": request.args.get("to", state.date_to)}
    page = {"state": state, "error": error, "dates": dates, "sorts": SORTS, "result": None,
            "stats": corpus_stats()}
    if not state.active:
        return render_template("search.html", **page), status
    try:
        result = search_state(state)
    except BadSearch as e:
        return render_template("search.html", **dict(page, error=e)), 400
    if not error:
        check_page(state, result, PAGE_SIZE)
    page.update(
        result=result,
        groups=present.group_results(result["results"]),
        panels=present.facet_panels(result["facets"], state,
                                    top_n=current_app.config["FACET_TOP_OPTIONS"]),
        pagination=present.pagination(state, present.listed(result)),
        pages=present.page_count(present.listed(result)),
        reports=result["reports"],
        expansions=present.expansions(result),
        years=years_picture(result),
        suggestion_url=(state.with_query(result["suggestion"]).url()
                        if result.get("suggestion") else None))
    return render_template("search.html", **page), status


def years_picture(result: dict) -> dict:
    """Matching paragraphs per year (the year facet's counts, every year between the first and
    the last), drawn as bars with their numbers."""
    counts = {int(r["value"]): r["count"] for r in result["facets"].get("year", [])
              if str(r["value"]).isdigit() and r["count"]}
    if not counts:
        return {"counts": [], "svg": None}
    years = [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]
    return {"counts": years,
            "svg": charts.per_year_svg(years, "Matching paragraphs per year, "
                                              f"{years[0][0]} to {years[-1][0]}")}


def corpus_stats() -> dict:
    reports = index().reports
    return {"reports": len(reports),
            "paragraphs": sum(r.get("paragraphs", 0) for r in reports.values())}


@bp.route("/api/search")
def api_search():
    try:
        state = SearchState.from_args(request.args)
        limit = request.args.get("limit", str(PAGE_SIZE))
        if not re.fullmatch(r"[0-9]{1,3}", limit) or not 1 <= int(limit) <= API_MAX_LIMIT:
            raise BadSearch(f"limit must be a whole number from 1 to {API_MAX_LIMIT}", "limit")
        explain = request.args.get("explain", "0")
        if explain not in ("0", "1"):
            raise BadSearch("explain must be 0 or 1", "explain")
        result = search_state(state, limit=int(limit), explain=explain == "1")
    except BadSearch as e:
        return jsonify({"error": e.message, "parameter": e.field}), 400
    try:
        check_page(state, result, int(limit))
    except NotFound as e:
        return jsonify({"error": e.description, "parameter": "page"}), 404
    return jsonify(result)


@bp.route("/search.csv")
def search_csv():
    state = SearchState.from_args(request.args)
    hits, page = [], 1
    while len(hits) < CSV_MAX_ROWS:
        # Every matching paragraph is a row: an export folds nothing.
        result = search_state(state, limit=CSV_BATCH, page=page, snippets=False,
                              max_limit=CSV_MAX_ROWS, every_copy=True)
        hits += result["results"]
        if not result["results"] or len(hits) >= result["total"]:
            break
        page += 1
    hits = hits[:CSV_MAX_ROWS]
    rows = export.csv_rows(
        hits, link=lambda h: paragraph_url(h, external=True),
        original=lambda h: (original_link(h, external=True) or {}).get("url"), cite=cite)
    name = "-".join(state.q.split()[:6]) or "all"
    name = "".join(c for c in name if c.isalnum() or c in "-_")[:60] or "search"
    return Response(stream_with_context(rows), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="ofsted-search-{name}.csv"'})


# -- reports -----------------------------------------------------------------------------------

@bp.route("/reports/<report_id>")
def report_page(report_id):
    report = index().reports.get(report_id)
    if report is None:
        abort(404, "There is no report with this address. It may have been removed from the "
                   "index when the reports were last rebuilt.")
    try:
        state = SearchState.from_args(request.args)
    except BadSearch:
        state = SearchState()  # the report is still worth showing; only the highlights go
    highlight = highlighter(index().engine, state.q)
    paragraphs, contents, matched = [], [], []
    docs = index().engine.report_paragraphs(report_id)
    anchors = unique_anchors(docs)
    repeats = index().engine.repeats_in(report_id)
    for p in docs:
        marked, hits = highlight.mark(p.get("text") or "")
        p = dict(p, marked=Markup(marked), hits=hits, anchor=anchors[p["position"]],
                 repeats=repeats.get(p["position"], 0))
        p["repeats_url"] = copies_search_url(p) if p["repeats"] else None
        p["citation"] = cite(p)
        if p.get("heading") and (not paragraphs or paragraphs[-1].get("heading") != p["heading"]):
            p["starts_heading"] = True
            contents.append({"heading": p["heading"], "anchor": p["anchor"],
                             "section": p.get("section")})
        if hits:
            matched.append(p)
        paragraphs.append(p)
    report = dict(report, url=web_url(report.get("url")))
    authority = lookup().find(report.get("authority")) if report.get("urn") else None
    return render_template("report.html", report=report, paragraphs=paragraphs,
                           authority_url=(url_for("authorities.authority_page",
                                                  slug=authority.slug) if authority else None),
                           contents=contents, matched=matched, state=state,
                           source_url=(url_for("search.source_file", source=report["source"])
                                       if source_available(report.get("source")) else None),
                           back_url=state.url() if state.active else None)


@bp.route("/reports/<report_id>/paragraphs/<int:position>")
def paragraph_at(report_id, position):
    """A report's paragraph by its place in the report: sent on to the report page at its
    anchor, with the search state (for the highlights) carried along."""
    if index().reports.get(report_id) is None:
        abort(404, "There is no report with this address. It may have been removed from the "
                   "index when the reports were last rebuilt.")
    try:
        state = SearchState.from_args(request.args)
    except BadSearch:
        state = None
    return redirect(paragraph_url({"report_id": report_id, "position": position}, state))


@bp.route("/source/<path:source>")
def source_file(source):
    """An original file, only if it is the source of an indexed report and lies in the corpus."""
    known = {r.get("source") for r in index().reports.values()}
    path = original_path(source) if source in known else None
    if path is None:
        abort(404, "There is no original file at this address.")
    kind = "text/plain" if source.lower().endswith((".txt", ".md")) else None
    # send_from_directory also refuses any name that would leave the folder.
    return send_from_directory(path.parent, path.name, mimetype=kind)
