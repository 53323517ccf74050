"""The search engine: the only module that imports Whoosh.

Schema, analyzers, writing documents, turning a parsed query (indexer/query.py) into a Whoosh
query, scoring, facet counting, highlighting and spelling suggestions all live here, so replacing
Whoosh means replacing this one file. Callers pass plain data in and get plain dicts back.

How a query is scored (all of it tunable in the constants below):
- each word the user typed is a "slot" weighted by its rarity (idf, relative to the query's
  rarest word); a paragraph gets WORD_BONUS x weight for every slot it matches, on top of its
  BM25F score. So paragraphs matching every word rank first; below them, a paragraph missing a
  common word ("child") ranks above one missing a rare word ("GP"); BM25F orders paragraphs
  that match the same words. A glossary concept fills the slots of the words that named it
  whichever of its names the paragraph uses, but its other names add less BM25F
  (EXPANSION_WEIGHT) than the words typed. Words that belong together (a glossary term, a
  hyphenated word) fill their slots fully when found together, SCATTERED_COVER when apart.
- the heading is a second field with a field boost; adjacent query words found near each other
  in the text add a proximity score.

How a search runs: one pass of Whoosh scores every match of the query; the query's top-level
filters and exclusions, then the user's facet filters, are applied to that set in Python with
per-document facet values held in memory (_DocTable), which yields the total, the facet counts
and the top N in one go. Whoosh's own top-N collection is not used: in 2.7.4 it loses matches
when it prunes a matcher tree holding phrases, and its Require matcher collects documents outside
the filter (tests/test_search.py guards both).

Limits, so that no query can hold a worker for long: a search, count or spelling lookup given a
`deadline` (a time.monotonic() value) looks at the clock every CHECK_EVERY matching paragraphs
and between its stages, and raises TimeLimitExceeded once it is past; a wildcard searches at most
MAX_WILDCARD_TERMS words (the commonest it matches) and says so in a notice.
"""
from __future__ import annotations

import fnmatch
import hashlib
import heapq
import math
import os
import re
import shutil
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

with warnings.catch_warnings():
    # Whoosh 2.7.4's regex literals predate Python's invalid-escape warnings.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import collectors, index, matching, query
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.lang.porter2 import stem as porter2_stem
    from whoosh.query.compound import PreloadedOr
    from whoosh.searching import SearchContext

from . import query as q
from .snippets import snippet

# Indexes written by another version of this module are rebuilt rather than updated in place.
ENGINE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

FACETS = ("authority", "section", "grade", "year", "report_type")
STORED_FIELDS = ("id", "report_id", "source", "authority", "report_type", "inspection_start",
                 "inspection_end", "published", "date", "year", "section", "heading", "grade",
                 "para_number", "position", "page", "kind", "anchor", "url", "text")

WORD_BONUS = 10000.0      # per query word matched, times the word's weight (below): far
                          # larger than any BM25F score, so it decides the order first
MIN_WORD_WEIGHT = 0.1     # the weight of a word found everywhere; the rarest word weighs 1
EXPANSION_WEIGHT = 0.6    # a glossary synonym scores this much of the word typed
RELATED_WEIGHT = 0.25     # a glossary `related` term
RELATED_COVER = 0.5       # ... and the share of the concept's word bonus it earns
SCATTERED_COVER = 0.5     # the words of a glossary term found apart, not as the term
PROXIMITY_WEIGHT = 0.5    # two adjacent query words found within PROXIMITY_SLOP words: this
                          # much of one word's score (the pair scores as two words)
PROXIMITY_SLOP = 4
HEADING_BOOST = 2.0
FEW_RESULTS = 5           # below this many matches, "did you mean" is worked out
MAX_WILDCARD_TERMS = 300  # words one wildcard may expand to; "co*" matches thousands
CHECK_EVERY = 512         # matching paragraphs between two looks at the clock


class TimeLimitExceeded(Exception):
    """A search ran past its deadline and was stopped."""


def _now() -> float:
    return time.monotonic()


def _check(deadline: Optional[float]) -> None:
    if deadline is not None and _now() >= deadline:
        raise TimeLimitExceeded


