"""A loose word of a query of several, found in a paragraph's heading, weighs
ranking.HEADING_LOOSE_WEIGHT of the heading's usual BM25F: most headings are a framework's
section titles ("The Local Safeguarding Children Board (LSCB)"), so "board" of "improvement
board" found there names no topic. A glossary term, a phrase, a hyphenated word or a one-word
query found in the heading keeps the full weight."""
import pytest

from indexer.engine import ranking
from indexer.search import SearchParams, search


def explained(reader, q, limit=10):
    return search(reader.engine, SearchParams(q=q, limit=limit, explain=True))["results"]


def heading_parts(result):
    return {p["what"].split('"')[1]: p["score"] for p in result["explain"]["parts"]
            if p["what"].startswith("BM25F heading")}


def test_an_everyday_word_of_a_section_title_does_not_outrank_the_topic(seed_reader, monkeypatch):
    # The bundled reports' LSCB sections are headed "The Local Safeguarding Children Board";
    # two paragraphs write "improvement board" itself.
    top = explained(seed_reader, "improvement board", limit=2)
    assert all("improvement board" in r["text"].lower() for r in top)
    monkeypatch.setattr(ranking, "HEADING_LOOSE_WEIGHT", 1.0)
    first = explained(seed_reader, "improvement board", limit=1)[0]
    assert "improvement board" not in first["text"].lower()
    assert "Board" in first["heading"]


def test_a_loose_words_heading_score_is_scaled(seed_reader, monkeypatch):
    def by_paragraph(q):
        return {r["id"]: heading_parts(r) for r in explained(seed_reader, q, limit=50)}
    now, weight = by_paragraph("improvement board"), ranking.HEADING_LOOSE_WEIGHT
    monkeypatch.setattr(ranking, "HEADING_LOOSE_WEIGHT", 1.0)
    full = by_paragraph("improvement board")
    both = [(now[i]["board"], full[i]["board"]) for i in now.keys() & full.keys()
            if "board" in now[i] and "board" in full[i]]
    assert both
    for scaled, whole in both:
        assert scaled == pytest.approx(whole * weight, rel=1e-3)


@pytest.mark.parametrize("q", ["care leavers", "board", "decision-making"])
def test_a_term_a_hyphenated_word_or_a_one_word_query_keeps_its_heading_weight(
        seed_reader, monkeypatch, q):
    now = [heading_parts(r) for r in explained(seed_reader, q, limit=50)]
    assert any(now), q  # the heading is scored at all
    monkeypatch.setattr(ranking, "HEADING_LOOSE_WEIGHT", 1.0)
    assert [heading_parts(r) for r in explained(seed_reader, q, limit=50)] == now
