#!/usr/bin/env python3
"""Are the ranking's constants where the judged queries put them? A cross-validated study, run
by hand.

    benchmarks/.venv-relevance/bin/python benchmarks/constants_study.py --scale-index IDX510
        [--only WORD_BONUS,B] [--base NAME=VALUE ...] [--out per-query.json]

Each constant of engine/ranking.py that weighs a score (and BM25F's K1 and B, which Whoosh's
scorer holds) is moved along its GRID, one at a time, the others kept; every judged query of
every set (eval on the bundled index, eval-scale and the held-out sets of relevance.py on the
510 PDFs) is searched at each value. The value is then chosen by leave-one-set-out
cross-validation: for each set, the value with the best mean of the *other* sets' means, and
that value ranks the set left out. A set is the unit left out because the question is whether a
value carries to a set of queries nobody tuned it on, the way the hidden sets are made.

Scores use the added grades (benchmarks/judgments) beside each set's pool; "unjudged" counts the
top-10 results outside both, which score 0: a value that surfaces many of them is under-scored,
so its figure is a floor until they are graded. `--base` starts every value from other
constants (a second round). `--out` keeps every query's figures for a later look.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.engine import ranking  # noqa: E402
from indexer.engine._whoosh import scoring  # noqa: E402
from indexer.engine.searching import Engine  # noqa: E402
from indexer.store import current_generation  # noqa: E402
from relevance import (HELDOUT, HELDOUT_SETS, SHARED, load_evaluator, measure,  # noqa: E402
                       ranked_queries)

# The values each constant is tried at; the one ranking.py holds now is among them.
GRID = {
    "WORD_BONUS": [15.0, 20.0, 30.0, 45.0, 60.0],
    "MIN_WORD_WEIGHT": [0.05, 0.1, 0.15, 0.2, 0.3],
    "HEADING_WEIGHT": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0],
    "HEADING_LOOSE_WEIGHT": [0.0, 0.1, 0.25, 0.5, 0.75, 1.0],
    "EXPANSION_WEIGHT": [0.4, 0.5, 0.6, 0.7, 0.8, 1.0],
    "RELATED_WEIGHT": [0.1, 0.25, 0.4],
    "RELATED_COVER": [0.25, 0.5, 0.75],
    "SCATTERED_COVER": [0.25, 0.5, 0.75],
    "PROXIMITY_WEIGHT": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5],
    "PROXIMITY_SLOP": [1, 2, 4, 6, 8],
    "OPENING_WEIGHT": [0.0, 0.025, 0.05, 0.1],
    "SHAPE_PRIOR.item": [0.8, 0.85, 0.9, 0.95, 1.0],
    "SHAPE_PRIOR.context": [0.3, 0.4, 0.5, 0.6, 0.7],
    "K1": [0.9, 1.2, 1.5, 2.0],
    "B": [0.5, 0.6, 0.75, 0.85, 0.95],
}
BM25 = {"K1": 1.2, "B": 0.75}  # Whoosh's BM25F defaults, which the engine's searcher uses


def current(name: str):
    if name in BM25:
        return BM25[name]
    if "." in name:
        table, key = name.split(".")
        return getattr(ranking, table)[key]
    return getattr(ranking, name)


def set_constant(name: str, value) -> None:
    """Sets a ranking constant (or BM25's, in BM25 for the engines opened next)."""
    if name in BM25:
        BM25[name] = value
    elif "." in name:
        table, key = name.split(".")
        setattr(ranking, table, {**getattr(ranking, table), key: value})
    else:
        setattr(ranking, name, value)


def open_engine(index: Path):
    """An engine whose searcher scores with BM25's constants as they are set now. Searched
    exhaustively: the pruned search's ceilings are not what this study is about."""
    engine = Engine(current_generation(index), exhaustive=True)
    # Before its first search: the length norms and scored postings are made from it.
    engine._searcher_obj = engine.ix.searcher(
        weighting=scoring.BM25F(B=BM25["B"], K1=BM25["K1"]))
    return engine


def judge_all(ev, sets, engines) -> dict[str, list[tuple[str, float, float, int]]]:
    """Per set, per query: (qid, nDCG@10 by the pool, with the added grades, unjudged)."""
    out = {}
    for name, qdir, index in sets:
        rows = []
        for qid, _text, results, official, added, _engine in ranked_queries(
                ev, name, qdir, index, 10, engine=engines[index]):
            pool, more = measure(ev, results, *official, 10), measure(ev, results, *added, 10)
            rows.append((qid, pool[0], more[0], more[3]))
        out[name] = rows
    return out


def set_means(figures: dict, which: int) -> dict[str, float]:
    return {name: sum(r[which] for r in rows) / len(rows) for name, rows in figures.items()}


def cross_validate(per_value: dict, now) -> tuple[dict, dict]:
    """Leave one set out: the value chosen for each set, and that set's figure with it."""
    means = {v: set_means(f, 2) for v, f in per_value.items()}
    names = list(means[now])
    chosen, figure = {}, {}
    for held in names:
        def others(v):
            return sum(m for n, m in means[v].items() if n != held) / (len(names) - 1)
        # Ties keep the value ranking.py holds now.
        chosen[held] = max(means, key=lambda v: (round(others(v), 6), v == now))
        figure[held] = means[chosen[held]][held]
    return chosen, figure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--scale-index", type=Path, required=True)
    ap.add_argument("--only", default="", help="constants to study, comma-separated")
    ap.add_argument("--base", action="append", default=[], metavar="NAME=VALUE",
                    help="start from this value of another constant")
    ap.add_argument("--out", type=Path, help="write every query's figures here (JSON)")
    a = ap.parse_args()
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    for item in a.base:
        name, value = item.split("=")
        set_constant(name, float(value))
    sets = [("eval", SHARED / "eval", a.index),
            ("eval-scale", SHARED / "eval-scale", a.scale_index)]
    sets += [(name, HELDOUT / name, a.scale_index) for name in HELDOUT_SETS]
    names = [n for n in a.only.split(",") if n] or list(GRID)
    kept = {}
    for name in names:
        now = current(name)
        per_value = {}
        for value in GRID[name]:
            set_constant(name, value)
            engines = {index: open_engine(index) for index in {a.index, a.scale_index}}
            per_value[value] = judge_all(ev, sets, engines)
        set_constant(name, now)
        chosen, figure = cross_validate(per_value, now)
        before = set_means(per_value[now], 2)
        print(f"\n{name} (now {now}); mean of set means, +added (pool; unjudged top 10s):")
        for value, figures in per_value.items():
            pool, more = set_means(figures, 1), set_means(figures, 2)
            unjudged = sum(r[3] for rows in figures.values() for r in rows)
            print(f"  {value!s:6} {sum(more.values()) / len(more):.4f} "
                  f"({sum(pool.values()) / len(pool):.4f}; {unjudged})")
        print("  left out: " + ", ".join(f"{n} {before[n]:.3f}->{figure[n]:.3f} [{chosen[n]}]"
                                          for n in before))
        print(f"  cross-validated mean of set means: {sum(before.values()) / len(before):.4f} "
              f"-> {sum(figure.values()) / len(figure):.4f}")
        kept[name] = {str(v): f for v, f in per_value.items()}
    if a.out:
        a.out.write_text(json.dumps(kept), "utf-8")


if __name__ == "__main__":
    main()
