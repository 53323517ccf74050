"""Compiling a parsed query (indexer/query) into one Whoosh query, plus what to highlight.

Top-level words become slots (ranking.py: the word tiers); glossary concepts search their other
names with less weight; adjacent words add a proximity phrase; top-level filters, required and
excluded items are kept aside as sets of documents (cheaper, and Whoosh 2.7.4's Require matcher
collects wrong documents). The compiled query is run by the executor (engine/executor.py).
"""
from __future__ import annotations

import heapq
import math
import re
from typing import Optional

from ..query.language import (LIGHT_WORDS, And, Concept, FieldTerm, Group, Not, Or, Phrase,
                              Required, Wildcard, Word)
from . import ranking
from ._whoosh import query
from .analysis import tokens
from .doctable import DocTable
from .highlight import Highlight
from .queries import ExpandedWildcard, FixedAndNot, MaxOf, Score

def _words_query(toks: list[str], boost: float = 1.0, heading: Optional[float] = None):
    """A word (one token) or a phrase (several), in the text or the heading (its BM25F times
    `heading`, by default ranking.HEADING_WEIGHT)."""
    if not toks:
        return None
    heading = ranking.HEADING_WEIGHT if heading is None else heading
    if len(toks) == 1:
        parts = [query.Term("text", toks[0]), query.Term("heading", toks[0], boost=heading)]
    else:
        parts = [query.Phrase("text", toks), query.Phrase("heading", toks, boost=heading)]
    return query.Or(parts, boost=boost)


def _concept_tokens(concept: Concept) -> list[str]:
    """The terms of a concept's words as typed, read together: the words of a name
    (analysis.NAMES: "virtual school") are one term, as the index holds them."""
    return tokens(" ".join(w.text for w in concept.words))


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return bool(sub) and any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


