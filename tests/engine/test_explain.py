"""`explain`: each result's score broken into its parts, on the seed index, by the CLI and the
API; the parts add up to the score the ranking used."""
import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.engine import ranking
from indexer.search import SearchParams, search

QUERIES = ["unaccompanied asylum-seeking children", "return home interviews", "CSE",
           '"core groups"', "kinship care", "assess* risk", "adoption -timeliness",
           "(neglect OR abuse) chronologies", "placement sufficiency", "MASH front door"]


@pytest.mark.parametrize("q", QUERIES)
def test_the_parts_add_up_to_each_score(seed_reader, q):
    results = search(seed_reader.engine, SearchParams(q=q, limit=10, explain=True))["results"]
    assert results
    for r in results:
        parts = r["explain"]
        assert sum(p["score"] for p in parts["parts"]) == pytest.approx(parts["sum"], abs=1e-3)
        assert parts["sum"] * parts["shape_weight"] * parts["section_weight"] == \
            pytest.approx(r["score"], rel=1e-6, abs=1e-3)
        assert parts["shape"] == r["shape"]
        assert parts["shape_weight"] == ranking.SHAPE_PRIOR.get(r["shape"], 1.0)
        assert parts["section_weight"] == ranking.SECTION_PRIOR.get(r["section"], 1.0)


def test_a_context_bullet_shows_its_shape_weight_and_its_word_tiers(seed_reader):
    results = search(seed_reader.engine, SearchParams(
        q="unaccompanied asylum-seeking children", limit=20, explain=True))["results"]
    bullet = next(r for r in results if r["text"].startswith("3 children are unaccompanied"))
    parts = bullet["explain"]
    assert parts["shape"] == "context" and parts["shape_weight"] < 1
    what = [p["what"] for p in parts["parts"]]
    assert 'word tier "unaccompani asylum seek children"' in what  # found as one term
    assert any(w.startswith("BM25F text") for w in what)


def test_without_explain_there_are_no_parts(seed_reader):
    results = search(seed_reader.engine, SearchParams(q="CSE", limit=3))["results"]
    assert [r["explain"] for r in results] == [None, None, None]
    # a query with nothing to rank by has no parts either
    listed = search(seed_reader.engine, SearchParams(q="authority:halton", limit=3,
                                                     explain=True))["results"]
    assert listed and all(r["explain"] is None for r in listed)


def test_cli_prints_the_parts(seed_index):
    out = CliRunner().invoke(cli, ["search", "--index", str(seed_index), "private fostering",
                                   "--limit", "2", "--explain"])
    assert out.exit_code == 0
    assert "word tier \"privat foster\"" in out.output and "narrative paragraph" in out.output
    as_json = CliRunner().invoke(cli, ["search", "--index", str(seed_index), "private fostering",
                                       "--limit", "2", "--explain", "--json"])
    assert all(r["explain"]["parts"] for r in json.loads(as_json.output)["results"])


def test_api_explain(seed_client):
    with_parts = seed_client.get("/api/search?q=private+fostering&limit=3&explain=1").get_json()
    assert all(r["explain"]["parts"] for r in with_parts["results"])
    without = seed_client.get("/api/search?q=private+fostering&limit=3").get_json()
    assert all(r["explain"] is None for r in without["results"])
    bad = seed_client.get("/api/search?q=private+fostering&explain=yes")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "explain"
