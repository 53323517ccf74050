#!/usr/bin/env python3
"""Should a recommendation weigh less than a finding? A cross-validated study, run by hand.

    .venv/bin/python benchmarks/section_study.py --scale-index IDX510 [--depth 50]

A report's "What needs to improve" section (and its older names: areas for improvement,
recommendations, next steps; ingest/sections.py) names topics to put right ("Ensure that all
care leavers ..."); its findings say what practice is like. The study re-orders each query's
top `--depth` results, ranked with ranking.SECTION_PRIOR off, by

    score x f   for paragraphs of that section (score x 1 for the others)

and picks f by leave-one-query-out cross-validation over every judged set together (eval,
eval-scale and benchmarks/heldout/own-scale: 52 queries): for each query, f is the value in
GRID with the best mean nDCG@10 on the other 51, and that f ranks the query left out. It prints,
per set, the figure before and after, judged by the pool (`official`) and with the added grades
of benchmarks/judgments (`+added`), and the mean of each set at every f.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.engine import ranking  # noqa: E402
from relevance import (HELDOUT, SHARED, load_evaluator, measure, ranked_queries,  # noqa: E402
                       study_arguments)

SECTION = "What needs to improve"
GRID = [1.0, 0.98, 0.96, 0.94, 0.92, 0.9, 0.85, 0.8]


def study(ev, name: str, qdir: Path, index: Path, depth: int) -> list[tuple[str, dict]]:
    """Per query of one set: {f: (nDCG official, nDCG +added)}."""
    out = []
    for _qid, _text, results, official, added, _engine in ranked_queries(ev, name, qdir, index,
                                                                         depth):
        per = {}
        for f in GRID:
            scores = [r["score"] * (f if r.get("section") == SECTION else 1.0) for r in results]
            top = [results[i] for i in sorted(range(len(results)),
                                              key=lambda i: (-scores[i], i))[:10]]
            per[f] = (measure(ev, top, *official, 10)[0], measure(ev, top, *added, 10)[0])
        out.append((name, per))
    return out


def main() -> None:
    a = study_arguments(__doc__)
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    ranking.SECTION_PRIOR = {}  # the study starts from the ranking without the prior it studies
    rows = (study(ev, "eval", SHARED / "eval", a.index, a.depth)
            + study(ev, "eval-scale", SHARED / "eval-scale", a.scale_index, a.depth)
            + study(ev, "own-scale", HELDOUT / "own-scale", a.scale_index, a.depth))
    names = ("eval", "eval-scale", "own-scale")
    for which, label in ((0, "official"), (1, "+added")):
        chosen = {}
        for i in range(len(rows)):
            rest = [per for j, (_, per) in enumerate(rows) if j != i]
            chosen[i] = max(GRID, key=lambda f: (sum(per[f][which] for per in rest), f))
        line = [f"{label:9}"]
        for name in names:
            mine = [i for i, (n, _) in enumerate(rows) if n == name]
            before = sum(rows[i][1][1.0][which] for i in mine) / len(mine)
            after = sum(rows[i][1][chosen[i]][which] for i in mine) / len(mine)
            line.append(f"{name} {before:.3f} -> {after:.3f}")
        print("  ".join(line) + f"   f chosen: {sorted(set(chosen.values()))}")
        for f in GRID:
            means = [sum(per[f][which] for n, per in rows if n == name)
                     / sum(1 for n, _ in rows if n == name) for name in names]
            print(f"    f {f:4}  " + "  ".join(f"{n} {m:.3f}" for n, m in zip(names, means)))


if __name__ == "__main__":
    main()
