#!/usr/bin/env python3
"""Whether the pruned search gives exactly what the exhaustive executor gives, on a real index:
every search of latency.py's query lists (each query alone and with a section filter), by
relevance, by newest on page 2, and 50 a page on page 3, compared as whole search JSON
(totals, facets, results, scores). At 3x the narrowing to the best terms' documents is at work
on most of them, which the test suite's small indexes exercise only with its thresholds lowered.

    python benchmarks/agreement.py --index /tmp/speed3x [--lists benchmark,eval,scale,common]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from latency import LISTS, cases  # noqa: E402
from search_profile import params_of  # noqa: E402

from indexer.engine import Engine  # noqa: E402
from indexer.search import search  # noqa: E402
from indexer.store import current_generation  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--lists", default=",".join(LISTS))
    a = ap.parse_args()
    generation = current_generation(a.index) or a.index
    pruned, exhaustive = Engine(generation), Engine(generation, exhaustive=True)
    same = compared = 0
    start = time.monotonic()
    for name in a.lists.split(","):
        for q, f in cases(name):
            p = params_of(q, f)
            for params in (p, dataclasses.replace(p, sort="newest", page=2),
                           dataclasses.replace(p, page=3, limit=50)):
                agree = search(pruned, params) == search(exhaustive, params)
                same += agree
                compared += 1
                if not agree:
                    print(f"DIFFERENT: [{name}] {q!r} {f} sort={params.sort} page={params.page}")
    print(f"identical in {same} of {compared} searches ({time.monotonic() - start:.0f} s)")
    sys.exit(0 if same == compared else 1)


if __name__ == "__main__":
    main()
