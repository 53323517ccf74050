#!/usr/bin/env python3
"""Relevance on the judged queries of ../shared/eval: ofsted-search beside a plain BM25 baseline.

    python benchmarks/relevance.py [--index index] [--eval ../shared/eval] [--k 10] [--verbose]

Both rank the same paragraphs (those in the index) with the same tokens (the project's stemming
analyzer). The baseline is textbook Okapi BM25 (k1=1.2, b=0.75) over paragraph text, any word
matching, quotes and operators ignored: no heading field, glossary, word tiers or proximity.
A third row, the project with an empty glossary, shows what the glossary adds; --ablations
adds rows with one ranking constant of indexer/engine/ranking.py changed at a time, to show how much each
part contributes and how sensitive the figure is to it. Results are
judged exactly as ../shared/eval/evaluate.py judges them (its functions are imported), and
filters are resolved the same way (every facet value containing the filter text).
"""
from __future__ import annotations

import argparse
import importlib.util
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.engine import ranking as engine_mod  # noqa: E402
from indexer.engine.analysis import tokens  # noqa: E402
from indexer.query.glossary import Glossary  # noqa: E402
from indexer.search import SearchParams, search  # noqa: E402
from indexer.store import IndexReader  # noqa: E402


ABLATIONS = [
    ("no word tiers", "WORD_BONUS", 0.0),
    ("tiers not by rarity", "MIN_WORD_WEIGHT", 1.0),
    ("no proximity", "PROXIMITY_WEIGHT", 0.0),
    ("synonyms x0.3", "EXPANSION_WEIGHT", 0.3),
    ("synonyms x1.0", "EXPANSION_WEIGHT", 1.0),
    ("terms apart count", "SCATTERED_COVER", 1.0),
    ("no related cover", "RELATED_COVER", 0.0),
]


def load_evaluator(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("evaluate", eval_dir / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BM25:
    """Okapi BM25 over paragraph text; a paragraph matching any query word is a result."""

    def __init__(self, docs: list[dict], k1: float = 1.2, b: float = 0.75):
        self.docs, self.k1, self.b = docs, k1, b
        self.tf = [Counter(tokens(d["text"] or "")) for d in docs]
        self.len = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.len) / max(1, len(docs))
        self.df = Counter(t for c in self.tf for t in c)

    def search(self, text: str, filters: dict[str, list[str]], k: int) -> list[dict]:
        words = tokens(re.sub(r"\b(OR|AND|NOT)\b|[\"()*+-]", " ", text))
        n = len(self.docs)
        scored = []
        for i, doc in enumerate(self.docs):
            if any(str(doc.get(f)).lower() not in {v.lower() for v in vals}
                   for f, vals in filters.items()):
                continue
            score = 0.0
            for w in words:
                tf = self.tf[i].get(w, 0)
                if tf:
                    idf = math.log(1 + (n - self.df[w] + 0.5) / (self.df[w] + 0.5))
                    norm = self.k1 * (1 - self.b + self.b * self.len[i] / self.avg)
                    score += idf * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scored.append((score, i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [self.docs[i] for _, i in scored[:k]]


def resolve(facets: dict, filters: dict) -> dict[str, list[str]]:
    """As evaluate.py: every facet value containing the filter text."""
    chosen = {}
    for name, want in filters.items():
        values = [f["value"] for f in facets.get(name, [])
                  if want.lower() in str(f["value"]).lower()]
        chosen[name] = [str(v) for v in values] or [want]
    return chosen


def score(ev, results: list[dict], judged: dict, paras: dict, k: int) -> tuple[float, float, float]:
    seen: set = set()
    grades = [ev.judge(r, judged, paras, seen) for r in results[:k]]
    ideal = sorted(judged.values(), reverse=True)[:k]
    ndcg = ev.dcg(grades) / ev.dcg(ideal) if ev.dcg(ideal) else 0.0
    rel = [key for key, g in judged.items() if g >= 2]
    recall = sum(1 for g in grades if g >= 2) / min(len(rel), k) if rel else 0.0
    rr = next((1 / (i + 1) for i, g in enumerate(grades) if g >= 2), 0.0)
    return ndcg, recall, rr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--verbose", action="store_true", help="one line per query")
    ap.add_argument("--ablations", action="store_true",
                    help="also rank with one engine constant changed at a time")
    a = ap.parse_args()
    ev = load_evaluator(a.eval)
    queries, paras, qrels = ev.load(str(a.eval))
    reader = IndexReader(a.index)
    engine = reader.engine
    docs = [d for rid in sorted(reader.reports) for d in engine.report_paragraphs(rid)]
    baseline = BM25(docs)
    no_glossary = Glossary([])

    systems = ("ofsted-search", "without glossary", "plain BM25")
    totals = {s: [0.0, 0.0, 0.0] for s in systems}
    if a.verbose:
        print("query".ljust(48) + "".join(s[:16].rjust(18) for s in systems))
    for qid, text, filters, _ in queries:
        facets = search(engine, SearchParams(q=text, limit=a.k))["facets"]
        chosen = resolve(facets, filters)
        runs = {
            "ofsted-search": search(engine, SearchParams(q=text, filters=chosen, limit=a.k)),
            "without glossary": search(engine, SearchParams(q=text, filters=chosen, limit=a.k),
                                       glossary=no_glossary),
        }
        results = {name: run["results"] for name, run in runs.items()}
        results["plain BM25"] = baseline.search(text, chosen, a.k)
        row = {}
        for s in systems:
            row[s] = score(ev, results[s], qrels[qid], paras, a.k)
            for i in range(3):
                totals[s][i] += row[s][i]
        if a.verbose:
            print(f"{qid} {text[:44]}".ljust(48)
                  + "".join(f"{row[s][0]:18.3f}" for s in systems))
    n = len(queries)
    if a.ablations:
        for label, name, value in ABLATIONS:
            saved = getattr(engine_mod, name)
            setattr(engine_mod, name, value)
            try:
                row = [0.0, 0.0, 0.0]
                for qid, text, filters, _ in queries:
                    facets = search(engine, SearchParams(q=text, limit=a.k))["facets"]
                    res = search(engine, SearchParams(q=text, filters=resolve(facets, filters),
                                                      limit=a.k))["results"]
                    for i, v in enumerate(score(ev, res, qrels[qid], paras, a.k)):
                        row[i] += v
            finally:
                setattr(engine_mod, name, saved)
            systems += (label,)
            totals[label] = row
    print(f"{len(docs)} paragraphs, {len(reader.reports)} reports, {n} queries, k={a.k}")
    print("system".ljust(20) + f"nDCG@{a.k}".rjust(10) + f"recall@{a.k}".rjust(12) + "MRR".rjust(8))
    for s in systems:
        nd, rc, rr = (t / n for t in totals[s])
        print(s.ljust(20) + f"{nd:10.3f}{rc:12.3f}{rr:8.3f}")


if __name__ == "__main__":
    main()
