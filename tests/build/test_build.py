"""Building and updating the index: caching, incremental updates, atomic switching."""
import shutil

import pytest

from indexer import build as build_mod
from indexer import store
from indexer.build import build
from indexer.search import SearchParams, search


def test_every_seed_report_is_indexed(seed_reader, corpus_dir):
    sources = sorted(r["source"] for r in seed_reader.reports.values())
    assert sources == sorted(p.name for p in corpus_dir.glob("*.txt"))


@pytest.fixture
def corpus(tmp_path, corpus_dir):
    """A private copy of the bundled corpus that a test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(corpus_dir, folder)
    return folder


def hits(reader, q):
    return search(reader.engine, SearchParams(q=q, limit=50))["total"]


def sources(index_dir):
    return sorted(r["source"] for r in store.IndexReader(index_dir).reports.values())


def test_rebuild_with_nothing_changed_parses_and_writes_nothing(corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, show_progress=False, jobs=1)
    assert first.parsed == 5 and not first.up_to_date
    (corpus / "002_392029502dc47f6f.txt").touch()  # a new mtime alone is not a change
    again = build(corpus, index_dir, show_progress=False, jobs=1)
    assert again.up_to_date and again.parsed == 0
    assert again.generation == first.generation == store.current_generation(index_dir)
    assert (again.reports, again.paragraphs) == (first.reports, first.paragraphs)


def test_changing_one_report_reparses_only_it_and_keeps_the_old_index_live(corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, show_progress=False, jobs=1)
    old_reader = store.IndexReader(index_dir)
    old_snapshot = old_reader.snapshot()
    assert hits(old_reader, "zephyrwidget") == 0

    letter = corpus / "002_392029502dc47f6f.txt"
    letter.write_text(letter.read_text("utf-8") + "\n\nInspectors saw the zephyrwidget panel.\n",
                      "utf-8")
    second = build(corpus, index_dir, show_progress=False, jobs=1)

    assert second.parsed == 1 and second.added == 1 and second.removed == 1
    assert second.paragraphs == first.paragraphs + 1
    assert hits(old_reader, "zephyrwidget") == 1  # a running reader switches by itself
    # ...while a request still holding the previous generation finishes on it, unchanged.
    assert old_snapshot.generation.is_dir()
    assert search(old_snapshot.engine, SearchParams(q="zephyrwidget"))["total"] == 0
    # Unchanged reports were carried over, not duplicated.
    assert sources(index_dir) == sorted(p.name for p in corpus.glob("*.txt"))
    assert hits(old_reader, '"return home interview"') == hits(store.IndexReader(index_dir),
                                                               '"return home interview"')


def test_removed_and_renamed_files_are_followed_without_reparsing(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, show_progress=False, jobs=1)
    (corpus / "001_d0e98cc0a314bdc6.txt").unlink()
    (corpus / "sub").mkdir()
    (corpus / "003_f8100d5140c3d05e.txt").rename(corpus / "sub" / "50012345.txt")
    summary = build(corpus, index_dir, show_progress=False, jobs=1)
    assert summary.parsed == 0 and summary.reports == 4
    assert sources(index_dir) == ["000_f0d2b5c06809a76c.txt", "002_392029502dc47f6f.txt",
                                  "004_94c535938a8529bb.txt", "sub/50012345.txt"]
    reader = store.IndexReader(index_dir)
    moved = [r for r in reader.reports.values() if r["source"] == "sub/50012345.txt"][0]
    paragraphs = reader.engine.report_paragraphs(moved["report_id"])
    assert paragraphs and {p["source"] for p in paragraphs} == {"sub/50012345.txt"}


def test_new_parser_version_reparses_everything(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, show_progress=False, jobs=1)
    monkeypatch.setattr(build_mod, "parser_version", lambda: "some-new-parser")
    monkeypatch.setattr("indexer.cache.parser_version", lambda: "some-new-parser")
    summary = build(corpus, index_dir, show_progress=False, jobs=1)
    assert summary.parsed == 5 and not summary.up_to_date
    assert [p.name for p in (index_dir / "cache").iterdir()] == ["some-new-parser"]


def test_full_build_ignores_the_cache(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, show_progress=False, jobs=1)
    summary = build(corpus, index_dir, show_progress=False, jobs=1, full=True)
    assert summary.parsed == 5 and summary.added == 5


def test_parallel_build_gives_the_same_documents_as_serial(corpus, tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(corpus, serial, show_progress=False, jobs=1)
    build(corpus, parallel, show_progress=False, jobs=2)

    def documents(index_dir):
        reader = store.IndexReader(index_dir)
        return [p for rid in sorted(reader.reports) for p in reader.engine.report_paragraphs(rid)]
    assert documents(serial) == documents(parallel)


def test_a_second_build_at_the_same_time_is_refused_clearly(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with store.build_lock(index_dir):
        with pytest.raises(store.BuildLocked, match="another build"):
            build(corpus, index_dir, show_progress=False, jobs=1)
    assert build(corpus, index_dir, show_progress=False, jobs=1).reports == 5
