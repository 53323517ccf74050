"""The Flask web app: search page, report pages, JSON API. (First cut.)"""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from indexer.store import IndexReader

STATIC = Path(__file__).resolve().parent.parent / "static"


def create_app(index_dir: str | Path = "index", **config) -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.update(INDEX_DIR=str(index_dir), **config)
    app.extensions["index_reader"] = IndexReader(Path(app.config["INDEX_DIR"]))
    from .views import bp
    app.register_blueprint(bp)
    return app