def _ticking(items, deadline: Optional[float]):
    """`items`, with a look at the clock every CHECK_EVERY of them."""
    if deadline is None:
        yield from items
        return
    for i, item in enumerate(items):
        if i % CHECK_EVERY == 0:
            _check(deadline)
        yield item


def _docs(searcher, wq, deadline: Optional[float]) -> set[int]:
    return set(_ticking(searcher.docs_for_query(wq), deadline))


class _DeadlineCollector(collectors.UnlimitedCollector):
    """Every match, scored (Whoosh's own TimeLimitCollector needs SIGALRM: main thread only)."""

    def __init__(self, deadline: Optional[float]):
        super().__init__()
        self.deadline = deadline

    def collect_matches(self):
        collect = self.collect
        for sub_docnum in _ticking(self.matches(), self.deadline):
            collect(sub_docnum)


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


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        report_id=ID(stored=True, sortable=True),
        source=STORED,
        authority=ID(stored=True, sortable=True),
        report_type=ID(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        grade=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        inspection_start=STORED, inspection_end=STORED, published=STORED,
        heading=TEXT(analyzer=stemming_analyzer(), stored=True, field_boost=HEADING_BOOST),
        text=TEXT(analyzer=stemming_analyzer(), stored=True, phrase=True),
        plain=TEXT(analyzer=plain_analyzer(), phrase=False),
        para_number=STORED, page=STORED, kind=STORED, anchor=STORED, url=STORED,
        position=NUMERIC(stored=True, sortable=True),
    )


def write_index(directory: Path, documents: Iterable[dict]) -> int:
    """Create a new index in `directory` holding `documents`; returns how many were written."""
    directory.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(directory), make_schema())
    writer = ix.writer(limitmb=256)
    n = 0
    try:
        for doc in documents:
            writer.add_document(**_fields(doc))
            n += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return n


def copy_index(source: Path, target: Path) -> None:
    """Copy an index so that `target` can be updated while `source` stays live and untouched.

    Whoosh never rewrites a segment file (deletions live in the table of contents, merges write
    new segments), so the large segment files are hard-linked and only the rest is copied.
    """
    target.mkdir(parents=True, exist_ok=True)
    for entry in Path(source).iterdir():
        if not entry.is_file() or entry.name.endswith("WRITELOCK"):
            continue
        if entry.suffix == ".seg":
            try:
                os.link(entry, target / entry.name)
                continue
            except OSError:
                pass  # another file system, or links unsupported: copy instead
        shutil.copy2(entry, target / entry.name)


def update_index(directory: Path, remove_report_ids: Iterable[str],
                 documents: Iterable[dict]) -> int:
    """Delete every paragraph of `remove_report_ids` and add `documents`; returns how many added."""
    ix = index.open_dir(str(directory))
    writer = ix.writer(limitmb=256)
    for report_id in remove_report_ids:
        writer.delete_by_term("report_id", report_id)
    n = 0
    for doc in documents:
        writer.add_document(**_fields(doc))
        n += 1
    writer.commit()
    return n


def _fields(doc: dict) -> dict:
    fields = {k: v for k, v in doc.items() if k in STORED_FIELDS and v is not None}
    for k in ("authority", "report_type", "section", "grade", "year", "date", "para_number"):
        if k in fields:
            fields[k] = str(fields[k])
    # Words as written, for wildcards and spelling suggestions.
    fields["plain"] = " ".join(filter(None, (doc.get("heading"), doc.get("text"))))
    return fields


# ---------------------------------------------------------------------------------------------
# Scoring helpers

class _ScoreMatcher(matching.WrappingMatcher):
    """child score * scale + add: adds the per-word bonus, or zeroes a filter's score."""

    def __init__(self, child, add=0.0, scale=1.0):
        super().__init__(child)
        self.add, self.scale = add, scale

    def _replacement(self, newchild):
        return _ScoreMatcher(newchild, self.add, self.scale)

    def copy(self):
        return _ScoreMatcher(self.child.copy(), self.add, self.scale)

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


