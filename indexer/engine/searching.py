"""The engine's façade: one open index generation, searched. Callers pass plain data (a parsed
query tree, filters) and get plain dicts back; nothing outside indexer/engine/ sees Whoosh.

A search runs in stages: compile the query (compiler.py) -> its exact match set, the top-level
required and excluded items applied (dense.py) -> facet filters, dates and counts as bitmaps
(doctable.py) -> the page, in the order asked for, scoring exactly only what can reach it
(dense.py), every score weighed by its paragraph's shape and section (ranking.priors), a wording
repeated word for word listed once (folding.py) -> stored fields and snippets (highlight.py), and
each score's parts when asked (explain.py). Whoosh's own top-N
collection is not used: in 2.7.4 it loses matches when it prunes a matcher tree holding
phrases, and its Require matcher collects documents outside the filter
(tests/engine/test_search.py guards both).
"""
from __future__ import annotations

import heapq
import itertools
import math
import threading
from pathlib import Path
from typing import Iterable, Optional

from ..model import FACETS
from ..query.language import Group
from . import clock, folding, ranking
from ._whoosh import index  # noqa: F401 (first: it silences Whoosh's import warnings)
from whoosh.filedb.filestore import FileStorage  # not in _whoosh.py: that is part of the index format
from .analysis import tokens
from .columns import read_table
from .compiler import Compiler
from .dense import DenseExecutor, Unprunable
from .doctable import DocTable, bitmap, bitmap_of, indices, mask_of, members
from .executor import Executor, whoosh_scores
from .explain import explain as explain_scores
from .highlight import Highlight
from .postcache import PostingCache, open_stores
from .poststore import FIELDS as STORED_FIELDS
from .postings import Lengths
from .schema import stored_document


REPEATS_LISTED = 50  # a result lists at most this many of the matches repeating its words