class Compiler:
    """A parsed query tree -> one Whoosh query, plus what to highlight and notices."""

    def __init__(self, table: DocTable, reader):
        self.table = table
        self.reader = reader
        self.max_idf = 1.0
        self.highlight = Highlight()
        self.notices: list[str] = []
        self.slots = 0      # words that earn WORD_BONUS: the tiers of the ranking
        self.scored = False  # False when nothing in the query scores (only filters/exclusions)
        # Top-level constraints, applied as sets of documents rather than inside the scored
        # query: cheaper, and Whoosh 2.7.4's Require matcher collects wrong documents.
        self.required: list = []   # every one must match
        self.excluded: list = []   # none may match
        self.opened: set[str] = set()  # typed words already given their opening bonus
        # An index written before the opening field existed is still searched (with the
        # "another version" warning) until it is rebuilt, without the bonus.
        self.openings = "opening" in reader.schema
        self.light: set[str] = set()  # the light words typed (LIGHT_WORDS): the lightest tier
        self.several = False  # more than one word typed: a loose word's heading weighs less

    def compile(self, tree: Group):
        typed = [t for item in tree.items
                 for t in (_concept_tokens(item) if isinstance(item, Concept)
                           else tokens(item.text) if isinstance(item, Word) else [])]
        light = {t for item in tree.items
                 if isinstance(item, Word) and item.text.lower() in LIGHT_WORDS
                 for t in tokens(item.text)}
        self.several = len(typed) > 1
        heavy = [t for t in typed if t not in light]
        if heavy:  # a query of light verbs alone is weighed as typed
            self.light, typed = light, heavy
        self.max_idf = max((self._idf(t) for t in typed), default=1.0) or 1.0
        return self._group(tree, top=True)

    def _idf(self, token: str) -> float:
        n = self.reader.doc_count() or 1
        return math.log(1 + n / (self.reader.doc_frequency("text", token) or 1))

    def _bonus(self, token: Optional[str] = None) -> float:
        """WORD_BONUS scaled by how rare the word is; a slot that is not a word counts as the
        rarest, a light word typed loose ("get", "kept", "still") as a word found everywhere."""
        if token is None:
            return ranking.WORD_BONUS
        if token in self.light:
            return ranking.WORD_BONUS * ranking.MIN_WORD_WEIGHT
        return ranking.WORD_BONUS * max(ranking.MIN_WORD_WEIGHT, self._idf(token) / self.max_idf)

    # A group of items side by side: the soft AND.
    def _group(self, group: Group, top: bool):
        """The scored query of a group. At the top level, filters, required and excluded items
        go to self.required/self.excluded; in brackets they are combined in Whoosh."""
        shoulds, musts, filters, nots = [], [], [], []
        for item in group.items:
            if isinstance(item, Not):
                sub = self._clause(item.item, highlight=False)
                if sub is not None:
                    nots.append(sub)
            elif isinstance(item, FieldTerm):
                filters.append(self._field(item))
            elif isinstance(item, (Required, And, Phrase)):
                sub = self._clause(item.item if isinstance(item, Required) else item)
                if sub is not None:
                    musts.append(sub)
            else:
                sub = self._slot(item) if top else self._clause(item)
                if sub is not None:
                    shoulds.append(sub)
        shoulds += self._proximity(group.items)
        # Only the top level decides: a bracket inside NOT scores nothing ("NOT (a b)").
        if top and (musts or shoulds):
            self.scored = True
        if top:
            self.required += musts + filters
            self.excluded += nots
            scoring = musts + shoulds
            if not scoring:
                return None
            return query.Or(scoring) if len(scoring) > 1 else scoring[0]
        if musts and shoulds:
            content = query.AndMaybe(query.And(musts), query.Or(shoulds))
        elif musts:
            content = query.And(musts)
        elif shoulds:
            content = query.Or(shoulds)
        else:
            content = None
        if filters:
            # And, not Require: Whoosh 2.7.4's RequireMatcher collects documents outside the
            # filter. The filters score 0, so the sum is the content's score.
            content = query.And([content] + filters) if content is not None else query.And(filters)
        if nots:
            content = FixedAndNot(content if content is not None else query.Every(),
                                   query.Or(nots))
        return content

    def _slot(self, item):
        """A top-level item the paragraph is rewarded for matching, tier by tier."""
        if isinstance(item, Concept):
            return self._concept(item, bonus=True)
        if isinstance(item, Word):
            toks = tokens(item.text)
            self._mark(toks)
            # One word of several, found in the heading: most headings are a framework's
            # section titles, whose everyday words ("work", "board", "families") name no topic.
            loose = self.several and len(toks) == 1
            heading = ranking.HEADING_WEIGHT * ranking.HEADING_LOOSE_WEIGHT if loose else None
            return self._words_slot(toks, [], [], heading) if toks else None
        sub = self._clause(item)
        if sub is None:
            return None
        self.slots += 1
        return Score(sub, add=self._bonus())

    def _with_openers(self, slot, toks: list[str]):
        """`slot`, plus the opening-sentence bonus of its typed words (_openers)."""
        openers = self._openers(toks)
        return query.Or([slot] + openers) if openers else slot

    def _openers(self, toks: list[str]) -> list:
        """A bonus for each typed word (once per query) found in a paragraph's first sentence:
        OPENING_WEIGHT of its word bonus. The opening's words are all in the text, so these
        never add a match; they only order paragraphs that match alike."""
        out = []
        for t in toks:
            if t not in self.opened and ranking.OPENING_WEIGHT and self.openings:
                self.opened.add(t)
                out.append(Score(query.Term("opening", t), scale=0.0,
                                 add=ranking.OPENING_WEIGHT * self._bonus(t)))
        return out

    def _words_slot(self, toks: list[str], forms: list, related: list,
                    heading: Optional[float] = None):
        """Words typed side by side as one unit (a hyphenated word, a glossary term), with the
        glossary's other names for them. Found together, or by another name, they earn every
        word's bonus; found apart, SCATTERED_COVER of it; a related term, RELATED_COVER of it."""
        self.slots += len(toks)
        bonuses = [self._bonus(t) for t in toks]
        singles = [_words_query([t], heading=heading) for t in toks]
        for t in toks:  # each word scores on its own too, so it is marked on its own
            self._mark([t])
        if len(toks) == 1 and not forms and not related:
            return self._with_openers(Score(singles[0], add=bonuses[0]), toks)
        scoring = singles + forms + related + self._openers(toks)
        cover = []
        if len(toks) > 1:
            whole = _words_query(toks)
            scoring.append(_words_query(toks, boost=1.0 / len(toks)))
            cover.append(Score(whole, add=sum(bonuses), scale=0.0))
            share = ranking.SCATTERED_COVER
        else:
            share = 1.0
        cover.append(query.Or([Score(q1, add=b * share, scale=0.0)
                               for q1, b in zip(singles, bonuses)]))
        if forms:
            cover.append(Score(query.Or(forms), add=sum(bonuses), scale=0.0))
        if related:
            cover.append(Score(query.Or(related), add=ranking.RELATED_COVER * sum(bonuses),
                               scale=0.0))
        # Max, not sum: a paragraph using several names for the concept fills its slots once.
        return query.Or(scoring + [MaxOf(cover) if len(cover) > 1 else cover[0]])

    def _clause(self, node, highlight: bool = True):
        """Any node as a matching, scored query (None when it searches for nothing)."""
        if isinstance(node, (Word, Phrase)):
            toks = tokens(node.text)
            if highlight:
                self._mark(toks)
            return _words_query(toks)
        if isinstance(node, Wildcard):
            pattern = re.sub(r"[\[\]\\?]", "", node.pattern)
            if highlight:
                self.highlight.patterns.add(pattern)
            return self._wildcard(pattern)
        if isinstance(node, FieldTerm):
            return self._field(node)
        if isinstance(node, Concept):
            return self._concept(node, bonus=False)
        if isinstance(node, Not):
            sub = self._clause(node.item, highlight=False)
            return query.Not(sub) if sub is not None else None
        if isinstance(node, Required):
            return self._clause(node.item, highlight)
        if isinstance(node, (Or, And)):
            subs = [s for s in (self._clause(i, highlight) for i in node.items) if s is not None]
            if not subs:
                return None
            return (query.Or if isinstance(node, Or) else query.And)(subs)
        if isinstance(node, Group):
            return self._group(node, top=False)
        return None

    def _wildcard(self, pattern: str):
        """The words as written matching `pattern`: the MAX_WILDCARD_TERMS commonest at most."""
        words = [w for _f, w in query.Wildcard("plain", pattern).expanded_terms(self.reader)]
        if len(words) > ranking.MAX_WILDCARD_TERMS:
            self.notices.append(
                f'"{pattern}" matches {len(words):,} different words; only the '
                f'{ranking.MAX_WILDCARD_TERMS:,} most common were searched. Type more letters before '
                'the "*" to reach the others.')
            words = heapq.nlargest(ranking.MAX_WILDCARD_TERMS, words,
                                   key=lambda w: self.reader.doc_frequency("plain", w))
        return ExpandedWildcard("plain", pattern, words)

    def _concept(self, concept: Concept, bonus: bool):
        typed_tokens = _concept_tokens(concept)
        self._mark(typed_tokens)
        forms = self._alternatives(concept.forms, typed_tokens, ranking.EXPANSION_WEIGHT)
        related = self._alternatives(concept.related, typed_tokens, ranking.RELATED_WEIGHT)
        if bonus and typed_tokens:
            return self._words_slot(typed_tokens, forms, related)
        if typed_tokens != [t for w in concept.words for t in tokens(w.text)]:
            words = [_words_query(typed_tokens)]  # a name (analysis.NAMES): one term
        else:
            words = [s for s in (self._clause(w, highlight=False) for w in concept.words)
                     if s is not None]
        alternatives = words + forms + related
        if not alternatives:
            return None
        return query.Or(alternatives) if len(alternatives) > 1 else alternatives[0]

    def _alternatives(self, terms, typed_tokens: list[str], weight: float) -> list:
        """Queries for a concept's other names, each scoring `weight` of a typed word: a phrase
        scores the sum of its words, so it is divided by their number. A name containing the
        words typed, or another name, finds nothing more and would only count twice."""
        seqs = []
        for term in terms:
            toks = tokens(term)
            if toks and toks != typed_tokens and toks not in seqs:
                seqs.append(toks)
        kept = [t for t in seqs
                if not any(other != t and _contains(t, other) for other in seqs + [typed_tokens])]
        for toks in seqs:  # the longer names are still marked in snippets
            self._mark(toks)
        return [_words_query(toks, boost=weight / len(toks)) for toks in kept]

    def _field(self, node: FieldTerm):
        values = self.table.resolve(node.field, node.value)
        if not values:
            self.notices.append(f'No {node.field.replace("_", " ")} matches "{node.value}".')
            return query.NullQuery
        return Score(query.Or([query.Term(node.field, v) for v in values]), scale=0.0)

    def _proximity(self, items) -> list:
        """Adjacent typed words found close together in the text score a little more."""
        runs, run = [], []
        for item in items:
            if isinstance(item, Word):
                run.extend(tokens(item.text))
            elif isinstance(item, Concept):
                run.extend(_concept_tokens(item))
            else:
                runs.append(run)
                run = []
        runs.append(run)
        out = []
        for run in runs:
            for a, b in zip(run, run[1:]):
                if a != b:
                    out.append(query.Phrase("text", [a, b], slop=ranking.PROXIMITY_SLOP,
                                            boost=ranking.PROXIMITY_WEIGHT / 2))
        return out

    def _mark(self, toks: list[str]) -> None:
        if len(toks) == 1:
            self.highlight.terms.add(toks[0])
        elif toks:
            self.highlight.phrases.add(tuple(toks))
