"""Junk in the corpus: each bad file is named with a reason and skipped, the rest is indexed."""
import io
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from indexer import build as build_mod
from indexer import store
from indexer.build import build
from indexer.search import SearchParams, search
from tests.pdfgen import Doc


def blank_pdf() -> bytes:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@pytest.fixture
def junk_corpus(tmp_path, corpus_dir):
    folder = tmp_path / "corpus"
    shutil.copytree(corpus_dir, folder)
    bad = folder / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "random.pdf").write_bytes(os.urandom(4096))
    (bad / "error-page.pdf").write_bytes(
        b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not found</body></html>")
    (bad / "truncated.pdf").write_bytes(blank_pdf()[:300])
    (bad / "no-text.pdf").write_bytes(blank_pdf())
    (bad / "encrypted.pdf").write_bytes(Doc().bytes(encrypted=True))  # a password to open
    (bad / "one-line.txt").write_bytes(b"word " * 100_000)
    # Latin-1 text is a real report with an old encoding: indexed, not skipped.
    (folder / "latin1.txt").write_bytes(
        "Inspection of Sm\xf8rrebr\xf8d Borough Council\n\nThe caf\xe9 offers respite "
        "care to foster carers \x96 a welcome initiative.\n".encode("latin-1"))
    return folder


def test_each_bad_file_is_named_with_a_reason_and_good_files_are_indexed(junk_corpus, tmp_path):
    summary = build(junk_corpus, tmp_path / "index", show_progress=False, jobs=2)
    reasons = dict(summary.skipped)
    assert set(reasons) == {"bad/empty.txt", "bad/random.pdf", "bad/error-page.pdf",
                            "bad/truncated.pdf", "bad/encrypted.pdf", "bad/no-text.pdf",
                            "bad/one-line.txt"}
    assert reasons["bad/empty.txt"] == "empty file"
    assert "HTML page" in reasons["bad/error-page.pdf"]
    assert "not a PDF" in reasons["bad/random.pdf"]
    assert "500,000 bytes" in reasons["bad/one-line.txt"]
    assert "encrypted" in reasons["bad/encrypted.pdf"]
    assert summary.reports == 6  # the five seeds and the Latin-1 report
    assert summary.notes == [("latin1.txt", "not UTF-8: read as Windows-1252")]
    assert "  latin1.txt: not UTF-8: read as Windows-1252" in summary.lines()

    reader = store.IndexReader(tmp_path / "index")
    result = search(reader.engine, SearchParams(q="café respite"))
    assert result["total"] >= 1
    assert "The café offers respite care to foster carers – a welcome" in result["results"][0]["text"]


def test_the_summary_lists_skipped_files_again_when_nothing_changed(junk_corpus, tmp_path):
    first = build(junk_corpus, tmp_path / "index", show_progress=False, jobs=1)
    again = build(junk_corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert again.up_to_date and sorted(again.skipped) == sorted(first.skipped)
    assert again.notes == first.notes == [("latin1.txt", "not UTF-8: read as Windows-1252")]


def test_strict_build_refuses_to_switch_in_an_index_with_files_left_out(junk_corpus, corpus_dir,
                                                                        tmp_path):
    index_dir = tmp_path / "index"
    good = build(corpus_dir, index_dir, show_progress=False, jobs=1)
    with pytest.raises(build_mod.SkippedInStrictMode) as err:
        build(junk_corpus, index_dir, show_progress=False, jobs=1, strict=True)
    assert len(err.value.summary.skipped) == 7
    assert store.current_generation(index_dir) == good.generation


def test_unreadable_file_is_skipped(junk_corpus, tmp_path, monkeypatch):
    victim = junk_corpus / "002_392029502dc47f6f.txt"
    real_read_bytes = type(victim).read_bytes

    def read_bytes(path):
        if path.name == victim.name:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)
    monkeypatch.setattr(type(victim), "read_bytes", read_bytes)
    summary = build(junk_corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert dict(summary.skipped)[victim.name] == "cannot read file: Permission denied"
    assert summary.reports == 5


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_skipped(junk_corpus, tmp_path):
    victim = junk_corpus / "002_392029502dc47f6f.txt"
    victim.chmod(0)
    summary = build(junk_corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert "Permission denied" in dict(summary.skipped)[victim.name]


@pytest.mark.slow
def test_a_reader_that_crashes_its_process_costs_one_file(corpus_dir, tmp_path, monkeypatch):
    real_parse = build_mod.parse_file

    def parse_file(path, corpus):
        if path.name.startswith("003"):
            os._exit(1)  # as a segfault in a PDF library would
        return real_parse(path, corpus)
    monkeypatch.setattr(build_mod, "parse_file", parse_file)
    summary = build(corpus_dir, tmp_path / "index", show_progress=False, jobs=2)
    assert summary.skipped == [("003_f8100d5140c3d05e.txt", "the reader crashed on this file")]
    assert summary.reports == 4


def test_a_table_rule_followed_by_a_word_is_read_in_no_time(tmp_path, monkeypatch):
    """A line of dash groups that ends in a word (a table border the converter broke) once made
    the rule-line pattern backtrack exponentially: minutes per line. Now the file is indexed
    like any other, well inside a parse limit cut to a few seconds."""
    monkeypatch.setattr(build_mod, "PARSE_TIMEOUT", 5)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    border = " ".join(["------------"] * 8)
    (corpus / "broken-table.txt").write_text(
        "Inspection of Halton children's services\n\n" + border + " Good\n\n"
        "Return home interviews are offered to every child who goes missing.\n\n"
        + border + "\n", "utf-8")
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert summary.skipped == [] and summary.reports == 1
    result = search(store.IndexReader(tmp_path / "index").engine,
                    SearchParams(q="return home interviews"))
    assert result["total"] == 1 and "----" not in result["results"][0]["text"]


def test_empty_corpus_leaves_the_live_index_alone(corpus_dir, tmp_path):
    index_dir = tmp_path / "index"
    good = build(corpus_dir, index_dir, show_progress=False, jobs=1)
    (tmp_path / "empty").mkdir()
    with pytest.raises(build_mod.NothingToIndex):
        build(tmp_path / "empty", index_dir, show_progress=False, jobs=1)
    assert store.current_generation(index_dir) == good.generation


def big_corpus(corpus_dir, folder, copies):
    """Many distinct reports, so that a build takes long enough to be killed half-way."""
    folder.mkdir()
    for i in range(copies):
        for seed in corpus_dir.glob("*.txt"):
            (folder / f"{i:03d}-{seed.name}").write_text(
                seed.read_text("utf-8") + f"\n\nCopy number {i}.\n", "utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["while parsing", "while writing the index"])
def test_kill_9_at_any_moment_leaves_the_previous_index_searchable(corpus_dir, tmp_path, moment):
    index_dir = tmp_path / "index"
    good = build(corpus_dir, index_dir, show_progress=False, jobs=1)
    big = big_corpus(corpus_dir, tmp_path / "big", copies=12)
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "build", "--corpus", str(big),
                             "--index", str(index_dir), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            cached = list((index_dir / "cache").glob("*/*.json"))
            writing = [g for g in index_dir.glob("gen-*") if g != good.generation]
            if (moment == "while parsing" and len(cached) > 10) or \
               (moment == "while writing the index" and writing):
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()

    assert store.current_generation(index_dir) == good.generation
    reader = store.IndexReader(index_dir)
    assert len(reader.reports) == 5
    assert search(reader.engine, SearchParams(q="return home interviews"))["total"] > 0
    # The lock died with the build, and the next build finishes the job.
    summary = build(big, index_dir, show_progress=False, jobs=2)
    assert summary.reports == 60
    assert sorted(p.name for p in index_dir.glob("gen-*")) == sorted(
        {summary.generation.name, good.generation.name})


def test_a_link_to_a_file_outside_the_corpus_is_skipped(corpus_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    outside = tmp_path / "private.txt"
    outside.write_text("Inspection of Nowhere children's services\n\nA private note.\n", "utf-8")
    (corpus / "linked.txt").symlink_to(outside)
    (corpus / "inside-link.txt").symlink_to(corpus / "002_392029502dc47f6f.txt")
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    reasons = dict(summary.skipped)
    assert reasons["linked.txt"] == "a link to a file outside the corpus folder"
    # A link that stays inside is the same bytes as its target: indexed once, named.
    assert reasons["inside-link.txt"].startswith("same content as")
    assert summary.reports == 5
