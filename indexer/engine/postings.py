"""Reading posting lists whole, through Whoosh 2.7.4's private codec API, and scoring them
with BM25F exactly as Whoosh's scorer does.

Whoosh's matchers hand out one posting per Python call; here a W3 leaf matcher's blocks are read
whole (`_read_data`, `_read_weights`, `_read_values`, `_next_block`: private, pinned to 2.7.4 by
the dependency), deleted documents dropped, and each posting scored with the length norms read
once per generation (Lengths).
"""
from __future__ import annotations

import itertools
import pickle
from functools import lru_cache
from typing import Callable

from ._whoosh import W3LeafMatcher, formats, matching
from .doctable import DocTable


class Lengths:
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



class PostingReader:
    """A term's live postings, scored, for one search: each whole list is read once (a
    glossary phrase often appears twice in a query). Holds `lock` for every call into Whoosh
    and tells `tick(n)` of every n postings read (the deadline)."""

    def __init__(self, searcher, table: DocTable, lengths: Lengths, lock,
                 tick: Callable[[int], None]):
        self.s = searcher
        self.table = table
        self.lengths = lengths
        self.lock = lock
        self.tick = tick
        self.leaves = searcher.reader().leaf_readers()
        self.k1 = getattr(searcher.weighting, "K1", 0.0)
        self._cache: dict = {}  # (field, term) -> Postings

    def read(self, fieldname: str, text, positions: bool = False,
              only: set[int] | None = None) -> "Postings":
        """Every live posting of a term (or only those of the documents `only`), scored as
        Whoosh's scorer scores it (BM25F; the weight in fields that are not scored). A whole
        list is read once per search."""
        field = self.s.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        cached = self._cache.get((fieldname, btext))
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
                    i, w, v = read_postings(m, positions, self.tick)
                else:
                    end = offset + leaf.doc_count_all()
                    i, w, v = look_up_postings(m, sorted(d - offset for d in only
                                                          if offset <= d < end), self.tick)
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
        postings = Postings(ids, scores, values, field.format)
        if only is None:
            self._cache[(fieldname, btext)] = postings
        return postings


class Postings:
    """One term's postings: document numbers, scores and (when asked for) encoded positions."""

    def __init__(self, ids: list[int], scores: list[float], values: list | None, fmt):
        self.ids, self.scores, self.values = ids, scores, values
        self.decode = (None if values is None else decode_positions
                       if type(fmt) is formats.Positions else fmt.decoder("positions"))
        self._where: dict[int, int] | None = None

    def scored(self) -> dict[int, float]:
        return dict(zip(self.ids, self.scores))

    def where(self) -> dict[int, int]:
        """docnum -> its place in the lists."""
        if self._where is None:
            self._where = dict(zip(self.ids, range(len(self.ids))))
        return self._where


def in_sequence(positions: list[list[int]], slop: int) -> bool:
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
def decode_positions(value: bytes) -> list[int]:
    """formats.Positions.decode_positions, faster: a 4-byte count, then the gaps between
    positions pickled (the pickle's final "." may be left off)."""
    gaps = value[4:]
    return list(itertools.accumulate(pickle.loads(gaps if gaps.endswith(b".") else gaps + b".")))


def read_postings(m, positions: bool, tick):
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


def look_up_postings(m, docnums: list[int], tick):
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
