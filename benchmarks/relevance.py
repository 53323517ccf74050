#!/usr/bin/env python3
"""Relevance on every judged query set, ofsted-search beside stock engines on the same paragraphs.

    benchmarks/.venv-relevance/bin/python benchmarks/relevance.py --scale-index IDX510
        [--set NAME QUERIES_DIR INDEX]... [--verbose] [--unjudged] [--ablations]

Sets: `../shared/eval` (20 queries) over the index of the bundled corpus (`index/`), and over an
index of the 510 PDFs (`--scale-index`) `../shared/eval-scale` (16 queries) and the project's
held-out `benchmarks/heldout/own-scale` to `own-scale-6` (16 queries each, see
benchmarks/heldout/README.md); `--set` adds any other folder of the same format (queries.tsv,
qrels.tsv, paragraphs.jsonl) with the index of its corpus. Each system ranks the paragraphs of
that set's index (benchmarks/peers.py: Tantivy's stock BM25 and SQLite FTS5, words OR-ed and
AND-ed), and is judged exactly as ../shared/eval/evaluate.py judges (its functions are imported;
filters are resolved the same way). Results outside the judged pool count as not relevant; the `unjudged`
column says how many of the top 10s were outside it, and --unjudged prints them to read.
--ablations adds the project with one part of its ranking switched off at a time.

benchmarks/judgments/<set>/ (qrels.tsv, paragraphs.jsonl, the shared format) holds grades added
here for results that were outside the shared pool, each read against the query's information
need by one judge: the `+added` columns score with the pool and them, and `still` says how many
results remain unjudged. The shared pool's figure is the official one.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.engine import ranking  # noqa: E402
from indexer.query.glossary import Glossary  # noqa: E402
from indexer.search import SearchParams, search  # noqa: E402
from indexer.store import IndexReader  # noqa: E402
from peers import peers  # noqa: E402

SHARED = ROOT.parent / "shared"
ADDED = ROOT / "benchmarks" / "judgments"
HELDOUT = ROOT / "benchmarks" / "heldout"
# The project's held-out sets over the 510 PDFs, in the order they were made (heldout/README.md).
HELDOUT_SETS = ("own-scale", "own-scale-2", "own-scale-3", "own-scale-4", "own-scale-5",
                "own-scale-6", "own-scale-7", "own-scale-8", "own-scale-9",
                "own-scale-10", "own-scale-11", "own-scale-12", "own-scale-13")

# (label, constant of indexer/engine/ranking.py, value): one part of the ranking switched off
ABLATIONS = [
    ("no shape prior", "SHAPE_PRIOR", {}),
    ("no section prior", "SECTION_PRIOR", {}),
    ("no word tiers", "WORD_BONUS", 0.0),
    ("no heading", "HEADING_WEIGHT", 0.0),
    ("loose words' heading in full", "HEADING_LOOSE_WEIGHT", 1.0),
    ("no proximity", "PROXIMITY_WEIGHT", 0.0),
    ("no opening sentence", "OPENING_WEIGHT", 0.0),
    ("tiers not by rarity", "MIN_WORD_WEIGHT", 1.0),
]


def load_evaluator(path: Path):
    spec = importlib.util.spec_from_file_location("evaluate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resolve(facets: dict, filters: dict) -> dict[str, list[str]]:
    """As evaluate.py: every facet value containing the filter text."""
    chosen = {}
    for name, want in filters.items():
        values = [f["value"] for f in facets.get(name, [])
                  if want.lower() in str(f["value"]).lower()]
        chosen[name] = [str(v) for v in values] or [want]
    return chosen


def in_pool(ev, result: dict, judged: dict, paras: dict) -> bool:
    """Whether a result is one of the judged paragraphs (at any grade), matched as evaluate.py
    matches them."""
    return bool(ev.judge(result, dict.fromkeys(judged, 3), paras, set()))


def measure(ev, results: list[dict], judged: dict, paras: dict, k: int) -> tuple:
    """nDCG@k, recall@k (grade >= 2), reciprocal rank, results outside the pool."""
    seen: set = set()
    grades = [ev.judge(r, judged, paras, seen) for r in results[:k]]
    ideal = sorted(judged.values(), reverse=True)[:k]
    ndcg = ev.dcg(grades) / ev.dcg(ideal) if ev.dcg(ideal) else 0.0
    relevant = [key for key, g in judged.items() if g >= 2]
    recall = sum(1 for g in grades if g >= 2) / min(len(relevant), k) if relevant else 0.0
    rr = next((1 / (i + 1) for i, g in enumerate(grades) if g >= 2), 0.0)
    unjudged = sum(1 for r in results[:k] if not in_pool(ev, r, judged, paras))
    return ndcg, recall, rr, unjudged


def added_judgments(ev, name: str, paras: dict, qrels: dict) -> tuple[dict, dict] | None:
    """The shared pool with this set's added grades (ADDED/<name>), or None without any."""
    folder = ADDED / name
    if not (folder / "qrels.tsv").is_file():
        return None
    paras = dict(paras)
    for line in (folder / "paragraphs.jsonl").read_text("utf-8").splitlines():
        p = json.loads(line)
        paras[(p["seed_file"], p["para_key"])] = ev.norm(p["text"])
    qrels = {qid: dict(judged) for qid, judged in qrels.items()}
    for line in (folder / "qrels.tsv").read_text("utf-8").splitlines():
        qid, seed, key, grade = line.split("\t")
        qrels.setdefault(qid, {})[(seed, key)] = int(grade)
    return paras, qrels


