"""Atom 1.0 feeds, as GOV.UK finders offer them:

- `/search.atom?<the search's parameters>`: the newest matching paragraphs, grouped by report,
  newest report first: one entry per report, with its matching paragraphs' snippets;
- `/reports.atom`: the newest reports, one entry each (what `fetch --build` adds appears here).

Ids must not change when the index is rebuilt, so they come from what names a report outside
the index (its address on the web, else its path in the corpus), never from `report_id`, the
hash of the file and its sidecar. `updated` is the report's date (publication, else the end of
the inspection), so a rebuild does not make every entry look new to a feed reader.
"""
from __future__ import annotations

import html
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace

from flask import Blueprint, Response, request, url_for

from indexer.search import highlighter

from . import present
from .security import web_url
from .state import SearchState
from .views import index, paragraph_url, search_state

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
FEED_REPORTS = 50          # entries in /reports.atom
SEARCH_REPORTS = 20        # entries in /search.atom
SEARCH_PARAGRAPHS = 5000   # newest matching paragraphs read for them (a report has ~100)
SNIPPETS_PER_ENTRY = 5
SNIPPET_CHARS = 300
NO_DATE = "1970-01-01T00:00:00Z"  # Atom requires a date; a report without one sorts last
ID_NAMESPACE = uuid.UUID("0d7c3a4e-5e0b-4b7e-9d8e-2f1d6c1a9b15")  # this project's, fixed


def report_key(report: dict) -> str:
    return web_url(report.get("url")) or f"source:{report.get('source')}"


def entry_id(*parts: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts)).urn


def timestamp(day: str | None) -> str:
    return f"{day[:10]}T00:00:00Z" if day else NO_DATE


# Characters XML 1.0 cannot carry at all (a query may hold them): ElementTree would write them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{tag}",
                      {k: _xml(v) for k, v in attrs.items() if v})
    if text is not None:
        e.text = _xml(text)
    return e


def _feed(title: str, feed_id: str, alternate: str) -> ET.Element:
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "title", title)
    _el(feed, "id", feed_id)
    _el(feed, "link", rel="self", type="application/atom+xml", href=request.url)
    _el(feed, "link", rel="alternate", type="text/html", href=alternate)
    author = _el(feed, "author")
    _el(author, "name", "Ofsted report search")
    _el(feed, "generator", "ofsted-search")
    return feed


def _report_entry(feed, report: dict, eid: str, link: str, content: str) -> None:
    entry = _el(feed, "entry")
    heading = report.get("title") or report.get("report_type") or "Inspection report"
    _el(entry, "title", f"{report.get('authority') or 'Unknown authority'}: {heading}")
    _el(entry, "id", eid)
    _el(entry, "updated", timestamp(report.get("date")))
    if report.get("published"):
        _el(entry, "published", timestamp(report["published"]))
    _el(entry, "link", rel="alternate", type="text/html", href=link)
    if web_url(report.get("url")):
        _el(entry, "link", rel="related", type="application/pdf", href=web_url(report["url"]))
    if report.get("report_type"):
        _el(entry, "category", term=report["report_type"])
    _el(entry, "content", content, type="html")


def _respond(feed: ET.Element) -> Response:
    dates = [e.findtext(f"{{{ATOM}}}updated") for e in feed.findall(f"{{{ATOM}}}entry")]
    updated = ET.Element(f"{{{ATOM}}}updated")
    updated.text = max(dates, default=NO_DATE)
    feed.insert(2, updated)
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml",
                    content_type="application/atom+xml; charset=utf-8")


def _about(report: dict) -> str:
    bits = [report.get("report_type") or "Report", "of " + (report.get("authority") or
                                                             "an unknown authority")]
    if report.get("published"):
        bits.append("published " + present.long_date(report["published"]))
    return " ".join(bits)


@bp.route("/reports.atom")
def reports_feed():
    reports = sorted(index().reports.values(),
                     key=lambda r: (r.get("date") or "", r.get("source") or ""), reverse=True)
    feed = _feed("Ofsted report search: new reports", entry_id("reports"),
                 url_for("search.search_page", _external=True))
    for r in reports[:FEED_REPORTS]:
        grades = "".join(f"<li>{html.escape(j['area'])}: {html.escape(j['grade'])}</li>"
                         for j in r.get("judgements") or [])
        content = f"<p>{html.escape(_about(r))}.</p>" + (f"<ul>{grades}</ul>" if grades else "")
        _report_entry(feed, r, entry_id("report", report_key(r)),
                      url_for("search.report_page", report_id=r["report_id"], _external=True),
                      content)
    return _respond(feed)


@bp.route("/search.atom")
def search_feed():
    state = replace(SearchState.from_args(request.args), sort="newest", page=1)
    # One search without the engine's snippets (as the CSV export): a report's matching
    # paragraphs are consecutive in date order, and a broad search needs thousands of them to
    # reach its twentieth report. The few shown get the engine's snippets, marked alike. Every
    # copy of a repeated wording is listed: each report's own paragraphs make its entry.
    result = search_state(state, limit=SEARCH_PARAGRAPHS, page=1, snippets=False,
                          max_limit=SEARCH_PARAGRAPHS, every_copy=True)
    groups: dict[str, list[dict]] = {}
    for hit in result["results"]:  # newest report first, each report's paragraphs in order
        if hit["report_id"] in groups or len(groups) < SEARCH_REPORTS:
            groups.setdefault(hit["report_id"], []).append(hit)
    query = replace(state, sort="relevance")  # the feed's identity: the search, not its order
    highlight = highlighter(index().engine, state.q)
    words = state.q or "all paragraphs"
    filters = "; ".join(f"{f}: {', '.join(v)}" for f, v in state.filters.items())
    feed = _feed(f"Ofsted report search: {words}" + (f" ({filters})" if filters else ""),
                 entry_id("search", query.query_string()),
                 request.host_url.rstrip("/") + query.url("/search"))
    reports = index().reports
    qs = query.query_string()
    for report_id, hits in groups.items():
        report = reports.get(report_id) or hits[0]
        total = hits[0].get("report_hits") or len(hits)
        items = "".join(
            f'<li><a href="{html.escape(paragraph_url(h, query, external=True))}">'
            f'{html.escape(h.get("heading") or "Paragraph")}</a>: '
            f'{highlight.snippet(h.get("text") or "", width=SNIPPET_CHARS)}</li>'
            for h in hits[:SNIPPETS_PER_ENTRY])
        content = (f"<p>{total} matching paragraph{'s' if total != 1 else ''} in this "
                   f"{html.escape(_about(report))}.</p><ul>{items}</ul>")
        link = url_for("search.report_page", report_id=report_id, _external=True)
        _report_entry(feed, report, entry_id("search", qs, report_key(report)),
                      f"{link}?{qs}" if qs else link, content)
    return _respond(feed)
