"""The pruned search (indexer/engine/dense.py) against the exhaustive executor on any query tree
built from the node types the compiler uses: the same matches, and the same best documents with
the same floats, whatever the composition, limit, order, per-document multiplier or cache size.
(tests/test_search_executor.py compares whole searches three ways.)"""
import contextlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.engine import TimeLimitExceeded, ceilings, dense
from indexer.engine._whoosh import query
from indexer.engine.analysis import tokens
from indexer.engine.dense import DenseExecutor, Unprunable
from indexer.engine.postcache import PostingCache
from indexer.engine.queries import FixedAndNot, MaxOf, Score
from indexer.engine.searching import _best
from indexer.search import SearchParams, search

WORDS = [tokens(w)[0] for w in ["children", "care", "leavers", "social", "workers", "plans",
                                "protection", "child", "early", "help", "adoption", "neglect"]]


def leaves():
    word = st.sampled_from(WORDS)
    return st.one_of(
        st.builds(query.Term, st.sampled_from(["text", "heading"]), word),
        st.builds(lambda a, b, slop: query.Phrase("text", [a, b], slop=slop), word, word,
                  st.sampled_from([1, 4])),
        st.builds(lambda a, b, c: query.Phrase("text", [a, b, c]), word, word, word),
        st.just(query.Every()), st.just(query.NullQuery))


def trees():
    boost = st.sampled_from([1.0, 0.5, 2.0])
    return st.recursive(leaves(), lambda sub: st.one_of(
        st.builds(lambda s, b: query.Or(s, boost=b), st.lists(sub, min_size=1, max_size=4), boost),
        st.builds(lambda s: query.And(s), st.lists(sub, min_size=1, max_size=3)),
        st.builds(lambda s: MaxOf(s), st.lists(sub, min_size=1, max_size=3)),
        st.builds(query.AndMaybe, sub, sub),
        st.builds(FixedAndNot, sub, sub),
        st.builds(query.Not, sub),
        st.builds(Score, sub, st.sampled_from([0.0, 5.0, 10000.0]),
                  st.sampled_from([0.0, 0.5, 1.0]))), max_leaves=8)


def exhaustive(engine, tree, prior=None) -> dict:
    scores = engine._executor().run(tree)
    return {d: v * prior[d] for d, v in scores.items()} if prior is not None else scores


def check(engine, tree, n, sort="relevance", prior=None, cache=None):
    expected = exhaustive(engine, tree, prior)
    run = DenseExecutor(engine._searcher(), engine.table, cache or engine.cache, engine.lock,
                        prior=prior)
    mask = run.matches(tree)
    assert set(np.flatnonzero(mask).tolist()) == set(expected)
    if not expected:
        return
    if sort == "relevance":
        want = _best(expected, n)
        got = run.top(tree, mask, n)
    else:
        rank = engine.date_rank(sort)
        want = sorted(expected.items(), key=lambda h: (rank[h[0]], -h[1], h[0]))[:n]
        got = run.top(tree, mask, n, sort, rank)
    assert got == want  # the same documents, order and floats


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees(), n=st.sampled_from([1, 3, 20, 5000]),
       sort=st.sampled_from(["relevance", "relevance", "newest", "oldest"]))
def test_any_composition_of_the_node_types_prunes_exactly(seed_reader, tree, n, sort):
    check(seed_reader.engine, tree, n, sort)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees(), seed=st.integers(0, 2**16), n=st.sampled_from([1, 10]))
def test_a_per_document_multiplier_is_pruned_exactly(seed_reader, tree, seed, n):
    engine = seed_reader.engine
    prior = np.random.default_rng(seed).uniform(0.0, 3.0, engine.table.size)
    prior[::7] = 0.0
    check(engine, tree, n, prior=prior)


def test_a_negative_constant_is_not_pruned_but_searched_exhaustively(seed_reader):
    engine = seed_reader.engine
    tree = query.Or([query.Term("text", WORDS[0]), Score(query.Term("text", WORDS[1]), add=-5.0)])
    with pytest.raises(Unprunable):
        DenseExecutor(engine._searcher(), engine.table, engine.cache, engine.lock).matches(tree)


