#!/usr/bin/env python3
"""A bounded soak: clients searching `ofsted-search serve` while the index is rebuilt and
switched underneath, watching errors, latency over time and each process's memory.

    python benchmarks/soak.py [--pdfs ../shared/ofsted-pdfs] [--minutes 10] [--clients 4]
        [--rebuilds 3] [--processes N] [--index DIR] [--out DIR]

Builds the index of --pdfs first (unless --index names one already built from them), starts the
server on 127.0.0.1 at a free port, and runs --clients client threads for --minutes (bounded:
at most 400,000 requests in all, and never past 1.5 times --minutes). Meanwhile it runs
--rebuilds builds, evenly spaced, one after the other, each switching in a new generation: by
default (`--plan changed,full,changed`) the first removes 10 reports from the corpus (a private
copy of --pdfs) and the last puts them back, incremental builds that copy the live generation and
rewrite what changed, and the second is `build --full`, which writes a whole new one. It records every request's status and latency, the
resident memory (VmRSS) of the server's processes every 10 s, and which generation each worker
has mapped at the end. Prints a JSON report and writes it to OUT/soak.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from indexer import store  # noqa: E402
from indexer.cli import default_processes  # noqa: E402
from latency import QUERIES  # noqa: E402  (the latency benchmark's searches)

MAX_REQUESTS = 400_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> dict | None:
    """VmRSS, and its parts: RssAnon (the heap) and RssFile (mapped files: the index's segments,
    shared page cache)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    out = {line.split(":")[0]: int(line.split()[1]) for line in status
           if line.split(":")[0] in ("VmRSS", "RssAnon", "RssFile")}
    return out or None


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(out))


