"""Names whose words, read apart, mean something else (analysis.NAMES: "virtual school",
"corporate parenting", "children in care council", "Signs of Safety", "Troubled Families") are
one term in the index and in queries: a search for schools, parents or the council does not find
them, a search for the name finds it as before."""
import re

from indexer.engine.analysis import NAMES, STEM, stemmed_words, tokens
from indexer.query.glossary import default_glossary, term_key
from indexer.search import SearchParams, search


def results(reader, q, limit=100):
    return search(reader.engine, SearchParams(q=q, limit=limit))["results"]


def test_a_names_words_are_one_term():
    assert tokens("the headteacher of the Virtual School") == ["headteach", "virtual_school"]
    assert tokens("corporate parents and the corporate parenting board") == \
        ["corpor_parent", "corpor_parent", "board"]
    assert tokens("Signs of Safety") == ["sign_safeti"]
    # the words alone are still themselves
    assert tokens("schools and parents") == ["school", "parent"]


def test_the_term_spans_the_names_words_and_later_positions_close_up():
    text = "The virtual school head visits schools"
    assert stemmed_words(text) == [("virtual_school", 4, 18), ("head", 19, 23),
                                   ("visit", 24, 30), ("school", 31, 38)]
    toks = [(t.text, t.pos) for t in STEM(text, positions=True)]
    assert [p for _, p in toks] == list(range(toks[0][1], toks[0][1] + len(toks)))


def test_every_name_is_a_glossary_term_so_a_typed_name_is_read_as_one():
    terms = {term_key(t) for entry in default_glossary().entries for t in entry.terms}
    for name in NAMES:
        assert term_key(name) in terms, name


def test_schools_does_not_find_the_virtual_school(seed_reader):
    for r in results(seed_reader, "schools"):
        # every match is a school, not only the virtual school
        outside = re.sub(r"virtual schools?", "", r["text"], flags=re.I)
        assert re.search(r"\bschools?\b", outside, re.I), r["text"]
        assert not re.search(r"virtual <mark>school", r["snippet"], re.I), r["snippet"]


def test_parents_does_not_find_corporate_parenting(seed_reader):
    for r in results(seed_reader, "parents"):
        outside = re.sub(r"corporate parent\w*", "", r["text"], flags=re.I)
        assert re.search(r"\bparent", outside, re.I), r["text"]


def test_the_name_is_found_and_marked_whole(seed_reader):
    for q in ("virtual school", '"virtual school"', "corporate parenting",
              "children in care council"):
        found = results(seed_reader, q)
        assert found, q
        name = q.strip('"')
        assert any(f"<mark>{name}" in r["snippet"].lower() for r in found), q
    council = results(seed_reader, "council")
    assert council
    assert not any("children in care <mark>council" in r["snippet"].lower() for r in council)


def test_explain_names_the_name_in_words(seed_reader):
    found = search(seed_reader.engine, SearchParams(q="virtual school", limit=1,
                                                    explain=True))["results"]
    parts = [p["what"] for p in found[0]["explain"]["parts"]]
    assert 'word tier "virtual school"' in parts
