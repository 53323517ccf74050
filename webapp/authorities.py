"""The analyst's pages: every authority with its latest judgements (/authorities, .json, .csv),
one authority's judgements over time (/authorities/<slug>, .json) and a report's data as JSON
(/reports/<id>.json). Server-rendered, no JavaScript; every page has its JSON twin.

Authorities come from the lookup (indexer/ingest/authorities.py), so all of them are listed,
also those with no report in the index; reports are joined to them by URN, which the build
gives every report whose authority the lookup knows.
"""
from __future__ import annotations

import csv
import io
from typing import Optional

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest

from indexer.ingest.authorities import Authority, lookup
from indexer.judgements import (AREA_LABELS, AREAS, MAIN_AREAS, SCALE, graded_points,
                                judgement_row, judgement_rows, report_date)

from . import charts
from .anchors import unique_anchors
from .export import csv_cell
from .present import long_date
from .security import web_url
from .views import cite, index

bp = Blueprint("authorities", __name__)

LETTERS = ("Focused visit", "Monitoring visit")
# Columns /authorities sorts by (?sort=...&order=asc|desc), with their headings.
SORT_COLUMNS = {"authority": "Local authority", "region": "Region",
                "report_type": "Latest graded inspection", "inspection_end": "Inspected",
                **{a: AREA_LABELS[a] for a in MAIN_AREAS},
                "reports": "Reports", "letters": "Letters"}
ORDERS = ("asc", "desc")


# -- data --------------------------------------------------------------------------------------