def mapped_generations(pid: int) -> list[str]:
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    return sorted({part for line in maps.splitlines() for part in line.split("/")
                   if part.startswith("gen-")})


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "ofsted-pdfs")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--plan", default="changed,full,changed",
                    help="the rebuilds, in order: 'full' (build --full) or 'changed' (10 reports "
                         "removed, or put back, then a build)")
    ap.add_argument("--processes", type=int, default=default_processes())
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--window", type=float, default=60.0, help="seconds per latency window")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "indexer.cli"]

    plan = args.plan.split(",")
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    corpus = work / "corpus"
    shutil.copytree(args.pdfs, corpus)  # a copy: the plan removes and restores reports
    moved = sorted(corpus.rglob("*.pdf"))[::51][:10]
    index_dir = args.index or work / "index"
    # The index must have been built from this copy (its paths); one given by --index is reused
    # with its cache, so building it here again only re-reads the copy's files.
    print(f"building {index_dir} ...", file=sys.stderr)
    subprocess.run(exe + ["build", "--index", str(index_dir), "--corpus", str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(work / "server.log", "w")
    server = subprocess.Popen(exe + ["serve", "--index", str(index_dir), "--corpus",
                                     str(corpus), "--port", str(port), "--processes",
                                     str(args.processes)],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # Report ids for report pages, and a first pass over every query to warm each worker.
        report_ids = set()
        for q in QUERIES * 2:
            with urllib.request.urlopen(f"{base}/api/search?"
                                        + urllib.parse.urlencode({"q": q, "limit": 20})) as r:
                report_ids |= {h["report_id"] for h in json.load(r)["results"]}
        report_ids = sorted(report_ids)
        time.sleep(2)
        pids = [server.pid] + children(server.pid)
        memory = {pid: [] for pid in pids}
        results: list[tuple[float, float, int, str]] = []  # (start, seconds, status, path)
        lock = threading.Lock()
        t0 = time.monotonic()
        duration = args.minutes * 60
        hard_end = t0 + duration * 1.5
        done = threading.Event()
        builds: list[dict] = []
        builds_done = threading.Event()

        def sample_memory():
            while not done.is_set():
                for pid in pids:
                    memory[pid].append((round(time.monotonic() - t0, 1), rss_kib(pid)))
                done.wait(10)

        def client(seed: int):
            rng = random.Random(seed)
            while not done.is_set():
                q = rng.choice(QUERIES)
                kind = rng.random()
                if kind < 0.6:
                    path = "/search?" + urllib.parse.urlencode({"q": q})
                elif kind < 0.8:
                    path = "/api/search?" + urllib.parse.urlencode({"q": q, "limit": 10})
                elif kind < 0.9:
                    path = "/search?" + urllib.parse.urlencode(
                        {"q": q, "section": "Help and protection", "sort": "newest"})
                else:
                    path = f"/reports/{rng.choice(report_ids)}"
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                except Exception as e:  # refused, reset, timed out: an error all the same
                    status = -1
                    path += f" ({type(e).__name__})"
                with lock:
                    results.append((started - t0, time.monotonic() - started, status, path))
                    if len(results) >= MAX_REQUESTS:
                        done.set()

        def rebuild():
            removed = False
            for k, how in enumerate(plan, 1):
                at = t0 + duration * k / (len(plan) + 1)
                while time.monotonic() < at and not done.is_set():
                    time.sleep(0.5)
                if done.is_set():
                    break
                before = store.current_generation(index_dir)
                start = time.monotonic()
                if how == "changed":  # hidden files are not part of the corpus
                    for path in moved:
                        hidden = path.with_name("." + path.name)
                        os.rename(*((path, hidden) if not removed else (hidden, path)))
                    removed = not removed
                proc = subprocess.run(exe + ["build", "--json", "--index", str(index_dir),
                                             "--corpus", str(corpus)]
                                      + (["--full"] if how == "full" else []),
                                      capture_output=True, text=True)
                after = store.current_generation(index_dir)
                try:
                    summary = json.loads(proc.stdout)
                except ValueError:
                    summary = {"error": proc.stderr[-500:]}
                builds.append({"how": how, "reports": summary.get("reports"),
                               "error": summary.get("error"),
                               "build_seconds": summary.get("seconds"),
                               "started_s": round(start - t0, 1),
                               "seconds": round(time.monotonic() - start, 1),
                               "exit": proc.returncode,
                               "switched": bool(after and before and after != before),
                               "generation": after.name if after else None})
            builds_done.set()

        threads = [threading.Thread(target=sample_memory, daemon=True),
                   threading.Thread(target=rebuild, daemon=True)]
        threads += [threading.Thread(target=client, args=(k,), daemon=True)
                    for k in range(args.clients)]
        for t in threads:
            t.start()
        # Run for the duration, and on until the last rebuild is served (bounded by hard_end).
        while time.monotonic() < hard_end and not done.is_set():
            if time.monotonic() >= t0 + duration and builds_done.is_set():
                break
            time.sleep(1)
        time.sleep(0 if done.is_set() else 0)
        done.set()
        for t in threads[2:]:
            t.join(timeout=70)
        for pid in pids:
            memory[pid].append((round(time.monotonic() - t0, 1), rss_kib(pid)))
        generations_mapped = {pid: mapped_generations(pid) for pid in pids}
        threads[1].join(timeout=300)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()

    windows = []
    end = max((r[0] for r in results), default=0)
    w = 0.0
    while w <= end:
        inside = [r for r in results if w <= r[0] < w + args.window]
        ok = [r[1] for r in inside if r[2] == 200]
        windows.append({"from_s": int(w), "requests": len(inside),
                        "errors": sum(1 for r in inside if r[2] != 200),
                        "p50_ms": round(1000 * statistics.median(ok)) if ok else None,
                        "p95_ms": round(1000 * percentile(ok, 0.95)) if ok else None,
                        "building": any(b["started_s"] <= w + args.window
                                        and w <= b["started_s"] + b["seconds"] for b in builds)})
        w += args.window
    errors = [r for r in results if r[2] != 200]
    # A report removed by a rebuild is a 404 for a client holding its id from before: right.
    server_errors = [r for r in results if r[2] >= 500 or r[2] < 0]
    mem = {}
    for pid, samples in memory.items():
        values = [v for _, v in samples if v]
        if values:
            rss = [v["VmRSS"] for v in values]
            mem[str(pid)] = {"role": "main" if pid == server.pid else "worker",
                             "start_mib": round(rss[0] / 1024), "end_mib": round(rss[-1] / 1024),
                             "peak_mib": round(max(rss) / 1024),
                             "growth_pct": round(100 * (rss[-1] / rss[0] - 1), 1),
                             "anon_start_end_mib": [round(values[0].get("RssAnon", 0) / 1024),
                                                    round(values[-1].get("RssAnon", 0) / 1024)],
                             "file_start_end_mib": [round(values[0].get("RssFile", 0) / 1024),
                                                    round(values[-1].get("RssFile", 0) / 1024)],
                             "samples_mib": [(t, round(v["VmRSS"] / 1024)) for t, v in samples
                                             if v]}
    ok = [r[1] for r in results if r[2] == 200]
    report = {
        "minutes": args.minutes, "clients": args.clients, "processes": args.processes,
        "requests": len(results), "errors": len(errors), "server_errors": len(server_errors),
        "error_examples": [f"{r[2]} {r[3]}" for r in errors[:10]],
        "p50_ms": round(1000 * statistics.median(ok)) if ok else None,
        "p95_ms": round(1000 * percentile(ok, 0.95)) if ok else None,
        "elapsed_s": round(end),
        "builds": builds, "windows": windows, "memory": mem,
        "generations_mapped_at_end": {str(k): v for k, v in generations_mapped.items()},
        "load_average_at_end": os.getloadavg(),
        "server_log_tail": (work / "server.log").read_text()[-2000:],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    if args.index is None:
        shutil.rmtree(work / "index", ignore_errors=True)


if __name__ == "__main__":
    main()
