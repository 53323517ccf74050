from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from indexer.search import SearchParams, search

bp = Blueprint("search", __name__)
FACET_PARAMS = ("authority", "section", "grade", "year", "report_type")


def reader():
    return current_app.extensions["index_reader"]


def params_from_request() -> SearchParams:
    return SearchParams(
        q=request.args.get("q", ""),
        filters={f: request.args.getlist(f) for f in FACET_PARAMS},
        page=request.args.get("page", 1, type=int) or 1,
    )


@bp.route("/")
@bp.route("/search")
def search_page():
    params = params_from_request()
    result = search(reader().engine, params) if params.q else None
    return render_template("search.html", params=params, result=result)


@bp.route("/api/search")
def api_search():
    return jsonify(search(reader().engine, params_from_request()))


@bp.route("/reports/<report_id>")
def report_page(report_id):
    report = reader().reports.get(report_id)
    if report is None:
        abort(404)
    paragraphs = reader().engine.report_paragraphs(report_id)
    return render_template("report.html", report=report, paragraphs=paragraphs)
