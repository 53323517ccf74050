"""Each segment's postings of the fields searches read (the text, the heading and the opening
sentence's words) as plain arrays, written beside the segment when the index is written, so
that reading a term's postings is a few slices of a file, not Python unpickling Whoosh's blocks
one by one (a common word took 30 ms to decode at 47,000 paragraphs: most of a search whose
words no recent search used). Part of the index format (engine/format.py): an index without
them is rebuilt.

One file per segment, `<segment id>.pst` (Whoosh's own clean-up removes it with its segment,
a copied generation hard-links it as it does segments, and the generation's integrity seal
covers it as every file): MAGIC, the header's length (8 bytes, little-endian), a JSON header
naming each array's offset, type and length, then the arrays, 8-byte aligned. Per field:

    terms      uint8   the terms' bytes, in Whoosh's order, concatenated
    bounds     int64   term k is terms[bounds[k]:bounds[k + 1]]           (T + 1)
    starts     int64   term k's postings are docs[starts[k]:starts[k + 1]] (T + 1)
    docs       int32   the segment's document numbers, deleted ones included (Whoosh's too)
    weights    float32 Whoosh's weight of each posting (float64 if one is not a float32)
    pstarts    int64   posting i's positions are positions[pstarts[i]:pstarts[i + 1]]
    positions  int32   the positions, decoded (fields with positions only)

Deleted documents are dropped when a term is read, as they are from Whoosh's postings, so a
store stays valid as later builds delete from its segment. The reading side is in postcache.py
(SegmentStore), outside the index format: how a store is read changes no store.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from ._whoosh import formats, index, matching
from .postings import decode_positions, read_postings

FIELDS = ("text", "heading", "opening")
EXT = ".pst"
MAGIC = b"OFSPST01"


def store_path(directory: Path, segment) -> Path:
    return Path(directory) / segment.make_filename(EXT)


def write_stores(directory: Path, jobs: int = 1) -> int:
    """Write the store of every segment of the index in `directory` that has none; returns how
    many were written (in `jobs` processes when there are several)."""
    ix = index.open_dir(str(directory))
    try:
        todo = [s.segment_id() for s in ix._segments()
                if not store_path(directory, s).exists()]
    finally:
        ix.close()
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(min(jobs, len(todo)), mp_context=get_context("fork")) as pool:
            list(pool.map(write_store, [str(directory)] * len(todo), todo))
    else:
        for segid in todo:
            write_store(str(directory), segid)
    return len(todo)


def write_store(directory: str, segid: str) -> None:
    """Write one segment's store (to a temporary name, renamed when complete)."""
    ix = index.open_dir(directory)
    reader = ix.reader()
    try:
        leaf = next(r for r, _ in reader.leaf_readers() if r._segment.segment_id() == segid)
        arrays = {}
        for fieldname in FIELDS:
            if fieldname in leaf.schema:
                for name, array in _field_arrays(leaf, fieldname).items():
                    arrays[f"{fieldname}.{name}"] = array
        path = store_path(Path(directory), leaf._segment)
        _write_file(path.with_suffix(".tmp"), arrays)
        os.replace(path.with_suffix(".tmp"), path)
    finally:
        reader.close()
        ix.close()


def _field_arrays(leaf, fieldname: str) -> dict[str, np.ndarray]:
    fmt = leaf.schema[fieldname].format
    positions = fmt.supports("positions")
    decode = decode_positions if type(fmt) is formats.Positions else (
        fmt.decoder("positions") if positions else None)
    terms, bounds, starts = [], [0], [0]
    docs, weights, lengths, flat = [], [], [], []
    for btext in leaf.lexicon(fieldname):
        m = leaf.postings(fieldname, btext)
        if isinstance(m, matching.FilterMatcher):
            m = m.child  # deleted documents are kept, as Whoosh keeps them
        ids, w, values = read_postings(m, positions, lambda n=1: None)
        terms.append(btext)
        bounds.append(bounds[-1] + len(btext))
        starts.append(starts[-1] + len(ids))
        docs.extend(ids)
        weights.extend(w)
        for v in values if positions else ():
            p = decode(v)
            lengths.append(len(p))
            flat.extend(p)
    w64 = np.asarray(weights, dtype=np.float64)
    w32 = w64.astype(np.float32)
    out = {"terms": np.frombuffer(b"".join(terms), dtype=np.uint8),
           "bounds": np.asarray(bounds, dtype=np.int64),
           "starts": np.asarray(starts, dtype=np.int64),
           "docs": np.asarray(docs, dtype=np.int32),
           "weights": w32 if np.array_equal(w32.astype(np.float64), w64) else w64}
    if positions:
        pstarts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64), out=pstarts[1:])
        out["pstarts"] = pstarts
        out["positions"] = np.asarray(flat, dtype=np.int32)
    return out


def _write_file(path: Path, arrays: dict[str, np.ndarray]) -> None:
    header, offset = {}, 0
    for name, array in arrays.items():
        header[name] = [offset, array.dtype.str, len(array)]
        offset += -(-array.nbytes // 8) * 8
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-(len(MAGIC) + 8 + len(head)) % 8)
    with open(path, "wb") as fh:
        fh.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for array in arrays.values():
            data = array.tobytes()
            fh.write(data + b"\0" * (-len(data) % 8))
