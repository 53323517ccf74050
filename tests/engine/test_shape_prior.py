"""The shape prior (ranking.SHAPE_PRIOR, applied in searching.Engine._match): a finding about a
topic ranks above a one-line statistic that repeats the topic's words, on the seed index. (The
section prior, applied with it: test_section_prior.py.)"""
import pytest

from indexer.engine import Engine, ranking
from indexer.query.glossary import default_glossary
from indexer.query.language import parse
from indexer.search import SearchParams, search
from indexer.store import current_generation

UASC = "unaccompanied asylum-seeking children"


def ranked(reader, q, limit=10):
    return search(reader.engine, SearchParams(q=q, limit=limit))["results"]


def place(results, start):
    return next(i for i, r in enumerate(results) if r["text"].startswith(start))


def test_a_finding_about_uasc_ranks_above_the_counts_of_them(seed_reader):
    results = ranked(seed_reader, UASC)
    finding = place(results, "Arrangements for the securing of placements")  # St Helens para 96
    assert results[finding]["shape"] == "narrative"
    for count in ("3 children are unaccompanied", "one child is an unaccompanied"):
        assert results[place(results, count)]["shape"] == "context"
        assert finding < place(results, count)
    assert results[0]["shape"] == "narrative"


def test_without_the_prior_the_short_count_would_win(seed_reader, monkeypatch):
    # BM25 pays a six-word line holding every query word more than a long finding
    monkeypatch.setattr(ranking, "SHAPE_PRIOR", {})
    results = ranked(seed_reader, UASC)
    assert place(results, "3 children are unaccompanied") < place(
        results, "Arrangements for the securing of placements")


@pytest.mark.parametrize("q, column, weighed", [
    (UASC, "shape", "context"),                                   # the shape prior
    ("private fostering", "section", "What needs to improve"),    # the section prior
])
def test_the_priors_scale_scores_alike_for_the_executor_and_whoosh(seed_index, q, column,
                                                                    weighed):
    tree, _ = default_glossary().expand(parse(q).tree)
    generation = current_generation(seed_index)
    fast, reference = Engine(generation), Engine(generation, reference=True)
    try:
        a, b = (e.search(tree, limit=20)["results"] for e in (fast, reference))
    finally:
        fast.close()
        reference.close()
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert [r["score"] for r in a] == pytest.approx([r["score"] for r in b])
    assert weighed in {r[column] for r in a}
