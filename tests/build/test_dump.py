"""`ofsted-search dump` and `reports --json` give the documents and reports of the seeds."""
import json

from click.testing import CliRunner

from indexer.cli import cli
from tests.seeds import CALDERDALE_2015, SEEDS, report

FIELDS = {"id", "report_id", "source", "authority", "report_type", "inspection_start",
          "inspection_end", "published", "year", "section", "heading", "grade", "para_number",
          "position", "page", "text", "kind", "anchor"}


def test_dump_prints_every_paragraph_with_its_fields(seed_index):
    out = CliRunner().invoke(cli, ["dump", "--index", str(seed_index)])
    assert out.exit_code == 0
    docs = [json.loads(line) for line in out.output.splitlines()]
    assert len(docs) == sum(len(report(name).paragraphs) for name in SEEDS)
    assert all(FIELDS <= set(d) for d in docs)
    p57 = next(d for d in docs if d["source"] == CALDERDALE_2015 and d["para_number"] == "57")
    assert (p57["authority"], p57["year"], p57["section"], p57["grade"], p57["page"]) == \
        ("Calderdale", 2015, "Help and protection", "Requires improvement", None)
    assert p57["text"].startswith("Clear procedures in respect of children missing from education")
    positions = [d["position"] for d in docs if d["source"] == CALDERDALE_2015]
    assert positions == list(range(len(positions)))


def test_reports_json_gives_metadata_and_judgements(seed_index):
    out = CliRunner().invoke(cli, ["reports", "--json", "--index", str(seed_index)])
    rows = {r["source"]: r for r in json.loads(out.output)}
    cal = rows[CALDERDALE_2015]
    assert (cal["authority"], cal["report_type"], cal["published"]) == ("Calderdale", "Single inspection (SIF)", "2015-03-20")
    assert {"area": "Adoption performance", "grade": "Inadequate"} in cal["judgements"]
    assert cal["paragraphs"] == len(report(CALDERDALE_2015).paragraphs)
