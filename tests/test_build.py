"""Building the index from the bundled corpus, end to end."""
from indexer.build import build
from indexer import store


def test_every_seed_report_is_indexed(seed_reader, corpus_dir):
    sources = sorted(r["source"] for r in seed_reader.reports.values())
    assert sources == sorted(p.name for p in corpus_dir.glob("*.txt"))


def test_rebuild_switches_generation_and_keeps_previous_searchable(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    build(corpus_dir, index_dir, show_progress=False)
    first = store.current_generation(index_dir)
    reader = store.IndexReader(index_dir)
    assert reader.reports
    build(corpus_dir, index_dir, show_progress=False)
    second = store.current_generation(index_dir)
    assert second != first and first.is_dir()  # the previous one stays for in-flight readers
    assert reader.engine.directory == second   # a reader picks up the new index by itself
