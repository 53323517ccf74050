"""A PDF whose pages partly fail is indexed from the pages that read, with a caveat."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import store
from indexer.build import build
from indexer.search import SearchParams, search
from indexer.ingest.sources import UnreadableSource
from indexer.ingest.sources.pdf import read_pdf

from tests.paths import SHARED
from tests.pdfgen import pdf_file

SHARED_PDFS = SHARED / "ofsted-pdfs"


def hits(index_dir, q):
    reader = store.IndexReader(index_dir)
    return search(reader.engine, SearchParams(q=q, limit=50))["results"]


def test_a_pdf_with_a_page_pdfium_cannot_load_is_indexed_from_the_other_pages(
        tmp_path, report_pdf):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "halton.pdf").write_bytes(report_pdf(15, broken=[8]))
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)

    assert summary.skipped == [] and summary.reports == 1
    [(name, caveat)] = summary.notes
    assert name == "halton.pdf"
    assert "1 of 15 pages could not be read" in caveat and "page 8 " in caveat
    assert "Indexed with a caveat, 1 files:" in summary.lines()
    assert hits(tmp_path / "index", "pageword8") == []  # the lost page's words are not there
    for page in (1, 7, 9, 15):  # ...and every other page's are, on their own page number
        [hit, *_] = hits(tmp_path / "index", f"pageword{page}")
        assert hit["page"] == page
    # Metadata comes from the pages that read.
    [report] = store.IndexReader(tmp_path / "index").reports.values()
    assert report["authority"] == "Halton"


def test_several_lost_pages_are_all_named(report_pdf):
    source = read_pdf(Path("x.pdf"), report_pdf(6, broken=[2, 5]))
    [note] = source.info["notes"]
    assert note.startswith("2 of 6 pages could not be read and were left out: pages 2, 5 ")
    assert "Failed to load page" in note


def test_a_pdf_with_every_page_lost_is_skipped_with_the_reason(tmp_path, report_pdf):
    with pytest.raises(UnreadableSource, match="no page could be read"):
        read_pdf(Path("x.pdf"), report_pdf(3, broken=[1, 2, 3]))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lost.pdf").write_bytes(report_pdf(2, broken=[1, 2]))
    (corpus / "good.pdf").write_bytes(report_pdf(2))
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert summary.reports == 1
    assert [(n, "no page could be read" in why) for n, why in summary.skipped] == [
        ("lost.pdf", True)]


def test_a_whole_pdf_has_no_caveat(report_pdf):
    assert read_pdf(Path("x.pdf"), report_pdf(3)).info == {}


def _real_pdf_with_plain_page_objects(pages: int):
    """A real report of `pages` pages whose page objects are written out in the file (not packed
    in an object stream), so that one of them can be damaged in place."""
    import re
    for path in sorted(SHARED_PDFS.rglob("*.pdf")):
        data = path.read_bytes()
        objects = list(re.finditer(rb"\d+ 0 obj\s*<<\s*/Type\s*/Page\b(?!s)", data))
        if len(objects) == pages:
            return path, data, objects
    return None


@pytest.mark.shared("ofsted-pdfs")
def test_a_real_15_page_report_with_page_8_damaged_keeps_its_other_14_pages(tmp_path):
    import pypdfium2 as pdfium
    found = _real_pdf_with_plain_page_objects(15)
    if found is None:
        pytest.skip("no 15-page report in ../shared with plain page objects")
    path, data, objects = found
    # Which object is page 8 in reading order: the one pdfium loads as the 8th page.
    whole = read_pdf(path, data)
    candidates = []
    for m in objects:
        start = m.start() + m.group().index(b"<<")
        # "<<" becomes "()": the object is no longer a dictionary, so its page cannot load.
        broken = data[:start] + b"()" + data[start + 2:]
        try:
            pdf = pdfium.PdfDocument(broken)
        except pdfium.PdfiumError:
            continue
        failing = []
        for i in range(len(pdf)):
            try:
                pdf[i].close()
            except pdfium.PdfiumError:
                failing.append(i + 1)
        pdf.close()
        if failing == [8]:
            candidates.append(broken)
            break
    if not candidates:
        pytest.skip(f"{path.name}: no page object breaks page 8 alone")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / path.name).write_bytes(candidates[0])
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert summary.reports == 1 and summary.skipped == []
    [(_, caveat)] = summary.notes
    assert "1 of 15 pages could not be read" in caveat and "page 8 " in caveat
    reader = store.IndexReader(tmp_path / "index")
    pages = {p["page"] for r in reader.reports for p in reader.engine.report_paragraphs(r)}
    assert 8 not in pages and len(pages - {8}) >= 12  # the text of the other pages is there
    assert whole.text.count("\f") == 14  # the undamaged file reads all 15 pages


def test_lost_pages_are_named_as_ranges(report_pdf):
    source = read_pdf(Path("x.pdf"), report_pdf(8, broken=[2, 3, 4, 7]))
    assert "4 of 8 pages could not be read and were left out: pages 2-4, 7 " in \
        source.info["notes"][0]


def test_a_page_tree_claiming_a_million_pages_is_not_tried_page_by_page(report_pdf,
                                                                         monkeypatch):
    # /Count says a million pages: trying each one pdfium cannot load would take a minute.
    import pypdfium2 as pdfium
    tried = []
    real = pdfium.PdfDocument.get_page
    monkeypatch.setattr(pdfium.PdfDocument, "get_page",
                        lambda self, i: tried.append(i) or real(self, i))
    data = report_pdf(3).replace(b"/Count 3", b"/Count 1000000")
    source = read_pdf(Path("x.pdf"), data)
    [note] = source.info["notes"]
    assert note.startswith("999997 of 1000000 pages could not be read and were left out: "
                           "pages 4-1000000 ")
    assert len(tried) < 100
    assert source.text.count("\f") == 2  # the three real pages, no empty ones after them


def pdf_mapping_a_to(unicode_hex: bytes) -> bytes:
    """A one-page PDF whose font's ToUnicode map reads the letter "A" as `unicode_hex`: what a
    damaged font or stream gives pdfium, e.g. half of a UTF-16 surrogate pair."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <"
            + unicode_hex + b"> endbfchar endcmap CMapName currentdict /CMap defineresource pop "
            b"end end")
    content = (b"BT /F1 11 Tf 72 700 Td (Halton: inspectors found A practice with children in "
               b"care.) Tj ET")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
               b"/F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    return pdf_file(objects)


