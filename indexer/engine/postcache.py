"""Decoded posting lists kept between searches, in a bounded cache (one per open generation).

Reading a common word's postings from Whoosh means unpickling and decompressing every one of its
blocks (positions included, as Whoosh stores them in the same pickle): about a third of a
search's time before issue 12, paid again by every search using the word. They are read instead
from the segments' posting stores (poststore.py: slices of arrays, no decoding) when the index
has them, else from Whoosh's blocks; either way a term's live postings become numpy arrays (document numbers, BM25F scores worked out exactly as
postings.PostingReader works them out, and, when a phrase asks, the encoded positions) and kept,
least recently used first out, within CACHE_BYTES counted from the arrays' and byte strings'
sizes. The figure is part of the serving memory the benchmarks report.
"""
from __future__ import annotations

import ctypes
import json
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ._whoosh import formats, matching
from .doctable import DocTable
from .postings import Lengths, decode_positions, read_postings
from .poststore import FIELDS, MAGIC, store_path

CACHE_BYTES = 96 << 20     # per open generation (so per server process)
LARGEST_SHARE = 4          # one term may take at most this fraction of it


def fix_mmap_threshold(threshold: int = 128 << 10) -> None:
    """Have glibc hand out large blocks (a search's vectors: 1 MB each at 140,000 paragraphs)
    by mmap, always. Its default raises that threshold each time such a block is freed, after
    which vectors come from the per-thread heaps and their memory is not given back: a server
    worker at 142,000 paragraphs grew to 460 MiB instead of 270 under 4 concurrent searches."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, threshold)  # -3: M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass  # not glibc: its allocator decides


class TermPostings:
    """One term's live postings: ascending document numbers, their scores and optionally the
    encoded positions, all in one byte string (`blob`, posting i at offsets[i]:offsets[i + 1]:
    a byte string per posting costs 41 bytes more than its few bytes of positions, which made
    positions four fifths of the cache). `decode` reads one posting's positions."""

    __slots__ = ("ids", "scores", "blob", "offsets", "decode", "nbytes")

    def __init__(self, ids: np.ndarray, scores: np.ndarray, values: Optional[list], decode,
                 blob: Optional[bytes] = None, offsets: Optional[np.ndarray] = None):
        self.ids, self.scores, self.decode = ids, scores, decode
        self.blob, self.offsets = blob, offsets  # given: read from the posting store
        if values is not None:
            self.blob = b"".join(values)
            self.offsets = np.zeros(len(values) + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)),
                      out=self.offsets[1:])
        self.nbytes = ids.nbytes + scores.nbytes + (
            len(self.blob) + self.offsets.nbytes if self.blob is not None else 0)

    def values(self, at: np.ndarray) -> list[bytes]:
        """The encoded positions of the postings at indexes `at`."""
        blob = self.blob
        return [blob[a:b] for a, b in zip(self.offsets[at].tolist(), self.offsets[at + 1].tolist())]


