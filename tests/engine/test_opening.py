"""The opening sentence (analysis.opening_sentence, ranking.OPENING_WEIGHT): of two paragraphs
matching a query alike, the one whose first sentence names the query's words ranks first, on the
seed index; the bonus shows in the score's parts and never adds a match."""
import pytest

from indexer.engine import ranking
from indexer.engine.analysis import opening_sentence
from indexer.search import SearchParams, search

# Halton, single inspection 2015 and focused visit: both match every word of "return home
# interviews"; the first opens with return interviews, the second opens with a weekly meeting
# and reaches "return home interviews" three sentences later.
OPENS_WITH_IT = "Not all children who go missing from home receive a return interview"
REACHES_IT_LATER = "The circumstances of children in Halton who have been missing"


def ranked(reader, q, limit=10, explain=False):
    return search(reader.engine, SearchParams(q=q, limit=limit, explain=explain))


def place(results, start):
    return next(i for i, r in enumerate(results) if r["text"].startswith(start))


def test_the_opening_sentence_of_real_paragraphs(seed_reader):
    results = ranked(seed_reader, "return home interviews")["results"]
    opens, later = (results[place(results, s)]["text"] for s in (OPENS_WITH_IT, REACHES_IT_LATER))
    assert opening_sentence(opens) == (
        "Not all children who go missing from home receive a return interview and in some cases "
        "where they do, the record of this does not influence planning and decision making in a "
        "timely way.")
    assert opening_sentence(later) == (
        "The circumstances of children in Halton who have been missing over the previous week are "
        "reviewed thoroughly at a weekly multi-agency meeting.")


def test_a_paragraph_number_without_a_space_stays_in_its_sentence():
    # as pdfplumber gives numbered ILACS paragraphs ("32.Children's health needs ...")
    text = "32.Children's health needs are quickly identified. They are reviewed."
    assert opening_sentence(text) == "32.Children's health needs are quickly identified."


def test_a_paragraph_opening_with_the_query_ranks_above_one_reaching_it_later(seed_reader):
    results = ranked(seed_reader, "return home interviews")["results"]
    assert place(results, OPENS_WITH_IT) < place(results, REACHES_IT_LATER)


def test_without_the_opening_bonus_the_order_was_the_other_way(seed_reader, monkeypatch):
    monkeypatch.setattr(ranking, "OPENING_WEIGHT", 0.0)
    results = ranked(seed_reader, "return home interviews")["results"]
    assert place(results, REACHES_IT_LATER) < place(results, OPENS_WITH_IT)


def test_the_bonus_is_a_part_of_the_explained_score(seed_reader):
    results = ranked(seed_reader, "return home interviews", explain=True)["results"]
    explained = results[place(results, OPENS_WITH_IT)]["explain"]
    opening = {p["what"]: p["score"] for p in explained["parts"]
               if p["what"].startswith("opening sentence")}
    # "missing from home receive a return interview": all three typed words open it
    assert set(opening) == {f'opening sentence "{w}"' for w in ("return", "home", "interview")}
    assert all(0 < v < ranking.WORD_BONUS * 0.1 for v in opening.values())
    assert sum(p["score"] for p in explained["parts"]) == pytest.approx(explained["sum"], abs=1e-3)
    later = results[place(results, REACHES_IT_LATER)]["explain"]
    assert not [p for p in later["parts"] if p["what"].startswith("opening sentence")]


def test_the_bonus_changes_the_order_never_the_matches(seed_reader, monkeypatch):
    queries = ["return home interviews", "child sexual exploitation", "domestic abuse"]
    with_bonus = [ranked(seed_reader, q, limit=5) for q in queries]
    monkeypatch.setattr(ranking, "OPENING_WEIGHT", 0.0)
    without = [ranked(seed_reader, q, limit=5) for q in queries]
    for a, b in zip(with_bonus, without):
        assert a["total"] == b["total"]
        assert a["facets"] == b["facets"]


def test_an_index_written_before_the_opening_field_is_searched_without_the_bonus(
        tmp_path, monkeypatch, corpus_dir, seed_reader):
    # An operator who upgrades and has not rebuilt yet still gets answers (the CLI and the app
    # warn that the index is another version's), ranked as before the field existed.
    from indexer.engine import Engine, schema, writing
    from indexer.build import corpus_files
    from indexer.ingest.pipeline import parse_file

    def older_schema():
        s = schema.make_schema()
        s.remove("opening")
        return s

    def older_fields(doc):
        fields = schema.index_fields(doc)
        fields.pop("opening")
        return fields

    monkeypatch.setattr(writing, "make_schema", older_schema)
    monkeypatch.setattr(writing, "index_fields", older_fields, raising=False)
    reports = [parse_file(p, corpus_dir) for p in corpus_files(corpus_dir)]
    writing.write_index(tmp_path, (d for r in reports for d in r.documents()))
    old = Engine(tmp_path)
    try:
        results = search(old, SearchParams(q="return home interviews", limit=10,
                                           explain=True))["results"]
    finally:
        old.close()
    assert results
    assert not [p for r in results for p in r["explain"]["parts"]
                if p["what"].startswith("opening sentence")]
    monkeypatch.setattr(ranking, "OPENING_WEIGHT", 0.0)
    assert [r["id"] for r in results] == [
        r["id"] for r in ranked(seed_reader, "return home interviews")["results"]]
