#!/usr/bin/env python3
"""Search latency as the corpus grows: the bundled corpus, a sample of the PDFs, all of them,
each measured beside Datasette serving the same paragraphs (benchmarks/latency.py).

    python benchmarks/latency_scaling.py [PDFS] [--sizes 100] [--full-index index] [--rounds 2]
        [--processes N] [--lists benchmark,eval,scale,common]

PDFS defaults to ../shared/ofsted-pdfs. Each corpus is built into a temporary index (a sample
is spread over the folder, as build_speed.py samples it); `--full-index` reuses an index of all
the PDFs instead of building one (a cold build takes minutes).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_speed import sample_corpus  # noqa: E402
from latency import LISTS, measure  # noqa: E402

from indexer.build import build, corpus_files  # noqa: E402
from indexer.cli import default_processes  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="?", type=Path, default=ROOT.parent / "shared/ofsted-pdfs")
    ap.add_argument("--sizes", default="100", help="sample sizes between the bundled corpus "
                                                    "and the whole folder, comma-separated")
    ap.add_argument("--full-index", type=Path, help="an index of the whole folder to reuse")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--datasette", default=str(ROOT / "benchmarks/.venv-datasette/bin/datasette"))
    ap.add_argument("--processes", type=int, default=default_processes(),
                    help="ofsted-search server processes [default: serve's own, one per core]")
    ap.add_argument("--lists", default="benchmark",
                    help=f"query lists, comma-separated, of {', '.join(LISTS)}")
    a = ap.parse_args()
    lists = [x for x in a.lists.split(",") if x]

    work = Path(tempfile.mkdtemp(prefix="latency-scaling-"))
    try:
        corpora = [("bundled corpus", ROOT / "corpus")]
        for n in (int(x) for x in a.sizes.split(",") if x.strip()):
            corpora.append((f"{n} PDFs", sample_corpus(a.pdfs, n, work / f"sample-{n}")))
        total = len(corpus_files(a.pdfs))
        corpora.append((f"all {total} PDFs", a.full_index or a.pdfs))
        rows = []
        for name, source in corpora:
            if source == a.full_index:
                index_dir = a.full_index
            else:
                index_dir = work / f"index-{len(rows)}"
                build(source, index_dir, show_progress=False)
            f = measure(index_dir, a.datasette, a.clients, a.rounds, a.processes, lists)
            for lname, lf in f["lists"].items():
                rows.append((f"{name}, {lname}", dict(f, **lf)))
                o, d = lf["ofsted-search"], lf["datasette"]
                print(f"{name} [{lname}]: {f['paragraphs']} paragraphs, p95 {o['p95_ms']:.0f} vs "
                      f"{d['p95_ms']:.0f} ms", flush=True)
        print(f"\n{a.clients} concurrent clients, {a.rounds} rounds, ofsted-search in "
              f"{a.processes} process(es); ratios are ofsted-search / Datasette in the same run")
        print(f"| corpus | paragraphs | index MiB | p50 ratio | p95 ratio | ofsted-search p50 / p95 ms "
              f"| Datasette p50 / p95 ms | ofsted-search RSS MiB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, f in rows:
            o, d = f["ofsted-search"], f["datasette"]
            print(f"| {name} | {f['paragraphs']} | {f['index_mib']:.0f} | "
                  f"{o['p50_ms'] / d['p50_ms']:.2f} | {o['p95_ms'] / d['p95_ms']:.2f} | "
                  f"{o['p50_ms']:.0f} / {o['p95_ms']:.0f} | {d['p50_ms']:.0f} / {d['p95_ms']:.0f} | "
                  f"{o['rss_mib']:.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
