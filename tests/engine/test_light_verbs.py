"""The light verbs of a question ("get", "come", "kept": query/language.py LIGHT_VERBS) weigh as
a word found everywhere and do not set the query's scale, so the topic word beside them is the
question's point. On the seed index "get" (15 paragraphs) and "kept" (3) are rarer than the
topics typed with them, so read at their rarity they weighed as the point."""
import pytest

from indexer.engine import compiler, ranking
from indexer.search import SearchParams, search


def explained(reader, q, limit=10):
    return search(reader.engine, SearchParams(q=q, limit=limit, explain=True))["results"]


def tiers(result):
    return {p["what"].split('"')[1]: p["score"] for p in result["explain"]["parts"]
            if p["what"].startswith("word tier")}


def test_a_light_verb_earns_the_lightest_tier_and_the_topic_the_full_one(seed_reader):
    lightest = ranking.WORD_BONUS * ranking.MIN_WORD_WEIGHT
    for q, verb, topic in [("do care leavers get help with housing", "get", "hous"),
                           ("are children kept safe", "kept", "safe")]:
        found = [tiers(r) for r in explained(seed_reader, q, limit=100)]
        assert any(verb in t for t in found), q
        for t in found:
            if verb in t:
                assert t[verb] == pytest.approx(lightest), q
            if topic in t:
                assert t[topic] == pytest.approx(ranking.WORD_BONUS), q


def test_paragraphs_with_the_topic_rank_above_those_with_only_the_verb(seed_reader):
    top = explained(seed_reader, "do care leavers get help with housing", limit=4)
    assert all("hous" in r["text"].lower() for r in top)


def test_inside_a_glossary_term_the_verb_is_part_of_the_term(seed_reader, monkeypatch):
    # "children who go missing" is a glossary term: it weighs the same as if "go" were no light
    # verb at all
    q = "children who go missing from home"
    with_light = [tiers(r) for r in explained(seed_reader, q)]
    monkeypatch.setattr(compiler, "LIGHT_WORDS", frozenset())
    assert [tiers(r) for r in explained(seed_reader, q)] == with_light
    assert any(any("go" in word.split() for word in t) for t in with_light)


def test_a_query_of_light_verbs_alone_is_searched_as_typed(seed_reader):
    found = explained(seed_reader, "kept")
    assert found and all("kept" in r["text"].lower() for r in found)
    assert tiers(found[0])["kept"] == pytest.approx(ranking.WORD_BONUS)


def test_an_adverb_of_time_or_frequency_weighs_as_a_light_verb(seed_reader, monkeypatch):
    # "once" (2 paragraphs of the seed index) and "still" (28) are rarer than "approved" and
    # "checked": read at their rarity, "once" was the question's point
    lightest = ranking.WORD_BONUS * ranking.MIN_WORD_WEIGHT
    q = "are foster carers still checked once approved"
    found = [tiers(r) for r in explained(seed_reader, q, limit=200)]
    for adverb in ("still", "onc"):
        assert any(adverb in t for t in found), adverb
        assert all(t[adverb] == pytest.approx(lightest) for t in found if adverb in t), adverb
    monkeypatch.setattr(compiler, "LIGHT_WORDS", compiler.LIGHT_WORDS - {"once", "still"})
    found = [tiers(r) for r in explained(seed_reader, q, limit=200)]
    assert any(t.get("onc") == pytest.approx(ranking.WORD_BONUS) for t in found)
