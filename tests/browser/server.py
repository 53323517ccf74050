"""The web app served by waitress on 127.0.0.1 at an ephemeral port, in a background thread."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from waitress import create_server

from webapp import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def running_app(index_dir: Path, corpus_dir: Path | None = None, **config):
    """Yield the base URL ("http://127.0.0.1:PORT") of the app serving `index_dir`."""
    app = create_app(index_dir=index_dir, corpus_dir=corpus_dir, **config)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
