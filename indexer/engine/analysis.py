"""Analysis: how text becomes the terms the index holds. Part of the index format: changing
what a word analyses to changes the format version (engine/format.py), so indexes are rebuilt.

Words are lower-cased, stop words dropped, and stemmed with Porter2 (plus the plural of an
all-consonant acronym: GPs -> GP). The `plain` field keeps words as written, for wildcards and
spelling suggestions.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._whoosh import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, porter2_stem

@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """English (Porter2) stemming, plus the plural of an all-consonant acronym: GPs, SCRs."""
    if len(word) > 2 and word.endswith("s") and not re.search(r"[aeiouy]", word[:-1]):
        return word[:-1]
    return porter2_stem(word)


def stemming_analyzer():
    return RegexTokenizer() | LowercaseFilter() | StopFilter() | StemFilter(stemfn=stem)


def plain_analyzer():
    """Words as written (lower-cased): wildcards and spelling suggestions work on these."""
    return RegexTokenizer() | LowercaseFilter()


STEM = stemming_analyzer()


def tokens(text: str) -> list[str]:
    """The terms a query's text searches for (stemmed, stop words dropped)."""
    return [t.text for t in STEM(text, mode="query")]


_TOKENIZER, _, _STOPS, _ = STEM.items  # the analyzer's parts, used directly below


def stemmed_words(text: str) -> list[tuple[str, int, int]]:
    """(stemmed word, start, end) for each word of `text` the index holds, in order: what
    STEM(text, chars=True) yields, without its token objects and generator layers (snippets
    analyse every shown paragraph)."""
    stops, shortest, longest = _STOPS.stops, _STOPS.min, _STOPS.max
    out = []
    for m in _TOKENIZER.expression.finditer(text):
        word = m.group(0).lower()
        if len(word) >= shortest and (longest is None or len(word) <= longest) \
                and word not in stops:
            out.append((stem(word), m.start(), m.end()))
    return out