def study_arguments(doc: str, more=None) -> argparse.Namespace:
    """The studies' command line: the two indexes and how deep to re-order; `more(parser)` adds
    a study's own options."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--scale-index", type=Path, required=True)
    ap.add_argument("--depth", type=int, default=50)
    if more:
        more(ap)
    return ap.parse_args()


def ranked_queries(ev, name: str, qdir: Path, index: Path, depth: int, engine=None):
    """For the studies: each query of a set as (qid, text, its top `depth` results as
    ofsted-search ranks them now, (pool grades, paragraphs), (grades with the added ones,
    paragraphs)), searched by `engine` (default: the index's own)."""
    queries, paras, qrels = ev.load(str(qdir))
    added = added_judgments(ev, name, paras, qrels) or (paras, qrels)
    engine = engine or IndexReader(index).engine
    for qid, text, filters, _need in queries:
        chosen = resolve(search(engine, SearchParams(q=text, limit=1))["facets"], filters)
        results = search(engine, SearchParams(q=text, filters=chosen, limit=depth))["results"]
        yield qid, text, results, (qrels[qid], paras), (added[1].get(qid, {}), added[0]), engine


def project(engine, glossary=None):
    def run(text: str, filters: dict, k: int) -> list[dict]:
        return search(engine, SearchParams(q=text, filters=filters, limit=k),
                      glossary=glossary)["results"]
    return run


def judge_set(ev, name: str, qdir: Path, index: Path, a) -> list[tuple[str, list[float]]]:
    """Every system's mean figures on one query set, printed as a table."""
    queries, paras, qrels = ev.load(str(qdir))
    added = added_judgments(ev, name, paras, qrels)
    reader = IndexReader(index)
    engine = reader.engine
    docs = [d for rid in sorted(reader.reports) for d in engine.report_paragraphs(rid)]
    systems = [("ofsted-search", project(engine))]
    if a.ablations:
        systems.append(("  without glossary", project(engine, Glossary([]))))
    systems += [(p.name, p.search) for p in peers(docs)]
    ablations = ABLATIONS if a.ablations else []
    totals = {label: [0.0] * 8 for label, _ in systems}
    totals.update({"  " + label: [0.0] * 8 for label, _, _ in ablations})

    def figures(results, qid):
        official = measure(ev, results, qrels[qid], paras, a.k)
        more = measure(ev, results, added[1][qid], added[0], a.k) if added else (0, 0, 0, 0)
        return official + more

    for qid, text, filters, _need in queries:
        chosen = resolve(search(engine, SearchParams(q=text, limit=1))["facets"], filters)
        rows = {}
        for label, run in systems:
            results = run(text, chosen, a.k)
            rows[label] = figures(results, qid)
            if a.unjudged and label == "ofsted-search":
                for rank, r in enumerate(results[:a.k], 1):
                    if not in_pool(ev, r, qrels[qid], paras):
                        print(f"  unjudged {qid} #{rank} [{r['shape']}] {r['source']}: "
                              f"{r['text'][:160]}")
        for label, constant, value in ablations:
            saved = getattr(ranking, constant)
            setattr(ranking, constant, value)
            try:
                rows["  " + label] = figures(project(engine)(text, chosen, a.k), qid)
            finally:
                setattr(ranking, constant, saved)
        for label, row in rows.items():
            totals[label] = [t + v for t, v in zip(totals[label], row)]
        if a.verbose:
            print(f"  {qid} {text[:40]:40}" + "".join(f"{row[0]:7.3f}" for row in rows.values()))
    n = len(queries)
    print(f"\n{name}: {len(queries)} queries, {len(docs):,} paragraphs of {len(reader.reports)} "
          f"reports ({index})")
    print("system".ljust(42) + f"nDCG@{a.k}".rjust(8) + f"recall@{a.k}".rjust(11)
          + "MRR".rjust(7) + "unjudged".rjust(10)
          + ("   nDCG +added  recall +added  still" if added else ""))
    out = []
    for label, t in totals.items():
        means = [v / n for v in t]
        line = (label.ljust(42) + f"{means[0]:8.3f}{means[1]:11.3f}{means[2]:7.3f}"
                + f"{int(t[3]):6d}/{n * a.k}")
        if added:
            line += f"{means[4]:14.3f}{means[5]:14.3f}{int(t[7]):7d}"
        print(line)
        out.append((label, means))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index",
                    help="index of the bundled corpus, for ../shared/eval")
    ap.add_argument("--scale-index", type=Path,
                    help="index of ../shared/ofsted-pdfs, for ../shared/eval-scale and "
                         "the held-out sets (HELDOUT_SETS)")
    ap.add_argument("--set", nargs=3, action="append", default=[],
                    metavar=("NAME", "QUERIES_DIR", "INDEX"), help="another judged set")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--verbose", action="store_true", help="nDCG of each query, each system")
    ap.add_argument("--unjudged", action="store_true",
                    help="print ofsted-search's results that are outside the judged pool")
    ap.add_argument("--ablations", action="store_true",
                    help="also rank with one part of the ranking switched off at a time")
    a = ap.parse_args()
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    sets = [("eval", SHARED / "eval", a.index)]
    if a.scale_index:
        sets.append(("eval-scale", SHARED / "eval-scale", a.scale_index))
        sets += [(name, HELDOUT / name, a.scale_index) for name in HELDOUT_SETS]
    else:
        print("(no --scale-index: ../shared/eval-scale and the held-out sets are left out)")
    sets += [(name, Path(q), Path(i)) for name, q, i in a.set]
    for name, qdir, index in sets:
        judge_set(ev, name, qdir, index, a)


if __name__ == "__main__":
    main()
