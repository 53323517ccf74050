"""A build that fails its own check or fills the disk never switches `current`."""
from __future__ import annotations

import errno
import json

import pytest
from click.testing import CliRunner

from indexer import build as build_mod
from indexer import engine, integrity, store
from indexer.build import build
from indexer.cli import cli
from indexer.search import SearchParams, search


def change(corpus):
    letter = sorted(corpus.glob("*.txt"))[0]
    letter.write_text(letter.read_text("utf-8") + "\n\nInspectors saw the zephyrwidget panel.\n",
                      "utf-8")


def generations(index_dir):
    return sorted(p.name for p in index_dir.glob("gen-*"))


def assert_live_index_untouched(index_dir, live, before):
    assert store.current_generation(index_dir) == live
    assert generations(index_dir) == before  # the half-built generation was removed
    reader = store.IndexReader(index_dir)
    assert search(reader.engine, SearchParams(q="care", limit=1))["total"] > 0
    assert search(reader.engine, SearchParams(q="zephyrwidget"))["total"] == 0


def test_a_generation_written_wrong_fails_its_check_and_is_never_switched_in(
        index_dir, corpus, monkeypatch):
    live, before = store.current_generation(index_dir), generations(index_dir)
    real_write = engine.write_index

    def write_then_cut(directory, documents, jobs=1):
        # Damage done before the seal: sizes and checksums agree, only opening it tells.
        n = real_write(directory, documents, jobs=jobs)
        seg = max(directory.glob("*.seg"), key=lambda p: p.stat().st_size)
        seg.write_bytes(seg.read_bytes()[:1000])
        return n
    monkeypatch.setattr(engine, "write_index", write_then_cut)
    change(corpus)
    with pytest.raises(build_mod.FailedCheck, match="failed its check"):
        build(corpus, index_dir, show_progress=False, jobs=1, full=True)
    assert_live_index_untouched(index_dir, live, before)


def test_a_file_cut_after_sealing_fails_the_check(index_dir, corpus, monkeypatch):
    live, before = store.current_generation(index_dir), generations(index_dir)
    real_seal = integrity.seal

    def seal_then_cut(generation, previous=None):
        sealed = real_seal(generation, previous)
        (generation / "reports.json").write_text("[", "utf-8")
        return sealed
    monkeypatch.setattr(integrity, "seal", seal_then_cut)
    change(corpus)
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--index", str(index_dir)])
    assert result.exit_code == 1
    assert "failed its check" in result.output and "reports.json" in result.output
    assert_live_index_untouched(index_dir, live, before)


def _full_disk_after(monkeypatch, budget: int):
    """Make every file Whoosh writes fail with ENOSPC once `budget` bytes have been written in
    all: what writing to a disk with `budget` bytes free does."""
    from whoosh.filedb import filestore
    written = [0]
    real_open = open

    class FullDiskFile:
        def __init__(self, fh):
            self._fh = fh

        def write(self, data):
            written[0] += len(data)
            if written[0] > budget:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._fh.write(data)

        def __getattr__(self, name):
            return getattr(self._fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._fh.close()

    def opener(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        return FullDiskFile(fh) if any(c in mode for c in "wa+") else fh
    monkeypatch.setattr(filestore, "open", opener, raising=False)


@pytest.mark.parametrize("full", [False, True])
def test_a_full_disk_stops_the_build_removes_its_generation_and_leaves_the_live_index(
        index_dir, corpus, monkeypatch, full):
    live, before = store.current_generation(index_dir), generations(index_dir)
    _full_disk_after(monkeypatch, budget=100_000)
    change(corpus)
    with pytest.raises(build_mod.DiskFull, match="is full") as raised:
        build(corpus, index_dir, show_progress=False, jobs=1, full=full)
    assert "live index was left as it was" in str(raised.value)
    monkeypatch.undo()
    assert_live_index_untouched(index_dir, live, before)
    # Once there is room again, the next build goes through.
    assert build(corpus, index_dir, show_progress=False, jobs=1).paragraphs > 0
    assert integrity.check(store.current_generation(index_dir)) == []


def test_a_full_disk_while_caching_parsed_reports_is_reported_the_same_way(index_dir, corpus,
                                                                          monkeypatch):
    live, before = store.current_generation(index_dir), generations(index_dir)

    def no_room(self, report_id, result):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(build_mod.ExtractionCache, "put", no_room)
    change(corpus)
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--index", str(index_dir),
                                      "--json"])
    assert result.exit_code == 1
    assert "is full" in json.loads(result.stdout.splitlines()[0])["error"]
    monkeypatch.undo()
    assert_live_index_untouched(index_dir, live, before)
