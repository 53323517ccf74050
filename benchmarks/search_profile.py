#!/usr/bin/env python3
"""Where a search's time goes, in one process: each of latency.py's queries run through the search
API with the engine's executor and with Whoosh's own matchers (the way searches ran before), CPU
time per query; `--profile` adds cProfile's top functions for the executor.

    python benchmarks/search_profile.py [--index index] [--repeat 3] [--profile 25]

No server, no concurrency: this is the cost of one search on one core (the query's words, facets,
snippets and the JSON; not the page's HTML). Datasette is not involved.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from latency import FILTERS, QUERIES  # noqa: E402

from indexer.engine import Engine  # noqa: E402
from indexer.search import SearchParams, search  # noqa: E402
from indexer.store import current_generation  # noqa: E402

CASES = [SearchParams(q=q, filters={f[0]: [f[1]]} if f else {}) for q in QUERIES for f in FILTERS]


def cpu_ms(engine: Engine, params: SearchParams, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        search(engine, params)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query; the fastest counts")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print cProfile's N most expensive functions (executor)")
    a = ap.parse_args()
    generation = current_generation(a.index) or a.index
    fast, reference = Engine(generation), Engine(generation, reference=True)
    for engine in (fast, reference):
        engine.warm()
        search(engine, CASES[0])
    rows = []
    for params in CASES:
        rows.append((params, cpu_ms(fast, params, a.repeat), cpu_ms(reference, params, 1)))
    print(f"{'query':34} {'filter':8} {'executor ms':>11} {'Whoosh ms':>10} {'ratio':>6}")
    for params, ours, theirs in rows:
        print(f"{params.q[:34]:34} {'section' if params.filters else '':8} {ours:11.1f} "
              f"{theirs:10.1f} {ours / theirs:6.2f}")
    ours = sorted(r[1] for r in rows)
    theirs = sorted(r[2] for r in rows)
    print(f"\n{len(rows)} searches: executor mean {sum(ours) / len(ours):.0f} ms, max {ours[-1]:.0f}; "
          f"Whoosh's matchers mean {sum(theirs) / len(theirs):.0f} ms, max {theirs[-1]:.0f}; "
          f"ratio of totals {sum(ours) / sum(theirs):.2f}")
    if a.profile:
        profile = cProfile.Profile()
        profile.enable()
        for params in CASES:
            search(fast, params)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(a.profile)


if __name__ == "__main__":
    main()
