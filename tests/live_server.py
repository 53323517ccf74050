"""The web app served by waitress on 127.0.0.1 at an ephemeral port, in a background thread: the
one live server the browser, security and load tests (and the screenshots script) start."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from waitress.server import create_server


@contextmanager
def live_server(app, **settings) -> Iterator[str]:
    """Serve `app` while the block runs; yield its base URL ("http://127.0.0.1:PORT").

    `settings` are waitress's (threads=4 unless given): pass webapp.security.SERVER_SETTINGS
    to serve as `ofsted-search serve` does."""
    server = create_server(app, host="127.0.0.1", port=0, **{"threads": 4, **settings})

    def run():
        try:
            server.run()
        except OSError:
            pass  # server.close() below closes the sockets under the loop: that is the stop
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)
