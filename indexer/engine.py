"""The search engine: the only module that imports Whoosh.

Schema, analyzers, writing documents, turning a parsed query (indexer/query.py) into a Whoosh
query, scoring, highlighting and spelling suggestions all live here, so replacing Whoosh means
replacing this one file. Callers pass plain data in and get plain dicts back.

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

How a search runs: every match of the query is scored in one pass; the query's top-level
filters and exclusions, then the user's facet filters and dates, are applied to that set with
per-document values held in memory as bitmaps (indexer/doctable.py), which yields the total, the
facet counts and the top N in one go. Whoosh's own top-N collection is not used: in 2.7.4 it
loses matches when it prunes a matcher tree holding phrases, and its Require matcher collects
documents outside the filter (tests/test_search.py guards both).

The pass is not Whoosh's: its matchers walk the query tree one document at a time, several
Python calls per node per document (2 s for a query expanded into a dozen phrases over 47,000
paragraphs). _Executor evaluates the same compiled query a posting list at a time, with the same
BM25F arithmetic, and gets the same matches and scores (tests/test_search_executor.py runs every
search both ways; Engine(reference=True) scores with Whoosh's matchers).

Limits, so that no query can hold a worker for long: a search, count or spelling lookup given a
`deadline` (a time.monotonic() value) looks at the clock between the nodes of the query it
evaluates, every CHECK_EVERY paragraphs within the long ones, and between its stages, and raises
TimeLimitExceeded once it is past; a wildcard searches at most MAX_WILDCARD_TERMS words (the
commonest it matches) and says so in a notice.
"""
from __future__ import annotations

import fnmatch
import hashlib
import heapq
import itertools
import math
import os
import pickle
import re
import shutil
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Optional

with warnings.catch_warnings():
    # Whoosh 2.7.4's regex literals predate Python's invalid-escape warnings.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import collectors, formats, index, matching, query, scoring
    from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.lang.porter2 import stem as porter2_stem
    from whoosh.query.compound import PreloadedOr
    from whoosh.searching import SearchContext
    from whoosh.writing import SegmentWriter

from . import query as q
from .doctable import DocTable, members
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
SPARSE_LOOKUP = 64        # a phrase's word is looked up document by document, not read whole,
                          # when it is in this many times more documents than remain candidates
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


class _DeadlineCollector(collectors.UnlimitedCollector):
    """Every match, scored (Whoosh's own TimeLimitCollector needs SIGALRM: main thread only)."""

    def __init__(self, deadline: Optional[float]):
        super().__init__()
        self.deadline = deadline

    def collect_matches(self):
        collect = self.collect
        for sub_docnum in _ticking(self.matches(), self.deadline):
            collect(sub_docnum)


# ---------------------------------------------------------------------------------------------
# Analysis and schema

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


# ---------------------------------------------------------------------------------------------
# Writing an index

# Whoosh sorts postings in memory up to this size and spills sorted runs to disk beyond it;
# merging the runs back costs more than writing them (a third of the time at 47,000 paragraphs).
WRITE_MEMORY_MB = 1024
PARALLEL_WRITE_MIN = 4000  # paragraphs per writer process below which one writer is used: a
                           # small index gains under a second, and stays a single segment