class PostingCache:
    """Decoded postings of one generation, shared by every search (and thread) on it."""

    def __init__(self, searcher, table: DocTable, lengths: Lengths, lock,
                 budget: int = CACHE_BYTES, stores: Optional[list] = None):
        fix_mmap_threshold()
        self.s, self.table, self.lengths, self.lock = searcher, table, lengths, lock
        self.stores = stores  # [(poststore.SegmentStore, offset)], or None: Whoosh's blocks
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict = OrderedDict()
        self._mutex = threading.Lock()  # guards the dict; Whoosh calls take self.lock
        self._norms: dict[str, np.ndarray] = {}
        self._live: Optional[np.ndarray] = None

    @property
    def live(self) -> np.ndarray:
        if self._live is None:
            live = np.zeros(self.table.size, dtype=bool)
            live[np.asarray(self.table.live, dtype=np.int64)] = True
            self._live = live
        return self._live

    def norms(self, fieldname: str) -> np.ndarray:
        norms = self._norms.get(fieldname)
        if norms is None:
            norms = self._norms[fieldname] = np.asarray(self.lengths.norms(fieldname),
                                                        dtype=np.float64)
        return norms

    def clear(self) -> None:
        with self._mutex:
            self._entries.clear()
            self.used = 0

    def term(self, fieldname: str, text, positions: bool = False,
             tick: Callable[[int], None] = lambda n: None) -> TermPostings:
        field = self.s.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        key = (fieldname, btext)
        with self._mutex:
            found = self._entries.get(key)
            if found is not None and (found.blob is not None or not positions):
                self._entries.move_to_end(key)
                return found
        found = self._read(fieldname, btext, field, positions, tick)
        with self._mutex:
            old = self._entries.pop(key, None)
            if old is not None:
                self.used -= old.nbytes
            if found.nbytes * LARGEST_SHARE <= self.budget:
                self._entries[key] = found
                self.used += found.nbytes
                while self.used > self.budget:
                    _, evicted = self._entries.popitem(last=False)
                    self.used -= evicted.nbytes
        return found

    def _read(self, fieldname: str, btext: bytes, field, positions: bool, tick) -> TermPostings:
        if self.stores is not None and fieldname in FIELDS:
            return self._from_store(fieldname, btext, field, positions, tick)
        ids: list[int] = []
        weights: list[float] = []
        values: Optional[list] = [] if positions else None
        with self.lock:
            for leaf, offset in self.s.reader().leaf_readers():
                if (fieldname, btext) not in leaf:
                    continue
                m = leaf.postings(fieldname, btext)
                if isinstance(m, matching.FilterMatcher):
                    m = m.child  # the deleted documents, dropped below
                i, w, v = read_postings(m, positions, tick)
                ids += [d + offset for d in i] if offset else i
                weights += w
                if positions:
                    values += v
            idf = self.s.idf(fieldname, btext) if ids and field.scorable else 0.0
        ids_a = np.asarray(ids, dtype=np.int64)
        tf = np.asarray(weights, dtype=np.float64)  # Whoosh's float32 weights, exactly
        if ids and self.table.size != len(self.table.live):
            keep = self.live[ids_a]
            ids_a, tf = ids_a[keep], tf[keep]
            if positions:
                values = [v for v, k in zip(values, keep.tolist()) if k]
        decode = (None if values is None else decode_positions
                  if type(field.format) is formats.Positions else field.format.decoder("positions"))
        return TermPostings(ids_a.astype(np.int32), self._scored(fieldname, field, ids_a, tf, idf),
                            values, decode)

    def _scored(self, fieldname: str, field, ids: np.ndarray, tf: np.ndarray, idf: float):
        if len(ids) and field.scorable:
            k1p1 = getattr(self.s.weighting, "K1", 0.0) + 1
            # The same operations in the same order as PostingReader.read: the same floats.
            return idf * ((tf * k1p1) / (tf + self.norms(fieldname)[ids]))
        return tf

    def _from_store(self, fieldname: str, btext: bytes, field, positions: bool,
                    tick) -> TermPostings:
        """_read from the posting store: slices of each segment's arrays, no decoding."""
        parts = []
        for store, offset in self.stores:
            got = store.postings(fieldname, btext, positions)
            if got is not None:
                tick(len(got[0]))
                parts.append((got[0].astype(np.int64) + offset,) + got[1:])
        with self.lock:
            idf = self.s.idf(fieldname, btext) if parts and field.scorable else 0.0
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        tf = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
        flat = starts = None
        if positions:
            flat, starts = _joined([p[2] for p in parts], [p[3] for p in parts])
        if len(ids) and self.table.size != len(self.table.live):
            keep = self.live[ids]
            if not keep.all():
                ids, tf = ids[keep], tf[keep]
                if positions:
                    flat, starts = _kept(flat, starts, keep)
        blob = offsets = decode = None
        if positions:  # positions as bytes, 2 a position when they fit (most paragraphs)
            small = not len(flat) or int(flat.max()) < 1 << 16
            kind = np.uint16 if small else np.int32
            blob, offsets = flat.astype(kind).tobytes(), starts * np.dtype(kind).itemsize
            decode = _decoder(kind)
        return TermPostings(ids.astype(np.int32), self._scored(fieldname, field, ids, tf, idf),
                            None, decode, blob, offsets)