class Engine:
    """An open index generation: searches and fetches documents. Safe to share between threads.

    One Whoosh searcher serves every thread (an index generation never changes): a searcher per
    thread maps the whole index into memory once per thread. Whoosh's readers seek in shared
    files, so every call into Whoosh holds `self.lock`; scoring, counting and snippets run
    outside it, and Python runs one thread at a time anyway.

    A search scores exactly only the paragraphs that can reach its page (dense.py, over
    postings decoded once per generation, postcache.py). `exhaustive=True` scores every match
    with the executor instead (executor.py, as before issue 12), and `reference=True` with
    Whoosh's own matchers: slow, for tests and benchmarks that check the pruned search gives
    the same results. Every score is multiplied by its paragraph's shape prior (_prior)."""

    def __init__(self, directory: Path, reference: bool = False, exhaustive: bool = False):
        self.directory = Path(directory)
        # Read through the file, not mmap: Whoosh copies every file it opens from a mapped
        # segment into a BytesIO (the whole index in each process's own memory, 150 MB per
        # worker at 47,000 paragraphs), for no gain in speed (benchmarks/README.md).
        self.ix = FileStorage(str(self.directory), supports_mmap=False, readonly=True).open_index()
        self.reference = reference
        self.exhaustive = exhaustive or reference
        self.lock = threading.RLock()  # held for every call into Whoosh
        self._searcher_obj = None
        self._table: Optional[DocTable] = None
        self._lengths: Optional[Lengths] = None
        self._cache: Optional[PostingCache] = None
        self._stores: Optional[list] = None  # the segments' posting stores (poststore.py)
        self._ranks: dict = {}
        self._priors: dict = {}  # the shape prior per document, by the weights it was made of

    def close(self) -> None:
        with self.lock:
            if self._searcher_obj is not None:
                self._searcher_obj.close()
                self._searcher_obj = None
            for store, _ in self._stores or ():
                store.close()
            self._stores = None
        self.ix.close()

    def _once(self, attr: str, make):
        """The value of `attr`, made (under the lock, once) on first use."""
        value = getattr(self, attr)
        if value is None:
            with self.lock:
                value = getattr(self, attr)
                if value is None:
                    value = make()
                    setattr(self, attr, value)
        return value

    def _searcher(self):
        return self._once("_searcher_obj", self.ix.searcher)

    @property
    def table(self) -> DocTable:
        return self._once("_table", lambda: read_table(self._searcher().reader()))

    @property
    def lengths(self) -> Lengths:
        return self._once("_lengths", lambda: Lengths(self._searcher(), self.lock))

    @property
    def cache(self) -> PostingCache:
        return self._once("_cache", self._new_cache)

    def _new_cache(self) -> PostingCache:
        # The stores are opened with the cache that reads them; close() closes them.
        self._stores = open_stores(self.directory, self._searcher().reader().leaf_readers())
        return PostingCache(self._searcher(), self.table, self.lengths, self.lock,
                            stores=self._stores)

    def _dense(self, deadline: Optional[float] = None) -> DenseExecutor:
        return DenseExecutor(self._searcher(), self.table, self.cache, self.lock, deadline,
                             clock.Ticker(deadline), self._prior())

    def _prior(self):
        """The prior (ranking.priors: shape and section weights) per document number, as a
        numpy array (None when every weight is 1). Read at search time: no rebuild."""
        priors = ranking.priors()
        key = tuple((c, tuple(sorted(w.items()))) for c, w in priors.items())
        if key not in self._priors:
            self._priors[key] = self.table.prior(priors)
        return self._priors[key]

    def _executor(self, deadline: Optional[float] = None) -> Executor:
        return Executor(self._searcher(), self.table, self.lengths, self.lock, deadline)

    def _compile(self, tree: Group):
        compiler = Compiler(self.table, self._searcher().reader())
        with self.lock:
            compiled = compiler.compile(tree)
        return compiler, compiled

    def warm(self) -> None:
        """Load what the first search would otherwise load: the per-document table, the
        length norms of the fields every query scores and the posting stores' term lists."""
        for fieldname in ("text", "heading"):
            self.lengths.norms(fieldname)
        for fieldname in STORED_FIELDS:
            for store, _ in self.cache.stores or ():
                store.term_number(fieldname, b"")
        self.table  # noqa: B018 (loads it)

    def facet_values(self, facet: str) -> list[str]:
        return list(self.table.distinct.get(facet, []))

    def report_paragraphs(self, report_id: str) -> list[dict]:
        s, docs = self._searcher(), self.table.report_docs(report_id)
        with self.lock:
            return [stored_document(s.stored_fields(d)) for d in docs]

    def repeats_in(self, report_id: str) -> dict[int, int]:
        """position -> how many other paragraphs of the index have that paragraph's words, word
        for word (the framework's boilerplate: a grade descriptor is in every report of its
        kind)."""
        docs = self.table.report_docs(report_id)
        return {self.table.position[d]: n for d, n in zip(docs, self.table.repeats(docs))}

    def highlighter(self, tree: Group) -> Highlight:
        """What a search for `tree` would mark, without searching: for the report page, which
        marks every paragraph with the same stems, phrases and glossary names as the snippets."""
        compiler, _ = self._compile(tree)
        return compiler.highlight

    def search(self, tree: Group, filters: dict[str, list[str]] | None = None,
               date_from: str | None = None, date_to: str | None = None,
               sort: str = "relevance", page: int = 1, limit: int = 20,
               snippet_chars: int | None = 300, deadline: float | None = None,
               explain: bool = False,
               within: dict[str, list[str]] | None = None, fold: bool = True) -> dict:
        """Search with a parsed (and glossary-expanded) query tree.

        `filters` maps a facet to the values selected (OR within a facet, AND across facets,
        case-insensitive); `date_from`/`date_to` are ISO date prefixes, inclusive. Facet counts
        cover every match; each facet's counts ignore that facet's own selection. Raises
        TimeLimitExceeded once time.monotonic() passes `deadline`. With `explain`, each result
        of a scored query carries its score broken into its parts (engine/explain.py). `within`
        restricts to facet values as a scope (every count respects it): the authorities of a
        neighbours filter.

        With `fold`, a paragraph whose words repeat a better-placed match's word for word is
        not listed (folding.py): the listed one's "repeated" gives the other matches with its
        words ({"count", "paragraphs": report_id, authority, date, position}, newest first), and
        "folded" how many matches are not listed. Counts and totals cover every match.
        """
        table = self.table
        fold = fold and table.wording is not None
        compiler, compiled = self._compile(tree)
        searched = bool(compiler.scored or compiler.required or compiler.excluded)
        selected = {f: {str(v).strip().lower() for v in vals}
                    for f, vals in (filters or {}).items() if f in FACETS and vals}
        scope = {f: {str(v).strip().lower() for v in vals}
                 for f, vals in (within or {}).items() if f in FACETS}
        start = (page - 1) * limit
        if not searched and tree.items:
            # Words typed, none searchable (all too common): no match.
            keep, counts, report_hits = table.select_bits(0, selected, date_from, date_to, scope)
            hits = []
        else:
            matches = self._match(compiler, compiled, deadline)
            clock.check(deadline)
            keep, counts, report_hits = table.select_bits(matches.bits, selected, date_from,
                                                          date_to, scope)
            hits = self._page(matches, keep, bool(selected or scope or date_from or date_to),
                              sort, start, limit, fold)
        results = self._results(hits, report_hits, compiler.highlight, snippet_chars, deadline)
        parts = (self._explain(compiled, [d for d, _ in hits], deadline)
                 if explain and compiler.scored else {})
        for (docnum, _), result in zip(hits, results):
            result["explain"] = parts.get(docnum)
        folded = self._fold_notes(keep, hits, results) if fold else 0
        return {"total": keep.bit_count(), "folded": folded, "reports": len(report_hits),
                "results": results, "facets": table.facet_rows(counts, selected),
                "searched": searched, "notices": compiler.notices}

    def _page(self, matches, keep: int, filtered: bool, sort: str, start: int, limit: int,
              fold: bool) -> list[tuple[int, float | None]]:
        """The page's hits. Folded, the ranking is read from the top until the page is full of
        distinct wordings: a page and a half at first, twice as far each time that is short."""
        total = keep.bit_count()
        if start >= total:
            return []
        if not fold:
            return matches.page(keep, filtered, sort, start, limit)
        want, n = start + limit, min(total, start + limit + (start + limit) // 2 + 10)
        while True:
            hits = folding.first_of_each_wording(matches.page(keep, filtered, sort, 0, n),
                                                 self.table.wording, want)
            if len(hits) >= want or n >= total:
                return hits[start:]
            n = min(total, 2 * n)

    def _fold_notes(self, keep: int, hits: list, results: list[dict]) -> int:
        """Give each result its "repeated" (the other matches with its words); returns how many
        matches folding leaves unlisted."""
        table = self.table
        kept = indices(keep, table.size)
        repeated = folding.repeated_among(kept, table.shared_wording)
        copies = folding.copies_of([d for d, _ in hits], repeated, table.wording,
                                   table.shared_wording)
        authority, dates = table.columns["authority"], table.dates
        for (docnum, _), result in zip(hits, results):
            others = sorted(copies[docnum], key=lambda d: (dates.names[dates.codes[d]],
                                                           -table.position[d]), reverse=True)
            result["repeated"] = {"count": len(others), "paragraphs": [
                {"report_id": table.reports.names[table.reports.codes[d]],
                 "authority": authority.names[authority.codes[d]] or None,
                 "date": dates.names[dates.codes[d]] or None,
                 "position": table.position[d]} for d in others[:REPEATS_LISTED]]}
        return int(kept.size) - folding.wordings(int(kept.size), repeated, table.wording)

    def _match(self, compiler: Compiler, compiled, deadline: float | None):
        """Every document the query matches, as a bitmap, and a way to its page: pruned, or
        (exhaustive, reference, a query with a negative constant) every match scored.

        THE PRIOR is applied to every score, in every path alike: each match's score is
        multiplied by ranking.SHAPE_PRIOR of its paragraph's shape (a column; ingest/shape.py)
        and ranking.SECTION_PRIOR of its section, each in (0, 1]; the pruned search folds it
        into its bounds (_prior, dense.py)."""
        if not self.exhaustive:
            try:
                return _Pruned(self, compiler, compiled, self._dense(deadline))
            except Unprunable:
                pass
        run = self._executor(deadline)
        if not compiler.scored:
            return _Scored(self, _constrained(run, compiler, set(self.table.live)), None)
        if self.reference:
            with self.lock:
                scores = whoosh_scores(self._searcher(), compiled, deadline)
        else:
            scores = run.run(compiled)
        prior = self._prior()  # the same cached array the pruned search bounds with
        if prior is not None:
            scores = {d: v * float(prior[d]) for d, v in scores.items()}
        return _Scored(self, _constrained(run, compiler, set(scores)), scores)

    def date_rank(self, sort: str):
        """The table's date rank for `sort`, as a numpy array (worked out once)."""
        rank = self._ranks.get(sort)
        if rank is None:
            import numpy as np
            rank = self._ranks[sort] = np.asarray(self.table.date_rank(sort), dtype=np.int64)
        return rank

    def _browse(self, kept, sort: str, start: int, limit: int) -> list[tuple[int, None]]:
        """A query that scores nothing lists its matches newest report first, in reading
        order."""
        order = (d for d in self.table.browse_order(sort) if d in kept)
        return [(d, None) for d in itertools.islice(order, start, start + limit)]

    def _results(self, hits: list[tuple[int, float | None]], report_hits: dict[str, int],
                 highlight: Highlight, snippet_chars: int | None,
                 deadline: float | None) -> list[dict]:
        s = self._searcher()
        with self.lock:
            stored = [s.stored_fields(docnum) for docnum, _ in hits]
        out = []
        for (docnum, score), fields in zip(hits, stored):
            clock.check(deadline)
            doc = stored_document(fields)
            doc["score"] = round(score, 4) if score is not None else None
            doc["report_hits"] = report_hits.get(doc["report_id"], 0)
            doc["repeated"] = None  # filled in when the search folds repeated wording
            # No snippet when none is wanted (a CSV export).
            doc["snippet"] = (highlight.snippet(doc["text"] or "", width=snippet_chars)
                              if snippet_chars else None)
            out.append(doc)
        return out

    def _explain(self, compiled, docnums: list[int], deadline: float | None) -> dict[int, dict]:
        shape = self.table.columns.get("shape")
        shapes = {d: shape.names[shape.codes[d]] for d in docnums} if shape else {}
        priors = ranking.priors()
        weights = {d: self.table.weights_of(d, priors) for d in docnums}
        return explain_scores(self._executor(deadline), compiled, docnums, shapes, weights)

    def count(self, tree: Group, deadline: float | None = None) -> int:
        """How many paragraphs a query matches, without filters (for "did you mean")."""
        compiler, compiled = self._compile(tree)
        if compiled is None and not compiler.required:
            return 0
        if not self.exhaustive:
            try:
                return int(_Pruned(self, compiler, compiled, self._dense(deadline)).mask.sum())
            except Unprunable:
                pass
        run = self._executor(deadline)
        docs = run.docs(compiled) if compiled is not None else set(self.table.live)
        return len(_constrained(run, compiler, docs))

    def missing(self, words: Iterable[str]) -> list[str]:
        """The words no paragraph has, in its text or heading (a word the index drops, like
        "the", is not missing: it is not searched)."""
        reader = self._searcher().reader()
        out = []
        with self.lock:
            for word in words:
                toks = tokens(word)
                if toks and not any(reader.doc_frequency(field, t)
                                    for t in toks for field in ("text", "heading")):
                    out.append(word)
        return out

    def corrections(self, words: Iterable[str], deadline: float | None = None) -> dict[str, str]:
        """Better-attested spellings of rare or unknown words, from the unstemmed words."""
        reader = self._searcher().reader()
        with self.lock:
            return self._corrections(reader, words, deadline)

    @staticmethod
    def _corrections(reader, words: Iterable[str], deadline: float | None) -> dict[str, str]:
        out = {}
        for word in words:
            clock.check(deadline)
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


class _Scored:
    """Matches with every score known (the exhaustive executor, or Whoosh's matchers)."""

    def __init__(self, engine: Engine, matched: set[int], scores: dict[int, float] | None):
        self.engine, self.matched, self.scores = engine, matched, scores
        self.bits = bitmap(matched, engine.table.size)

    def page(self, keep: int, filtered: bool, sort: str, start: int, limit: int):
        """(docnum, score) of the page's results, in the order `sort` asks for."""
        table = self.engine.table
        kept = set(members(keep, table.size)) if filtered else self.matched
        if self.scores is None:
            return self.engine._browse(kept, sort, start, limit)
        scores = self.scores
        ranked = scores if len(kept) == len(scores) else {d: scores[d] for d in kept}
        if sort in ("newest", "oldest"):
            rank = table.date_rank(sort)
            return heapq.nsmallest(start + limit, ranked.items(),
                                   key=lambda h: (rank[h[0]], -h[1], h[0]))[start:]
        return _best(ranked, start + limit)[start:]


class _Pruned:
    """Matches as a vector; scores worked out only for what can reach the page (dense.py)."""

    def __init__(self, engine: Engine, compiler: Compiler, compiled, run: DenseExecutor):
        self.engine, self.compiled, self.run = engine, compiled, run
        self.scored = compiler.scored and compiled is not None
        table = engine.table
        mask = run.matches(compiled) if compiled is not None else run.cache.live.copy()
        for required in compiler.required:
            mask &= run.matches(required, within=mask)
        for excluded in compiler.excluded:
            mask &= ~run.matches(excluded, within=mask)
        self.mask = mask
        self.bits = bitmap_of(mask)
        self.size = table.size

    def page(self, keep: int, filtered: bool, sort: str, start: int, limit: int):
        kept = mask_of(keep, self.size) if filtered else self.mask
        if not self.scored:
            import numpy as np
            return self.engine._browse(set(np.flatnonzero(kept).tolist()), sort, start, limit)
        rank = self.engine.date_rank(sort) if sort in ("newest", "oldest") else None
        return self.run.top(self.compiled, kept, start + limit, sort, rank)[start:]


def _constrained(run: Executor, compiler: Compiler, docs: set[int]) -> set[int]:
    """`docs` less those failing the query's top-level required and excluded items."""
    for required in compiler.required:
        docs &= run.docs(required)
    for excluded in compiler.excluded:
        docs -= run.docs(excluded)
    return docs
