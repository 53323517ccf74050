"""Metadata a corpus keeps beside a report (report.pdf.json): the original's web address and a
publication date the report itself does not print."""
from __future__ import annotations

import json

import pytest

from indexer.build import build
from indexer.ingest.pipeline import parse_file
from indexer.ingest.sources import UnreadableSource
from indexer.store import IndexReader
from tests.pdfgen import Doc

URL = "https://files.ofsted.gov.uk/v1/file/50200024"


def ilacs_pdf(published: str | None = None) -> bytes:
    """An ILACS-style report: no publication date printed, unless `published` is given."""
    doc = Doc()
    doc.heading("Inspection of Testshire local authority children’s services")
    doc.paragraph("Inspection dates: 3 to 14 October 2022")
    if published:
        doc.paragraph(f"Report published: {published}")
    doc.paragraph("Children who need help and protection receive a timely response.", number=1)
    return doc.bytes()


def write(folder, name, pdf: bytes, sidecar=None):
    (folder / name).write_bytes(pdf)
    if sidecar is not None:
        text = sidecar if isinstance(sidecar, str) else json.dumps(sidecar)
        (folder / (name + ".json")).write_text(text, "utf-8")
    return folder / name


def test_sidecar_gives_the_url_and_the_date_the_report_does_not_print(tmp_path):
    path = write(tmp_path, "report.pdf", ilacs_pdf(),
                 {"url": URL, "published": "2022-11-25", "urn": "2637539"})
    report = parse_file(path, tmp_path)
    assert report.url == URL
    assert report.published == "2022-11-25"
    assert report.year == 2022


def test_without_a_sidecar_an_unprinted_date_stays_unknown(tmp_path):
    report = parse_file(write(tmp_path, "report.pdf", ilacs_pdf()), tmp_path)
    assert report.published is None and report.url is None


def test_the_date_printed_in_the_report_wins_over_the_sidecar(tmp_path):
    path = write(tmp_path, "report.pdf", ilacs_pdf(published="19 October 2015"),
                 {"published": "2015-10-20"})
    assert parse_file(path, tmp_path).published == "2015-10-19"


@pytest.mark.parametrize("sidecar, reason", [
    ("{not json", "report.pdf.json is not valid JSON"),
    ('["https://example.org"]', "must hold a JSON object"),
    ({"url": "files.ofsted.gov.uk/123"}, "url must be an http"),
    ({"published": "25/11/22"}, "published must be a date like 2022-11-25"),
])
def test_a_bad_sidecar_is_named_with_what_is_wrong(tmp_path, sidecar, reason):
    path = write(tmp_path, "report.pdf", ilacs_pdf(), sidecar)
    with pytest.raises(UnreadableSource, match=reason):
        parse_file(path, tmp_path)


def test_rebuild_picks_up_a_changed_sidecar_and_search_results_link_to_the_original(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "report.pdf", ilacs_pdf(), {"url": URL})
    index = tmp_path / "index"
    build(corpus, index, show_progress=False, jobs=1)
    (corpus / "report.pdf.json").write_text(json.dumps({"url": URL + "9"}), "utf-8")
    summary = build(corpus, index, show_progress=False, jobs=1)
    assert summary.skipped == []
    [report] = IndexReader(index).reports.values()
    assert report["url"] == URL + "9"
