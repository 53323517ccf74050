"""The Whoosh query classes the compiler builds beyond Whoosh's own, and the 2.7.4 bugs they fix.

- Score: a child's score times `scale` plus `add`: the word bonus, or a filter scoring 0.
- MaxOf: the best alternative's score (2.7.4's DisjunctionMaxMatcher scores and prunes wrongly).
- FixedAndNot: exclusion (2.7.4's AndNotMatcher lets the first document through).
- ExpandedWildcard: a wildcard over words chosen beforehand (at most MAX_WILDCARD_TERMS).

The executor (engine/executor.py) evaluates these itself; Whoosh's matchers here are the
reference it is tested against.
"""
from __future__ import annotations

from ._whoosh import PreloadedOr, SearchContext, matching, query

class ScoreMatcher(matching.WrappingMatcher):
    """child score * scale + add: adds the per-word bonus, or zeroes a filter's score."""

    def __init__(self, child, add=0.0, scale=1.0):
        super().__init__(child)
        self.add, self.scale = add, scale

    def _replacement(self, newchild):
        return ScoreMatcher(newchild, self.add, self.scale)

    def copy(self):
        return ScoreMatcher(self.child.copy(), self.add, self.scale)

    def replace(self, minquality=0):
        # The child alone must reach what is left once the bonus is counted.
        r = self.child.replace(max(0, minquality - self.add) if self.scale else 0)
        if not r.is_active():
            return matching.NullMatcher()
        return self if r is self.child else self._replacement(r)

    def skip_to_quality(self, minquality):
        if not self.scale:
            return 0
        return self.child.skip_to_quality((minquality - self.add) / self.scale)

    def supports_block_quality(self):
        return bool(self.scale) and self.child.supports_block_quality()

    def max_quality(self):
        return self.child.max_quality() * self.scale + self.add

    def block_quality(self):
        return self.child.block_quality() * self.scale + self.add

    def score(self):
        return self.child.score() * self.scale + self.add


class Score(query.WrappingQuery):
    def __init__(self, child, add=0.0, scale=1.0):
        super().__init__(child)
        self.add, self.scale = add, scale

    def __eq__(self, other):
        return (type(other) is Score and self.child == other.child
                and (self.add, self.scale) == (other.add, other.scale))

    def __hash__(self):
        return hash(self.child) ^ hash((self.add, self.scale))

    def _rewrap(self, child):
        return Score(child, self.add, self.scale)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        if isinstance(m, matching.NullMatcherClass):
            return m
        return ScoreMatcher(m, self.add, self.scale)


class MaxMatcher(matching.DisjunctionMaxMatcher):
    """Whoosh 2.7.4's DisjunctionMaxMatcher has two bugs fixed here: score() takes the max of
    both children even when one sits on a later document, and replace() drops both children
    as soon as one of them is used up (silently losing matches once the top N fills)."""

    def replace(self, minquality=0):
        a, b = self.a, self.b
        if not a.is_active():
            return b.replace(minquality) if b.is_active() else matching.NullMatcher()
        if not b.is_active():
            return a.replace(minquality)
        if minquality:
            a_max, b_max = a.max_quality(), b.max_quality()
            if a_max < minquality and b_max < minquality:
                return matching.NullMatcher()
            if b_max < minquality:
                return a.replace(minquality)
            if a_max < minquality:
                return b.replace(minquality)
        ra, rb = a.replace(minquality), b.replace(minquality)
        if not ra.is_active():
            return rb
        if not rb.is_active():
            return ra
        return self if (ra is a and rb is b) else MaxMatcher(ra, rb)

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        if a.id() < b.id():
            return a.score()
        if b.id() < a.id():
            return b.score()
        return max(a.score(), b.score())


class MaxOf(query.DisjunctionMax):
    """The best-scoring alternative's score (see MaxMatcher)."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, MaxMatcher, searcher, context,
                                  lambda q: q.estimate_size(r))


class FixedAndNotMatcher(matching.AndNotMatcher):
    """Whoosh 2.7.4's AndNotMatcher lets the first document of `a` through when the excluded
    matcher starts on an earlier document: "(return -children)" found a paragraph about
    children. Here the excluded matcher is moved up to `a` first, as for every later document."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class FixedAndNot(query.AndNot):
    def matcher(self, searcher, context=None):
        return FixedAndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


class ExpandedWildcard(query.Wildcard):
    """A wildcard whose words were chosen beforehand (see Compiler._wildcard); scored like
    Whoosh's own, every word alike."""

    def __init__(self, fieldname, pattern, words: list[bytes]):
        super().__init__(fieldname, pattern)
        self.words = words

    def _btexts(self, ixreader):
        return self.words

    def normalize(self):
        return self  # Wildcard.normalize would turn "co*" back into an unbounded Prefix

    def matcher(self, searcher, context=None):
        # As Whoosh's MultiTerm.matcher (every word scores alike), but always with the union
        # Whoosh keeps for over 1,024 words: its default tree of unions took ten times as long
        # over 300 words ("co*" on 52,000 paragraphs), for the same scores.
        terms = [query.Term(self.fieldname, w) for w in self.words]
        if len(terms) < 2:
            return terms[0].matcher(searcher, context) if terms else matching.NullMatcher()
        context = context.set(weighting=None) if context else SearchContext(weighting=None)
        return PreloadedOr(terms, boost=self.boost).matcher(searcher, context)

