#!/usr/bin/env python3
"""Pool a judged query set's candidates for grading: the top DEPTH of ofsted-search and of the two
stock peers of benchmarks/peers.py, over the paragraphs of one index.

    benchmarks/.venv-relevance/bin/python benchmarks/heldout/pool.py QUERIES_DIR INDEX \
        [--depth 15] [--seed 13] [--out SHEET.jsonl]

QUERIES_DIR holds queries.tsv in the shared format (id, query, filters JSON, information need).
ofsted-search runs in-process as benchmarks/relevance.py runs it, with the filters resolved as
evaluate.py resolves them (relevance.py's `resolve`); the peers are the stock ones (Tantivy's
BM25 and FTS5 with every word required: the classes of `peers(docs)` named "stock"). The
results are unioned per query and deduplicated on (report file, evaluate.py's `norm(text)`),
which is what evaluate.py's `judge` tells apart, so two reports with the same sentence keep a
line each. The grading sheet (default QUERIES_DIR/pool-sheet.jsonl) has one JSON line per
(query, paragraph), shuffled with a fixed seed, and says nothing of which system found a
paragraph or at what rank: grade it blind by filling in "grade" (0-3). `--write` then turns a
graded sheet into qrels.tsv and paragraphs.jsonl beside queries.tsv, in the shared format.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer.search import SearchParams, search  # noqa: E402
from indexer.store import IndexReader  # noqa: E402
from peers import peers  # noqa: E402
from relevance import SHARED, load_evaluator, project, resolve  # noqa: E402


def pool(qdir: Path, index: Path, depth: int, seed: int) -> list[dict]:
    ev = load_evaluator(SHARED / "eval" / "evaluate.py")
    reader = IndexReader(index)
    engine = reader.engine
    docs = [d for rid in sorted(reader.reports) for d in engine.report_paragraphs(rid)]
    by_id = {d["id"]: d for d in docs}
    systems = [("ofsted-search", project(engine))]
    systems += [(p.name, p.search) for p in peers(docs) if "stock" in p.name.lower()]
    assert len(systems) == 3, [name for name, _ in systems]
    sheet = []
    for line in (qdir / "queries.tsv").read_text("utf-8").splitlines():
        qid, text, filters, need = line.split("\t")
        chosen = resolve(search(engine, SearchParams(q=text, limit=1))["facets"],
                         json.loads(filters))
        seen = set()
        for _name, run in systems:
            for r in run(text, chosen, depth)[:depth]:
                d = by_id.get(r["id"], r)
                key = (d["source"], ev.norm(d["text"]))
                if key in seen:
                    continue
                seen.add(key)
                sheet.append({"qid": qid, "query": text, "filters": chosen, "need": need,
                              "seed_file": d["source"], "para_key": d["id"],
                              "authority": d["authority"], "report_type": d["report_type"],
                              "year": int(d["year"]), "page": int(d["page"]),
                              "section": d.get("section"), "heading": d.get("heading"),
                              "text": d["text"], "grade": None})
    random.Random(seed).shuffle(sheet)
    return sheet


def write(qdir: Path, sheet: Path) -> None:
    """qrels.tsv and paragraphs.jsonl from a graded sheet, in the shared format."""
    rows = [json.loads(line) for line in sheet.read_text("utf-8").splitlines() if line.strip()]
    missing = [r for r in rows if r.get("grade") not in (0, 1, 2, 3)]
    if missing:
        sys.exit(f"{len(missing)} lines of {sheet} are not graded 0-3")
    order = {line.split("\t")[0]: n for n, line in
             enumerate((qdir / "queries.tsv").read_text("utf-8").splitlines())}
    rows.sort(key=lambda r: (order[r["qid"]], r["seed_file"], r["para_key"]))
    with open(qdir / "qrels.tsv", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(f"{r['qid']}\t{r['seed_file']}\t{r['para_key']}\t{r['grade']}\n")
    with open(qdir / "paragraphs.jsonl", "w", encoding="utf-8") as f:
        done = set()
        for r in sorted(rows, key=lambda r: (r["seed_file"], r["para_key"])):
            if (r["seed_file"], r["para_key"]) in done:
                continue
            done.add((r["seed_file"], r["para_key"]))
            f.write(json.dumps({k: r[k] for k in ("seed_file", "para_key", "text", "authority",
                                                  "report_type", "year", "page")},
                               ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("queries", type=Path, help="folder with queries.tsv")
    ap.add_argument("index", type=Path, nargs="?", help="index of the set's corpus")
    ap.add_argument("--depth", type=int, default=15)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, help="grading sheet (default QUERIES/pool-sheet.jsonl)")
    ap.add_argument("--write", action="store_true",
                    help="write qrels.tsv and paragraphs.jsonl from the graded sheet")
    a = ap.parse_args()
    out = a.out or a.queries / "pool-sheet.jsonl"
    if a.write:
        write(a.queries, out)
        return
    if a.index is None:
        ap.error("INDEX is needed to pool")
    sheet = pool(a.queries, a.index, a.depth, a.seed)
    with open(out, "w", encoding="utf-8") as f:
        for row in sheet:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    per = {}
    for row in sheet:
        per[row["qid"]] = per.get(row["qid"], 0) + 1
    print(f"{len(sheet)} (query, paragraph) pairs to grade -> {out}")
    print("  ".join(f"{q} {n}" for q, n in sorted(per.items())))


if __name__ == "__main__":
    main()
