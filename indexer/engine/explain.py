"""A result's score broken into its parts (`search --explain`, `/api/search?explain=1`).

The compiled query is walked node by node, as the executor scores it (sums, maxima, boosts and
the Score nodes' `scale` and `add`), down to its leaves: the BM25F score of a word in the text or
the heading, a phrase, a proximity pair, a word-tier bonus, a word in the opening sentence. Each leaf's share of one paragraph's
score is its own score times the factors above it; the shares add up to the compiled query's
score, and that times the prior (ranking.SHAPE_PRIOR and SECTION_PRIOR, applied in
searching._match) is the result's score.
"""
from __future__ import annotations

from ._whoosh import query
from .executor import Executor
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score


def explain(run: Executor, compiled, docnums: list[int], shapes: dict[int, str],
            weights: dict[int, dict[str, float]]) -> dict[int, dict]:
    """{docnum: {"score", "shape", "shape_weight", "section_weight", "sum", "parts": [{"what",
    "score"}]}} for the documents `docnums` (matches of `compiled`); `weights` holds each
    one's weight per prior column (ranking.priors)."""
    walker = _Walker(run)
    out = {}
    for d in docnums:
        merged: dict[str, float] = {}
        for what, value in walker.parts(compiled, d, 1.0):
            merged[what] = merged.get(what, 0.0) + value
        total = sum(merged.values())
        mine = weights.get(d, {})
        shape_w, section_w = mine.get("shape", 1.0), mine.get("section", 1.0)
        out[d] = {"score": round(total * shape_w * section_w, 4),
                  "shape": shapes.get(d) or "narrative", "shape_weight": shape_w,
                  "section_weight": section_w, "sum": round(total, 4),
                  "parts": [{"what": w, "score": round(v, 4)} for w, v in
                            sorted(merged.items(), key=lambda item: -item[1])]}
    return out


class _Walker:
    def __init__(self, run: Executor):
        self.run = run
        self._scores: dict[int, dict[int, float]] = {}  # id(node) -> the node's scores
        self._nodes: list = []  # keeps the nodes alive while their ids are keys

    def scores(self, node) -> dict[int, float]:
        found = self._scores.get(id(node))
        if found is None:
            found = self._scores[id(node)] = self.run.run(node)
            self._nodes.append(node)
        return found

    def parts(self, node, d: int, factor: float) -> list[tuple[str, float]]:
        """(what, share of the score) of each leaf of `node` that scores document `d`."""
        if d not in self.scores(node):
            return []
        if isinstance(node, Score):
            kind = ("opening sentence" if getattr(node.child, "fieldname", None) == "opening"
                    else "word tier")
            bonus = [(f"{kind} {_label(node.child)}", factor * node.add)] if node.add else []
            if not node.scale:
                return bonus
            return self.parts(node.child, d, factor * node.scale) + bonus
        subs = getattr(node, "subqueries", None)
        if subs is not None and isinstance(node, (query.Or, query.And, MaxOf)):
            if len(subs) == 1:  # a compound of one part is that part, its boost ignored
                return self.parts(subs[0], d, factor)
            factor *= node.boost
            if isinstance(node, MaxOf):  # the first best alternative, as the executor keeps
                best = max((s for s in subs if d in self.scores(s)),
                           key=lambda s: self.scores(s)[d])
                return self.parts(best, d, factor)
            return [p for s in subs for p in self.parts(s, d, factor)]
        if isinstance(node, query.AndMaybe):
            return self.parts(node.a, d, factor) + self.parts(node.b, d, factor)
        if isinstance(node, (FixedAndNot, query.AndNot)):
            return self.parts(node.a, d, factor)
        return [(_leaf_label(node), factor * self.scores(node)[d])]


def _words(node) -> list[str]:
    """The words or phrases a node searches for, in order, once each."""
    if isinstance(node, query.Term):
        return [str(node.text).replace("_", " ")]  # a name's words (analysis.NAMES) as words
    if isinstance(node, query.Phrase):
        return [" ".join(node.words)]
    if isinstance(node, ExpandedWildcard):
        return [node.text]
    out: list[str] = []
    for child in getattr(node, "subqueries", None) or [getattr(node, "child", None)]:
        if child is not None:
            out += [w for w in _words(child) if w not in out]
    return out


def _label(node) -> str:
    return " / ".join(f'"{w}"' for w in _words(node)) or type(node).__name__


def _leaf_label(node) -> str:
    field = getattr(node, "fieldname", None)
    if isinstance(node, query.Phrase) and node.slop > 1:
        return f'proximity: "{" ".join(node.words)}" within {node.slop} words in the {field}'
    if isinstance(node, ExpandedWildcard):
        return f'wildcard "{node.text}"'
    if isinstance(node, (query.Term, query.Phrase)):
        return f"BM25F {field} {_label(node)}"
    return type(node).__name__
