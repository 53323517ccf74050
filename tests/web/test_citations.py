"""Every paragraph on a report page offers a citation to paste; the CSV export carries the same
citation for each matching paragraph, and the report's JSON twin too."""
from __future__ import annotations

import csv
import html
import io
import re


def report_id(seed_reader, authority: str, report_type: str) -> str:
    return next(r for r, s in seed_reader.reports.items()
                if s["authority"] == authority and s["report_type"] == report_type)


def test_each_paragraph_on_the_report_page_has_its_citation(seed_client, seed_reader):
    rid = report_id(seed_reader, "Halton", "Single inspection (SIF)")
    page = seed_client.get(f"/reports/{rid}").get_data(as_text=True)
    citations = [html.unescape(c) for c in re.findall(r'<p class="para__citation">([^<]*)</p>', page)]
    assert len(citations) == seed_reader.reports[rid]["paragraphs"]
    data = seed_client.get(f"/reports/{rid}.json").get_json()
    assert citations == [p["citation"] for p in data["paragraphs"]]
    first = next(p for p in data["paragraphs"] if p["para_number"] == "1")
    assert first["citation"].startswith(
        "Halton: Inspection of services for children in need of help and protection")
    assert "(Ofsted, published 3 February 2015), paragraph 1." in first["citation"]
    assert first["citation"].endswith(f"/reports/{rid}#p1")  # no original known: this site


def test_the_csv_export_has_a_citation_column(seed_client, seed_reader):
    text = seed_client.get("/search.csv?q=adoption&authority=Calderdale").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows and all(r["citation"].startswith("Calderdale: ") for r in rows)
    row = next(r for r in rows if r["paragraph"])
    assert f"paragraph {row['paragraph']}" in row["citation"]
    data = seed_client.get(f"/reports/{row['report_id']}.json").get_json()
    assert row["citation"] in {p["citation"] for p in data["paragraphs"]}
