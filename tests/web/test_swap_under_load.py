"""A running server keeps answering, without a single error, while builds switch the index."""
import json
import shutil
import threading
import urllib.request

import pytest

from indexer.build import build
from tests.live_server import live_server
from webapp import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def served_index(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    build(corpus_dir, index_dir, show_progress=False, jobs=1)
    with live_server(create_app(index_dir=index_dir), threads=4) as url:
        yield url, index_dir


def test_zero_errors_while_the_index_is_swapped_underneath(served_index, corpus_dir, tmp_path):
    base, index_dir = served_index
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
