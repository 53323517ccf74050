#!/usr/bin/env python3
"""Fuzz the build with mutated copies of real PDFs: no crash, no hang, every file accounted for.

    python benchmarks/fuzz_pdfs.py [--pdfs ../shared/ofsted-pdfs] [--copies 1000] [--seed 16]
        [--jobs 2] [--out DIR]

Takes --copies mutated copies of real reports (sources drawn at random with --seed, the same
run every time), each with one kind of damage in turn:

  flip       a few dozen random bytes inverted
  truncate   cut at a random point (half of them with "%%EOF" put back, so the truncation is
             not caught by the missing end marker)
  zero       a block of 512-64 KiB zeroed
  xref       the cross-reference table or startxref offset corrupted
  shift      bytes inserted near the start, so every recorded offset points wrong
  pagetree   the page tree's /Kids, /Count or a /Type /Page damaged
  stream     bytes of a content stream garbled, or its /Length changed

then builds them all with the project's own build (worker processes, the 300 s parse limit) and
checks that the build finished, that every file is indexed, indexed with a caveat or skipped with
a reason, and how long the slowest file took to parse (timed in the worker). Prints a JSON
report and writes it to OUT/fuzz.json.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import build as build_mod  # noqa: E402

KINDS = ["flip", "truncate", "zero", "xref", "shift", "pagetree", "stream"]


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    b = bytearray(data)
    n = len(b)
    if kind == "flip":
        for _ in range(rng.randint(8, 64)):
            i = rng.randrange(n)
            b[i] ^= 1 << rng.randrange(8) if rng.random() < 0.5 else 0xFF
        return bytes(b)
    if kind == "truncate":
        cut = rng.randrange(n // 10, n - 16)
        out = bytes(b[:cut])
        return out + b"\n%%EOF\n" if rng.random() < 0.5 else out
    if kind == "zero":
        size = min(n // 2, rng.choice([512, 4096, 16384, 65536]))
        at = rng.randrange(0, n - size)
        b[at:at + size] = bytes(size)
        return bytes(b)
    if kind == "xref":
        xrefs = [m.start() for m in re.finditer(rb"xref", data)]
        starts = [m.end() for m in re.finditer(rb"startxref\s*", data)]
        if starts and (rng.random() < 0.5 or not xrefs):
            at = rng.choice(starts)  # the offset of the table: a wrong number
            end = at
            while end < n and data[end:end + 1].isdigit():
                end += 1
            return data[:at] + str(rng.randrange(n)).encode() + data[end:]
        at = rng.choice(xrefs) if xrefs else rng.randrange(n)
        for _ in range(rng.randint(4, 40)):  # digits of table entries garbled
            i = min(n - 1, at + rng.randrange(1, 2000))
            b[i] = rng.choice(b"0123456789 fn\n")
        return bytes(b)
    if kind == "shift":
        at = rng.randrange(16, min(n, 4096))
        return data[:at] + os.urandom(rng.randint(1, 300)) + data[at:]
    if kind == "pagetree":
        choice = rng.randrange(3)
        if choice == 0:
            m = list(re.finditer(rb"/Kids\s*\[", data))
            if m:
                at = rng.choice(m).end()
                return data[:at] + b"9999 0 R " + data[at + rng.randint(0, 20):]
        if choice == 1:
            m = list(re.finditer(rb"/Count\s+(\d+)", data))
            if m:
                hit = rng.choice(m)
                return data[:hit.start(1)] + str(rng.choice([0, 1, 10**6])).encode() \
                    + data[hit.end(1):]
        m = list(re.finditer(rb"/Type\s*/Page\b", data))
        if m:
            hit = rng.choice(m)
            return data[:hit.start()] + b"/Type /Pagx" + data[hit.end():]
        return mutate(data, "flip", rng)
    if kind == "stream":
        streams = [m for m in re.finditer(rb"stream\r?\n", data)]
        if not streams:
            return mutate(data, "flip", rng)
        if rng.random() < 0.3:
            lengths = list(re.finditer(rb"/Length\s+(\d+)", data))
            if lengths:
                hit = rng.choice(lengths)
                value = int(hit.group(1)) * rng.choice([0, 2]) + rng.randint(0, 9)
                return data[:hit.start(1)] + str(value).encode() + data[hit.end(1):]
        at = rng.choice(streams).end()
        for _ in range(rng.randint(4, 200)):
            i = min(n - 1, at + rng.randrange(0, 4000))
            b[i] = rng.randrange(256)
        return bytes(b)
    raise ValueError(kind)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "ofsted-pdfs")
    ap.add_argument("--copies", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    sources = sorted(args.pdfs.rglob("*.pdf"))
    work = Path(tempfile.mkdtemp(prefix="fuzz-pdfs-"))
    corpus, index_dir, times_dir = work / "corpus", work / "index", work / "times"
    corpus.mkdir()
    times_dir.mkdir()
    kinds = {}
    for k in range(args.copies):
        source = rng.choice(sources)
        kind = KINDS[k % len(KINDS)]
        name = f"{k:04d}-{kind}-{source.stem[:40]}.pdf"
        (corpus / name).write_bytes(mutate(source.read_bytes(), kind, rng))
        kinds[name] = kind

    # Time each parse in the worker that does it (fork: the workers inherit this wrapper).
    real = build_mod._parse_in_worker

    def timed(path, corpus_dir):
        started = time.perf_counter()
        try:
            return real(path, corpus_dir)
        finally:
            with open(times_dir / f"{os.getpid()}.tsv", "a") as fh:
                fh.write(f"{Path(path).name}\t{time.perf_counter() - started:.3f}\n")
    timed.__module__, timed.__qualname__ = real.__module__, real.__qualname__
    build_mod._parse_in_worker = timed

    started = time.perf_counter()
    crashed = None
    try:
        summary = build_mod.build(corpus, index_dir, show_progress=False, jobs=args.jobs)
    except Exception as e:  # the build itself failing is the one outcome that must not happen
        import traceback
        crashed = f"{type(e).__name__}: {e}\n" + "".join(traceback.format_tb(e.__traceback__)[-3:])
        summary = None
    wall = time.perf_counter() - started

    parse_times = {}
    for f in times_dir.glob("*.tsv"):
        for line in f.read_text().splitlines():
            name, seconds = line.split("\t")
            parse_times[name] = max(parse_times.get(name, 0.0), float(seconds))

    outcome = {}
    reasons = collections.Counter()
    if summary:
        caveats = {p for p, _ in summary.notes}
        indexed = set(json.loads((summary.generation / build_mod.MANIFEST)
                                 .read_text("utf-8"))["indexed"])
        for p in indexed:
            outcome[p] = "indexed with a caveat" if p in caveats else "indexed"
        for p, why in summary.skipped:
            outcome[p] = "skipped"
            reasons[re.sub(r"\(.*", "(...)", why)[:90]] += 1
        for p, note in summary.notes:
            reasons["caveat: " + re.sub(r"\d+", "N", note)[:80]] += 1
    unaccounted = sorted(set(kinds) - set(outcome))
    by_kind = collections.defaultdict(collections.Counter)
    for name, kind in kinds.items():
        by_kind[kind][outcome.get(name, "UNACCOUNTED")] += 1
    slowest = sorted(parse_times.items(), key=lambda kv: -kv[1])[:5]
    report = {
        "copies": args.copies, "sources": len(sources), "seed": args.seed, "jobs": args.jobs,
        "build_crashed": crashed, "wall_seconds": round(wall, 1),
        "totals": dict(collections.Counter(outcome.values())),
        "unaccounted": len(unaccounted),
        "unaccounted_examples": unaccounted[:10],
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "reasons": dict(reasons.most_common(25)),
        "parses_timed": len(parse_times),
        "slowest_parses": slowest,
        "parse_limit_seconds": build_mod.PARSE_TIMEOUT,
        "timed_out": sum(1 for p, why in (summary.skipped if summary else [])
                         if "took longer than" in why),
        "reader_crashes": sum(1 for p, why in (summary.skipped if summary else [])
                              if "crashed" in why),
        "load_average": os.getloadavg(),
        "work_dir": str(work),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fuzz.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
