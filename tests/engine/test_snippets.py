"""Snippets on their own (indexer/engine/snippets.py): pure functions of a text and the character
spans the engine matched, tried on a real seed paragraph where the wording matters."""
from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.engine.snippets import ELLIPSIS, best_window, marked, merge, render, snippet
from tests.seeds import HALTON_2015, paragraph_with

# 823 characters, seven sentences, from the Halton 2015 single inspection.
PACE = paragraph_with(HALTON_2015, "The pace of change and improvement has been notable").text


def spans_of(text: str, *words: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for w in words for m in re.finditer(rf"\b{re.escape(w)}\b", text)]


def unmarked(fragment: str) -> str:
    """A snippet's text as a reader sees it: no marks, no ellipses, no escapes."""
    return html.unescape(fragment.replace("<mark>", "").replace("</mark>", "").strip(ELLIPSIS))


# --- merge -----------------------------------------------------------------------------------

def test_merge_sorts_joins_overlapping_and_touching_spans_and_drops_empty_ones():
    assert merge([(5, 8), (0, 3), (3, 4), (7, 10), (12, 12), (15, 14)]) == [(0, 4), (5, 10)]
    assert merge([(2, 9), (3, 4)]) == [(2, 9)]  # one inside another
    assert merge([]) == []


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200))))
def test_merged_spans_cover_exactly_the_same_characters(spans):
    covered = {i for a, b in spans for i in range(a, b)}
    out = merge(spans)
    assert {i for a, b in out for i in range(a, b)} == covered
    assert all(a < b for a, b in out)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(out, out[1:]))  # apart: none touch


# --- the window ------------------------------------------------------------------------------

def test_a_short_paragraph_is_shown_whole_without_ellipses():
    text = "Return home interviews are offered to every child who goes missing."
    assert best_window(text, spans_of(text, "missing"), 300) == (0, len(text))
    assert snippet(text, spans_of(text, "Return", "missing")) == (
        "<mark>Return</mark> home interviews are offered to every child who goes "
        "<mark>missing</mark>.")


def test_the_window_starts_at_the_sentence_holding_the_matches_when_it_is_near():
    spans = spans_of(PACE, "embedded", "positive")
    start, end = best_window(PACE, merge(spans), 300)
    assert PACE[start - 2:start] == ". " and PACE[start:].startswith("Although recent")
    assert snippet(PACE, spans).startswith(
        ELLIPSIS + "Although recent improvements need to be <mark>embedded</mark> and practice")


def test_far_from_its_sentence_start_the_window_starts_at_a_word():
    # "2011" is 150 characters into its sentence: more than a third of the width back.
    spans = spans_of(PACE, "2011")
    start, _ = best_window(PACE, spans, 300)
    assert PACE[start - 1] == " " and PACE[start - 2] != "."
    assert snippet(PACE, spans).startswith(ELLIPSIS + "<mark>2011</mark> remaining incomplete.")


def test_the_window_holds_the_most_different_matched_words():
    filler = "The service is developing and staff are committed to their work. " * 8
    text = ("Children who go missing are not always offered an interview. " + filler
            + "Return home interviews are timely, and home visits follow them. " + filler)
    spans = spans_of(text, "missing", "Return", "home", "interviews")
    start, end = best_window(text, merge(spans), 300)
    out = snippet(text, spans)
    assert "<mark>Return</mark> <mark>home</mark> <mark>interviews</mark>" in out
    assert "missing" not in out and out.endswith(ELLIPSIS)
    # The match opens a sentence; the window opens at a sentence start at most 100 back.
    assert text[start - 2:start] == ". " and text.index("Return") - 100 <= start


def test_the_last_sentence_ends_the_paragraph_without_an_ellipsis():
    out = snippet(PACE, spans_of(PACE, "travel"))
    assert out.startswith(ELLIPSIS + "The direction of <mark>travel</mark>")
    assert out.endswith("is in place.") and not out.endswith(ELLIPSIS)


def test_with_no_matches_a_long_paragraph_starts_at_its_start():
    start, end = best_window(PACE, [], 300)
    assert start == 0 and 300 <= end < 330 and PACE[end] == " "
    out = snippet(PACE, [])
    assert out.startswith("The pace of change") and out.endswith(ELLIPSIS)
    assert "<mark>" not in out


@given(st.lists(st.sampled_from(spans_of(PACE, *sorted(set(re.findall(r"\w+", PACE))))), min_size=1,
                max_size=12),
       st.sampled_from([80, 150, 300]))
def test_a_window_starts_and_ends_at_word_boundaries_around_a_match(spans, width):
    spans = merge(spans)
    start, end = best_window(PACE, spans, width)
    assert 0 <= start < end <= len(PACE)
    assert start == 0 or PACE[start - 1] == " "
    assert end == len(PACE) or PACE[end] == " "
    assert any(start <= a and b <= end for a, b in spans)
    out = snippet(PACE, spans, width)
    assert out.startswith(ELLIPSIS) == (start > 0) and out.endswith(ELLIPSIS) == (end < len(PACE))
    assert unmarked(out) == PACE[start:end].strip()


# --- escaping and marks ----------------------------------------------------------------------

def test_markup_in_a_paragraph_is_escaped_inside_and_outside_the_marks():
    text = "A note quoting <script>alert('x')</script> & \"quotes\" in return home interviews."
    out = snippet(text, spans_of(text, "script", "return") + [(15, 23)])
    assert "<script" not in out and "</script" not in out
    assert "<mark>&lt;script&gt;</mark>" in out
    assert "&amp; &quot;quotes&quot;" in out and "alert(&#x27;x&#x27;)" in out
    assert re.sub(r"</?mark>", "", out) == html.escape(text)


def test_render_clips_a_match_at_the_window_edge():
    text = "home visits are frequent"
    assert render(text, [(0, 4), (12, 24)], 5, 15) == (
        ELLIPSIS + "visits <mark>are</mark>" + ELLIPSIS)
    assert render(text, [(0, 11)], 5, len(text)) == ELLIPSIS + "<mark>visits</mark> are frequent"


def test_marked_marks_the_whole_paragraph_and_counts_the_marks():
    spans = spans_of(PACE, "Halton", "good") + [(4, 8), (4, 10)]  # "pace" and "pace o" overlap
    out, count = marked(PACE, spans)
    assert count == len(merge(spans)) == 5  # Halton and good twice each, pace once
    assert out.count("<mark>") == 5 and out.count("<mark>Halton</mark>") == 2
    assert ELLIPSIS not in out and unmarked(out) == PACE


@pytest.mark.parametrize("text", ["", "Plain words.", "<b>bold</b> & 'x'"])
def test_marked_with_nothing_matched_is_the_escaped_text(text):
    assert marked(text, []) == (html.escape(text), 0)
