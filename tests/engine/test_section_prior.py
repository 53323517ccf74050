"""The section prior (ranking.SECTION_PRIOR, applied with the shape prior in
searching.Engine._match): between a finding and a recommendation saying the same, the finding
ranks first, on the seed index."""
import pytest

from indexer.engine import Engine, ranking
from indexer.query.glossary import default_glossary
from indexer.query.language import parse
from indexer.search import SearchParams, search
from indexer.store import current_generation

FINDING = "More needs to be done to raise awareness amongst"        # a Summary finding
RECOMMENDATION = "Undertake further work to raise awareness amongst"  # the report's own to-do


def ranked(reader, q="private fostering"):
    return search(reader.engine, SearchParams(q=q, limit=20, explain=True))["results"]


def place(results, start):
    return next(i for i, r in enumerate(results) if r["text"].startswith(start))


def test_a_finding_ranks_above_the_recommendation_saying_the_same(seed_reader):
    results = ranked(seed_reader)
    finding, recommendation = place(results, FINDING), place(results, RECOMMENDATION)
    assert results[recommendation]["section"] == "What needs to improve"
    assert results[finding]["section"] != "What needs to improve"
    assert finding < recommendation
    assert results[recommendation]["explain"]["section_weight"] == \
        ranking.SECTION_PRIOR["What needs to improve"] < 1
    assert results[finding]["explain"]["section_weight"] == 1


def test_without_the_prior_the_recommendation_would_win(seed_reader, monkeypatch):
    monkeypatch.setattr(ranking, "SECTION_PRIOR", {})
    results = ranked(seed_reader)
    assert place(results, RECOMMENDATION) < place(results, FINDING)


def test_the_section_prior_scales_scores_alike_for_the_executor_and_whoosh(seed_index):
    tree, _ = default_glossary().expand(parse("private fostering").tree)
    generation = current_generation(seed_index)
    fast, reference = Engine(generation), Engine(generation, reference=True)
    try:
        a, b = (e.search(tree, limit=20)["results"] for e in (fast, reference))
    finally:
        fast.close()
        reference.close()
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert [r["score"] for r in a] == pytest.approx([r["score"] for r in b])
    assert "What needs to improve" in {r["section"] for r in a}
