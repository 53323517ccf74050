#!/usr/bin/env python3
"""Search latency under concurrent load: ofsted-search's /search beside Datasette (SQLite FTS5 with
facets on authority, section and grade) serving the same paragraphs, in one run.

    python benchmarks/latency.py --index index [--clients 4] [--rounds 3] [--processes N]
        [--lists benchmark,eval,scale,common] [--max-seconds 600]

Query lists (`--lists`, all four by default, each measured on its own in the same run, both
servers started once): `benchmark` is QUERIES below; `eval` and `scale` are
../shared/eval/queries.tsv and ../shared/eval-scale/queries.tsv (queries a user would type,
never tuned for), `common` is benchmarks/queries_common.tsv (20 queries of common sector words,
written before issue 12's work and kept unchanged). Every query runs alone (with the filters its
list gives it) and again with a section filter. Each list's load stops after its requests or
`--max-seconds`, whichever comes first.

Needs Datasette in its own environment (never a project dependency):
    python3 -m venv benchmarks/.venv-datasette && benchmarks/.venv-datasette/bin/pip install datasette

Both servers get the same queries from the same number of client threads, in alternating rounds
so that machine noise falls on both; the figure that matters is the ratio, not the times.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.cli import default_processes  # noqa: E402
from indexer.store import IndexReader  # noqa: E402

# What users type: sector terms, phrases, acronyms, single words with big match sets.
QUERIES = [
    "return home interviews", "CSE", "IRO caseloads", "social worker turnover", '"core groups"',
    "private fostering", "corporate parenting", "CAMHS waiting", "care leavers accommodation",
    "management oversight", "early help", "neglect", "adoption timeliness", "pathway plans",
    "missing from care", "supervision", "domestic abuse", "LADO", "children", "quality assurance",
]
FILTERS = [None, ("section", "Help and protection")]
LIST_FILES = {"eval": ROOT.parent / "shared/eval/queries.tsv",
              "scale": ROOT.parent / "shared/eval-scale/queries.tsv",
              "common": ROOT / "benchmarks/queries_common.tsv"}
LISTS = ["benchmark", "eval", "scale", "common"]


def read_list(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(query, [(facet, value)...]) of a TSV of id, query, filters as JSON (more columns ignored)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2 or not cols[1].strip():
            continue
        filters = json.loads(cols[2]) if len(cols) > 2 and cols[2].strip() else {}
        out.append((cols[1], [(f, str(v)) for f, vals in filters.items()
                              for v in (vals if isinstance(vals, list) else [vals])]))
    return out


def cases(name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """A list's searches: each query alone, then with a section filter added."""
    queries = [(q, []) for q in QUERIES] if name == "benchmark" else read_list(LIST_FILES[name])
    return [(q, filters + ([extra] if extra else [])) for q, filters in queries
            for extra in FILTERS]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def export_sqlite(index_dir: Path, db_path: Path) -> int:
    """The index's paragraphs as a SQLite table with an FTS5 index, as Datasette serves them."""
    reader = IndexReader(index_dir)
    db = sqlite3.connect(db_path)
    db.execute("create table paragraphs (id text primary key, report_id text, authority text, "
               "report_type text, year integer, section text, grade text, heading text, "
               "para_number text, text text)")
    n = 0
    for report_id in reader.reports:
        rows = [(p["id"], p["report_id"], p["authority"], p["report_type"], p["year"],
                 p["section"], p["grade"], p["heading"], p["para_number"], p["text"])
                for p in reader.engine.report_paragraphs(report_id)]
        db.executemany("insert into paragraphs values (?,?,?,?,?,?,?,?,?,?)", rows)
        n += len(rows)
    for col in ("authority", "section", "grade", "year"):
        db.execute(f"create index idx_{col} on paragraphs({col})")
    # Porter stemming, as ofsted-search stems: the same matching work on both sides.
    db.execute("create virtual table paragraphs_fts using fts5(heading, text, "
               "content='paragraphs', tokenize='porter')")
    db.execute("insert into paragraphs_fts(rowid, heading, text) "
               "select rowid, heading, text from paragraphs")
    db.commit()
    db.close()
    return n


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {url}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {url}")