def write_index(directory: Path, documents: Iterable[dict], jobs: int = 1) -> int:
    """Create a new index in `directory` holding `documents`; returns how many were written.

    With `jobs` > 1 (and at least PARALLEL_WRITE_MIN documents per job) the documents are split,
    in order, into that many parts, each written as a segment by its own process; the segments
    are listed in order, so documents are numbered exactly as one writer would number them."""
    directory.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(directory), make_schema())
    documents = list(documents)
    writer = ix.writer(limitmb=WRITE_MEMORY_MB, codec=_codec())  # locks until the commit
    try:
        jobs = min(jobs, len(documents) // PARALLEL_WRITE_MIN) if PARALLEL_WRITE_MIN else jobs
        if jobs <= 1 or len(documents) < 2 * jobs:
            for doc in documents:
                writer.add_document(**_fields(doc))
            writer.commit()
        else:
            _commit_segments(writer, _write_parts(directory, documents, jobs))
    except BaseException:
        writer.cancel()
        raise
    return len(documents)


def _codec():
    """Whoosh's codec without per-block length statistics: they serve only Whoosh's own top-N
    pruning, which the engine never uses, and writing them reads a column once per posting."""
    codec = W3Codec()
    codec.length_stats = False
    return codec


_PARTS: list = []  # the documents being written, inherited by the forked writer processes


def _write_parts(directory: Path, documents: list[dict], jobs: int) -> list:
    global _PARTS
    bounds = [len(documents) * k // jobs for k in range(jobs + 1)]
    _PARTS = documents
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            return list(pool.map(_write_part, [str(directory)] * jobs, bounds, bounds[1:]))
    finally:
        _PARTS = []


def _commit_segments(writer, segments: list) -> None:
    """List segments written by other processes as the new index's segments, in order: what
    Whoosh's multiprocess writer does with multisegment=True (whose segment order depends on
    which process finishes first)."""
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _write_part(directory: str, start: int, end: int):
    """In a writer process: documents[start:end] as one finished segment, not yet listed."""
    ix = index.open_dir(directory)
    writer = SegmentWriter(ix, _lk=False, limitmb=WRITE_MEMORY_MB, codec=_codec())
    for doc in _PARTS[start:end]:
        writer.add_document(**_fields(doc))
    return writer._finalize_segment()


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
    writer = ix.writer(limitmb=256, codec=_codec())
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
# Scoring helpers: Whoosh query classes for the word bonus, maxima and exclusions

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


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh 2.7.4's AndNotMatcher lets the first document of `a` through when the excluded
    matcher starts on an earlier document: "(return -children)" found a paragraph about
    children. Here the excluded matcher is moved up to `a` first, as for every later document."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(query.AndNot):
    def matcher(self, searcher, context=None):
        return _AndNotMatcher(self.a.matcher(searcher, context),
                              self.b.matcher(searcher, searcher.boolean_context()))


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


# ---------------------------------------------------------------------------------------------
# Compiling a parsed query into a Whoosh query

@dataclass
class _Highlight:
    """What to mark in snippets: stemmed terms, stemmed phrases, wildcard patterns."""
    terms: set = field(default_factory=set)
    phrases: set = field(default_factory=set)
    patterns: set = field(default_factory=set)


def tokens(text: str) -> list[str]:
    return [t.text for t in STEM(text, mode="query")]


_TOKENIZER, _, _STOPS, _ = STEM.items


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

    def __init__(self, table: "DocTable", reader):
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
            content = _AndNot(content if content is not None else query.Every(),
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
# Per-document values held in memory for facets, filters, grouping and sorting

def _read_table(reader) -> DocTable:
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    return DocTable(reader.doc_count_all(), live,
                    {name: _column(reader, name, "") for name in FACETS + ("report_id", "date")},
                    _column(reader, "position", 0), FACETS)


def _column(reader, name, missing) -> list:
    """One value per document number, segment by segment: a segment where no document has the
    field (an added report without grades) has no column at all."""
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


# ---------------------------------------------------------------------------------------------
# Running a compiled query a posting list at a time

class _Lengths:
    """BM25F's length normalisation of each document, per scored field, for one generation:
    K1 * ((1 - B) + B * length / average length), computed exactly as Whoosh's BM25F scorer
    computes it, read once instead of once per posting per search."""

    def __init__(self, searcher, lock):
        self._searcher = searcher
        self._lock = lock  # the engine's lock on Whoosh
        self._norms: dict[str, list[float]] = {}

    def norms(self, field: str) -> list[float]:
        norms = self._norms.get(field)
        if norms is None:
            with self._lock:
                norms = self._norms.get(field) or self._read(field)
                self._norms[field] = norms
        return norms

    def _read(self, field: str) -> list[float]:
        s = self._searcher
        w = s.weighting
        k1, b = w.K1, w._field_B.get(field, w.B)
        avgfl = s.avg_field_length(field) or 1
        out: list[float] = []  # a list, not an array: indexing it creates no float objects
        for leaf, _offset in s.reader().leaf_readers():
            # A document without the field has length None; no posting ever asks for it.
            lengths = (leaf.doc_field_length(d, field, 1) or 0 for d in range(leaf.doc_count_all()))
            out.extend(k1 * ((1 - b) + b * length / avgfl) for length in lengths)
        return out


class _Executor:
    """Evaluates a compiled query over whole posting lists: every node gives {docnum: score}
    for all the documents it matches, with the matches and scores Whoosh's own matchers give
    (sums, maxima and products taken in the same way; tests/test_search_executor.py compares
    the two). Whoosh walks a tree of matchers one document at a time, several Python calls per
    node per document; here each posting is read once, in blocks, and combined with dict and
    set operations. Query types not handled here are run by Whoosh itself."""

    def __init__(self, searcher, table: DocTable, lengths: _Lengths, lock,
                 deadline: Optional[float] = None):
        self.s = searcher
        self.lock = lock  # held for every call into Whoosh
        self.deadline = deadline
        self._handled = 0  # paragraphs handled since the last look at the clock
        self.table = table
        self.lengths = lengths
        self.leaves = searcher.reader().leaf_readers()
        self._postings: dict = {}  # (field, term) -> _Postings, read once per search
        self._phrases: dict = {}   # phrase -> its matches, worked out once per search
        w = searcher.weighting
        self.bm25 = isinstance(w, scoring.BM25F)
        self.k1 = getattr(w, "K1", 0.0)

    def run(self, q) -> dict[int, float]:
        _check(self.deadline)
        handler = self._handlers.get(type(q))
        if handler is None or not self.bm25:
            return self._by_whoosh(q)
        return handler(self, q)

    def _by_whoosh(self, q) -> dict[int, float]:
        with self.lock:
            return _whoosh_scores(self.s, q, self.deadline)

    def docs(self, q) -> set[int]:
        return set(self.run(q))

    def _tick(self, n: int = 1) -> None:
        """Count `n` more paragraphs handled: a look at the clock every CHECK_EVERY of them."""
        if self.deadline is not None:
            self._handled += n
            while self._handled >= CHECK_EVERY:
                self._handled -= CHECK_EVERY
                _check(self.deadline)

    # -- leaves

    def _term(self, q) -> dict[int, float]:
        return _boosted(self._read(q.fieldname, q.text).scored(), q.boost)

    def _phrase(self, q) -> dict[int, float]:
        """Documents holding the words in order, each within `slop` positions of the one
        before (Whoosh's SpanNear2 with mindist 1); scored as the sum of the words' scores."""
        if not q.words or not self.s.schema[q.fieldname].format.supports("positions"):
            return self._by_whoosh(q)
        key = ("phrase", q.fieldname, tuple(q.words), q.slop)
        found = self._phrases.get(key)  # a glossary phrase often appears twice in a query
        if found is None:
            found = self._phrases[key] = self._phrase_matches(q)
        return _boosted(found, q.boost)

    def _phrase_matches(self, q) -> dict[int, float]:
        fieldname = q.fieldname
        with self.lock:
            reader = self.s.reader()
            frequency = [reader.doc_frequency(fieldname, w) for w in q.words]
        if not all(frequency):
            return {}
        # Rarest word first; a far commoner word is looked up only in the documents left.
        words: list = [None] * len(q.words)
        candidates: set[int] | None = None
        for i in sorted(range(len(q.words)), key=frequency.__getitem__):
            if candidates is not None and len(candidates) * SPARSE_LOOKUP < frequency[i]:
                words[i] = self._read(fieldname, q.words[i], positions=True, only=candidates)
            else:
                words[i] = self._read(fieldname, q.words[i], positions=True)
            found = words[i].where()
            candidates = set(found) if candidates is None else candidates.intersection(found)
            if not candidates:
                return {}
        self._tick(len(candidates))
        out = {}
        seen: dict[tuple, bool] = {}  # the same positions recur (a heading on many paragraphs)
        decode, slop = words[0].decode, q.slop
        if len(words) == 2:  # most phrases: the same as below, unrolled
            (where_a, values_a, scores_a), (where_b, values_b, scores_b) = (
                (w.where(), w.values, w.scores) for w in words)
            for d in candidates:
                i, j = where_a[d], where_b[d]
                key = (values_a[i], values_b[j])
                chained = seen.get(key)
                if chained is None:
                    chained = seen[key] = _chained([decode(key[0]), decode(key[1])], slop)
                if chained:
                    out[d] = scores_a[i] + scores_b[j]
            return out
        lists = [(w.where(), w.values, w.scores) for w in words]
        for d in candidates:
            at = [(where[d], values, scores) for where, values, scores in lists]
            key = tuple(values[i] for i, values, _ in at)
            chained = seen.get(key)
            if chained is None:
                chained = seen[key] = _chained([decode(v) for v in key], slop)
            if chained:
                out[d] = _tree_sum([scores[i] for i, _, scores in at])
        return out

    def _expanded_wildcard(self, q) -> dict[int, float]:
        """As _ExpandedWildcard.matcher: one word scores as a term; of several, a paragraph
        holding any scores 1 (Whoosh's unscored preloaded union)."""
        if len(q.words) == 1:
            return self._term(query.Term(q.fieldname, q.words[0]))
        found: set[int] = set()
        for word in q.words:
            found.update(self._read(q.fieldname, word).ids)
        return dict.fromkeys(found, 1.0)

    def _every(self, q) -> dict[int, float]:
        if q.fieldname not in (None, "", "*"):
            return self._by_whoosh(q)
        self._tick(len(self.table.live))
        return dict.fromkeys(self.table.live, q.boost or 1.0)

    def _null(self, q) -> dict[int, float]:
        return {}

    # -- combinations (a compound query with one part is that part, boost ignored, as in Whoosh)

    def _or(self, q) -> dict[int, float]:
        if len(q.subqueries) == 1:
            return self.run(q.subqueries[0])
        return _boosted(_sum([self.run(sub) for sub in q.subqueries]), q.boost)

    def _and(self, q) -> dict[int, float]:
        if len(q.subqueries) == 1:
            return self.run(q.subqueries[0])
        parts = [self.run(sub) for sub in q.subqueries]
        if not parts or not all(parts):
            return {}
        common = set(min(parts, key=len)).intersection(*parts)
        return _boosted({d: _tree_sum([p[d] for p in parts]) for d in common}, q.boost)

    def _max(self, q) -> dict[int, float]:
        if len(q.subqueries) == 1:
            return self.run(q.subqueries[0])
        out: dict[int, float] = {}
        for part in (self.run(sub) for sub in q.subqueries):
            for d, v in part.items():
                if v > out.get(d, v - 1):
                    out[d] = v
        return _boosted(out, q.boost)

    def _and_maybe(self, q) -> dict[int, float]:
        a = self.run(q.a)
        if not a:
            return {}
        b = self.run(q.b)
        return {d: v + b[d] if d in b else v for d, v in a.items()}

    def _and_not(self, q) -> dict[int, float]:
        a = self.run(q.a)
        if not a:
            return {}
        b = self.run(q.b)
        return {d: v for d, v in a.items() if d not in b}

    def _not(self, q) -> dict[int, float]:
        excluded = self.run(q.query)
        self._tick(len(self.table.live))
        return {d: 1.0 for d in self.table.live if d not in excluded}

    def _score(self, q) -> dict[int, float]:
        child = self.run(q.child)
        if not q.scale:
            return dict.fromkeys(child, q.add + 0.0)
        return {d: v * q.scale + q.add for d, v in child.items()}

    _handlers = {
        query.Term: _term, query.Phrase: _phrase, _ExpandedWildcard: _expanded_wildcard,
        query.Every: _every, type(query.NullQuery): _null,
        query.Or: _or, query.And: _and, _Max: _max,
        query.AndMaybe: _and_maybe, _AndNot: _and_not, query.AndNot: _and_not,
        query.Not: _not, _Score: _score,
    }

    # -- postings

    def _read(self, fieldname: str, text, positions: bool = False,
              only: set[int] | None = None) -> "_Postings":
        """Every live posting of a term (or only those of the documents `only`), scored as
        Whoosh's scorer scores it (BM25F; the weight in fields that are not scored). A whole
        list is read once per search."""
        field = self.s.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        cached = self._postings.get((fieldname, btext))
        if cached is not None and (cached.values is not None or not positions):
            return cached
        ids: list[int] = []
        weights: list[float] = []
        values: list | None = [] if positions else None
        with self.lock:
            for leaf, offset in self.leaves:
                if (fieldname, btext) not in leaf:
                    continue
                m = leaf.postings(fieldname, btext)
                if isinstance(m, matching.FilterMatcher):
                    m = m.child  # the deleted documents, dropped below
                if only is None:
                    i, w, v = _read_postings(m, positions, self._tick)
                else:
                    end = offset + leaf.doc_count_all()
                    i, w, v = _look_up_postings(m, sorted(d - offset for d in only
                                                          if offset <= d < end), self._tick)
                ids += [d + offset for d in i] if offset else i
                weights += w
                if positions:
                    values += v
            idf = self.s.idf(fieldname, btext) if ids and field.scorable else 0.0
        if ids and self.table.size != len(self.table.live):
            live = self.table.live_set
            keep = [k for k, d in enumerate(ids) if d in live]
            ids = [ids[k] for k in keep]
            weights = [weights[k] for k in keep]
            if positions:
                values = [values[k] for k in keep]
        if ids and field.scorable:
            norms = self.lengths.norms(fieldname)
            k1p1 = self.k1 + 1
            scores = [idf * ((tf * k1p1) / (tf + norms[d])) for d, tf in zip(ids, weights)]
        else:
            scores = weights
        postings = _Postings(ids, scores, values, field.format)
        if only is None:
            self._postings[(fieldname, btext)] = postings
        return postings


class _Postings:
    """One term's postings: document numbers, scores and (when asked for) encoded positions."""

    def __init__(self, ids: list[int], scores: list[float], values: list | None, fmt):
        self.ids, self.scores, self.values = ids, scores, values
        self.decode = (None if values is None else _decode_positions
                       if type(fmt) is formats.Positions else fmt.decoder("positions"))
        self._where: dict[int, int] | None = None

    def scored(self) -> dict[int, float]:
        return dict(zip(self.ids, self.scores))

    def where(self) -> dict[int, int]:
        """docnum -> its place in the lists."""
        if self._where is None:
            self._where = dict(zip(self.ids, range(len(self.ids))))
        return self._where


def _chained(positions: list[list[int]], slop: int) -> bool:
    """Whether a position of each word follows one of the word before by 1 to `slop`."""
    ends = positions[0]
    for following in positions[1:]:
        if slop == 1:
            ends = [p for p in following if p - 1 in ends]
        else:
            ends = [p for p in following if any(0 < p - e <= slop for e in ends)]
        if not ends:
            return False
    return True


@lru_cache(maxsize=1 << 16)  # most encodings recur: a word once at position 5, ...
def _decode_positions(value: bytes) -> list[int]:
    """formats.Positions.decode_positions, faster: a 4-byte count, then the gaps between
    positions pickled (the pickle's final "." may be left off)."""
    gaps = value[4:]
    return list(itertools.accumulate(pickle.loads(gaps if gaps.endswith(b".") else gaps + b".")))


def _read_postings(m, positions: bool, tick):
    """A leaf matcher's postings, block by block where Whoosh's codec lets us; `tick(n)` is
    told of every n postings read."""
    ids, weights, values = [], [], []
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            tick(m._blocklength)
            m._read_data()
            ids += m._data[0] if m._byteids else itertools.accumulate(m._data[0])
            m._read_weights()
            weights += m._weights
            if positions:
                m._read_values()
                values += m._values
            m._next_block()
    else:
        while m.is_active():
            tick()
            ids.append(m.id())
            weights.append(m.weight())
            if positions:
                values.append(m.value())
            m.next()
    return ids, weights, values


def _look_up_postings(m, docnums: list[int], tick):
    """The postings of the documents `docnums` (ascending), skipping the blocks between."""
    ids, weights, values = [], [], []
    for d in docnums:
        tick()
        if not m.is_active():
            break
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            ids.append(d)
            weights.append(m.weight())
            values.append(m.value())
    return ids, weights, values


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


def _whoosh_scores(searcher, wq, deadline: Optional[float] = None) -> dict[int, float]:
    """Every match of a query with its score, by Whoosh's own matchers: the reference the
    executor is tested against, and the way to run query types it does not know."""
    collector = _DeadlineCollector(deadline)
    searcher.search_with_collector(wq, collector)
    return {docnum: score for score, docnum in collector.items}


# ---------------------------------------------------------------------------------------------
# The engine: an open generation, searched

class Engine:
    """An open index generation: searches and fetches documents. Safe to share between threads.

    One Whoosh searcher serves every thread (an index generation never changes): a searcher per
    thread maps the whole index into memory once per thread. Whoosh's readers seek in shared
    files, so every call into Whoosh holds `self.whoosh`; scoring, counting and snippets run
    outside it, and Python runs one thread at a time anyway.

    `reference=True` scores with Whoosh's own matchers instead of the executor: slow, for tests
    that check the executor gives the same results."""

    def __init__(self, directory: Path, reference: bool = False):
        self.directory = Path(directory)
        self.ix = index.open_dir(str(self.directory))
        self.reference = reference
        self.whoosh = threading.RLock()
        self._searcher_obj = None
        self._table: Optional[DocTable] = None
        self._lengths: Optional[_Lengths] = None

    def close(self) -> None:
        with self.whoosh:
            if self._searcher_obj is not None:
                self._searcher_obj.close()
                self._searcher_obj = None
        self.ix.close()

    def _searcher(self):
        if self._searcher_obj is None:
            with self.whoosh:
                if self._searcher_obj is None:
                    self._searcher_obj = self.ix.searcher()
        return self._searcher_obj

    @property
    def table(self) -> DocTable:
        if self._table is None:
            with self.whoosh:
                if self._table is None:
                    self._table = _read_table(self._searcher().reader())
        return self._table

    def _executor(self, s, deadline: Optional[float] = None) -> "_Executor":
        if self._lengths is None:
            with self.whoosh:
                if self._lengths is None:
                    self._lengths = _Lengths(s, self.whoosh)
        return _Executor(s, self.table, self._lengths, self.whoosh, deadline)

    def warm(self) -> None:
        """Load what the first search would otherwise load: the per-document table and the
        length norms of the fields every query scores."""
        s = self._searcher()
        lengths = self._executor(s).lengths
        for fieldname in ("text", "heading"):
            lengths.norms(fieldname)

    def facet_values(self, facet: str) -> list[str]:
        return list(self.table.distinct.get(facet, []))

    def report_paragraphs(self, report_id: str) -> list[dict]:
        s, docs = self._searcher(), self.table.report_docs(report_id)
        with self.whoosh:
            return [_stored_fields(s.stored_fields(d)) for d in docs]

    def search(self, tree: q.Group, filters: dict[str, list[str]] | None = None,
               date_from: str | None = None, date_to: str | None = None,
               sort: str = "relevance", page: int = 1, limit: int = 20,
               snippet_chars: int | None = 300, deadline: float | None = None) -> dict:
        """Search with a parsed (and glossary-expanded) query tree.

        `filters` maps a facet to the values selected (OR within a facet, AND across facets,
        case-insensitive); `date_from`/`date_to` are ISO date prefixes, inclusive. Facet counts
        cover every match; each facet's counts ignore that facet's own selection. Raises
        TimeLimitExceeded once time.monotonic() passes `deadline`.
        """
        table = self.table
        s = self._searcher()
        compiler = _Compiler(table, s.reader())
        with self.whoosh:
            wq = compiler.compile(tree)
        searched = bool(compiler.scored or compiler.required or compiler.excluded)
        scores: dict[int, float] = {}
        run = self._executor(s, deadline)
        if not searched and tree.items:
            matched: set[int] = set()  # words typed, none searchable (all too common): no match
        elif compiler.scored:
            # One pass scores every match; the matches, filtered, give facets and the total.
            # (Whoosh's own top-N collection is not used: 2.7.4 loses top matches when it
            # prunes a matcher tree holding phrases as the top N fills up, and block-quality
            # skipping is unsafe with the word bonus.)
            if self.reference:
                with self.whoosh:
                    scores = _whoosh_scores(s, wq, deadline)
            else:
                scores = run.run(wq)
            matched = _constrained(run, compiler, set(scores))
        else:
            matched = _constrained(run, compiler, set(table.live))
        _check(deadline)

        # Facet filters, dates and counts as bitmaps (indexer/doctable.py).
        selected = {f: {str(v).strip().lower() for v in vals}
                    for f, vals in (filters or {}).items() if f in FACETS and vals}
        keep, counts, report_hits = table.select(matched, selected, date_from, date_to)
        total = keep.bit_count()
        kept = (matched if not selected and not (date_from or date_to)
                else set(members(keep, table.size)))
        start = (page - 1) * limit
        hits: list[tuple[int, float | None]] = []
        if start < total:
            if not compiler.scored:
                order = (d for d in table.browse_order(sort) if d in kept)
                hits = [(d, None) for d in itertools.islice(order, start, start + limit)]
            else:
                every = kept is matched and len(matched) == len(scores)
                ranked = scores if every else {d: scores[d] for d in kept}
                if sort in ("newest", "oldest"):
                    rank = table.date_rank(sort)
                    hits = heapq.nsmallest(start + limit, ranked.items(),
                                           key=lambda h: (rank[h[0]], -h[1], h[0]))[start:]
                else:
                    hits = _best(ranked, start + limit)[start:]

        with self.whoosh:
            stored = [s.stored_fields(docnum) for docnum, _ in hits]
        out = []
        for (docnum, score), fields in zip(hits, stored):
            _check(deadline)
            doc = _stored_fields(fields)
            doc["score"] = round(score, 4) if score is not None else None
            doc["report_hits"] = report_hits.get(doc["report_id"], 0)
            if snippet_chars:
                doc["snippet"] = snippet(doc["text"] or "",
                                         self._spans(doc["text"] or "", compiler.highlight),
                                         width=snippet_chars)
            else:
                doc["snippet"] = None  # not wanted (a CSV export)
            out.append(doc)

        facets = {}
        for f in FACETS:
            rows = [{"value": int(v) if f == "year" and v.isdigit() else v, "count": c}
                    for v, c in counts[f].items()]
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

    def _spans(self, text: str, hl: _Highlight) -> list[tuple[int, int]]:
        """Character spans of the query's words, phrases and wildcards in `text`."""
        if not (hl.terms or hl.phrases or hl.patterns) or not text:
            return []
        toks = stemmed_words(text)
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
        with self.whoosh:
            wq = compiler.compile(tree)
        if wq is None and not compiler.required:
            return 0
        run = self._executor(s, deadline)
        docs = run.docs(wq) if wq is not None else set(self.table.live)
        return len(_constrained(run, compiler, docs))

    def corrections(self, words: Iterable[str], deadline: float | None = None) -> dict[str, str]:
        """Better-attested spellings of rare or unknown words, from the unstemmed words."""
        reader = self._searcher().reader()
        with self.whoosh:
            return self._corrections(reader, words, deadline)

    @staticmethod
    def _corrections(reader, words: Iterable[str], deadline: float | None) -> dict[str, str]:
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


def _best(scores: dict[int, float], n: int) -> list[tuple[int, float]]:
    """The `n` best (docnum, score), highest score first, then lowest docnum."""
    top = heapq.nlargest(n, scores.values())  # floats only: much faster than with a key
    if not top:
        return []
    floor = top[-1] if len(top) == n else -math.inf
    best = [(d, v) for d, v in scores.items() if v >= floor]
    best.sort(key=lambda h: (-h[1], h[0]))
    return best[:n]


def _constrained(run: _Executor, compiler: _Compiler, docs: set[int]) -> set[int]:
    """`docs` less those failing the query's top-level required and excluded items."""
    for required in compiler.required:
        docs &= run.docs(required)
    for excluded in compiler.excluded:
        docs -= run.docs(excluded)
    return docs


def _display(table: DocTable, facet: str, lowered: str):
    for v in table.distinct.get(facet, []):
        if v.lower() == lowered:
            return int(v) if facet == "year" and v.isdigit() else v
    return lowered


def _stored_fields(fields: dict) -> dict:
    doc = {k: None for k in STORED_FIELDS}
    doc.update(fields)
    if doc.get("year"):
        doc["year"] = int(doc["year"])
    return doc
