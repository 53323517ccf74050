"""The query run over vectors of documents, scoring exactly only what can reach the page.

A node's value is a pair of vectors over document numbers: which documents it matches and their
scores (engine/executor.py's arithmetic, element by element in the same order, so the same
floats). Leaves come from the decoded-postings cache (postcache.py). The costly leaf is a
phrase: its words' postings say cheaply where it *may* match and what it scores if it does (the
sum of its words' scores), but whether it matches needs each paragraph's positions. So a node is
evaluated in one of three modes:

- EXACT: phrases checked wherever they may match (within `within`, when given);
- UPPER: a phrase matches wherever its words all occur, unless already checked not to:
  a superset of the matches, each scored at least as high as it really is;
- LOWER: a phrase matches only where already checked to: a subset, scored at most as high.

Every node combines its children monotonically (sums, maxima, products by non-negative
constants; an exclusion or NOT takes its excluded part in the opposite mode), and rounding is
monotone, so for every document UPPER >= exact >= LOWER in floating point too. A query with a
negative constant or score anywhere is not pruned (Executor runs it exhaustively).

Totals and facets need only the match set (`matches`): booleans, no score (matchsets.py), which
phrases rarely decide (a proximity or glossary phrase's paragraphs already match its words).

Pruning (`top`): first the candidates are narrowed to the documents holding the query's best
terms, when the ceiling of a document holding none of them is below a floor that documents
holding them reach (ceilings.py); score vectors are then over those candidates only (the
`base`), so a query of common words costs as much as its rare words' documents, not as the
index. Then the N-th best LOWER score among the documents kept is a floor the page's last
result reaches; a document whose UPPER score is below it cannot reach the page. Documents above
the floor whose bounds differ have their phrases checked, best UPPER first, in growing batches,
and the floor rises, until every document that can reach the page is known exactly.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import clock
from ._whoosh import query
from .doctable import DocTable
from .executor import whoosh_scores
from .postcache import PostingCache
from .postings import in_sequence
from .ceilings import boosted, candidates, children, tree_sum
from .matchsets import EXACT, LOWER, OPPOSITE, UPPER, matched
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score

FIRST_BATCH = 512          # documents whose phrases are checked in the first round (then x4)
NARROW_MIN = 4096          # fewer matches kept than this are scored without narrowing first
NARROW_SHARE = 2           # scores are worked out over the candidates alone when they are
                           # fewer than 1 / NARROW_SHARE of the index
LOOK_UP = 16               # a term's postings are looked up document by document, not
                           # scattered, when it has this many times more than there are documents


class Unprunable(Exception):
    """The query has a negative constant or score: bounds would not hold."""


class Phrase:
    """What is known of one phrase in this search: where its words all occur (`may`, over the
    whole index), its words' postings (what it scores if it matches: the sum of its words'
    scores) and which documents were checked."""

    __slots__ = ("words", "lists", "may", "checked", "holds", "none")

    def __init__(self, words, lists: list, may: np.ndarray):
        self.words, self.lists, self.may = words, lists, may
        self.none = not may.any()
        self.checked = np.zeros_like(may)
        self.holds = np.zeros_like(may)


def _places(docs: np.ndarray, n: int) -> np.ndarray:
    place = np.full(n, -1, dtype=np.int64)
    place[docs] = np.arange(len(docs))
    return place


def _scores_at(p, docs: Optional[np.ndarray], n: int) -> np.ndarray:
    """A term's scores in each of `docs` (ascending; every document: None), 0 where absent."""
    if docs is None:
        out = np.zeros(n)
        out[p.ids] = p.scores
        return out
    if not len(p.ids):
        return np.zeros(len(docs))
    at = np.minimum(np.searchsorted(p.ids, docs), len(p.ids) - 1)
    return np.where(p.ids[at] == docs, p.scores[at], 0.0)