def _by_urn(reports: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in reports.values():
        if r.get("urn"):
            out.setdefault(r["urn"], []).append(r)
    for rows in out.values():
        rows.sort(key=lambda r: (report_date(r), r.get("report_id") or ""))
    return out


def _latest(row: Optional[dict]) -> Optional[dict]:
    if row is None:
        return None
    return {"report_id": row["report_id"], "report_type": row["report_type"],
            "inspection_start": row["inspection_start"], "inspection_end": row["inspection_end"],
            "published": row["published"],
            "grades": {a: row[a] for a in AREAS if row[a]}}


def authority_record(a: Authority, reports: list[dict]) -> dict:
    """One authority as /authorities.json lists it."""
    latest = judgement_rows(reports, latest=True)
    return {"authority": a.name, "slug": a.slug, "urn": a.urn, "la_code": a.la_code,
            "gss_code": a.gss_code, "region": a.region,
            "neighbours": [n.name for n in lookup().neighbours(a)],
            "latest": _latest(latest[0] if latest else None),
            "reports": len(reports),
            "letters": sum(1 for r in reports if r.get("report_type") in LETTERS),
            "former": a.former}


def all_records() -> list[dict]:
    by_urn = _by_urn(index().reports)
    return [authority_record(a, by_urn.get(a.urn, [])) for a in lookup().authorities]


def _sort_key(column: str):
    def key(rec: dict):
        latest = rec["latest"] or {}
        if column in MAIN_AREAS:
            grade = latest.get("grades", {}).get(column)
            return (grade is None, -SCALE.get(grade, 0))  # best first; ungraded last
        if column in ("report_type", "inspection_end"):
            value = latest.get(column) or (latest.get("published") if column ==
                                           "inspection_end" else None)
            return (value is None, value or "")
        if column in ("reports", "letters"):
            return (False, rec[column])
        return (rec[column] is None, (rec[column] or "").lower())
    return key


def sorted_records(records: list[dict], column: str, order: str) -> list[dict]:
    """Sorted by `column`, `order` asc or desc; a missing value sorts last either way."""
    key = _sort_key(column)
    present = [r for r in records if not key(r)[0]]
    missing = [r for r in records if key(r)[0]]
    tiebreak = sorted(present, key=lambda r: r["authority"].lower())
    return sorted(tiebreak, key=lambda r: key(r)[1], reverse=order == "desc") + missing


def list_params() -> tuple[str, str, list[str]]:
    """sort, order and regions of /authorities; a bad sort or order is a 400 with a message."""
    column = request.args.get("sort", "authority") or "authority"
    order = request.args.get("order", "asc") or "asc"
    if column not in SORT_COLUMNS:
        raise BadRequest(f"Sort by one of: {', '.join(SORT_COLUMNS)}")
    if order not in ORDERS:
        raise BadRequest("The order must be asc or desc")
    regions = [r.strip() for r in request.args.getlist("region") if r.strip()][:20]
    return column, order, regions


def listed(column: str, order: str, regions: list[str]) -> list[dict]:
    wanted = {r.lower() for r in regions}
    records = [r for r in all_records() if not wanted or r["region"].lower() in wanted]
    return sorted_records(records, column, order)


# -- /authorities ------------------------------------------------------------------------------

def short_date(iso: str | None) -> str:
    """2025-10-03 -> 3 Oct 2025: the table of every authority is wide enough already."""
    text = long_date(iso)
    parts = text.split()
    return f"{parts[0]} {parts[1][:3]} {parts[2]}" if len(parts) == 3 else text


def _sort_links(column: str, order: str, regions: list[str]) -> dict[str, dict]:
    links = {}
    for name, label in SORT_COLUMNS.items():
        # A column sorts ascending first; clicking it again reverses it.
        nxt = "desc" if name == column and order == "asc" else "asc"
        links[name] = {"label": label, "url": url_for("authorities.authorities_page", sort=name,
                                                      order=nxt, region=regions or None),
                       "aria": ("ascending" if order == "asc" else "descending")
                       if name == column else None}
    return links


@bp.route("/authorities")
def authorities_page():
    column, order, regions = list_params()
    records = listed(column, order, regions)
    return render_template("authorities.html", records=records, column=column, order=order,
                           regions=regions, all_regions=lookup().regions(),
                           sort_links=_sort_links(column, order, regions),
                           areas=MAIN_AREAS, area_labels=AREA_LABELS,
                           unknown=_unknown_reports(), short_date=short_date,
                           json_url=url_for("authorities.authorities_json", **request.args),
                           csv_url=url_for("authorities.authorities_csv", **request.args))


def _unknown_reports() -> int:
    return sum(1 for r in index().reports.values() if not r.get("urn"))


@bp.route("/authorities.json")
def authorities_json():
    column, order, regions = list_params()
    return jsonify({"authorities": listed(column, order, regions)})


CSV_COLUMNS = ("authority", "slug", "urn", "la_code", "gss_code", "region", "neighbours",
               "latest_report_id", "latest_report_type", "latest_inspection_end",
               "latest_published") + MAIN_AREAS + ("reports", "letters")


@bp.route("/authorities.csv")
def authorities_csv():
    column, order, regions = list_params()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in listed(column, order, regions):
        latest = r["latest"] or {}
        writer.writerow([csv_cell(v) for v in (
            r["authority"], r["slug"], r["urn"], r["la_code"], r["gss_code"], r["region"],
            "; ".join(r["neighbours"]), latest.get("report_id"), latest.get("report_type"),
            latest.get("inspection_end"), latest.get("published"),
            *[latest.get("grades", {}).get(a) for a in MAIN_AREAS], r["reports"], r["letters"])])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="ofsted-search-authorities.csv"'})


# -- /authorities/<slug> -----------------------------------------------------------------------

def authority_data(slug: str) -> dict:
    a = lookup().by_slug(slug)
    if a is None:
        abort(404, "There is no authority with this address. The list of authorities links "
                   "to every one.")
    by_urn = _by_urn(index().reports)
    mine = by_urn.get(a.urn, [])
    rows = judgement_rows(mine)
    rows.sort(key=lambda r: (report_date(r), r["report_id"]))
    return {"authority": authority_record(a, mine),
            "judgements": rows,
            "reports": [_report_entry(r) for r in mine],
            "neighbours": [authority_record(n, by_urn.get(n.urn, []))
                           for n in lookup().neighbours(a)]}


def _report_entry(r: dict) -> dict:
    return {"report_id": r["report_id"], "title": r.get("title"),
            "report_type": r.get("report_type"), "inspection_start": r.get("inspection_start"),
            "inspection_end": r.get("inspection_end"), "published": r.get("published"),
            "date": report_date(r) or None, "graded": bool(r.get("judgements")),
            "page": url_for("search.report_page", report_id=r["report_id"]),
            "url": web_url(r.get("url"))}


@bp.route("/authorities/<slug>")
def authority_page(slug):
    data = authority_data(slug)
    rows = data["judgements"]
    points = graded_points(rows)
    present = [a for a in AREAS if any(p["area"] == a for p in points)]
    name = data["authority"]["authority"]
    return render_template(
        "authority.html", data=data, record=data["authority"], rows=rows, points=points,
        areas=present, area_labels=AREA_LABELS, main_areas=MAIN_AREAS,
        chart=charts.judgements_svg(points, f"Judgements of {name} over time"),
        legend=charts.legend(present),
        json_url=url_for("authorities.authority_json", slug=slug))


@bp.route("/authorities/<slug>.json")
def authority_json(slug):
    return jsonify(authority_data(slug))


# -- /reports/<id>.json ------------------------------------------------------------------------

PARAGRAPH_FIELDS = ("anchor", "para_number", "position", "page", "kind", "section", "heading",
                    "grade", "text")


@bp.route("/reports/<report_id>.json")
def report_json(report_id):
    report = index().reports.get(report_id)
    if report is None:
        abort(404, "There is no report with this address.")
    docs = index().engine.report_paragraphs(report_id)
    anchors = unique_anchors(docs)
    repeats = index().engine.repeats_in(report_id)
    paragraphs = []
    for d in docs:
        p = {f: d.get(f) for f in PARAGRAPH_FIELDS}
        p["anchor"] = anchors[d["position"]]
        p["repeats"] = repeats.get(d["position"], 0)
        p["citation"] = cite(d)
        paragraphs.append(p)
    meta = {k: v for k, v in report.items() if k not in ("paragraphs", "notes")}
    meta["url"] = web_url(report.get("url"))
    meta["page"] = url_for("search.report_page", report_id=report_id, _external=True)
    return jsonify({"report": meta, "judgements": judgement_row(report),
                    "paragraphs": paragraphs})