class _Score(query.WrappingQuery):
    def __init__(self, child, add=0.0, scale=1.0):
        super().__init__(child)
        self.add, self.scale = add, scale

    def __eq__(self, other):
        return (type(other) is _Score and self.child == other.child
                and (self.add, self.scale) == (other.add, other.scale))

    def __hash__(self):
        return hash(self.child) ^ hash((self.add, self.scale))

    def _rewrap(self, child):
        return _Score(child, self.add, self.scale)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        if isinstance(m, matching.NullMatcherClass):
            return m
        return _ScoreMatcher(m, self.add, self.scale)


class _MaxMatcher(matching.DisjunctionMaxMatcher):
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
        return self if (ra is a and rb is b) else _MaxMatcher(ra, rb)

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


class _Max(query.DisjunctionMax):
    """The best-scoring alternative's score (see _MaxMatcher)."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, _MaxMatcher, searcher, context,
                                  lambda q: q.estimate_size(r))


class _ExpandedWildcard(query.Wildcard):
    """A wildcard whose words were chosen beforehand (see _Compiler._wildcard); scored like
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


@dataclass
class _Highlight:
    """What to mark in snippets: stemmed terms, stemmed phrases, wildcard patterns."""
    terms: set = field(default_factory=set)
    phrases: set = field(default_factory=set)
    patterns: set = field(default_factory=set)


def tokens(text: str) -> list[str]:
    return [t.text for t in STEM(text, mode="query")]


def _words_query(toks: list[str], boost: float = 1.0):
    """A word (one token) or a phrase (several), in the text or the heading."""
    if not toks:
        return None
    if len(toks) == 1:
        parts = [query.Term("text", toks[0]), query.Term("heading", toks[0])]
    else:
        parts = [query.Phrase("text", toks), query.Phrase("heading", toks)]
    return query.Or(parts, boost=boost)


def _contains(seq: list[str], sub: list[str]) -> bool:
    n = len(sub)
    return bool(sub) and any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