def test_whole_searches_with_a_multiplier_agree_with_the_exhaustive_executor(seed_index):
    from indexer.engine import Engine
    from indexer.store import current_generation
    pruned, full = (Engine(current_generation(seed_index), exhaustive=e) for e in (False, True))
    try:
        prior = np.random.default_rng(3).uniform(0.5, 2.0, pruned.table.size)
        pruned.prior = full.prior = prior
        for q in ["care leavers accommodation", "MASH front door", '"child protection" plans',
                  "children", "assess* risk -neglect", "health assessments for children in care"]:
            for params in (SearchParams(q=q, limit=5), SearchParams(q=q, sort="oldest", page=3,
                                                                    limit=4)):
                assert search(pruned, params) == search(full, params)
    finally:
        pruned.close()
        full.close()


def test_a_small_cache_stays_within_its_budget_and_changes_nothing(seed_reader):
    engine = seed_reader.engine
    cache = PostingCache(engine._searcher(), engine.table, engine.lengths, engine.lock,
                         budget=64 << 10)
    tree = query.Or([query.Phrase("text", [WORDS[0], WORDS[1]]), query.Term("text", WORDS[2]),
                     query.Term("heading", WORDS[0]), query.Term("text", WORDS[3])])
    check(engine, tree, 5, cache=cache)
    assert 0 < cache.used <= cache.budget
    assert cache.used == sum(e.nbytes for e in cache._entries.values())


def test_a_past_deadline_stops_the_pruned_search(seed_reader):
    with pytest.raises(TimeLimitExceeded):
        seed_reader.engine._dense(deadline=0.0).matches(query.Term("text", WORDS[0]))


@contextlib.contextmanager
def narrowed_always():
    """Narrowing to the documents holding the best terms (ceilings.candidates) on however few
    matches, as it runs on the 510 PDFs' common-word queries."""
    saved = dense.NARROW_MIN, ceilings.FLOOR_DOCS, ceilings.KEEP_SHARE
    dense.NARROW_MIN, ceilings.FLOOR_DOCS, ceilings.KEEP_SHARE = 0, 1, 1.0
    try:
        yield
    finally:
        dense.NARROW_MIN, ceilings.FLOOR_DOCS, ceilings.KEEP_SHARE = saved


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees(), n=st.sampled_from([1, 3, 20]), seed=st.integers(0, 2**16),
       weighed=st.booleans())
def test_narrowing_to_the_best_terms_prunes_exactly(seed_reader, tree, n, seed, weighed):
    engine = seed_reader.engine
    prior = None
    if weighed:
        prior = np.random.default_rng(seed).uniform(0.0, 1.0, engine.table.size)
        prior[::5] = 1.0
    with narrowed_always():
        check(engine, tree, n, prior=prior)


def test_a_rare_word_narrows_a_common_word_query_to_its_documents(seed_reader):
    engine = seed_reader.engine
    common, rare = tokens("children")[0], tokens("adoption")[0]
    tree = query.Or([Score(query.Term("text", rare), add=30.0), query.Term("text", common),
                     Score(query.Term("text", common), add=3.0)])
    run = DenseExecutor(engine._searcher(), engine.table, engine.cache, engine.lock)
    mask = run.matches(tree)
    with narrowed_always():
        narrowed = ceilings.candidates(run, tree, np.flatnonzero(mask), 3)
    holding = set(engine.cache.term("text", rare).ids.tolist())
    assert narrowed is not None and 3 <= len(narrowed) < mask.sum()
    assert set(narrowed.tolist()) <= holding
    with narrowed_always():
        check(engine, tree, 3)


def test_whole_searches_narrowed_agree_with_the_exhaustive_executor(seed_index):
    from indexer.engine import Engine
    from indexer.store import current_generation
    pruned, full = (Engine(current_generation(seed_index), exhaustive=e) for e in (False, True))
    try:
        with narrowed_always():
            for q in ["care leavers accommodation", "MASH front door", '"child protection" plans',
                      "children", "assess* risk -neglect", "educational attainment of looked after children",
                      "thresholds for children's social care"]:
                for params in (SearchParams(q=q, limit=5), SearchParams(q=q, page=2, limit=7),
                               SearchParams(q=q, filters={"section": ["Help and protection"]})):
                    assert search(pruned, params) == search(full, params)
    finally:
        pruned.close()
        full.close()
