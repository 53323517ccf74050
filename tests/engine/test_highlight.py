"""One highlighter: the report page marks exactly what the search matched, as the snippets do.

The engine records what a query searched for (stems, phrases, wildcards, the glossary's other
names); snippets and the report page both mark with it (indexer/engine/highlight.py).
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from indexer.search import SearchParams, highlighter, search


def marks(html: str) -> list[str]:
    return [m.lower() for m in re.findall(r"<mark>(.*?)</mark>", html)]


def words(marked: list[str]) -> set[str]:
    """The words marked, whether alone or inside a marked phrase."""
    return {w for m in marked for w in re.findall(r"\w+", m)}


def report_page_marks(client, report_id: str, q: str, anchor: str) -> list[str]:
    page = BeautifulSoup(client.get(f"/reports/{report_id}", query_string={"q": q}).data,
                         "html.parser")
    paragraph = page.find(id=anchor)
    assert paragraph is not None, anchor
    return [m.get_text().lower() for m in paragraph.select("mark")]


def test_a_lower_case_not_is_an_ordinary_word_on_the_report_page_too(seed_reader, seed_client):
    """The query language reads "not" as a (too common) word, not an exclusion: the word after
    it is searched and marked, on the report page as in the snippet."""
    q = "children not attending school"
    result = search(seed_reader.engine, SearchParams(q=q, limit=5))
    hit = next(r for r in result["results"] if "attend" in r["text"].lower())
    shown = report_page_marks(seed_client, hit["report_id"], q, hit["anchor"])
    assert any(m.startswith("attend") for m in shown)
    assert "not" not in shown


@pytest.mark.parametrize("q", ["return home interviews", "CSE", '"core group"', "assess*",
                               "IRO caseloads", "multi-agency working"])
def test_the_report_page_marks_what_the_snippet_marks(seed_reader, seed_client, q):
    result = search(seed_reader.engine, SearchParams(q=q, limit=10))
    assert result["results"], q
    for hit in result["results"]:
        in_snippet = marks(hit["snippet"])
        on_page = report_page_marks(seed_client, hit["report_id"], q, hit["anchor"])
        assert in_snippet and words(in_snippet) <= words(on_page), (q, hit["id"])


def test_the_glossary_names_searched_are_marked_on_the_report_page(seed_reader):
    """A search for CSE finds "child sexual exploitation": the page marks the phrase whole."""
    html, n = highlighter(seed_reader.engine, "CSE").mark(
        "Work on child sexual exploitation (CSE) is strong.")
    assert n == 2
    assert marks(html) == ["child sexual exploitation", "cse"]


def test_marks_are_stems_of_the_words_as_the_index_analyses_them(seed_reader):
    hl = highlighter(seed_reader.engine, "return home interviews")
    html, n = hl.mark("Return interviews <b>&</b> an interview, re-interviewed; homes at home.")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html  # the text itself is never markup
    # "return interview" is one of the glossary's names for a return home interview.
    assert marks(html) == ["return interviews", "interview", "interviewed", "homes", "home"]
    assert n == 5


def test_excluded_words_field_filters_and_operators_are_not_marked(seed_reader):
    hl = highlighter(seed_reader.engine, "care -adoption NOT fostering OR authority:Halton")
    html, _ = hl.mark("Care, adoption and fostering in Halton.")
    assert marks(html) == ["care"]


def test_an_empty_or_unusable_query_marks_nothing(seed_reader):
    for q in ("", "the of", "(("):
        html, n = highlighter(seed_reader.engine, q).mark("a <tag> of the care")
        assert (html, n) == ("a &lt;tag&gt; of the care", 0)