class _Compiler:
    """A parsed query tree -> one Whoosh query, plus what to highlight and notices."""

    def __init__(self, table: "_DocTable", reader):
        self.table = table
        self.reader = reader
        self.max_idf = 1.0
        self.highlight = _Highlight()
        self.notices: list[str] = []
        self.slots = 0      # words that earn WORD_BONUS: the tiers of the ranking
        self.scored = False  # False when nothing in the query scores (only filters/exclusions)
        # Top-level constraints, applied as sets of documents rather than inside the scored
        # query: cheaper, and Whoosh 2.7.4's Require matcher collects wrong documents.
        self.required: list = []   # every one must match
        self.excluded: list = []   # none may match

    def compile(self, tree: q.Group):
        typed = [w for item in tree.items
                 for w in (item.words if isinstance(item, q.Concept) else [item])
                 if isinstance(w, q.Word)]
        self.max_idf = max((self._idf(t) for w in typed for t in tokens(w.text)),
                           default=1.0) or 1.0
        return self._group(tree, top=True)

    def _idf(self, token: str) -> float:
        n = self.reader.doc_count() or 1
        return math.log(1 + n / (self.reader.doc_frequency("text", token) or 1))

    def _bonus(self, token: Optional[str] = None) -> float:
        """WORD_BONUS scaled by how rare the word is; a slot that is not a word counts as the
        rarest."""
        if token is None:
            return WORD_BONUS
        return WORD_BONUS * max(MIN_WORD_WEIGHT, self._idf(token) / self.max_idf)

    # A group of items side by side: the soft AND.
    def _group(self, group: q.Group, top: bool):
        """The scored query of a group. At the top level, filters, required and excluded items
        go to self.required/self.excluded; in brackets they are combined in Whoosh."""
        shoulds, musts, filters, nots = [], [], [], []
        for item in group.items:
            if isinstance(item, q.Not):
                sub = self._clause(item.item, highlight=False)
                if sub is not None:
                    nots.append(sub)
            elif isinstance(item, q.FieldTerm):
                filters.append(self._field(item))
            elif isinstance(item, (q.Required, q.And, q.Phrase)):
                sub = self._clause(item.item if isinstance(item, q.Required) else item)
                if sub is not None:
                    musts.append(sub)
            else:
                sub = self._slot(item) if top else self._clause(item)
                if sub is not None:
                    shoulds.append(sub)
        shoulds += self._proximity(group.items)
        if musts or shoulds:
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
            content = query.AndNot(content if content is not None else query.Every(),
                                   query.Or(nots))
        return content

    def _slot(self, item):
        """A top-level item the paragraph is rewarded for matching, tier by tier."""
        if isinstance(item, q.Concept):
            return self._concept(item, bonus=True)
        if isinstance(item, q.Word):
            toks = tokens(item.text)
            self._mark(toks)
            return self._words_slot(toks, [], []) if toks else None
        sub = self._clause(item)
        if sub is None:
            return None
        self.slots += 1
        return _Score(sub, add=self._bonus())

    def _words_slot(self, toks: list[str], forms: list, related: list):
        """Words typed side by side as one unit (a hyphenated word, a glossary term), with the
        glossary's other names for them. Found together, or by another name, they earn every
        word's bonus; found apart, SCATTERED_COVER of it; a related term, RELATED_COVER of it."""
        self.slots += len(toks)
        bonuses = [self._bonus(t) for t in toks]
        singles = [_words_query([t]) for t in toks]
        if len(toks) == 1 and not forms and not related:
            return _Score(singles[0], add=bonuses[0])
        scoring = singles + forms + related
        cover = []
        if len(toks) > 1:
            whole = _words_query(toks)
            scoring.append(_words_query(toks, boost=1.0 / len(toks)))
            cover.append(_Score(whole, add=sum(bonuses), scale=0.0))
            share = SCATTERED_COVER
        else:
            share = 1.0
        cover.append(query.Or([_Score(q1, add=b * share, scale=0.0)
                               for q1, b in zip(singles, bonuses)]))
        if forms:
            cover.append(_Score(query.Or(forms), add=sum(bonuses), scale=0.0))
        if related:
            cover.append(_Score(query.Or(related), add=RELATED_COVER * sum(bonuses), scale=0.0))
        # Max, not sum: a paragraph using several names for the concept fills its slots once.
        return query.Or(scoring + [_Max(cover) if len(cover) > 1 else cover[0]])

    def _clause(self, node, highlight: bool = True):
        """Any node as a matching, scored query (None when it searches for nothing)."""
        if isinstance(node, (q.Word, q.Phrase)):
            toks = tokens(node.text)
            if highlight:
                self._mark(toks)
            return _words_query(toks)
        if isinstance(node, q.Wildcard):
            pattern = re.sub(r"[\[\]\\?]", "", node.pattern)
            if highlight:
                self.highlight.patterns.add(pattern)
            return self._wildcard(pattern)
        if isinstance(node, q.FieldTerm):
            return self._field(node)
        if isinstance(node, q.Concept):
            return self._concept(node, bonus=False)
        if isinstance(node, q.Not):
            sub = self._clause(node.item, highlight=False)
            return query.Not(sub) if sub is not None else None
        if isinstance(node, q.Required):
            return self._clause(node.item, highlight)
        if isinstance(node, (q.Or, q.And)):
            subs = [s for s in (self._clause(i, highlight) for i in node.items) if s is not None]
            if not subs:
                return None
            return (query.Or if isinstance(node, q.Or) else query.And)(subs)
        if isinstance(node, q.Group):
            return self._group(node, top=False)
        return None

    def _wildcard(self, pattern: str):
        """The words as written matching `pattern`: the MAX_WILDCARD_TERMS commonest at most."""
        words = [w for _f, w in query.Wildcard("plain", pattern).expanded_terms(self.reader)]
        if len(words) > MAX_WILDCARD_TERMS:
            self.notices.append(
                f'"{pattern}" matches {len(words):,} different words; only the '
                f'{MAX_WILDCARD_TERMS:,} most common were searched. Type more letters before '
                'the "*" to reach the others.')
            words = heapq.nlargest(MAX_WILDCARD_TERMS, words,
                                   key=lambda w: self.reader.doc_frequency("plain", w))
        return _ExpandedWildcard("plain", pattern, words)

    def _concept(self, concept: q.Concept, bonus: bool):
        typed_tokens = [t for w in concept.words for t in tokens(w.text)]
        self._mark(typed_tokens)
        forms = self._alternatives(concept.forms, typed_tokens, EXPANSION_WEIGHT)
        related = self._alternatives(concept.related, typed_tokens, RELATED_WEIGHT)
        if bonus and typed_tokens:
            return self._words_slot(typed_tokens, forms, related)
        alternatives = [s for s in (self._clause(w, highlight=False) for w in concept.words)
                        if s is not None] + forms + related
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

    def _field(self, node: q.FieldTerm):
        values = self.table.resolve(node.field, node.value)
        if not values:
            self.notices.append(f'No {node.field.replace("_", " ")} matches "{node.value}".')
            return query.NullQuery
        return _Score(query.Or([query.Term(node.field, v) for v in values]), scale=0.0)

    def _proximity(self, items) -> list:
        """Adjacent typed words found close together in the text score a little more."""
        runs, run = [], []
        for item in items:
            if isinstance(item, q.Word):
                run.extend(tokens(item.text))
            elif isinstance(item, q.Concept):
                for w in item.words:
                    run.extend(tokens(w.text))
            else:
                runs.append(run)
                run = []
        runs.append(run)
        out = []
        for run in runs:
            for a, b in zip(run, run[1:]):
                if a != b:
                    out.append(query.Phrase("text", [a, b], slop=PROXIMITY_SLOP,
                                            boost=PROXIMITY_WEIGHT / 2))
        return out

    def _mark(self, toks: list[str]) -> None:
        if len(toks) == 1:
            self.highlight.terms.add(toks[0])
        elif toks:
            self.highlight.phrases.add(tuple(toks))


