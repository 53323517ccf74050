"""The Flask web app: search page, report pages, JSON and CSV exports.

    create_app(index_dir="index", corpus_dir="corpus")

`corpus_dir` is where the indexed files live; it is only used to serve an original file (a PDF
opened at a paragraph's page) and may be None, in which case no such links are drawn.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.integrity import IndexDamaged
from indexer.store import IndexMissing, IndexReader

from .anchors import AnchorCache
from .security import HtmlSafeJSONProvider, add_security_headers
from .state import BadSearch

# static/ lives at the top of the repository; an installed wheel carries it as webapp/static/.
_INSTALLED_STATIC = Path(__file__).resolve().parent / "static"
STATIC = (_INSTALLED_STATIC if _INSTALLED_STATIC.is_dir()
          else Path(__file__).resolve().parent.parent / "static")
log = logging.getLogger(__name__)

ERROR_TITLES = {
    400: "There is a problem with your search",
    404: "Page not found",
    405: "Page not found",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def create_app(index_dir: str | Path = "index", corpus_dir: str | Path | None = None,
               **config) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.update(FACET_TOP_OPTIONS=10)  # options a facet shows before "Show all"
    # Seconds a request may spend searching before it is stopped with a message (None: no limit).
    app.config.update(SEARCH_TIME_LIMIT=10, EXPORT_TIME_LIMIT=60)
    app.config.update(INDEX_DIR=str(index_dir),
                      CORPUS_DIR=str(corpus_dir) if corpus_dir else None, **config)
    app.json = HtmlSafeJSONProvider(app)
    app.json.sort_keys = False  # the search JSON keeps the field order the CLI prints
    app.extensions["index_reader"] = IndexReader(Path(app.config["INDEX_DIR"]),
                                                    fallback=True)  # never serve a damaged one
    app.extensions["anchors"] = AnchorCache()
    from .views import bp
    from .authorities import bp as authorities_bp
    app.register_blueprint(bp)
    from .feeds import bp as feeds_bp  # /search.atom, /reports.atom
    app.register_blueprint(feeds_bp)
    app.register_blueprint(authorities_bp)
    app.register_error_handler(BadSearch, _bad_search)
    app.register_error_handler(IndexMissing, _index_missing)
    app.register_error_handler(IndexDamaged, _index_damaged)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_security_headers)
    return app


def _wants_json() -> bool:
    # The API and every page's JSON twin (/authorities.json, /reports/<id>.json) answer errors
    # in JSON too.
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_page(status: int, message: str | None = None):
    title = ERROR_TITLES.get(status, "Sorry, there is a problem")
    if _wants_json():
        return jsonify({"error": message or title}), status
    return render_template("error.html", status=status, title=title, message=message), status


def _bad_search(e: BadSearch):
    return error_page(400, e.message)


def _index_missing(e: IndexMissing):
    log.error("%s", e)
    return error_page(503, "The search index has not been built yet. Try again in a few "
                           "minutes.")


def _index_damaged(e: IndexDamaged):
    # Reached only when no good generation is left to serve (see IndexReader.snapshot).
    log.error("%s", e)
    return error_page(503, "The search index is damaged and needs rebuilding. Try again "
                           "later.")


def _http_error(e: HTTPException):
    # Werkzeug's stock descriptions are written for developers; ours come from abort(..., msg).
    own = e.description if e.description != type(e).description else None
    return error_page(e.code or 500, own)


def _unexpected(e: Exception):
    log.exception("unhandled error on %s", request.path)
    # Index files damaged after they were opened fail here: say so, and stop serving them.
    damage = current_app.extensions["index_reader"].recheck()
    if damage is not None:
        return _index_damaged(damage)
    return error_page(500)


def _security_headers(response):
    # After every response, error pages and static files included (see webapp/security.py).
    return add_security_headers(
        response, original_file=(request.endpoint == "search.source_file"
                                 and response.status_code < 400))