def test_text_decoding_to_a_lone_surrogate_is_indexed_with_a_replacement_character(tmp_path):
    # Found by benchmarks/fuzz_pdfs.py: a flipped byte made pdfium decode a lone surrogate,
    # which UTF-8 cannot encode, and writing the parse cache stopped the whole build.
    source = read_pdf(Path("x.pdf"), pdf_mapping_a_to(b"D800"))
    assert "found \ufffd practice" in source.text
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "odd.pdf").write_bytes(pdf_mapping_a_to(b"DC00"))
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert summary.reports == 1 and summary.skipped == []
    assert hits(tmp_path / "index", "practice")


def test_a_report_whose_text_cannot_be_stored_costs_only_itself(tmp_path, corpus, monkeypatch):
    # Should a reader ever let such text through again, the build skips that file and goes on.
    from indexer import build as build_mod
    real = build_mod._parse_in_worker

    def parse(path, corpus_dir):
        report = real(path, corpus_dir)
        if path.endswith(sorted(p.name for p in corpus.glob("*.txt"))[0]):
            report.paragraphs[0].text += "\udc00"
        return report
    monkeypatch.setattr(build_mod, "_parse_in_worker", parse)
    summary = build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    assert summary.reports == 4
    [(name, why)] = summary.skipped
    assert "cannot be stored" in why
