#!/usr/bin/env python3
"""A bigger corpus with realistic term statistics, for latency at scale: an index holding the
reports of an index built from the PDFs, and `--times - 1` more copies of made-up reports whose
paragraphs are drawn at random from those reports' paragraphs.

    python benchmarks/scaled_index.py --from /tmp/speed510 --to /tmp/speed3x [--times 3] [--seed 12]

Recipe: copy 0 is every parsed report as it is. Each further copy has one made-up report per real
report: it takes the metadata of a real report drawn at random (authority, type, dates, so the
facets and date order stay realistic), a new report_id, and as many paragraphs as that report,
each drawn at random (with replacement, seeded) from all the real paragraphs with its heading,
section, grade and text, renumbered in reading order. Every word's document frequency thus grows
about `--times` fold, as it would with more reports of the same kind, and paragraph lengths and
word co-occurrence within paragraphs are real. The index is written with
indexer.engine.write_index (two processes), as `build` writes one, and published as a generation
with a manifest of this code's versions so that `serve --index` serves it as it is.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import engine, store  # noqa: E402
from indexer.build import MANIFEST, code_versions  # noqa: E402
from indexer.cache import ExtractionCache  # noqa: E402
from indexer.model import Report  # noqa: E402


def real_reports(index_dir: Path) -> list[Report]:
    generation = store.current_generation(index_dir)
    summaries = json.loads((generation / store.REPORTS_FILE).read_text("utf-8"))
    cache = ExtractionCache(Path(index_dir) / "cache")
    reports = [cache.get(s["report_id"]) for s in summaries]
    missing = sum(not isinstance(r, Report) for r in reports)
    if missing:
        raise SystemExit(f"{missing} reports are not in {index_dir}/cache: rebuild that index")
    return reports


def made_up(reports: list[Report], copy: int, rng: random.Random) -> list[Report]:
    pool = [p for r in reports for p in r.paragraphs]
    out = []
    for k, template in enumerate(reports):
        like = rng.choice(reports)
        rid = hashlib.sha256(f"{template.report_id}/{copy}".encode()).hexdigest()[:16]
        paragraphs = [dataclasses.replace(rng.choice(pool), position=i)
                      for i in range(len(template.paragraphs))]
        out.append(dataclasses.replace(like, report_id=rid, source=f"scaled/{copy}/{k}.pdf",
                                       url=None, paragraphs=paragraphs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="source", type=Path, required=True,
                    help="an index built from the PDFs (its cache holds the parsed reports)")
    ap.add_argument("--to", type=Path, required=True, help="the new index folder")
    ap.add_argument("--times", type=int, default=3)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    start = time.perf_counter()
    reports = real_reports(a.source)
    rng = random.Random(a.seed)
    every = list(reports)
    for copy in range(1, a.times):
        every += made_up(reports, copy, rng)
    a.to.mkdir(parents=True, exist_ok=True)
    generation = store.new_generation_dir(a.to)
    n = engine.write_index(generation, (d for r in every for d in r.documents()), jobs=a.jobs)
    store.write_reports(generation, [r.summary() for r in every])
    paragraphs = sum(len(r.paragraphs) for r in every)
    manifest = dict(code_versions(), corpus=f"scaled x{a.times} of {a.source}",
                    reports=len(every), paragraphs=paragraphs, files={}, indexed=[],
                    skipped=[], notes=[])
    (generation / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    store.publish_generation(a.to, generation)
    print(f"{len(every)} reports, {paragraphs} paragraphs ({n} written) in "
          f"{time.perf_counter() - start:.0f} s: {generation}")


if __name__ == "__main__":
    main()
