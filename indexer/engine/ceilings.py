"""How high a compiled query can score a document that holds none of some terms: one number
for every such document, worked out on the tree (no vector), so the pruned search (dense.py)
can leave out every document lacking the query's best terms once that number is below the
page's floor, without looking at them.

A leaf is a term (field, text) of a Term, a Phrase or an ExpandedWildcard. With the terms in
`absent` missing, each node's ceiling is (can it match, the most it can score), combined with
the same operations in the same order as dense.py combines a document's scores (sums left to
right or as Whoosh's tree, maxima, products by non-negative constants), each leaf at its
highest score: every operation is monotone in floating point too, so no such document scores
above it. Excluded parts (AndNot's b, Not) are ignored, which only raises it; a node type
dense.py does not evaluate itself (scored by Whoosh) has no ceiling (infinity).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ._whoosh import query
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score

NONE = (False, 0.0)
UNKNOWN = (True, math.inf)


def leaves(node, out: dict | None = None) -> dict:
    """Every term the tree searches, as {(fieldname, text): None} in the order met."""
    out = {} if out is None else out
    if isinstance(node, query.Term):
        out.setdefault((node.fieldname, node.text), None)
    elif isinstance(node, (query.Phrase, ExpandedWildcard)):
        for word in node.words or ():
            out.setdefault((node.fieldname, word), None)
    for child in children(node):
        leaves(child, out)
    return out


class Ceiling:
    """ceiling(node, absent) for one search: `top(fieldname, text)` is a term's highest
    score in that search (None when it has no posting); `phrase_ok(node)` whether dense.py
    checks the phrase itself. A subtree holding none of the terms `absent` has the ceiling it
    has with none absent, worked out once: a call walks only the paths to the absent terms."""

    def __init__(self, top: Callable[[str, object], float | None], phrase_ok: Callable):
        self.top, self.phrase_ok = top, phrase_ok
        self._terms: dict[int, frozenset] = {}  # a subtree's terms
        self._whole: dict[int, tuple] = {}      # a subtree's ceiling with no term absent

    def __call__(self, node, absent: set) -> tuple[bool, float]:
        if absent and not self.terms(node).isdisjoint(absent):
            return self._walk(node, absent)
        found = self._whole.get(id(node))
        if found is None:
            found = self._whole[id(node)] = self._walk(node, frozenset())
        return found

    def _walk(self, node, absent) -> tuple[bool, float]:
        handler = _HANDLERS.get(type(node))
        return UNKNOWN if handler is None else handler(self, node, absent)

    def terms(self, node) -> frozenset:
        found = self._terms.get(id(node))
        if found is None:
            own = leaves(node, {}) if isinstance(
                node, (query.Term, query.Phrase, ExpandedWildcard)) else {}
            found = frozenset(own).union(*(self.terms(c) for c in children(node)))
            self._terms[id(node)] = found
        return found

    def _leaf(self, fieldname, text, absent) -> float | None:
        return None if (fieldname, text) in absent else self.top(fieldname, text)

    def _term(self, node, absent):
        top = self._leaf(node.fieldname, node.text, absent)
        if top is None:
            return NONE
        return True, (top * node.boost if node.boost != 1.0 else top)

    def _phrase(self, node, absent):
        if not self.phrase_ok(node):
            return UNKNOWN
        tops = [self._leaf(node.fieldname, w, absent) for w in node.words]
        if any(t is None for t in tops):
            return NONE
        top = tree_sum(tops)
        return True, (top * node.boost if node.boost != 1.0 else top)

    def _expanded_wildcard(self, node, absent):
        if len(node.words) == 1:
            top = self._leaf(node.fieldname, node.words[0], absent)
            return NONE if top is None else (True, top)
        if all(self._leaf(node.fieldname, w, absent) is None for w in node.words):
            return NONE
        return True, 1.0

    def _every(self, node, absent):
        if node.fieldname not in (None, "", "*"):
            return UNKNOWN
        return True, node.boost or 1.0

    def _null(self, node, absent):
        return NONE

    def _or(self, node, absent):
        if len(node.subqueries) == 1:
            return self(node.subqueries[0], absent)
        tops = [t for can, t in (self(sub, absent) for sub in node.subqueries) if can]
        if not tops:
            return NONE
        s = tops[0]
        for more in tops[1:]:  # left to right, as dense._or adds
            s = s + more
        return True, boosted(s, node.boost)

    def _and(self, node, absent):
        if len(node.subqueries) == 1:
            return self(node.subqueries[0], absent)
        parts = [self(sub, absent) for sub in node.subqueries]
        if not parts or not all(can for can, _ in parts):
            return NONE
        return True, boosted(tree_sum([t for _, t in parts]), node.boost)

    def _max(self, node, absent):
        if len(node.subqueries) == 1:
            return self(node.subqueries[0], absent)
        tops = [t for can, t in (self(sub, absent) for sub in node.subqueries) if can]
        return (True, boosted(max(tops), node.boost)) if tops else NONE

    def _and_maybe(self, node, absent):
        can, a = self(node.a, absent)
        if not can:
            return NONE
        bcan, b = self(node.b, absent)
        return True, (a + b if bcan else a)

    def _and_not(self, node, absent):
        return self(node.a, absent)

    def _not(self, node, absent):
        return True, 1.0

    def _score(self, node, absent):
        can, top = self(node.child, absent)
        if not can:
            return NONE
        return True, (top * node.scale + node.add if node.scale else node.add + 0.0)


_HANDLERS = {
    query.Term: Ceiling._term, query.Phrase: Ceiling._phrase,
    ExpandedWildcard: Ceiling._expanded_wildcard, query.Every: Ceiling._every,
    type(query.NullQuery): Ceiling._null, query.Or: Ceiling._or, query.And: Ceiling._and,
    MaxOf: Ceiling._max, query.AndMaybe: Ceiling._and_maybe, FixedAndNot: Ceiling._and_not,
    query.AndNot: Ceiling._and_not, query.Not: Ceiling._not, Score: Ceiling._score,
}


def children(node) -> list:
    if isinstance(node, (query.AndMaybe, query.AndNot)):
        return [node.a, node.b]
    if isinstance(node, query.Not):
        return [node.query]
    if isinstance(node, Score):
        return [node.child]
    return list(getattr(node, "subqueries", ()))


def tree_sum(values: list):
    """Summed as executor._tree_sum sums (Whoosh's balanced tree of matchers): vectors
    (dense.py) or numbers (ceilings) alike."""
    if len(values) <= 2:
        return values[0] + values[1] if len(values) == 2 else values[0]
    half = len(values) // 2
    return tree_sum(values[:half]) + tree_sum(values[half:])


def boosted(s, boost: float):
    return s if boost == 1.0 else s * boost


FLOOR_DOCS = 256          # at least this many candidates (and 4 per result) set the floor
KEEP_SHARE = 0.9          # narrowing that keeps more than this share of the matches is dropped
DROP_TERMS = 32           # up to this many terms, also try them by what each one's absence
                          # takes off the ceiling (a tree walk per term)


def candidates(run, node, docs, n: int):
    """The documents of `docs` (ascending, all matched by `node`) that can be among the `n`
    best, or None when the query's terms do not single out fewer (dense.DenseExecutor `run`).

    The terms are put in order: (for up to DROP_TERMS terms) by how much the ceiling falls
    without each, and rarest first. Some documents likely to score best (_sample: at least
    FLOOR_DOCS of `docs`) are scored exactly, which gives a floor: the n-th best of their
    scores, which the page's last result reaches. Then, in each order, as few of the first
    terms as make the ceiling of a document holding none of them fall below that floor: only
    documents holding one of those can reach the page. The order needing fewer documents wins."""
    terms = list(leaves(node))
    lists = {t: run.postings(*t) for t in terms}
    rare = sorted((t for t in terms if len(lists[t].ids)), key=lambda t: len(lists[t].ids))
    if not rare:
        return None
    tops = {t: float(lists[t].scores.max()) for t in rare}
    ceiling = Ceiling(lambda f, w: tops.get((f, w)), lambda p: run.phrase_of(p) is not None)
    most = float(run.prior.max()) if run.prior is not None and len(run.prior) else 1.0
    kept = run.nothing()
    kept[docs] = True
    want, floor, best = max(FLOOR_DOCS, 4 * n), None, None
    for order in _orders(ceiling, node, rare, lists):
        counts = _union_counts(run, order, kept)
        if counts[-1] < want:
            return None
        if floor is None:
            floor = _floor(run, node, _sample(run, order, counts, kept, want), n)
        # Below this, times the largest prior, is below the floor, rounding included.
        below = floor * (1 - 1e-9) / most if most > 0 else -math.inf
        k = _fewest(ceiling, node, order, 1, below)
        if k is None:
            return None  # a document holding none of the terms may reach the page
        if best is None or counts[k - 1] < best[0]:
            best = (counts[k - 1], order[:k])
    if best is None or best[0] > KEEP_SHARE * len(docs):
        return None
    return _holding(run, best[1], kept)


def _orders(ceiling, node, rare: list, lists: dict) -> list[list]:
    """The terms by how much the ceiling falls without each (then rarest), and rarest first."""
    if len(rare) > DROP_TERMS:
        return [rare]
    full = ceiling(node, set())[1]
    if not math.isfinite(full):
        return [rare]
    drop = {t: full - ceiling(node, {t})[1] for t in rare}
    return [sorted(rare, key=lambda t: (-drop[t], len(lists[t].ids))), rare]


def _union_counts(run, order: list, kept) -> list[int]:
    """How many of the documents `kept` hold one of the first k terms, for each k."""
    union, counts = run.nothing(), []
    for t in order:
        union |= run.term_mask(*t)
        counts.append(int(np.count_nonzero(union & kept)))
    return counts


def _fewest(ceiling, node, order: list, first: int, below: float):
    """The smallest k >= first such that a document holding none of the first k terms of
    `order` scores below `below` (None when not even lacking them all does)."""
    def fits(k: int) -> bool:
        can, top = ceiling(node, set(order[:k]))
        return not can or top < below

    if not fits(len(order)):
        return None
    lo, hi = first, len(order)  # the ceiling only falls as terms are added: bisect
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if fits(mid) else (mid + 1, hi)
    return lo


def _sample(run, order: list, counts: list, kept, want: int) -> np.ndarray:
    """At least `want` documents of `kept` likely to score best: those holding the first term
    of `order` and each next one that leaves `want`, or (when fewer hold the first) those
    holding one of the first few."""
    first = next(k + 1 for k, c in enumerate(counts) if c >= want)
    if first > 1:
        docs = _holding(run, order[:first], kept)
    else:
        inter = kept & run.term_mask(*order[0])
        for t in order[1:]:
            narrower = inter & run.term_mask(*t)
            if np.count_nonzero(narrower) >= want:
                inter = narrower
        docs = np.flatnonzero(inter)
    if len(docs) > 4 * want:  # those holding the most of the terms
        held = np.zeros(len(docs), dtype=np.int32)
        for t in order:
            held += run.term_mask(*t)[docs]
        docs = np.sort(docs[np.argpartition(-held, 4 * want - 1)[:4 * want]])
    return docs


def _holding(run, terms: list, kept) -> np.ndarray:
    """The documents of `kept` holding one of `terms`, ascending."""
    union = run.nothing()
    for t in terms:
        union |= run.term_mask(*t)
    return np.flatnonzero(union & kept)


def _floor(run, node, docs: np.ndarray, n: int) -> float:
    """The n-th best exact score among `docs` (phrases checked as the page needs)."""
    run.rebase(docs)
    try:
        _, scores = run.best(node, docs, n)
    finally:
        run.rebase(None)
    return float(np.partition(scores, len(scores) - n)[len(scores) - n])
