"""The posting store (indexer/engine/poststore.py): each segment's postings as arrays, written
with the index and read instead of Whoosh's blocks. What it gives must be exactly what Whoosh's
postings give (documents, scores, positions), on one segment and on several with deletions."""
from __future__ import annotations

import numpy as np
import pytest

from indexer import engine as engine_mod
from indexer.engine import Engine
from indexer.engine.postcache import PostingCache
from indexer.engine.poststore import EXT, FIELDS
from indexer.ingest.pipeline import parse_file
from indexer.build import corpus_files
from indexer.store import current_generation


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory, corpus_dir):
    """Two segments, one report deleted from the first and written again in the second."""
    reports = [parse_file(p, corpus_dir) for p in corpus_files(corpus_dir)]
    directory = tmp_path_factory.mktemp("updated-store")
    engine_mod.write_index(directory, (d for r in reports[1:] for d in r.documents()))
    engine_mod.update_index(directory, [reports[2].report_id],
                            (d for r in (reports[0], reports[2]) for d in r.documents()))
    return directory


@pytest.fixture(params=["seed", "updated"])
def opened(request, seed_index, updated_index):
    directory = current_generation(seed_index) if request.param == "seed" else updated_index
    engine = Engine(directory)
    yield engine
    engine.close()


def caches(engine):
    s = engine._searcher()
    stored = PostingCache(s, engine.table, engine.lengths, engine.lock,
                          stores=engine.cache.stores)
    whoosh = PostingCache(s, engine.table, engine.lengths, engine.lock, stores=None)
    return stored, whoosh


def test_every_segment_has_a_store_and_the_generation_seals_it(seed_index):
    generation = current_generation(seed_index)
    segments = {p.stem for p in generation.glob("*.seg")}
    assert segments and {p.stem for p in generation.glob("*" + EXT)} == segments
    from indexer import integrity
    assert integrity.check(generation) == []


def test_the_store_gives_exactly_whoosh_postings_for_every_term(opened):
    stored, whoosh = caches(opened)
    assert stored.stores is not None
    reader = opened._searcher().reader()
    if opened.table.size != len(opened.table.live):
        assert len(reader.leaf_readers()) > 1  # the updated index: segments and deletions
    checked = 0
    for fieldname in FIELDS:
        for btext in reader.lexicon(fieldname):
            a = stored.term(fieldname, btext, positions=fieldname == "text")
            b = whoosh.term(fieldname, btext, positions=fieldname == "text")
            assert np.array_equal(a.ids, b.ids) and a.ids.dtype == b.ids.dtype
            assert np.array_equal(a.scores, b.scores)  # the same floats
            if fieldname == "text":
                at = np.arange(len(a.ids))
                assert ([a.decode(v) for v in a.values(at)]
                        == [b.decode(v) for v in b.values(at)])
            checked += 1
    assert checked > 500


def test_a_term_the_index_lacks_has_no_postings(opened):
    stored, _ = caches(opened)
    assert len(stored.term("text", "zzzunheardof").ids) == 0


def test_an_index_without_stores_is_still_searched_through_whoosh(tmp_path, seed_index):
    import shutil
    copy = tmp_path / "gen"
    shutil.copytree(current_generation(seed_index), copy)
    for p in copy.glob("*" + EXT):
        p.unlink()
    from indexer.search import SearchParams, search
    with_store, without = Engine(current_generation(seed_index)), Engine(copy)
    try:
        assert without.cache.stores is None
        for q in ["care leavers", '"child protection" plans', "MASH front door"]:
            assert search(with_store, SearchParams(q=q)) == search(without, SearchParams(q=q))
    finally:
        with_store.close()
        without.close()
