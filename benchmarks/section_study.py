#!/usr/bin/env python3
"""Should a section's paragraphs weigh less than a finding? A cross-validated study, run by hand.

    .venv/bin/python benchmarks/section_study.py --scale-index IDX510 [--depth 50]
        [--section "What needs to improve"] [--sets eval,eval-scale,own-scale]

A report's "What needs to improve" section (and its older names: areas for improvement,
recommendations, next steps; ingest/sections.py) names topics to put right ("Ensure that all
care leavers ..."); its findings say what practice is like. The SIF's "Summary for children and
young people" retells the findings in plain words. The study re-orders each query's top
`--depth` results, ranked with ranking.SECTION_PRIOR's weight for `--section` off (the other
sections' weights kept), by

    score x f   for paragraphs of that section (score x 1 for the others)

and picks f by leave-one-query-out cross-validation over the judged sets named together (eval,
eval-scale and benchmarks/heldout/own-scale, -2, -3): for each query, f is the value in GRID
with the best mean nDCG@10 on the others, and that f ranks the query left out. It prints, per
set, the figure before and after, judged by the pool (`official`) and with the added grades
of benchmarks/judgments (`+added`), and the mean of each set at every f.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.engine import ranking  # noqa: E402
from relevance import (HELDOUT, HELDOUT_SETS, SHARED, load_evaluator, measure,  # noqa: E402
                       ranked_queries, study_arguments)

GRID = [1.0, 0.98, 0.96, 0.94, 0.92, 0.9, 0.85, 0.8, 0.7, 0.6]
SETS = ("eval", "eval-scale") + HELDOUT_SETS


def study(ev, name: str, qdir: Path, index: Path, depth: int,
          section: str) -> list[tuple[str, dict]]:
    """Per query of one set: {f: (nDCG official, nDCG +added)}."""
    out = []
    for _qid, _text, results, official, added, _engine in ranked_queries(ev, name, qdir, index,
                                                                         depth):
        per = {}
        for f in GRID:
            scores = [r["score"] * (f if r.get("section") == section else 1.0) for r in results]
            top = [results[i] for i in sorted(range(len(results)),
                                              key=lambda i: (-scores[i], i))[:10]]
            per[f] = (measure(ev, top, *official, 10)[0], measure(ev, top, *added, 10)[0])
        out.append((name, per))
    return out


def main() -> None:
    a = study_arguments(__doc__, lambda ap: (
        ap.add_argument("--section", default="What needs to improve"),
        ap.add_argument("--sets", default="eval,eval-scale,own-scale",
                        help=f"judged sets, comma-separated, of {', '.join(SETS)}")))
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    # The study starts from the ranking without the weight it studies.
    ranking.SECTION_PRIOR = {k: v for k, v in ranking.SECTION_PRIOR.items() if k != a.section}
    names = tuple(n for n in a.sets.split(",") if n)
    rows = []
    for name in names:
        qdir = SHARED / name if name in ("eval", "eval-scale") else HELDOUT / name
        rows += study(ev, name, qdir, a.index if name == "eval" else a.scale_index, a.depth,
                      a.section)
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