# ---------------------------------------------------------------------------------------------
# Per-document values held in memory for facets, filters, grouping and date sorting

class _DocTable:
    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.values = {f: self._column(reader, f, "") for f in FACETS}
        self.lower = {f: [v.lower() for v in vals] for f, vals in self.values.items()}
        self.report = self._column(reader, "report_id", "")
        self.date = self._column(reader, "date", "")
        self.position = self._column(reader, "position", 0)
        self.distinct = {f: sorted(set(v for v in vals if v)) for f, vals in self.values.items()}

    @staticmethod
    def _column(reader, name, missing) -> list:
        """One value per document number, segment by segment: a segment where no document
        has the field (an added report without grades) has no column at all."""
        out: list = []
        for leaf, _offset in reader.leaf_readers():
            n = leaf.doc_count_all()
            values = list(leaf.column_reader(name)) if leaf.has_column(name) else []
            values = values[:n] + [missing] * (n - len(values))
            if isinstance(missing, str):
                values = [v if isinstance(v, str) else (v.decode("utf-8") if v else "")
                          for v in values]
            out.extend(values)
        return out

    def resolve(self, facet: str, value: str) -> list[str]:
        """Facet values a typed value means: the exact value (any case), else every value
        matching it as a wildcard pattern or containing it."""
        value = value.strip().lower()
        known = self.distinct.get(facet, [])
        exact = [v for v in known if v.lower() == value]
        if exact:
            return exact
        if "*" in value:
            return [v for v in known if fnmatch.fnmatchcase(v.lower(), value)]
        return [v for v in known if value in v.lower()]


# ---------------------------------------------------------------------------------------------

