"""The section prior (ranking.SECTION_PRIOR, applied with the shape prior in
searching.Engine._match): between a finding and a recommendation saying the same, the finding
ranks first, and the finding a summary for children retells ranks above the retelling, on
the seed index. (That the executor and Whoosh apply it alike:
test_shape_prior.py.)"""
from indexer.engine import ranking
from indexer.search import SearchParams, search

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


RETOLD = "Adoption services are doing a good job and there is an increasing choice of adopters"
ADOPTION = "The preparation and assessment of adopters is thorough"  # the finding it retells


def test_the_summary_for_children_ranks_below_the_finding_it_retells(seed_reader, monkeypatch):
    results = ranked(seed_reader, "choice of adopters")
    retold, finding = place(results, RETOLD), place(results, ADOPTION)
    assert results[retold]["section"] == "Summary for children and young people"
    assert results[finding]["section"] == "Adoption"
    assert finding < retold
    assert results[retold]["explain"]["section_weight"] == \
        ranking.SECTION_PRIOR["Summary for children and young people"] < 1

    monkeypatch.setattr(ranking, "SECTION_PRIOR", {})
    results = ranked(seed_reader, "choice of adopters")
    assert place(results, RETOLD) < place(results, ADOPTION)