def _decoder(kind):
    def decode(value: bytes) -> list[int]:
        return np.frombuffer(value, dtype=kind).tolist()
    return decode


def _joined(flats: list, starts: list) -> tuple[np.ndarray, np.ndarray]:
    """Several terms' positions and posting starts (each from 0) as one."""
    if not flats:
        return np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64)
    out, shift = [starts[0]], int(starts[0][-1])
    for more in starts[1:]:
        out.append(more[1:] + shift)
        shift += int(more[-1])
    return np.concatenate(flats), np.concatenate(out)


def _kept(flat: np.ndarray, starts: np.ndarray, keep: np.ndarray):
    """The positions and starts of the postings `keep` marks."""
    lengths = np.diff(starts)
    flat = flat[np.repeat(keep, lengths)]
    out = np.zeros(int(keep.sum()) + 1, dtype=np.int64)
    np.cumsum(lengths[keep], out=out[1:])
    return flat, out


class SegmentStore:
    """One segment's store, read by slices (os.pread: safe from any thread)."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY)
        start = os.pread(self.fd, len(MAGIC) + 8, 0)
        if start[:len(MAGIC)] != MAGIC:
            self.close()
            raise ValueError(f"{path.name} is not a posting store")
        size = int.from_bytes(start[len(MAGIC):], "little")
        self.header = json.loads(os.pread(self.fd, size, len(MAGIC) + 8))
        self.data = len(MAGIC) + 8 + size
        self._terms: dict[str, dict[bytes, int]] = {}
        self._whole: dict[str, np.ndarray] = {}

    def close(self) -> None:
        fd, self.fd = self.fd, -1
        if fd >= 0:
            os.close(fd)

    def __del__(self):  # a generation a server moved on from is collected, not closed
        self.close()

    def _array(self, name: str, start: int = 0, stop: Optional[int] = None) -> np.ndarray:
        offset, dtype, count = self.header[name]
        dtype = np.dtype(dtype)
        stop = count if stop is None else stop
        raw = os.pread(self.fd, (stop - start) * dtype.itemsize,
                       self.data + offset + start * dtype.itemsize)
        return np.frombuffer(raw, dtype=dtype)

    def _kept(self, name: str) -> np.ndarray:
        """A small whole array, read once (the term bounds and posting starts)."""
        found = self._whole.get(name)
        if found is None:
            found = self._whole[name] = self._array(name)
        return found

    def term_number(self, fieldname: str, btext: bytes) -> Optional[int]:
        terms = self._terms.get(fieldname)
        if terms is None:
            if f"{fieldname}.terms" not in self.header:
                return None
            blob = self._array(f"{fieldname}.terms").tobytes()
            bounds = self._kept(f"{fieldname}.bounds").tolist()
            terms = self._terms[fieldname] = {blob[a:b]: k for k, (a, b)
                                              in enumerate(zip(bounds, bounds[1:]))}
        return terms.get(btext)

    def postings(self, fieldname: str, btext: bytes, positions: bool):
        """(docs, weights, positions, position starts) of a term in this segment, the last two
        None unless asked for; None when the segment does not hold the term."""
        k = self.term_number(fieldname, btext)
        if k is None:
            return None
        a, b = self._kept(f"{fieldname}.starts")[k:k + 2].tolist()
        docs = self._array(f"{fieldname}.docs", a, b)
        weights = self._array(f"{fieldname}.weights", a, b).astype(np.float64)
        if not positions:
            return docs, weights, None, None
        pstarts = self._array(f"{fieldname}.pstarts", a, b + 1)
        flat = self._array(f"{fieldname}.positions", int(pstarts[0]), int(pstarts[-1]))
        return docs, weights, flat, pstarts - pstarts[0]


def open_stores(directory: Path, leaves) -> Optional[list]:
    """[(SegmentStore, offset)] for the leaf readers `leaves`, or None when a segment has no
    store (then Whoosh's postings are read)."""
    paths = [store_path(directory, leaf._segment) for leaf, _ in leaves]
    if not all(p.exists() for p in paths):
        return None
    return [(SegmentStore(p), offset) for p, (_, offset) in zip(paths, leaves)]
