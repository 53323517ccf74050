"""An acronym's plural as the reports write it ("PAs", "SGOs", "PRUs": capitals and an "s") is
the acronym's term, whatever its vowels; Porter2 alone kept "sgos" apart from "sgo", so a search
for SGO missed the paragraphs that write SGOs."""
import re

import pytest

from indexer.engine.analysis import STEM, stemmed_words, tokens
from indexer.search import SearchParams, search
from tests.real_pdfs import index_of


def test_a_capitalised_plural_is_the_acronym():
    for plural, singular in [("SGOs", "SGO"), ("PAs", "PA"), ("PRUs", "PRU"), ("DCOs", "DCO"),
                             ("IROs", "IRO"), ("GPs", "GP"), ("GCSEs", "GCSE")]:
        assert tokens(plural) == tokens(singular), plural


def test_words_that_only_look_like_it_are_left_alone():
    assert tokens("Ms Patel") == ["ms", "patel"]       # one capital, not an acronym
    assert tokens("pas") != tokens("PA")               # written in lower case: not an acronym
    assert tokens("CAMHS") == tokens("camhs")          # capitals throughout: its own name


def test_snippet_words_keep_the_plurals_characters():
    text = "Their PAs and SGOs"
    assert stemmed_words(text) == [("their", 0, 5), ("pa", 6, 9), ("sgo", 14, 18)]
    assert [(t.text, t.startchar, t.endchar) for t in STEM(text, chars=True)] == \
        [(w, s, e) for w, s, e in stemmed_words(text)]


REPORT = "focused-visits/80570_telford & wrekin/children's services focused visit - 11 october 2018.pdf"


@pytest.fixture(scope="module")
def telford(tmp_path_factory):
    return index_of(tmp_path_factory, [REPORT], "sgos")


@pytest.mark.shared("ofsted-pdfs")
def test_a_search_for_the_acronym_finds_a_paragraph_that_writes_only_its_plural(telford):
    # the report's paragraph on contact for children with long-term fostering plans writes
    # "SGOs" and never "SGO" or "special guardianship"
    paragraphs = [d for rid in telford.reports for d in telford.engine.report_paragraphs(rid)]
    only_plural = {d["id"] for d in paragraphs if re.search(r"\bSGOs\b", d["text"] or "")
                   and not re.search(r"\bSGO\b|special guardian", d["text"] or "", re.I)}
    assert only_plural
    found = {r["id"] for r in search(telford.engine, SearchParams(q="SGO", limit=50))["results"]}
    assert only_plural <= found