class Engine:
    """An open index generation: searches and fetches documents. Safe to share between threads:
    each thread keeps its own Whoosh searcher, opened once (an index generation never changes)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.ix = index.open_dir(str(self.directory))
        self._local = threading.local()
        self._lock = threading.RLock()
        self._searchers = []
        self._table: Optional[_DocTable] = None

    def close(self) -> None:
        with self._lock:
            for s in self._searchers:
                s.close()
            self._searchers.clear()
        self.ix.close()

    def _searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self.ix.searcher()
            self._local.searcher = s
            with self._lock:
                self._searchers.append(s)
        return s

    @property
    def table(self) -> _DocTable:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    self._table = _DocTable(self._searcher().reader())
        return self._table

    def facet_values(self, facet: str) -> list[str]:
        return list(self.table.distinct.get(facet, []))

    def report_paragraphs(self, report_id: str) -> list[dict]:
        s = self._searcher()
        hits = s.search(query.Term("report_id", report_id), limit=None, sortedby="position")
        return [_stored(h) for h in hits]

    def search(self, tree: q.Group, filters: dict[str, list[str]] | None = None,
               date_from: str | None = None, date_to: str | None = None,
               sort: str = "relevance", page: int = 1, limit: int = 20,
               snippet_chars: int = 300, deadline: float | None = None) -> dict:
        """Search with a parsed (and glossary-expanded) query tree.

        `filters` maps a facet to the values selected (OR within a facet, AND across facets,
        case-insensitive); `date_from`/`date_to` are ISO date prefixes, inclusive. Facet counts
        cover every match; each facet's counts ignore that facet's own selection. Raises
        TimeLimitExceeded once time.monotonic() passes `deadline`.
        """
        table = self.table
        s = self._searcher()
        compiler = _Compiler(table, s.reader())
        wq = compiler.compile(tree)
        searched = bool(compiler.scored or compiler.required or compiler.excluded)
        scores: dict[int, float] = {}
        if not searched and tree.items:
            matched: set[int] = set()  # words typed, none searchable (all too common): no match
        elif compiler.scored:
            # One pass scores every match; the matches, filtered, give facets and the total.
            # (Whoosh's own top-N collection is not used: 2.7.4 loses top matches when it
            # prunes a matcher tree holding phrases as the top N fills up, and block-quality
            # skipping is unsafe with the word bonus.)
            collector = _DeadlineCollector(deadline)
            s.search_with_collector(wq, collector)
            scores = {docnum: score for score, docnum in collector.items}
            matched = _constrained(s, compiler, set(scores), deadline)
        else:
            matched = _constrained(s, compiler, _docs(s, query.Every(), deadline), deadline)
        _check(deadline)

        selected = {f: {str(v).strip().lower() for v in vals}
                    for f, vals in (filters or {}).items() if f in FACETS and vals}
        in_dates = _date_test(date_from, date_to)
        counts = {f: Counter() for f in FACETS}
        report_hits: Counter = Counter()
        keep = set()
        lower, values, dates = table.lower, table.values, table.date
        for d in matched:
            if in_dates is not None and not in_dates(dates[d]):
                continue
            missed = [f for f, want in selected.items() if lower[f][d] not in want]
            if not missed:
                keep.add(d)
                report_hits[table.report[d]] += 1
                for f in FACETS:
                    counts[f][values[f][d]] += 1
            elif len(missed) == 1:
                counts[missed[0]][values[missed[0]][d]] += 1

        total = len(keep)
        start = (page - 1) * limit
        hits: list[tuple[int, float | None]] = []
        if start < total:
            if not compiler.scored:
                hits = [(d, None) for d in self._browse_order(keep, sort)[start:start + limit]]
            else:
                pairs = ((d, scores[d]) for d in keep)
                best_first = lambda h: (-h[1], h[0])  # noqa: E731
                if sort in ("newest", "oldest"):
                    ranked = sorted(pairs, key=best_first)
                    ranked.sort(key=lambda h: _date_key(table.date[h[0]], sort),
                                reverse=(sort == "newest"))
                else:
                    ranked = heapq.nsmallest(start + limit, pairs, key=best_first)
                hits = ranked[start:start + limit]

        out = []
        for docnum, score in hits:
            _check(deadline)
            doc = _stored_fields(s.stored_fields(docnum))
            doc["score"] = round(score, 4) if score is not None else None
            doc["report_hits"] = report_hits[doc["report_id"]]
            doc["snippet"] = snippet(doc["text"] or "", self._spans(doc["text"] or "",
                                                                    compiler.highlight),
                                     width=snippet_chars)
            out.append(doc)

        facets = {}
        for f in FACETS:
            rows = [{"value": int(v) if f == "year" and v.isdigit() else v, "count": c}
                    for v, c in counts[f].items() if v]
            if f == "year":
                rows.sort(key=lambda r: str(r["value"]), reverse=True)
            else:
                rows.sort(key=lambda r: (-r["count"], str(r["value"]).lower()))
            want = selected.get(f, set())
            for r in rows:
                r["selected"] = str(r["value"]).lower() in want
            shown = {str(r["value"]).lower() for r in rows}
            for v in sorted(want - shown):  # keep a selection visible even with no matches
                rows.append({"value": _display(table, f, v), "count": 0, "selected": True})
            facets[f] = rows
        return {"total": total, "reports": len(report_hits), "results": out, "facets": facets,
                "searched": searched,
                "notices": compiler.notices}

    def _browse_order(self, docnums: set, sort: str) -> list[int]:
        """No words to rank by: newest report first (oldest if asked), in reading order."""
        t = self.table
        ordered = sorted(docnums, key=lambda d: (t.report[d], t.position[d]))
        ordered.sort(key=lambda d: _date_key(t.date[d], sort), reverse=(sort != "oldest"))
        return ordered

    def _spans(self, text: str, hl: _Highlight) -> list[tuple[int, int]]:
        """Character spans of the query's words, phrases and wildcards in `text`."""
        if not (hl.terms or hl.phrases or hl.patterns) or not text:
            return []
        toks = [(t.text, t.startchar, t.endchar)
                for t in STEM(text, chars=True, positions=True, removestops=False, mode="index")
                if not t.stopped]
        spans = []
        for i, (term, a, b) in enumerate(toks):
            if term in hl.terms:
                spans.append((a, b))
            if hl.patterns:
                word = text[a:b].lower()
                if any(fnmatch.fnmatchcase(word, p) for p in hl.patterns):
                    spans.append((a, b))
            for phrase in hl.phrases:
                if phrase[0] == term and tuple(t[0] for t in toks[i:i + len(phrase)]) == phrase:
                    spans.append((a, toks[i + len(phrase) - 1][2]))
        return spans

    def count(self, tree: q.Group, deadline: float | None = None) -> int:
        """How many paragraphs a query matches, without filters (for "did you mean")."""
        s = self._searcher()
        compiler = _Compiler(self.table, s.reader())
        wq = compiler.compile(tree)
        if wq is None and not compiler.required:
            return 0
        docs = _docs(s, wq if wq is not None else query.Every(), deadline)
        return len(_constrained(s, compiler, docs, deadline))

    def corrections(self, words: Iterable[str], deadline: float | None = None) -> dict[str, str]:
        """Better-attested spellings of rare or unknown words, from the unstemmed words."""
        reader = self._searcher().reader()
        out = {}
        for word in words:
            _check(deadline)
            w = word.lower()
            if len(w) < 4 or not w.isalpha():
                continue
            df = reader.doc_frequency("plain", w)
            best, best_df = None, 0
            for maxdist in (1, 2):
                for cand in reader.terms_within("plain", w, maxdist, prefix=1):
                    cdf = reader.doc_frequency("plain", cand)
                    if cand != w and cdf > best_df:
                        best, best_df = cand, cdf
                if best:
                    break
            # An unknown word takes any known spelling; a known but rare one only a far
            # commoner spelling (it may be a real word, or a typo in a report).
            if best and (best_df >= max(3, 5 * df) if df else best_df >= 1):
                out[word] = best
        return out