def rss_mib(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak, in MiB, of the process and its children (a server's
    worker processes) added up: pages they share (the index file, libraries) count once each."""
    now = peak = 0.0
    for p in [pid] + children(pid):
        status = Path(f"/proc/{p}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        now += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return now, peak


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                out.append(int(entry.name))
    return out


def ours_url(base: str, q: str, filters) -> str:
    params = [("q", q)] + list(filters)
    return f"{base}/search?{urllib.parse.urlencode(params)}"


def datasette_url(base: str, q: str, filters) -> str:
    params = [("_search", q), ("_facet", "authority"), ("_facet", "section"),
              ("_facet", "grade"), ("_size", "20")] + list(filters)
    return f"{base}/paragraphs/paragraphs?{urllib.parse.urlencode(params)}"


def load(urls: list[str], clients: int, until: float = float("inf")) -> tuple[list[float], int]:
    """Every client requests every URL (in a rotated order) or stops at time.monotonic() `until`;
    returns latencies and errors."""
    latencies, errors, lock = [], [0], threading.Lock()

    def client(offset: int):
        for i in range(len(urls)):
            if time.monotonic() > until:
                return
            url = urls[(i + offset) % len(urls)]
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=120) as r:
                    r.read()
                    ok = r.status == 200
            except OSError:
                ok = False
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                errors[0] += not ok

    threads = [threading.Thread(target=client, args=(k * len(urls) // clients,))
               for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(index_dir: Path, datasette: str, clients: int = 4, rounds: int = 3,
            processes: int = 1, lists: list[str] | None = None,
            max_seconds: float = 600) -> dict:
    """Serve `index_dir` with ofsted-search and its paragraphs with Datasette, load both with the
    same queries, list by list; returns the index's size and, per list, each system's figures
    (the first list's also at the top level, as before lists existed)."""
    lists = lists or ["benchmark"]
    work = Path(tempfile.mkdtemp(prefix="latency-"))
    db = work / "paragraphs.db"
    paragraphs = export_sqlite(index_dir, db)
    sizes = {"paragraphs": paragraphs, "index_mib": du_mib(index_dir),
             "sqlite_mib": db.stat().st_size / 2**20}
    p_ours, p_ds = free_port(), free_port()
    ours = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--index", str(index_dir),
                             "--port", str(p_ours), "--processes", str(processes)],
                            cwd=ROOT, stderr=subprocess.DEVNULL)
    ds = subprocess.Popen([datasette, "serve", str(db), "--host", "127.0.0.1", "--port", str(p_ds),
                           "--setting", "facet_time_limit_ms", "60000",
                           "--setting", "sql_time_limit_ms", "60000",
                           "--setting", "default_facet_size", "30"],
                          stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        base_ours, base_ds = f"http://127.0.0.1:{p_ours}", f"http://127.0.0.1:{p_ds}"
        wait_until_up(base_ours + "/", ours)
        wait_until_up(base_ds + "/", ds)
        per_list = {}
        for name in lists:
            searches = cases(name)
            per_list[name] = _load_list(
                {"ofsted-search": [ours_url(base_ours, q, f) for q, f in searches],
                 "datasette": [datasette_url(base_ds, q, f) for q, f in searches]},
                clients, rounds, time.monotonic() + max_seconds)
            per_list[name]["uptime"] = os.getloadavg()
        for name, proc in (("ofsted-search", ours), ("datasette", ds)):
            now, peak = rss_mib(proc.pid)
            for figures in per_list.values():
                figures[name].update(rss_mib=now, peak_rss_mib=peak)
        return dict(sizes, lists=per_list, **per_list[lists[0]])
    finally:
        for proc in (ours, ds):
            proc.terminate()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def _load_list(targets: dict[str, list[str]], clients: int, rounds: int, until: float) -> dict:
    """One list's URLs on both servers: a warm-up pass, then `rounds` alternating rounds."""
    for urls in targets.values():  # warm caches on both sides
        load(urls, 1, until)
    results = {name: ([], 0) for name in targets}
    for r in range(rounds):
        order = list(targets) if r % 2 == 0 else list(reversed(targets))
        for name in order:
            lat, err = load(targets[name], clients, until)
            results[name] = (results[name][0] + lat, results[name][1] + err)
    figures = {}
    for name, (lat, err) in results.items():
        figures[name] = {"requests": len(lat), "errors": err,
                         "p50_ms": percentile(lat, 50) * 1000,
                         "p95_ms": percentile(lat, 95) * 1000,
                         "max_ms": max(lat) * 1000,
                         "mean_ms": statistics.mean(lat) * 1000}
    return figures


def report(figures: dict, clients: int, rounds: int, processes: int = 1) -> None:
    print(f"{figures['paragraphs']} paragraphs; index {figures['index_mib']:.0f} MiB; "
          f"SQLite {figures['sqlite_mib']:.0f} MiB")
    print(f"{clients} concurrent clients, {rounds} rounds; ofsted-search in {processes} process"
          f"{'es' if processes > 1 else ''} (RSS summed over them)")
    for lname, lf in figures.get("lists", {"benchmark": figures}).items():
        load_avg = " ".join(f"{x:.1f}" for x in lf.get("uptime", ()))
        print(f"\n[{lname}] load average after it: {load_avg}")
        print(f"{'':14} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
              f"{'mean ms':>8} {'RSS MiB':>8} {'peak MiB':>8}")
        for name in ("ofsted-search", "datasette"):
            f = lf[name]
            print(f"{name:14} {f['requests']:8d} {f['errors']:6d} {f['p50_ms']:8.1f} "
                  f"{f['p95_ms']:8.1f} {f['max_ms']:8.1f} {f['mean_ms']:8.1f} "
                  f"{f['rss_mib']:8.0f} {f['peak_rss_mib']:8.0f}")
        o, d = lf["ofsted-search"], lf["datasette"]
        print(f"ratio ofsted-search / datasette: p50 {o['p50_ms'] / d['p50_ms']:.2f}, "
              f"p95 {o['p95_ms'] / d['p95_ms']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--datasette", default=str(ROOT / "benchmarks/.venv-datasette/bin/datasette"))
    ap.add_argument("--processes", type=int, default=default_processes(),
                    help="ofsted-search server processes [default: serve's own, one per core]")
    ap.add_argument("--lists", default=",".join(LISTS),
                    help=f"query lists, comma-separated, of {', '.join(LISTS)}")
    ap.add_argument("--max-seconds", type=float, default=600,
                    help="stop each list's load after this long")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args()
    print("load average at start:", " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
    figures = measure(a.index, a.datasette, a.clients, a.rounds, a.processes,
                      [x for x in a.lists.split(",") if x], a.max_seconds)
    report(figures, a.clients, a.rounds, a.processes)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2))


def du_mib(index_dir: Path) -> float:
    from indexer.store import current_generation
    gen = current_generation(index_dir)
    return sum(f.stat().st_size for f in gen.iterdir() if f.is_file()) / 2**20


if __name__ == "__main__":
    main()
