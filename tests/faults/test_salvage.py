"""A PDF whose pages partly fail is indexed from the pages that read, with a caveat."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import store
from indexer.build import build
from indexer.search import SearchParams, search
from indexer.sources import UnreadableSource
from indexer.sources.pdf import read_pdf

SHARED_PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "ofsted-pdfs"


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


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_PDFS.is_dir(), reason="../shared/ofsted-pdfs is not present")
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
