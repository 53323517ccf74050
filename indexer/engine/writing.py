"""Writing an index: a fresh one (in parallel for large corpora), a copy to update while the
original stays live, and an update that replaces some reports' paragraphs; each new segment's
posting store (poststore.py) is written beside it. Part of the index format (engine/format.py).
"""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable

from ._whoosh import SegmentWriter, W3Codec, index
from .poststore import EXT as STORE_EXT
from .poststore import write_stores
from .schema import index_fields, make_schema

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
                writer.add_document(**index_fields(doc))
            writer.commit()
        else:
            _commit_segments(writer, _write_parts(directory, documents, jobs))
    except BaseException:
        writer.cancel()
        raise
    write_stores(directory, jobs)
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
        writer.add_document(**index_fields(doc))
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
        if entry.suffix in (".seg", STORE_EXT):
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
        writer.add_document(**index_fields(doc))
        n += 1
    writer.commit()
    write_stores(directory)  # the new segments' (a merged one's too)
    return n

