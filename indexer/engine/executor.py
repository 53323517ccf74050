"""Running a compiled query a posting list at a time.

Whoosh's matchers walk a query tree one document at a time, several Python calls per node per
document (2 s for a query the glossary expands into a dozen phrases over 47,000 paragraphs).
The executor gives every node {docnum: score} for all the documents it matches, reading each
posting list once (engine/postings.py) and combining with dict and set operations, with the same
BM25F arithmetic, sums, maxima and products as Whoosh's matchers:
tests/engine/test_search_executor.py runs every search both ways. Query types it does not know
are run by Whoosh itself.
"""
from __future__ import annotations

from typing import Optional

from . import clock
from ._whoosh import query, scoring
from .doctable import DocTable
from .postings import Lengths, PostingReader, in_sequence
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score

SPARSE_LOOKUP = 64        # a phrase's word is looked up document by document, not read whole,
                          # when it is in this many times more documents than remain candidates


class Executor:
    """Evaluates a compiled query over whole posting lists: every node gives {docnum: score}
    for all the documents it matches, with the matches and scores Whoosh's own matchers give
    (sums, maxima and products taken in the same way; tests/engine/test_search_executor.py
    compares the two). Whoosh walks a tree of matchers one document at a time, several Python
    calls per node per document; here each posting is read once, in blocks, and combined with
    dict and set operations. Query types not handled here are run by Whoosh itself."""

    def __init__(self, searcher, table: DocTable, lengths: Lengths, lock,
                 deadline: Optional[float] = None):
        self.s = searcher
        self.lock = lock  # held for every call into Whoosh
        self.deadline = deadline
        self._tick = clock.Ticker(deadline)
        self.table = table
        self.postings = PostingReader(searcher, table, lengths, lock, self._tick)
        self._phrases: dict = {}   # phrase -> its matches, worked out once per search
        self.bm25 = isinstance(searcher.weighting, scoring.BM25F)

    def run(self, node) -> dict[int, float]:
        clock.check(self.deadline)
        handler = self._handlers.get(type(node))
        if handler is None or not self.bm25:
            return self._by_whoosh(node)
        return handler(self, node)

    def _by_whoosh(self, node) -> dict[int, float]:
        with self.lock:
            return whoosh_scores(self.s, node, self.deadline)

    def docs(self, node) -> set[int]:
        return set(self.run(node))

    # -- leaves

    def _term(self, node) -> dict[int, float]:
        return _boosted(self.postings.read(node.fieldname, node.text).scored(), node.boost)

    def _phrase(self, node) -> dict[int, float]:
        """Documents holding the words in order, each within `slop` positions of the one
        before (Whoosh's SpanNear2 with mindist 1); scored as the sum of the words' scores."""
        if not node.words or not self.s.schema[node.fieldname].format.supports("positions"):
            return self._by_whoosh(node)
        key = ("phrase", node.fieldname, tuple(node.words), node.slop)
        found = self._phrases.get(key)  # a glossary phrase often appears twice in a query
        if found is None:
            found = self._phrases[key] = self._phrase_matches(node)
        return _boosted(found, node.boost)

    def _phrase_matches(self, node) -> dict[int, float]:
        fieldname = node.fieldname
        with self.lock:
            reader = self.s.reader()
            frequency = [reader.doc_frequency(fieldname, w) for w in node.words]
        if not all(frequency):
            return {}
        # Rarest word first; a far commoner word is looked up only in the documents left.
        words: list = [None] * len(node.words)
        candidates: set[int] | None = None
        for i in sorted(range(len(node.words)), key=frequency.__getitem__):
            if candidates is not None and len(candidates) * SPARSE_LOOKUP < frequency[i]:
                words[i] = self.postings.read(fieldname, node.words[i], positions=True, only=candidates)
            else:
                words[i] = self.postings.read(fieldname, node.words[i], positions=True)
            found = words[i].where()
            candidates = set(found) if candidates is None else candidates.intersection(found)
            if not candidates:
                return {}
        self._tick(len(candidates))
        out = {}
        seen: dict[tuple, bool] = {}  # the same positions recur (a heading on many paragraphs)
        decode, slop = words[0].decode, node.slop
        if len(words) == 2:  # most phrases: the same as below, unrolled
            (where_a, values_a, scores_a), (where_b, values_b, scores_b) = (
                (w.where(), w.values, w.scores) for w in words)
            for d in candidates:
                i, j = where_a[d], where_b[d]
                key = (values_a[i], values_b[j])
                chained = seen.get(key)
                if chained is None:
                    chained = seen[key] = in_sequence([decode(key[0]), decode(key[1])], slop)
                if chained:
                    out[d] = scores_a[i] + scores_b[j]
            return out
        lists = [(w.where(), w.values, w.scores) for w in words]
        for d in candidates:
            at = [(where[d], values, scores) for where, values, scores in lists]
            key = tuple(values[i] for i, values, _ in at)
            chained = seen.get(key)
            if chained is None:
                chained = seen[key] = in_sequence([decode(v) for v in key], slop)
            if chained:
                out[d] = _tree_sum([scores[i] for i, _, scores in at])
        return out

    def _expanded_wildcard(self, node) -> dict[int, float]:
        """As ExpandedWildcard.matcher: one word scores as a term; of several, a paragraph
        holding any scores 1 (Whoosh's unscored preloaded union)."""
        if len(node.words) == 1:
            return self._term(query.Term(node.fieldname, node.words[0]))
        found: set[int] = set()
        for word in node.words:
            found.update(self.postings.read(node.fieldname, word).ids)
        return dict.fromkeys(found, 1.0)

    def _every(self, node) -> dict[int, float]:
        if node.fieldname not in (None, "", "*"):
            return self._by_whoosh(node)
        self._tick(len(self.table.live))
        return dict.fromkeys(self.table.live, node.boost or 1.0)

    def _null(self, node) -> dict[int, float]:
        return {}

    # -- combinations (a compound query with one part is that part, boost ignored, as in Whoosh)

    def _or(self, node) -> dict[int, float]:
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0])
        return _boosted(_sum([self.run(sub) for sub in node.subqueries]), node.boost)

    def _and(self, node) -> dict[int, float]:
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0])
        parts = [self.run(sub) for sub in node.subqueries]
        if not parts or not all(parts):
            return {}
        common = set(min(parts, key=len)).intersection(*parts)
        return _boosted({d: _tree_sum([p[d] for p in parts]) for d in common}, node.boost)

    def _max(self, node) -> dict[int, float]:
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0])
        out: dict[int, float] = {}
        for part in (self.run(sub) for sub in node.subqueries):
            for d, v in part.items():
                if v > out.get(d, v - 1):
                    out[d] = v
        return _boosted(out, node.boost)

    def _and_maybe(self, node) -> dict[int, float]:
        a = self.run(node.a)
        if not a:
            return {}
        b = self.run(node.b)
        return {d: v + b[d] if d in b else v for d, v in a.items()}

    def _and_not(self, node) -> dict[int, float]:
        a = self.run(node.a)
        if not a:
            return {}
        b = self.run(node.b)
        return {d: v for d, v in a.items() if d not in b}

    def _not(self, node) -> dict[int, float]:
        excluded = self.run(node.query)
        self._tick(len(self.table.live))
        return {d: 1.0 for d in self.table.live if d not in excluded}

    def _score(self, node) -> dict[int, float]:
        child = self.run(node.child)
        if not node.scale:
            return dict.fromkeys(child, node.add + 0.0)
        return {d: v * node.scale + node.add for d, v in child.items()}

    _handlers = {
        query.Term: _term, query.Phrase: _phrase, ExpandedWildcard: _expanded_wildcard,
        query.Every: _every, type(query.NullQuery): _null,
        query.Or: _or, query.And: _and, MaxOf: _max,
        query.AndMaybe: _and_maybe, FixedAndNot: _and_not, query.AndNot: _and_not,
        query.Not: _not, Score: _score,
    }


def _sum(parts: list[dict]) -> dict[int, float]:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    out = dict(parts[0])
    get = out.get
    for part in parts[1:]:
        for d, v in part.items():
            out[d] = get(d, 0.0) + v
    return out


def _tree_sum(values: list[float]) -> float:
    """Summed as Whoosh's balanced binary tree of matchers sums them."""
    if len(values) <= 2:
        return values[0] + values[1] if len(values) == 2 else values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    if boost == 1.0:
        return scores
    return {d: v * boost for d, v in scores.items()}


def whoosh_scores(searcher, wq, deadline: Optional[float] = None) -> dict[int, float]:
    """Every match of a query with its score, by Whoosh's own matchers: the reference the
    executor is tested against, and the way to run query types it does not know."""
    collector = clock.DeadlineCollector(deadline)
    searcher.search_with_collector(wq, collector)
    return {docnum: score for score, docnum in collector.items}
