"""Repeated wording folded into one result: the grade descriptors the 2015 SIF reports of Halton
and Calderdale both print ("An LSCB that is good coordinates ...") are listed once, with where
else they are; every copy is still counted, and can be listed."""
from __future__ import annotations

import numpy as np

from indexer.engine.analysis import wording_key
from indexer.engine.doctable import shared_wording, wording_codes
from indexer.engine.folding import copies_of, first_of_each_wording, repeated_among, wordings
from indexer.search import SearchParams, search

DESCRIPTOR = '"LSCB that is good"'


def test_same_words_whatever_the_case_punctuation_and_spacing_have_one_key(seed_reader):
    texts = [p["text"] for rid in seed_reader.reports
             for p in seed_reader.engine.report_paragraphs(rid)
             if p["text"].startswith("An LSCB that is good coordinates")]
    assert len(texts) == 2 and wording_key(texts[0]) == wording_key(texts[1])
    text = texts[0]
    assert wording_key(text.upper().replace(". ", ".\n  ")) == wording_key(text)
    assert wording_key(text.replace("good", "outstanding")) != wording_key(text)
    assert wording_key("") == wording_key("  -- ") == ""


def test_wording_codes_are_shared_only_by_equal_keys_and_never_by_paragraphs_without_words():
    codes = wording_codes(["a", "", "b", "a", ""])
    assert codes[0] == codes[3]
    assert len({codes[0], codes[1], codes[2], codes[4]}) == 4
    assert wording_codes(["", ""]) is None  # an index without the column folds nothing


def test_the_first_of_each_wording_is_kept_in_ranked_order():
    wording = np.array([7, 7, 8, 9, 8, 10])
    ranked = [(4, 5.0), (1, 4.0), (2, 3.0), (0, 2.0), (3, 1.0), (5, 0.5)]
    assert first_of_each_wording(ranked, wording, 10) == [(4, 5.0), (1, 4.0), (3, 1.0),
                                                          (5, 0.5)]
    assert first_of_each_wording(ranked, wording, 2) == [(4, 5.0), (1, 4.0)]
    shared = shared_wording(wording)
    assert shared.tolist() == [True, True, True, False, True, False]
    kept = np.array([0, 1, 2, 3, 4])  # 5 is filtered out
    repeated = repeated_among(kept, shared)
    assert copies_of([4, 1, 3], repeated, wording, shared) == {4: [2], 1: [0], 3: []}
    assert wordings(kept.size, repeated, wording) == 3


def test_a_descriptor_printed_in_two_reports_is_listed_once_with_where_else(seed_reader):
    result = search(seed_reader.engine, SearchParams(q=DESCRIPTOR))
    assert result["total"] == 2 and result["folded"] == 1 and result["pages"] == 1
    [hit] = result["results"]
    assert hit["text"].startswith("An LSCB that is good coordinates")
    [other] = hit["repeated"]["paragraphs"]
    assert hit["repeated"]["count"] == 1
    assert {hit["authority"], other["authority"]} == {"Halton", "Calderdale"}
    copy = next(p for p in seed_reader.engine.report_paragraphs(other["report_id"])
                if p["position"] == other["position"])
    assert copy["text"] == hit["text"] and copy["date"] == other["date"]
    assert result["facets"]["authority"] == [
        {"value": "Calderdale", "count": 1, "selected": False},
        {"value": "Halton", "count": 1, "selected": False}]  # every copy still counted


def test_every_copy_lists_both_and_a_filter_shows_its_own_copy(seed_reader):
    every = search(seed_reader.engine, SearchParams(q=DESCRIPTOR, fold=False))
    assert every["folded"] == 0 and len(every["results"]) == 2
    assert all(r["repeated"] is None for r in every["results"])
    calderdale = search(seed_reader.engine,
                        SearchParams(q=DESCRIPTOR, filters={"authority": ["Calderdale"]}))
    [hit] = calderdale["results"]
    assert hit["authority"] == "Calderdale" and hit["repeated"]["count"] == 0


def test_folded_pages_list_every_wording_once_in_the_unfolded_order(seed_reader):
    engine = seed_reader.engine
    every = search(engine, SearchParams(q="lscb", limit=1000, fold=False))["results"]
    first, seen = [], set()
    for r in every:
        if wording_key(r["text"]) not in seen:
            seen.add(wording_key(r["text"]))
            first.append(r["id"])
    assert len(first) < len(every)  # the seeds repeat some LSCB paragraphs word for word
    listed, page = [], 1
    while True:
        result = search(engine, SearchParams(q="lscb", limit=7, page=page))
        if not result["results"]:
            break
        listed += [r["id"] for r in result["results"]]
        page += 1
    assert listed == first
    assert result["total"] - result["folded"] == len(first)
    assert result["pages"] == page - 1


def test_newest_first_lists_the_newest_copy(seed_reader):
    result = search(seed_reader.engine, SearchParams(q=DESCRIPTOR, sort="newest"))
    [hit] = result["results"]
    assert hit["date"] > hit["repeated"]["paragraphs"][0]["date"]


def test_the_command_line_says_where_else_and_lists_every_copy_when_asked(seed_index):
    from click.testing import CliRunner

    from indexer.cli import cli
    args = ["search", "--index", str(seed_index), DESCRIPTOR]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    assert "2 paragraphs in 2 reports; showing 1-1; 1 more repeats a listed one word for word" \
        in out.output
    assert "The same words in 1 other paragraph: Calderdale 2015" in out.output
    every = CliRunner().invoke(cli, args + ["--every-copy"])
    assert "showing 1-2" in every.output and "The same words" not in every.output