class DenseExecutor:
    """One search's evaluation of compiled queries as vectors (see the module docstring).
    `prior`, when given, is a non-negative multiplier per document applied to the query's
    score (scores and bounds alike)."""

    def __init__(self, searcher, table: DocTable, cache: PostingCache, lock,
                 deadline: Optional[float] = None, tick=None, prior: Optional[np.ndarray] = None):
        self.s, self.table, self.cache, self.lock = searcher, table, cache, lock
        self.deadline = deadline
        self.tick = tick or (lambda n: None)
        self.n = table.size
        self.prior = prior
        self.phrases: dict[tuple, Phrase] = {}
        self._memo: dict[int, tuple] = {}      # phrase-free subtrees: the same in every mode
        self._inside = False                   # evaluating inside a memoised subtree
        self.dynamic: set[int] = set()         # nodes holding a phrase
        self._walked: set[int] = set()
        self.match_memo: dict[int, np.ndarray] = {}  # matchsets.py's, for phrase-free subtrees
        self.match_inside = False                    # evaluating inside one of those
        self._masks: dict[tuple, np.ndarray] = {}    # a term's documents, as a vector
        self._whoosh: dict[int, tuple] = {}          # nodes Whoosh scored: (ids, scores)
        # Score vectors are over the documents `base` (ascending; every document when None):
        # the page's candidates once they are known (_narrow). `universe` is the subset of them
        # a round of bounds is worked out for (None: the whole base): once the candidates are
        # few, each round costs as much as they are.
        self.base: Optional[np.ndarray] = None
        self._values: dict[tuple, np.ndarray] = {}  # phrases' scores over the base
        self._scores: dict[tuple, np.ndarray] = {}  # their words' scores over the base
        self.universe: Optional[np.ndarray] = None
        self._at: Optional[np.ndarray] = None     # the universe's places in base
        self._place: Optional[np.ndarray] = None  # document -> its place in the vectors, or -1
        self._base_place: Optional[np.ndarray] = None  # the same for the base
        self._passes: dict[tuple, tuple] = {}     # base-wide results since the last check

    def _docs(self) -> Optional[np.ndarray]:
        """The documents the vectors being worked out are over (None: every document)."""
        return self.base if self.universe is None else self.universe

    def _within(self, docs: Optional[np.ndarray]) -> None:
        self.universe, self._place = docs, None
        if docs is None:
            self._at = None
        else:
            self._at = docs if self.base is None else np.searchsorted(self.base, docs)

    def rebase(self, docs: Optional[np.ndarray]) -> None:
        """Work out scores over `docs` only from now on."""
        self.base = docs
        self._values, self._scores = {}, {}
        self._base_place = None
        self._memo.clear()
        self._passes.clear()
        self._within(None)

    def _whole(self, node, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """run() over the whole base, kept until a phrase is checked again."""
        found = self._passes.get((id(node), mode))
        if found is None:
            saved = self.universe
            self._within(None)
            try:
                found = self._passes[(id(node), mode)] = self.run(node, mode)
            finally:
                self._within(saved)
        return found

    def _over(self, docs: np.ndarray, node, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """run() for the documents `docs` (of the base) only: from the base-wide pass when it
        is still valid (or `docs` is the whole base), else over `docs` alone."""
        size = self.n if self.base is None else len(self.base)
        found = self._passes.get((id(node), mode))
        if found is None and len(docs) == size:
            found = self._whole(node, mode)
        if found is not None:
            if len(docs) == size:
                return found
            at = docs if self.base is None else np.searchsorted(self.base, docs)
            return found[0][at], found[1][at]
        saved = self.universe
        self._within(docs)
        try:
            return self.run(node, mode)
        finally:
            self._within(saved)

    # -- what callers use

    def matches(self, node, within: Optional[np.ndarray] = None) -> np.ndarray:
        """Exactly the documents `node` matches (those in `within`, when given), as a new
        vector. No score is worked out (matchsets.py)."""
        self._prepare(node)
        upper, lower = matched(self, node, UPPER), matched(self, node, LOWER)
        open_ = upper & ~lower
        if within is not None:
            open_ &= within
        if open_.any():
            self.resolve(np.flatnonzero(open_))
            lower = matched(self, node, LOWER)
        return lower & within if within is not None else lower.copy()

    def top(self, node, kept: np.ndarray, n: int, sort: str = "relevance",
            rank: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """The `n` best of the documents `kept` (all matched by `node`) as (docnum, score), in
        the order `sort` asks for: score (then docnum), or the date `rank` (then score,
        then docnum). Only documents that can reach the first `n` are scored exactly."""
        self._prepare(node)
        docs = np.flatnonzero(kept)
        if sort != "relevance":  # every document dated before the n-th one's date, and its date
            if len(docs) > n:
                last = np.partition(rank[docs], n - 1)[n - 1]
                docs = docs[rank[docs] <= last]
            if len(docs) * NARROW_SHARE < self.n:
                self.rebase(docs)
            scores = self._exact(node, docs)
            order = np.lexsort((docs, -scores, rank[docs]))[:n]
        else:
            docs = self._narrow(node, docs, n)
            docs, scores = self.best(node, docs, n)
            order = np.lexsort((docs, -scores))[:n]
        return [(int(d), float(v)) for d, v in zip(docs[order], scores[order])]

    def _narrow(self, node, docs: np.ndarray, n: int) -> np.ndarray:
        """`docs`, less those that cannot reach the first `n` because they lack the query's best
        terms (ceilings.candidates), and the vectors worked out over what remains from now on."""
        if len(docs) >= NARROW_MIN:
            narrowed = candidates(self, node, docs, n)
            if narrowed is not None:
                docs = narrowed
        if len(docs) * NARROW_SHARE < self.n:
            self.rebase(docs)
        return docs

    def best(self, node, docs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Documents of `docs` that may be among the `n` best, each with its exact score."""
        batch = max(FIRST_BATCH, 4 * n)
        while True:
            upper, lower = self.bounds(node, docs)
            if len(docs) > n:
                floor = np.partition(lower, len(docs) - n)[len(docs) - n]
                reach = upper >= floor
                docs, upper, lower = docs[reach], upper[reach], lower[reach]
            open_ = upper != lower
            if not open_.any():
                return docs, upper
            unknown = np.flatnonzero(open_)
            if len(unknown) > batch:  # the best upper bounds first
                unknown = unknown[np.argpartition(-upper[unknown], batch - 1)[:batch]]
            self.resolve(docs[unknown])
            batch *= 4

    def _exact(self, node, docs: np.ndarray) -> np.ndarray:
        upper, lower = self.bounds(node, docs)
        if (upper != lower).any():
            self.resolve(docs[upper != lower])
            upper, lower = self.bounds(node, docs)
        return upper

    def bounds(self, node, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """UPPER and LOWER scores of `docs` (all matched by `node`: a LOWER miss scores 0;
        all in the base)."""
        _, upper = self._over(docs, node, UPPER)
        ml, sl = self._over(docs, node, LOWER)
        lower = np.where(ml, sl, 0.0)
        if self.prior is not None:
            upper, lower = upper * self.prior[docs], lower * self.prior[docs]
        return upper, lower

    def resolve(self, docs: np.ndarray) -> None:
        """Check every phrase of the search in the documents `docs` (ascending)."""
        for phrase in list(self.phrases.values()):
            clock.check(self.deadline)
            todo = docs[phrase.may[docs] & ~phrase.checked[docs]]
            if len(todo):
                self._passes.clear()
                self.tick(len(todo))
                phrase.holds[todo[self._check(phrase, todo)]] = True
                phrase.checked[todo] = True

    def _check(self, phrase: Phrase, docs: np.ndarray) -> np.ndarray:
        """Whether the words of `phrase` follow each other in each of `docs` (as
        Executor._phrase_matches decides it)."""
        fieldname, words, slop = phrase.words
        lists = [self.cache.term(fieldname, w, positions=True, tick=self.tick) for w in words]
        at = [np.searchsorted(p.ids, docs) for p in lists]
        decode = lists[0].decode
        seen: dict[tuple, bool] = {}  # the same positions recur (a heading on many paragraphs)
        out = np.zeros(len(docs), dtype=bool)
        columns = [p.values(where) for p, where in zip(lists, at)]
        for k, key in enumerate(zip(*columns)):
            if k % clock.CHECK_EVERY == 0:
                clock.check(self.deadline)
            chained = seen.get(key)
            if chained is None:
                chained = seen[key] = in_sequence([decode(v) for v in key], slop)
            out[k] = chained
        return out

    # -- leaves, as matchsets.py and candidates.py ask for them

    def postings(self, fieldname: str, text):
        """A term's cached postings; a negative score makes the search unprunable."""
        p = self.cache.term(fieldname, text, tick=self.tick)
        if len(p.scores) and p.scores.min() < 0:
            raise Unprunable
        return p

    def term_mask(self, fieldname: str, text) -> np.ndarray:
        """The documents holding a term, over the whole index (shared: never modify it)."""
        key = (fieldname, text)
        mask = self._masks.get(key)
        if mask is None:
            ids = self.postings(fieldname, text).ids
            self.tick(len(ids))
            mask = self._masks[key] = self.nothing()
            mask[ids] = True
        return mask

    def nothing(self) -> np.ndarray:
        return np.zeros(self.n, dtype=bool)

    def phrase_of(self, node) -> Optional[Phrase]:
        """This search's Phrase for a phrase node (None when Whoosh must score it)."""
        if not node.words or not self.s.schema[node.fieldname].format.supports("positions"):
            return None
        key = (node.fieldname, tuple(node.words), node.slop)
        phrase = self.phrases.get(key)
        if phrase is None:
            masks = [self.term_mask(node.fieldname, w) for w in node.words]
            may = masks[0].copy()
            for more in masks[1:]:
                may &= more
            lists = [self.postings(node.fieldname, w) for w in node.words]
            phrase = self.phrases[key] = Phrase(key, lists, may)
        return phrase

    def whoosh_scores(self, node) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores) of a node Whoosh scores, once per search."""
        found = self._whoosh.get(id(node))
        if found is None:
            with self.lock:
                scores = whoosh_scores(self.s, node, self.deadline)
            found = self._whoosh[id(node)] = (
                np.fromiter(scores, dtype=np.int64, count=len(scores)),
                np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))
        return found

    def whoosh_mask(self, node) -> np.ndarray:
        mask = self.nothing()
        mask[self.whoosh_scores(node)[0]] = True
        return mask

    # -- evaluation

    def _prepare(self, node) -> None:
        """Mark the nodes holding a phrase (their value depends on the mode) and refuse
        negative constants."""
        if id(node) in self._walked:
            return
        if not self._walked and self.prior is not None and (self.prior < 0).any():
            raise Unprunable
        self._walked.add(id(node))
        dynamic = False
        for child in children(node):
            self._prepare(child)
            dynamic |= id(child) in self.dynamic
        if isinstance(node, query.Phrase):
            dynamic = True
        if getattr(node, "boost", 1.0) < 0 or (
                isinstance(node, Score) and (node.add < 0 or node.scale < 0)):
            raise Unprunable
        if dynamic:
            self.dynamic.add(id(node))

    def run(self, node, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """(matched, scores) of `node` in `mode` over the universe (the base when None);
        scores are 0 where not matched."""
        clock.check(self.deadline)
        if id(node) in self.dynamic:
            return self._eval(node, mode)
        if self._inside:  # only the outermost phrase-free node is kept (memory)
            return self._eval(node, EXACT)
        found = self._memo.get(id(node))
        if found is None:  # worked out over the whole base, once
            saved = self.universe
            self._within(None)
            self._inside = True
            try:
                found = self._memo[id(node)] = self._eval(node, EXACT)
            finally:
                self._inside = False
                self._within(saved)
        return self._gather(found)

    def _gather(self, vectors: tuple) -> tuple:
        """Base-wide vectors, over the universe."""
        if self.universe is None:
            return vectors
        return tuple(v[self._at] for v in vectors)

    def _eval(self, node, mode: str):
        handler = _HANDLERS.get(type(node))
        if handler is None:
            return self._by_whoosh(node)
        return handler(self, node, mode)

    def _empty(self, size: Optional[int] = None):
        if size is None:
            docs = self._docs()
            size = self.n if docs is None else len(docs)
        return np.zeros(size, dtype=bool), np.zeros(size)

    def _scatter(self, ids: np.ndarray, scores: np.ndarray):
        """Sparse (ids, scores, ascending ids) as vectors over the documents worked out for:
        by a look-up of each of them in `ids` when they are far fewer, else by marking."""
        docs = self._docs()
        m, s = self._empty()
        if docs is None:
            self.tick(len(ids))
            m[ids] = True
            s[ids] = scores
            return m, s
        if len(docs) * LOOK_UP < len(ids) or not len(ids):
            self.tick(len(docs))
            if len(ids):
                at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
                m = ids[at] == docs
                s = np.where(m, scores[at], 0.0)
            return m, s
        self.tick(len(ids))
        at = self._places()[ids]
        ok = at >= 0
        m[at[ok]] = True
        s[at[ok]] = scores[ok]
        return m, s

    def _places(self) -> np.ndarray:
        """Document -> its place in the vectors being worked out, or -1 (the base's kept)."""
        if self.universe is None:
            if self._base_place is None:
                self._base_place = _places(self.base, self.n)
            return self._base_place
        if self._place is None:
            self._place = _places(self.universe, self.n)
        return self._place

    def _by_whoosh(self, node):
        return self._scatter(*self.whoosh_scores(node))

    def _postings(self, fieldname: str, text, boost: float = 1.0):
        p = self.postings(fieldname, text)
        return self._scatter(p.ids, p.scores * boost if boost != 1.0 else p.scores)

    def _term(self, node, mode):
        return self._postings(node.fieldname, node.text, node.boost)

    def _phrase(self, node, mode):
        phrase = self.phrase_of(node)
        if phrase is None:
            return self._by_whoosh(node)
        if phrase.none:
            return self._empty()
        if mode == EXACT:
            self.resolve(np.flatnonzero(phrase.may & ~phrase.checked))
        u = self._docs()
        holds = phrase.holds if u is None else phrase.holds[u]
        if mode == UPPER:
            checked = phrase.checked if u is None else phrase.checked[u]
            m = (phrase.may if u is None else phrase.may[u]) & ~(checked & ~holds)
        else:
            m = holds
        if not m.any():
            return m, np.zeros(len(m))
        s = np.where(m, self._phrase_value(phrase), 0.0)
        return m, (s * node.boost if node.boost != 1.0 else s)

    def _phrase_value(self, phrase: Phrase) -> np.ndarray:
        """What the phrase scores where it may match (0 elsewhere) over the universe: its words'
        scores summed as executor._tree_sum sums them, worked out once over the base."""
        value = self._values.get(phrase.words)
        if value is None:
            base = self.base
            if base is None:  # a word's scores over every document are not kept (memory)
                scores = [_scores_at(p, None, self.n) for p in phrase.lists]
            else:
                fieldname, words, _ = phrase.words
                scores = [self._base_scores(fieldname, w, p) for w, p in zip(words, phrase.lists)]
            may = phrase.may if base is None else phrase.may[base]
            value = self._values[phrase.words] = np.where(may, tree_sum(scores), 0.0)
        return value if self.universe is None else value[self._at]

    def _base_scores(self, fieldname: str, word, p) -> np.ndarray:
        found = self._scores.get((fieldname, word))
        if found is None:
            found = self._scores[(fieldname, word)] = _scores_at(p, self.base, self.n)
        return found

    def _expanded_wildcard(self, node, mode):
        if len(node.words) == 1:
            return self._postings(node.fieldname, node.words[0])
        m = matched(self, node, EXACT)
        u = self._docs()
        if u is not None:
            m = m[u]
        return m, np.where(m, 1.0, 0.0)

    def _every(self, node, mode):
        if node.fieldname not in (None, "", "*"):
            return self._by_whoosh(node)
        m = self._live()
        return m, np.where(m, node.boost or 1.0, 0.0)

    def _live(self) -> np.ndarray:
        live, u = self.cache.live, self._docs()
        self.tick(self.n if u is None else len(u))
        return live.copy() if u is None else live[u]

    def _null(self, node, mode):
        return self._empty()

    def _or(self, node, mode):
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0], mode)
        if not node.subqueries:
            return self._empty()
        parts = [p for p in (self.run(sub, mode) for sub in node.subqueries) if p[0].any()]
        if not parts:  # adding nothing's zeros changes no sum: skipped
            return self._empty()
        m = np.logical_or.reduce([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
        s = parts[0][1]
        for _, more in parts[1:]:  # left to right, as executor._sum adds
            s = s + more
        return m, boosted(s, node.boost)

    def _and(self, node, mode):
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0], mode)
        parts = [self.run(sub, mode) for sub in node.subqueries]
        if not parts:
            return self._empty()
        m = np.logical_and.reduce([p[0] for p in parts])
        s = np.where(m, tree_sum([p[1] for p in parts]), 0.0)
        return m, boosted(s, node.boost)

    def _max(self, node, mode):
        if len(node.subqueries) == 1:
            return self.run(node.subqueries[0], mode)
        m, s = self._empty()
        for pm, ps in (self.run(sub, mode) for sub in node.subqueries):
            better = pm & (~m | (ps > s))  # the first value, then only a strictly greater one
            s = np.where(better, ps, s)
            m = m | pm
        return m, boosted(s, node.boost)

    def _and_maybe(self, node, mode):
        am, a = self.run(node.a, mode)
        if not am.any():
            return self._empty()
        bm, b = self.run(node.b, mode)
        return am, np.where(am & bm, a + b, a)

    def _and_not(self, node, mode):
        am, a = self.run(node.a, mode)
        if not am.any():
            return self._empty()
        bm, _ = self.run(node.b, OPPOSITE[mode])
        m = am & ~bm
        return m, np.where(m, a, 0.0)

    def _not(self, node, mode):
        qm, _ = self.run(node.query, OPPOSITE[mode])
        m = self._live() & ~qm
        return m, np.where(m, 1.0, 0.0)

    def _score(self, node, mode):
        m, s = self.run(node.child, mode)
        if not node.scale:
            return m, np.where(m, node.add + 0.0, 0.0)
        return m, np.where(m, s * node.scale + node.add, 0.0)


_HANDLERS = {
    query.Term: DenseExecutor._term, query.Phrase: DenseExecutor._phrase,
    ExpandedWildcard: DenseExecutor._expanded_wildcard, query.Every: DenseExecutor._every,
    type(query.NullQuery): DenseExecutor._null, query.Or: DenseExecutor._or,
    query.And: DenseExecutor._and, MaxOf: DenseExecutor._max,
    query.AndMaybe: DenseExecutor._and_maybe, FixedAndNot: DenseExecutor._and_not,
    query.AndNot: DenseExecutor._and_not, query.Not: DenseExecutor._not,
    Score: DenseExecutor._score,
}
