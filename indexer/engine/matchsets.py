"""Which documents a compiled query matches, as one boolean vector over the index, without any
score: what totals and facet counts need (dense.DenseExecutor.matches). A boolean vector is an
eighth of a score vector and its operations are the cheapest numpy has, so the match set costs
little more than marking each posting, even for words found in nine paragraphs of ten.

The modes are dense.py's: UPPER treats a phrase as matching wherever its words all occur unless
checked not to, LOWER only where checked to, EXACT checks first; an exclusion takes its
excluded part in the opposite mode. A node decides matches exactly as dense.py's handler for
it does (a Score, AndMaybe or a boost never changes what matches).
"""
from __future__ import annotations

import numpy as np

from ._whoosh import query
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score

EXACT, UPPER, LOWER = "exact", "upper", "lower"
OPPOSITE = {EXACT: EXACT, UPPER: LOWER, LOWER: UPPER}


def matched(run, node, mode: str) -> np.ndarray:
    """The documents `node` matches in `mode` (a fresh or shared vector: never modify it).
    A subtree without a phrase is the same in every mode: the outermost such subtrees are kept
    for the search (only those: a vector per node of a large query would add up)."""
    handler = _HANDLERS.get(type(node))
    if id(node) in run.dynamic or run.match_inside:
        return run.whoosh_mask(node) if handler is None else handler(run, node, mode)
    found = run.match_memo.get(id(node))
    if found is None:
        run.match_inside = True
        try:
            found = run.whoosh_mask(node) if handler is None else handler(run, node, mode)
        finally:
            run.match_inside = False
        run.match_memo[id(node)] = found
    return found


def _term(run, node, mode):
    return run.term_mask(node.fieldname, node.text)


def _phrase(run, node, mode):
    phrase = run.phrase_of(node)
    if phrase is None:
        return run.whoosh_mask(node)
    if phrase.none:
        return run.nothing()
    if mode == EXACT:
        run.resolve(np.flatnonzero(phrase.may & ~phrase.checked))
    if mode == UPPER:
        return phrase.may & ~(phrase.checked & ~phrase.holds)
    return phrase.holds.copy()


def _expanded_wildcard(run, node, mode):
    if len(node.words) == 1:
        return run.term_mask(node.fieldname, node.words[0])
    return _any([run.term_mask(node.fieldname, w) for w in node.words], run)


def _every(run, node, mode):
    if node.fieldname not in (None, "", "*"):
        return run.whoosh_mask(node)
    return run.cache.live


def _null(run, node, mode):
    return run.nothing()


def _or(run, node, mode):
    return _any([matched(run, sub, mode) for sub in node.subqueries], run)


def _and(run, node, mode):
    if len(node.subqueries) == 1:
        return matched(run, node.subqueries[0], mode)
    if not node.subqueries:
        return run.nothing()
    out = matched(run, node.subqueries[0], mode) & matched(run, node.subqueries[1], mode)
    for sub in node.subqueries[2:]:
        out &= matched(run, sub, mode)
    return out


def _and_maybe(run, node, mode):
    return matched(run, node.a, mode)


def _and_not(run, node, mode):
    a = matched(run, node.a, mode)
    if not a.any():
        return a
    return a & ~matched(run, node.b, OPPOSITE[mode])


def _not(run, node, mode):
    return run.cache.live & ~matched(run, node.query, OPPOSITE[mode])


def _score(run, node, mode):
    return matched(run, node.child, mode)


def _any(parts: list, run) -> np.ndarray:
    """The union of the vectors `parts` (a list reduce would copy them into one array)."""
    if len(parts) <= 1:
        return parts[0] if parts else run.nothing()
    out = parts[0] | parts[1]
    for more in parts[2:]:
        out |= more
    return out


_HANDLERS = {
    query.Term: _term, query.Phrase: _phrase, ExpandedWildcard: _expanded_wildcard,
    query.Every: _every, type(query.NullQuery): _null, query.Or: _or, query.And: _and,
    MaxOf: _or, query.AndMaybe: _and_maybe, FixedAndNot: _and_not, query.AndNot: _and_not,
    query.Not: _not, Score: _score,
}
