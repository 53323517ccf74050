#!/usr/bin/env python3
"""Where a search's time goes, in one process on one core: every search of latency.py's query
lists run through the search API with the engine as it serves (pruned: only paragraphs that can
reach the page are scored) and, as the baseline in the same run, with the exhaustive executor
(every match scored, as before issue 12), and the pruned engine listing every copy of a repeated
wording ("unfolded": the search before repeated wording was folded); CPU time per search, the slowest of each list, and
the whole page (the same search through the web app's /search, template rendering included).
"cold" is the pruned search with the decoded-postings cache emptied just before it (what a query
of words no recent search used costs); the other columns are the fastest of `--repeat` runs.
Every search's JSON is also compared, pruned against exhaustive (by relevance, and by newest on
page 2): they must be identical.

    python benchmarks/search_profile.py [--index index] [--lists eval,scale,common,benchmark]
        [--repeat 3] [--reference] [--profile 25]

`--reference` adds Whoosh's own matchers (Engine(reference=True): how searches ran before issue 6;
slow). `--profile N` prints cProfile's N most expensive functions over every whole page of the
pruned engine. No server, no concurrency, no Datasette.
"""
from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from latency import LISTS, cases, ours_url  # noqa: E402

from indexer.engine import Engine  # noqa: E402
from indexer.search import SearchParams, search  # noqa: E402
from indexer.store import current_generation  # noqa: E402


def params_of(q: str, filters: list[tuple[str, str]]) -> SearchParams:
    grouped: dict[str, list[str]] = {}
    for f, v in filters:
        grouped.setdefault(f, []).append(v)
    return SearchParams(q=q, filters=grouped)


def cpu_ms(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--lists", default="eval,scale,common,benchmark",
                    help=f"query lists, comma-separated, of {', '.join(LISTS)}")
    ap.add_argument("--repeat", type=int, default=3, help="runs per search; the fastest counts")
    ap.add_argument("--reference", action="store_true", help="also time Whoosh's own matchers")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print cProfile's N most expensive functions (whole pages, pruned)")
    a = ap.parse_args()
    print("load average at start:", " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
    generation = current_generation(a.index) or a.index
    engines = {"pruned": Engine(generation), "exhaustive": Engine(generation, exhaustive=True)}
    if a.reference:
        engines["whoosh"] = Engine(generation, reference=True)
    from webapp import create_app
    client = create_app(index_dir=a.index).test_client()
    for engine in engines.values():
        engine.warm()
    lists = [x for x in a.lists.split(",") if x]
    searches = {name: cases(name) for name in lists}
    for q, f in (c for name in lists for c in searches[name]):  # warm the report anchors too
        client.get(ours_url("", q, f))
    names = ["cold"] + list(engines) + ["unfolded"]
    everything = []
    differ = compared = 0  # whole search JSON, pruned against exhaustive
    for lname in lists:
        print(f"\n[{lname}] CPU ms per search" + "".join(f" {n:>10}" for n in names)
              + f" {'page':>8}  matches")
        rows = []
        for q, f in searches[lname]:
            p = params_of(q, f)
            engines["pruned"].cache.clear()
            cold = cpu_ms(lambda: search(engines["pruned"], p), 1)
            times = [cold] + [cpu_ms(lambda e=e: search(e, p), a.repeat if n != "whoosh" else 1)
                     for n, e in engines.items()]
            every = dataclasses.replace(p, fold=False)
            times.append(cpu_ms(lambda: search(engines["pruned"], every), a.repeat))
            page = cpu_ms(lambda: client.get(ours_url("", q, f)), a.repeat)
            total = search(engines["pruned"], p)["total"]
            rows.append((q, f, times, page, total))
            for same in (p, dataclasses.replace(p, sort="newest", page=2)):
                differ += search(engines["pruned"], same) != search(engines["exhaustive"], same)
                compared += 1
            label = (q + (" | " + ",".join(v for _, v in f) if f else ""))[:44]
            print(f"{label:44}" + "".join(f" {t:10.1f}" for t in times) + f" {page:8.1f}  {total}")
        everything += rows
        _summary(lname, rows, names)
    _summary("all lists", everything, names)
    print(f"pruned and exhaustive search JSON identical in {compared - differ} of {compared} "
          "searches (each search by relevance, and by newest, page 2)")
    print("load average at end:", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if a.profile:
        profile = cProfile.Profile()
        profile.enable()
        for lname in lists:
            for q, f in searches[lname]:
                client.get(ours_url("", q, f))
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(a.profile)


def _summary(lname: str, rows: list, names: list[str]) -> None:
    for k, n in enumerate(names):
        ms = [r[2][k] for r in rows]
        slowest = max(rows, key=lambda r: r[2][k])
        print(f"  {lname} {n}: mean {sum(ms) / len(ms):.1f} ms, slowest {max(ms):.1f} ms "
              f"({slowest[0]!r}{' + ' + str(slowest[1]) if slowest[1] else ''})")
    pages = [r[3] for r in rows]
    slowest = max(rows, key=lambda r: r[3])
    print(f"  {lname} whole page (pruned): mean {sum(pages) / len(pages):.1f} ms, slowest "
          f"{max(pages):.1f} ms ({slowest[0]!r})")
    if "exhaustive" in names:
        k, j = names.index("pruned"), names.index("exhaustive")
        print(f"  {lname} ratio of totals cold / exhaustive: "
              f"{sum(r[2][0] for r in rows) / sum(r[2][j] for r in rows):.2f}")
        print(f"  {lname} ratio of totals pruned / exhaustive: "
              f"{sum(r[2][k] for r in rows) / sum(r[2][j] for r in rows):.2f}")
    if "unfolded" in names:
        k, j = names.index("pruned"), names.index("unfolded")
        print(f"  {lname} ratio of totals folded / unfolded (pruned): "
              f"{sum(r[2][k] for r in rows) / sum(r[2][j] for r in rows):.2f}")


if __name__ == "__main__":
    main()
