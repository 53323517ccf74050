#!/usr/bin/env python3
"""Build throughput: cold build, rebuild with nothing changed, one report changed.

    python benchmarks/build_speed.py [CORPUS] [--limit N] [--jobs 2]

CORPUS defaults to ../shared/ofsted-pdfs. The baseline, run in the same command on the same files,
is the floor of any PDF pipeline: pypdfium2's plain text of every page on the same number of
processes, with no layout analysis, segmentation, metadata or indexing. Ratios to it travel
between machines; bare seconds do not.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.build import build, corpus_files  # noqa: E402


def plain_text_pages(path: str) -> int:
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:
        return 0
    for page in pdf:
        page.get_textpage().get_text_range()
    return len(pdf)


def baseline(files: list[Path], jobs: int) -> tuple[float, int]:
    start = time.perf_counter()
    pdfs = [str(f) for f in files if f.suffix.lower() == ".pdf"]
    with ProcessPoolExecutor(jobs) as pool:
        pages = sum(pool.map(plain_text_pages, pdfs, chunksize=4))
    return time.perf_counter() - start, pages


def sample_corpus(source: Path, limit: int | None, target: Path) -> Path:
    """Hard links to the first `limit` files (in a stable order), so a file can be changed
    without touching the original."""
    files = corpus_files(source)
    if limit:
        step = max(1, len(files) // limit)
        files = files[::step][:limit]  # spread over every kind and year, not one folder
    for f in files:
        dest = target / f.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(f, dest)
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared/ofsted-pdfs")
    ap.add_argument("--limit", type=int, help="use this many files, spread over the corpus")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="build-speed-"))
    try:
        corpus = sample_corpus(a.corpus, a.limit, work / "corpus")
        files = corpus_files(corpus)
        index_dir = work / "index"
        base_s, pages = baseline(files, a.jobs)

        t = time.perf_counter()
        cold = build(corpus, index_dir, show_progress=False, jobs=a.jobs)
        cold_s = time.perf_counter() - t

        t = time.perf_counter()
        same = build(corpus, index_dir, show_progress=False, jobs=a.jobs)
        same_s = time.perf_counter() - t
        assert same.up_to_date

        victim = next(f for f in files if f.suffix.lower() == ".pdf") if pages else files[0]
        data = victim.read_bytes()
        victim.unlink()  # break the hard link before changing the bytes
        victim.write_bytes(data + b"\n% changed\n")
        t = time.perf_counter()
        one = build(corpus, index_dir, show_progress=False, jobs=a.jobs)
        one_s = time.perf_counter() - t

        gen = one.generation
        size = sum(f.stat().st_size for f in gen.iterdir() if f.is_file()) / 2**20
        cache = sum(f.stat().st_size for f in (index_dir / "cache").rglob("*") if f.is_file()) / 2**20
        print(f"{len(files)} files, {pages} PDF pages, {cold.reports} reports, "
              f"{cold.paragraphs} paragraphs, {len(cold.skipped)} skipped, jobs={a.jobs}")
        print(f"baseline (pypdfium2 plain text only): {base_s:7.1f} s  {pages / base_s:7.1f} pages/s")
        print(f"cold build:                           {cold_s:7.1f} s  {pages / cold_s:7.1f} pages/s"
              f"  {cold.paragraphs / cold_s:7.0f} paragraphs/s  = {cold_s / base_s:.1f} x baseline")
        print("  of which " + ", ".join(f"{stage} {s:.1f} s" for stage, s in cold.seconds.items())
              + " (parse: read cached or parse new reports; write: the index and its files)")
        print(f"rebuild, nothing changed:             {same_s:7.2f} s")
        print(f"rebuild, one report changed:          {one_s:7.2f} s  ({one.parsed} parsed, "
              f"{one.added} written, {one.removed} removed)")
        print(f"index {size:.0f} MiB, extraction cache {cache:.0f} MiB")
        for path, reason in cold.skipped:
            print(f"  skipped {path}: {reason}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
