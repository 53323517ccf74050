"""A running server keeps answering, without a single error, while builds switch the index."""
import json
import shutil
import threading
import urllib.request

import pytest
from waitress.server import create_server

from indexer.build import build
from webapp import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def live_server(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    build(corpus_dir, index_dir, show_progress=False, jobs=1)
    server = create_server(create_app(index_dir=index_dir), host="127.0.0.1", port=0, threads=4)
    def run():
        try:
            server.run()
        except OSError:
            pass  # waitress's loop sees its sockets closed by server.close() below: that is the stop
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", index_dir
    server.close()
    thread.join(timeout=10)


def test_zero_errors_while_the_index_is_swapped_underneath(live_server, corpus_dir, tmp_path):
    base, index_dir = live_server
    grown = tmp_path / "grown"
    shutil.copytree(corpus_dir, grown)
    (grown / "extra.txt").write_text(
        "Inspection of Exampleshire children's services\n\n"
        "Return home interviews are offered to every child who goes missing.\n", "utf-8")

    builds_done = threading.Event()
    outcomes, lock = [], threading.Lock()

    def client():
        # Bounded: each client stops when the builds are done (and after at most 400 requests).
        for _ in range(400):
            try:
                with urllib.request.urlopen(f"{base}/api/search?q=return+home+interviews",
                                            timeout=60) as r:
                    body = json.loads(r.read())
                    ok = r.status == 200 and body["total"] > 0
            except Exception as e:  # any failure is what this test exists to catch
                ok = repr(e)
            with lock:
                outcomes.append(ok)
            if builds_done.is_set():
                return

    clients = [threading.Thread(target=client) for _ in range(4)]
    for c in clients:
        c.start()
    try:
        for i in range(10):  # alternate corpora so that every build publishes a new generation
            build(grown if i % 2 == 0 else corpus_dir, index_dir, show_progress=False, jobs=1)
    finally:
        builds_done.set()
        for c in clients:
            c.join(timeout=120)

    failures = [o for o in outcomes if o is not True]
    assert len(outcomes) >= 12 and not failures, failures[:5]
