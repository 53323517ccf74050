#!/usr/bin/env python3
"""`ofsted-search fetch` against a replica of Ofsted's site serving every PDF of
../shared/ofsted-pdfs, with faults injected; then `build`, and the ILACS reports' dates.

    .venv/bin/python benchmarks/fetch_replica.py [--delay 0.05] [--keep DIR]

The replica (tests/fetch/replica.py) runs on 127.0.0.1 at an ephemeral port and lists every
authority folder `<kind>/<urn>_<authority>/` of ../shared/ofsted-pdfs as an authority (names
from ../shared/la-lookup), each PDF as a report published on the date its file name gives, at
the address ilacs_history_dev.csv records for it (others get made-up ids). Faults: the listing
answers 500 once; three authorities' pages 429 (Retry-After: 1) once, one is late past the
timeout once; of the files, five 500 once, five are cut short once, three are late once (all
must recover), and five fail every time: three serve an HTML error page, one is always cut
short, one is 404 (each must be named, nothing kept). Runs, each checked:

1. a first fetch: every other report byte for byte with a correct sidecar, the five named;
2. a second fetch, the faults still on: nothing new, file requests only for the five;
3. a third with the faults gone: the five; 4. a fourth: no file request at all;
5. `ofsted-search build` of the fetched corpus: ILACS reports with a publication date.

Every run is bounded (a time limit per command); the figures are printed and saved to
benchmarks/results/fetch_replica.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PDFS = SHARED / "ofsted-pdfs"
sys.path.insert(0, str(ROOT))

from tests.fetch.replica import MONTHS, Authority, Replica, Report  # noqa: E402
from indexer.fetch.site import KINDS  # noqa: E402

KIND_OF_FOLDER = {folder: kind for kind, (folder, _) in KINDS.items()}
NAME = re.compile(r"^(?P<hidden>(?P<kind>.+?)(?:,\s*pdf|\s+as\s+pdf)? - "
                  r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4}))\.pdf$")
TIME_LIMIT = 1800  # seconds any one command may take


def replica_site() -> tuple[list[Authority], dict[str, Path]]:
    names = {r["urn"]: r["local_authority_ons_name"] for r in csv.DictReader(
        open(SHARED / "la-lookup" / "Provider_data_lookup.csv", encoding="utf-8-sig"))}
    links = {(r["urn"], r["pdf_filename"]): r["inspection_link"] for r in csv.DictReader(
        open(PDFS / "ilacs_history_dev.csv", encoding="utf-8-sig"))}
    by_urn: dict[str, Authority] = {}
    sources: dict[str, Path] = {}
    made_up = 90_000_000
    for folder in sorted(PDFS.glob("*/*_*")):
        urn, _, lower = folder.name.partition("_")
        authority = by_urn.setdefault(urn, Authority(urn, names.get(urn, lower.title())))
        for pdf in sorted(folder.glob("*.pdf")):
            m = NAME.match(pdf.name)
            if not m:
                raise SystemExit(f"cannot read kind and date from {pdf}")
            published = date(int(m["year"]), MONTHS.index(m["month"]) + 1, int(m["day"]))
            link = links.get((urn, pdf.name), "")
            file_id = link.rsplit("/", 1)[-1] if link else str(made_up := made_up + 1)
            if file_id in sources:  # two files of one address: keep them both reachable
                file_id = str(made_up := made_up + 1)
            # "children's services inspection,  pdf - 16 august 2013": served as it is named
            odd = m["hidden"] if re.search(r",\s*pdf - | as pdf - ", m["hidden"]) else ""
            authority.reports.append(Report(file_id, m["kind"], published.isoformat(),
                                            pdf.read_bytes(), hidden_text=odd))
            sources[file_id] = pdf
    for a in by_urn.values():
        a.reports.sort(key=lambda r: r.published, reverse=True)  # newest first, as the site
    return sorted(by_urn.values(), key=lambda a: a.name), sources


def run(cmd: list[str]) -> tuple[int, str, str, float]:
    started = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIME_LIMIT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return p.returncode, p.stdout, p.stderr, time.monotonic() - started


def fetch(site: Replica, corpus: Path, delay: float) -> tuple[int, dict, float]:
    code, out, err, seconds = run([sys.executable, "-m", "indexer.cli", "fetch", "--site",
                                   site.base, "--corpus", str(corpus), "--delay", str(delay),
                                   "--timeout", "2", "--backoff", "0.2", "--retries", "3",
                                   "--json"])
    if not out.strip():
        raise SystemExit(f"fetch printed nothing (exit {code}):\n{err}")
    return code, json.loads(out), seconds


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--keep", type=Path, help="fetch into this folder and keep it")
    args = ap.parse_args()
    if not PDFS.is_dir():
        raise SystemExit("../shared/ofsted-pdfs is not here")
    authorities, sources = replica_site()
    reports = [r for a in authorities for r in a.reports]
    print(f"replica: {len(authorities)} authorities, {len(reports)} reports, "
          f"{sum(len(r.body) for r in reports) / 1e6:.0f} MB; {uptime()}")
    site = Replica(authorities, page_size=100)
    site.start()
    work = Path(tempfile.mkdtemp(prefix="fetch-replica-"))
    corpus = args.keep or work / "corpus"
    figures: dict = {"authorities": len(authorities), "reports": len(reports),
                     "delay": args.delay, "load_before": uptime()}
    try:
        ids = [r.file_id for r in reports]
        recover = {"500": ids[10:15], "cut": ids[40:45], "sleep:3": ids[80:83]}
        permanent = {"html": ids[120:123], "cut": ids[200:201], "404": ids[300:301]}
        site.fault("/search", "500")
        for a in authorities[5:8]:
            site.fault(site.provider_path(a.urn), "429:1")
        site.fault(site.provider_path(authorities[9].urn), "sleep:3")
        for action, some in recover.items():
            for i in some:
                site.fault(f"/v1/file/{i}", action)
        failing = set()
        for action, some in permanent.items():
            for i in some:
                site.fault(f"/v1/file/{i}", action, always=True)
                failing.add(site.base + f"/v1/file/{i}")

        # 1. the first run
        code, summary, seconds = fetch(site, corpus, args.delay)
        assert code == 0, summary
        failed = {f["url"]: f["reason"] for f in summary["failed"]}
        assert set(failed) == failing, failed
        assert len(summary["new"]) == len(reports) - len(failing)
        checked = verify(corpus, authorities, sources, site, failing)
        assert not [p for p in corpus.rglob("*") if p.is_file() and p.suffix == ".pdf"
                    and not p.read_bytes().startswith(b"%PDF-")], "an HTML page kept as PDF"
        assert not list(corpus.rglob("*.part"))
        figures["run1"] = {"seconds": round(seconds, 1), "new": len(summary["new"]),
                           "failed": summary["failed"], "requests": summary["requests"],
                           "verified_byte_for_byte": checked,
                           "bytes": sum(n["bytes"] for n in summary["new"])}
        print(f"run 1: {len(summary['new'])} new in {seconds:.0f} s, {summary['requests']} "
              f"requests, {checked} verified byte for byte; failed, named:")
        for url, reason in sorted(failed.items()):
            print(f"   {url}: {reason}")

        # 2. again, the permanent faults still on
        before = len(site.requests_to("/v1/file/"))
        code, summary, seconds = fetch(site, corpus, args.delay)
        asked = site.requests_to("/v1/file/")[before:]
        assert code == 0 and summary["new"] == [] and \
            {site.base + p for p in asked} == failing, (summary, asked)
        figures["run2"] = {"seconds": round(seconds, 1), "new": 0, "present":
                           summary["present"], "file_requests": len(asked)}
        print(f"run 2 (faults on): nothing new, {summary['present']} present, "
              f"{len(asked)} file requests (the {len(failing)} failing ones, with retries), "
              f"{seconds:.0f} s")

        # 3. the faults gone: the rest; 4. nothing at all
        site.clear_faults()
        code, summary, seconds = fetch(site, corpus, args.delay)
        assert code == 0 and {n["url"] for n in summary["new"]} == failing, summary
        checked = verify(corpus, authorities, sources, site, set())
        figures["run3"] = {"seconds": round(seconds, 1), "new": len(summary["new"]),
                           "verified_byte_for_byte": checked}
        before = len(site.requests_to("/v1/file/"))
        code, summary, seconds = fetch(site, corpus, args.delay)
        asked = len(site.requests_to("/v1/file/")) - before
        assert code == 0 and summary["new"] == [] and asked == 0, summary
        figures["run4"] = {"seconds": round(seconds, 1), "file_requests": asked,
                           "requests": summary["requests"]}
        print(f"run 3: the {len(failing)} fetched, all {checked} verified; run 4: "
              f"{asked} file requests, {summary['requests']} page requests, {seconds:.0f} s")
    finally:
        site.stop()

    # 5. build, and the ILACS reports' publication dates
    index = work / "index"
    code, out, err, seconds = run([sys.executable, "-m", "indexer.cli", "build", "--corpus",
                                   str(corpus), "--index", str(index), "--jobs", "2"])
    assert code == 0, err
    code, out, err, _ = run([sys.executable, "-m", "indexer.cli", "reports", "--index",
                             str(index), "--json"])
    rows = json.loads(out)
    ilacs = [r for r in rows if (r["report_type"] or "").startswith("ILACS")]
    dated = [r for r in ilacs if r["published"]]
    by_type: dict = {}
    for r in rows:
        t = by_type.setdefault(r["report_type"] or "none", [0, 0])
        t[0] += 1
        t[1] += bool(r["published"])
    figures["build"] = {"seconds": round(seconds, 1), "reports": len(rows),
                        "ilacs": len(ilacs), "ilacs_with_published": len(dated),
                        "with_url": sum(bool(r["url"]) for r in rows),
                        "by_type_with_published": by_type}
    figures["feeds"] = check_feeds(index, corpus, figures)
    figures["load_after"] = uptime()
    print(f"build: {len(rows)} reports in {seconds:.0f} s; ILACS {len(ilacs)}, with a "
          f"publication date {len(dated)}; with their web address {figures['build']['with_url']}")
    for t, (n, d) in sorted(by_type.items()):
        print(f"   {t}: {n} reports, {d} dated")
    print(figures["load_after"])
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "fetch_replica.json").write_text(json.dumps(figures, indent=1), "utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def check_feeds(index: Path, corpus: Path, figures: dict) -> dict:
    """/reports.atom and /search.atom on the fetched index: valid (the tests' RFC 4287
    checks) and listing what was added."""
    from tests.fetch.test_feeds import atom, entries
    from webapp import create_app
    client = create_app(index_dir=index, corpus_dir=corpus).test_client()
    reports = entries(atom(client.get("/reports.atom")))
    search = entries(atom(client.get("/search.atom?q=return+home+interviews")))
    ilacs = entries(atom(client.get("/search.atom?report_type=ILACS+standard+inspection")))
    assert len(reports) == 50 and len(search) == 20 and len(ilacs) == 20
    assert all(e["updated"] != "1970-01-01T00:00:00Z" for e in reports + ilacs)
    print(f"feeds: /reports.atom {len(reports)} entries, newest {reports[0]['updated'][:10]} "
          f"({reports[0]['title']}); /search.atom?q=return+home+interviews {len(search)} "
          f"entries; ILACS standard {len(ilacs)} entries, all dated")
    return {"reports_entries": len(reports), "search_entries": len(search),
            "newest": reports[0]["updated"]}


def verify(corpus: Path, authorities, sources, site, failing: set[str]) -> int:
    """Every report not failing: present once, byte for byte, with its sidecar's fields."""
    found = {}
    for side in corpus.rglob("*.pdf.json"):
        fields = json.loads(side.read_text("utf-8"))
        assert fields["url"] not in found, f"two sidecars name {fields['url']}"
        found[fields["url"]] = (side, fields)
    checked = 0
    for a in authorities:
        for r in a.reports:
            url = site.file_url(r)
            if url in failing:
                assert url not in found, f"{url} failed but has a sidecar"
                continue
            side, fields = found[url]
            pdf = side.with_name(side.name[:-5])
            assert pdf.read_bytes() == sources[r.file_id].read_bytes(), pdf
            kind = KIND_OF_FOLDER[sources[r.file_id].parent.parent.name]
            assert (fields["published"], fields["urn"], fields["authority"], fields["kind"]) \
                == (r.published, a.urn, a.name, kind), (pdf, fields)
            # The layout of ../shared: the same kind folder, the same URN.
            mine, theirs = pdf.relative_to(corpus).parts, sources[r.file_id].relative_to(PDFS).parts
            assert mine[0] == theirs[0] and mine[1].split("_")[0] == theirs[1].split("_")[0]
            checked += 1
    return checked


if __name__ == "__main__":
    main()
