"""A long-running reader switches to a new generation without making requests wait for it."""
import shutil
import threading

from indexer.build import build
from indexer.engine import Engine
from indexer.store import IndexReader


def test_requests_use_the_previous_generation_while_the_new_one_loads(tmp_path, corpus_dir,
                                                                      monkeypatch):
    index_dir = tmp_path / "index"
    build(corpus_dir, index_dir, show_progress=False, jobs=1)
    reader = IndexReader(index_dir)
    old = reader.snapshot()

    grown = tmp_path / "grown"
    shutil.copytree(corpus_dir, grown)
    (grown / "extra.txt").write_text("Inspection of Exampleshire children's services\n\n"
                                     "Return home interviews are timely.\n", "utf-8")
    build(grown, index_dir, show_progress=False, jobs=1)

    loading, release = threading.Event(), threading.Event()
    real_warm = Engine.warm

    def slow_warm(engine):
        loading.set()
        release.wait(30)
        real_warm(engine)

    monkeypatch.setattr(Engine, "warm", slow_warm)
    opened = []
    opener = threading.Thread(target=lambda: opened.append(reader.snapshot()))
    opener.start()
    assert loading.wait(30)
    # The new generation is still loading: this request is answered from the previous one.
    assert reader.snapshot() is old
    release.set()
    opener.join(30)
    new = opened[0]
    assert new.generation != old.generation and len(new.reports) == len(old.reports) + 1
    assert reader.snapshot() is new
