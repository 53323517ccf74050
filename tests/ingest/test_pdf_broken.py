"""Files that claim to be PDFs but cannot be read are skipped with a reason a person can act on,
and the build goes on with the rest."""
from __future__ import annotations

import pytest

from indexer.build import build
from indexer.ingest.sources import UnreadableSource, read_source
from tests.pdfgen import Doc


def good_pdf() -> bytes:
    doc = Doc()
    doc.heading("Inspection of Testshire local authority children’s services")
    doc.paragraph("Children who need help and protection receive a timely response.", number=1)
    return doc.bytes()


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b"<!DOCTYPE html><html><head><title>Page not found</title></head></html>",
     "an HTML page saved as .pdf"),
    (b"PK\x03\x04 a zip archive", "does not start with %PDF-"),
    (good_pdf()[:400], "truncated PDF"),
    (good_pdf()[:-200], "truncated PDF"),  # pdfium could open it, minus its end
    (b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "broken PDF"),
    (Doc().bytes(encrypted=True), "encrypted PDF"),
    (Doc(page_numbers=False).bytes(), "no text in the PDF"),
])
def test_unreadable_pdf_says_why(tmp_path, data, reason):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    with pytest.raises(UnreadableSource, match=reason):
        read_source(path)


def test_build_skips_broken_pdfs_by_name_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.pdf").write_bytes(good_pdf())
    (corpus / "error-page.pdf").write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    (corpus / "cut-short.pdf").write_bytes(good_pdf()[:300])
    (corpus / "locked.pdf").write_bytes(Doc().bytes(encrypted=True))
    summary = build(corpus, tmp_path / "index", show_progress=False)
    assert summary.reports == 1
    skipped = dict(summary.skipped)
    assert set(skipped) == {"error-page.pdf", "cut-short.pdf", "locked.pdf"}
    assert "HTML" in skipped["error-page.pdf"]
    assert "truncated" in skipped["cut-short.pdf"]
    assert "encrypted" in skipped["locked.pdf"]