def _constrained(searcher, compiler: _Compiler, docs: set[int],
                 deadline: float | None = None) -> set[int]:
    """`docs` less those failing the query's top-level required and excluded items."""
    for required in compiler.required:
        docs &= _docs(searcher, required, deadline)
    for excluded in compiler.excluded:
        docs -= _docs(searcher, excluded, deadline)
    return docs


def _date_test(date_from: str | None, date_to: str | None):
    if not date_from and not date_to:
        return None
    lo, hi = date_from or "", date_to or ""

    def test(date: str) -> bool:
        if not date:
            return False
        return (not lo or date[:len(lo)] >= lo) and (not hi or date[:len(hi)] <= hi)
    return test


def _date_key(date: str, sort: str) -> str:
    # Reports without a date sort last either way.
    return date or ("9999" if sort == "oldest" else "")


def _display(table: _DocTable, facet: str, lowered: str):
    for v in table.distinct.get(facet, []):
        if v.lower() == lowered:
            return int(v) if facet == "year" and v.isdigit() else v
    return lowered


def _stored(hit) -> dict:
    return _stored_fields(hit.fields())


def _stored_fields(fields: dict) -> dict:
    doc = {k: None for k in STORED_FIELDS}
    doc.update(fields)
    if doc.get("year"):
        doc["year"] = int(doc["year"])
    return doc
