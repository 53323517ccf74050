#!/usr/bin/env python3
"""Would a paragraph's opening words make a better ranking? A cross-validated study, run by hand.

    .venv/bin/python benchmarks/opening_study.py --scale-index IDX510 [--depth 50]

Ofsted's paragraphs mostly open with a topic sentence ("Disabled children receive ..."), so a
paragraph naming the query's words in its first words may be *about* them rather than mention
them. The study re-orders each query's top `--depth` results by

    score + c x (the word bonus, engine/compiler.py, of every typed word found in the opening)

for openings of the first sentence, the first 12 and the first 20 words, and picks c by
leave-one-query-out cross-validation over both judged sets together (36 queries): for each
query, c is the value in GRID with the best mean nDCG@10 on the other 35, and that c ranks the
query left out. It prints the pooled figure (`official`) and the figure with
benchmarks/judgments' added grades, before and after, per set. It starts from the ranking with
ranking.OPENING_WEIGHT at 0 (the bonus as it is now built in is what this study chose) and also
tries the opposite end, the last sentence, as a check that the first is not noise.
Results of the re-ordered list that are outside both pools count as not relevant.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.engine import ranking  # noqa: E402
from indexer.engine.analysis import stemmed_words  # noqa: E402
from indexer.engine.compiler import Compiler  # noqa: E402
from indexer.engine.queries import Score  # noqa: E402
from indexer.query.glossary import default_glossary  # noqa: E402
from indexer.query.language import parse, without_filler_words  # noqa: E402
from relevance import SHARED, load_evaluator, ranked_queries, study_arguments  # noqa: E402

GRID = [0.0, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3]
OPENINGS = {"first sentence": None, "first 12 words": 12, "first 20 words": 20,
            "last sentence": -1}
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s")


def opening(text: str, words: int | None) -> set[str]:
    """The stems of the first sentence (None), the first `words` words, or the last sentence
    (-1)."""
    if words is None:
        text = SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    elif words < 0:
        text = SENTENCE_END.split(text.strip())[-1]
    found = [w for w, _, _ in stemmed_words(text)]
    return set(found[:words] if words and words > 0 else found)


def word_bonuses(engine, text: str) -> dict[str, float]:
    """The word bonus of each typed word the compiler gives an opening bonus to (the words of
    the query's slots), read from the query it compiles with OPENING_WEIGHT 1, so that the
    study weighs the words the engine does, as it does."""
    saved, ranking.OPENING_WEIGHT = ranking.OPENING_WEIGHT, 1.0
    try:
        compiled = Compiler(engine.table, engine._searcher().reader()).compile(
            without_filler_words(default_glossary().expand(parse(text).tree)[0]))
    finally:
        ranking.OPENING_WEIGHT = saved
    return {node.child.text: node.add for node in _nodes(compiled)
            if isinstance(node, Score) and getattr(node.child, "fieldname", None) == "opening"}


def _nodes(node):
    yield node
    for child in getattr(node, "subqueries", None) or [getattr(node, "child", None)]:
        if child is not None:
            yield from _nodes(child)


def collect(ev, name: str, qdir: Path, index: Path, depth: int) -> list[dict]:
    """Each query's top `depth` results with their scores and opening bonuses."""
    out = []
    for _qid, text, results, official, added, engine in ranked_queries(ev, name, qdir, index,
                                                                       depth):
        bonus = word_bonuses(engine, text)
        extra = {label: [sum(b for t, b in bonus.items() if t in opening(r["text"], words))
                         for r in results] for label, words in OPENINGS.items()}
        out.append({"set": name, "results": results, "extra": extra,
                    "judged": {"official": official, "+added": added}})
    return out


def ndcg(ev, query: dict, label: str, c: float, which: str) -> float:
    scores = [r["score"] + c * e for r, e in zip(query["results"], query["extra"][label])]
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:10]
    judged, paras = query["judged"][which]
    seen: set = set()
    grades = [ev.judge(query["results"][i], judged, paras, seen) for i in order]
    ideal = ev.dcg(sorted(judged.values(), reverse=True)[:10])
    return ev.dcg(grades) / ideal if ideal else 0.0


def main() -> None:
    a = study_arguments(__doc__)
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    # The study starts from the ranking without the bonus it studies (ranking.OPENING_WEIGHT,
    # the value this study chose): c = 0 is that ranking, c = 0.025 today's.
    ranking.OPENING_WEIGHT = 0.0
    queries = (collect(ev, "eval", SHARED / "eval", a.index, a.depth)
               + collect(ev, "eval-scale", SHARED / "eval-scale", a.scale_index, a.depth))
    for label in OPENINGS:
        for which in ("official", "+added"):
            table = {q_i: {c: ndcg(ev, q, label, c, which) for c in GRID}
                     for q_i, q in enumerate(queries)}
            chosen = {}
            for q_i in table:
                rest = [t for j, t in table.items() if j != q_i]
                chosen[q_i] = max(GRID, key=lambda c: (sum(t[c] for t in rest), -c))
            line = [f"{label:15} {which:9}"]
            for name in ("eval", "eval-scale"):
                mine = [i for i, q in enumerate(queries) if q["set"] == name]
                before = sum(table[i][0.0] for i in mine) / len(mine)
                after = sum(table[i][chosen[i]] for i in mine) / len(mine)
                line.append(f"{name} {before:.3f} -> {after:.3f}")
            picked = sorted(set(chosen.values()))
            print("  ".join(line) + f"   c chosen: {picked}")


if __name__ == "__main__":
    main()
