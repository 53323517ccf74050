"""`ofsted-search fetch` against the local replica: what lands in the corpus, what a second run
does, and how faults of the site are survived or named."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import cli

from .runner import FAST, run_fetch

ROOT = Path(__file__).resolve().parents[2]


def sidecars(corpus: Path) -> dict[str, dict]:
    """URL -> the sidecar's fields plus the PDF's path, for every sidecar in the corpus."""
    out = {}
    for side in corpus.rglob("*.pdf.json"):
        fields = json.loads(side.read_text("utf-8"))
        fields["pdf"] = side.with_name(side.name[:-5])
        out[fields["url"]] = fields
    return out


def test_first_run_fetches_every_report_byte_for_byte_with_its_sidecar(replica, tmp_path):
    corpus = tmp_path / "corpus"
    status, summary = run_fetch(replica, corpus)
    assert status == 0 and summary["failed"] == [] and summary["stopped"] is None
    assert summary["listing_pages"] == 2 and summary["authorities"] == 3
    assert len(summary["new"]) == len(replica.files) == 8
    found = sidecars(corpus)
    for authority in replica.authorities:
        for report in authority.reports:
            side = found[replica.file_url(report)]
            assert side["pdf"].read_bytes() == report.body
            assert (side["published"], side["urn"], side["authority"]) == (
                report.published, authority.urn, authority.name)
    # The layout: <kind>/<urn>_<authority>/<kind as named> - <date>.pdf, as ../shared has it.
    halton = corpus / "inspections" / "80467_halton"
    assert (halton / "children's services inspection - 25 november 2022.pdf").is_file()
    side = json.loads((halton / "children's services inspection - 25 november 2022.pdf.json")
                      .read_text("utf-8"))
    assert side == {"url": replica.base + "/v1/file/50200024", "published": "2022-11-25",
                    "urn": "80467", "authority": "Halton", "kind": "inspection",
                    "title": "Children's services inspection"}
    assert (corpus / "jtai" / "80467_halton").is_dir()
    assert (corpus / "monitoring-visits" / "80506_slough").is_dir()
    # Two focused visits published the same day: two files, the second named with its id.
    visits = sorted(p.name for p in (corpus / "focused-visits" / "2637539_north northamptonshire")
                    .glob("*.pdf"))
    assert visits == ["children's services focused visit - 22 november 2023 (50200124).pdf",
                      "children's services focused visit - 22 november 2023.pdf"]
    assert not list(corpus.rglob("*.part"))
    agents = {ua for _, _, ua in replica.log}
    assert len(agents) == 1 and agents.pop().startswith("ofsted-search/")


def test_second_run_makes_no_file_requests(replica, tmp_path):
    corpus = tmp_path / "corpus"
    run_fetch(replica, corpus)
    files_asked = len(replica.requests_to("/v1/file/"))
    status, summary = run_fetch(replica, corpus)
    assert status == 0
    assert summary["new"] == [] and summary["present"] == 8
    assert len(replica.requests_to("/v1/file/")) == files_asked == 8


def test_faults_are_retried_and_what_still_fails_is_named(replica, tmp_path):
    corpus = tmp_path / "corpus"
    second_page = "/search"  # both listing pages share the path: the first request recovers
    replica.fault(second_page, "500")
    replica.fault("/provider/44/80506", "429:1")
    replica.fault("/v1/file/50200024", "sleep:3")     # past the 1 s timeout
    replica.fault("/v1/file/50120011", "cut")
    replica.fault("/v1/file/50090003", "503", "500")
    replica.fault("/v1/file/50150002", "html", always=True)
    status, summary = run_fetch(replica, corpus)
    assert status == 0, summary
    assert len(summary["new"]) == 7
    [failed] = summary["failed"]
    assert failed["url"] == replica.base + "/v1/file/50150002"
    assert failed["reason"] == "served an HTML page instead of a PDF"
    assert "monitoring visit of Slough" in failed["what"]
    # The HTML page is not kept, under any name, nor its sidecar.
    assert not [p for p in corpus.rglob("*monitoring visit*") if p.is_file()]
    assert not [p for p in corpus.rglob("*") if p.is_file() and p.read_bytes().startswith(b"<!DOC")]
    # Each recovered report is whole, and the 429's Retry-After was waited for.
    found = sidecars(corpus)
    for file_id in ("50200024", "50120011", "50090003"):
        report = replica.files[file_id]
        assert found[replica.file_url(report)]["pdf"].read_bytes() == report.body
    times = [t for p, t, _ in replica.log if p == "/provider/44/80506"]
    assert len(times) == 2 and times[1] - times[0] >= 1.0
    # The next run asks only for what failed.
    replica.clear_faults()
    before = len(replica.requests_to("/v1/file/"))
    status, summary = run_fetch(replica, corpus)
    assert status == 0 and [n["url"] for n in summary["new"]] == [failed["url"]]
    assert replica.requests_to("/v1/file/")[before:] == ["/v1/file/50150002"]


def test_the_summary_for_people_names_each_failure_with_its_reason(replica, tmp_path):
    replica.fault("/v1/file/50100007", "404", always=True)
    result = CliRunner().invoke(cli, ["fetch", "--site", replica.base, "--corpus",
                                      str(tmp_path / "c"), *FAST])
    assert result.exit_code == 0
    assert "New: 7 reports downloaded" in result.stderr
    assert (f"joint area child protection inspection of Halton published 2019-06-07 "
            f"{replica.base}/v1/file/50100007: HTTP 404 Not Found") in result.stderr


def test_a_changed_page_stops_the_run_naming_the_page_and_keeps_what_was_fetched(replica,
                                                                                  tmp_path):
    corpus = tmp_path / "corpus"
    replica.fault("/provider/44/80506", "nolist", always=True)
    status, summary = run_fetch(replica, corpus)
    assert status == 1
    assert summary["stopped"].startswith(replica.base + "/provider/44/80506: no list of reports "
                                         '(<a class="publication-link">)')
    # Halton, listed before Slough, was fetched and stays; nothing of Slough or after it.
    assert {n["authority"] for n in summary["new"]} == {"Halton"}
    assert len(sidecars(corpus)) == 3
    replica.clear_faults()
    status, summary = run_fetch(replica, corpus)
    assert status == 0 and len(summary["new"]) == 5 and summary["present"] == 3


def test_a_listing_that_cannot_be_read_is_exit_1_with_the_reason(tmp_path):
    import socket
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(cli, ["fetch", "--site", f"http://127.0.0.1:{port}", "--corpus",
                                      str(tmp_path / "c"), "--json", *FAST, "--retries", "1"])
    summary = json.loads(result.stdout)
    assert result.exit_code == 1 and not summary["listing_read"]
    assert "listing page" in summary["stopped"]
    assert "connection refused (gave up after 2 attempts)" in summary["stopped"]


def test_authority_kind_and_since_choose_what_is_fetched(replica, tmp_path):
    status, summary = run_fetch(replica, tmp_path / "a", "--authority", "halton",
                                "--authority", "80506", "--kind", "inspection")
    assert status == 0
    assert sorted(n["url"].rsplit("/", 1)[1] for n in summary["new"]) == ["50090003", "50200024"]
    assert summary["not_chosen"] == {"children's services focused visit": 1,
                                     "joint area child protection inspection": 1,
                                     "children's services monitoring visit": 1}
    # Pages of authorities not chosen are not even asked for.
    assert replica.requests_to("/provider/44/2637539") == []
    status, summary = run_fetch(replica, tmp_path / "b", "--since", "2023-01")
    assert sorted(n["published"] for n in summary["new"]) == ["2023-11-22", "2023-11-22",
                                                              "2026-07-07"]
    assert summary["older_than_since"] == 5


def test_an_authority_not_on_the_listing_is_an_error_not_an_empty_run(replica, tmp_path):
    status, summary = run_fetch(replica, tmp_path / "c", "--authority", "Haltn")
    assert status == 1 and "no authority on the listing is called 'haltn'" in summary["stopped"]
    assert replica.requests_to("/provider/") == []


def test_a_killed_run_leaves_no_half_file_and_the_next_run_finishes(replica, tmp_path):
    corpus = tmp_path / "corpus"
    stalled = replica.files["50120011"]
    replica.fault("/v1/file/50120011", "stall:30")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "indexer.cli", "fetch", "--site",
                             replica.base, "--corpus", str(corpus), "--delay", "0",
                             "--timeout", "20"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    target = corpus / "focused-visits" / "80467_halton" / \
        "children's services focused visit - 31 october 2019.pdf"
    part = target.with_name(f".{target.name}.part")
    try:
        deadline = time.monotonic() + 30
        while not (part.exists() and replica.requests_to("/v1/file/50120011")) and \
                time.monotonic() < deadline:
            time.sleep(0.02)
        assert part.exists(), "the download never started"
        time.sleep(0.3)  # half the body sent, the rest never comes
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    assert not target.exists()  # no half file under the report's name
    status, summary = run_fetch(replica, corpus)
    assert status == 0 and target.read_bytes() == stalled.body
    assert replica.file_url(stalled) in {n["url"] for n in summary["new"]}
    assert not list(corpus.rglob("*.part"))
