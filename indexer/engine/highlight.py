"""The one highlighter: which words of a paragraph the search matched.

The compiler records what a query searched for (stemmed words, stemmed phrases, wildcard
patterns, the glossary's other names); this finds them in any text by analysing it the way the
index did, so a snippet and the report page mark exactly what the engine matched.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from .analysis import stemmed_words
from .snippets import marked, snippet


@dataclass
class Highlight:
    """What to mark: stemmed terms, stemmed phrases (tuples of terms), wildcard patterns."""
    terms: set = field(default_factory=set)
    phrases: set = field(default_factory=set)
    patterns: set = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases or self.patterns)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the query's words, phrases and wildcards in `text`."""
        if not self or not text:
            return []
        toks = stemmed_words(text)
        spans = []
        for i, (term, a, b) in enumerate(toks):
            if term in self.terms:
                spans.append((a, b))
            if self.patterns:
                word = text[a:b].lower()
                if any(fnmatch.fnmatchcase(word, p) for p in self.patterns):
                    spans.append((a, b))
            for phrase in self.phrases:
                if phrase[0] == term and tuple(t[0] for t in toks[i:i + len(phrase)]) == phrase:
                    spans.append((a, toks[i + len(phrase) - 1][2]))
        return spans

    def snippet(self, text: str, width: int = 300) -> str:
        """HTML: the best passage of about `width` characters, escaped, matches in <mark>."""
        return snippet(text, self.spans(text), width=width)

    def mark(self, text: str) -> tuple[str, int]:
        """HTML: all of `text`, escaped, matches in <mark>; and the number of marks."""
        return marked(text, self.spans(text))
