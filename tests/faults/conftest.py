"""Fixtures for the fault tests: private indexes to damage, ways to damage them, broken PDFs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from indexer.build import build



@pytest.fixture
def corpus(tmp_path, corpus_dir) -> Path:
    """A private copy of the bundled corpus that a test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(corpus_dir, folder)
    return folder


@pytest.fixture
def index_dir(tmp_path, corpus) -> Path:
    """A freshly built index of `corpus` that a test may damage."""
    folder = tmp_path / "index"
    build(corpus, folder, show_progress=False, jobs=1)
    return folder


def _segment(generation: Path) -> Path:
    return max(generation.glob("*.seg"), key=lambda p: p.stat().st_size)


@pytest.fixture
def damage():
    """damage(generation, how) -> the file damaged. `how`: "cut" halves the largest segment
    file (a full disk, a failed copy), "flip" inverts bytes in its middle without changing its
    size (a bad block), "delete:NAME" removes a file."""
    def do(generation: Path, how: str = "cut") -> Path:
        if how.startswith("delete:"):
            target = generation / how.split(":", 1)[1]
            target.unlink()
            return target
        target = _segment(generation)
        data = bytearray(target.read_bytes())
        if how == "cut":
            target.write_bytes(bytes(data[: len(data) // 2]))
        elif how == "flip":
            middle = len(data) // 2
            data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
            target.write_bytes(bytes(data))
        else:
            raise ValueError(how)
        return target
    return do


def break_pages(pdf: bytes, pages) -> bytes:
    """`pdf` (as tests/pdfgen.py writes it) with the page objects of `pages` (1-based) replaced
    by strings of the same length: pdfium then fails to load those pages ("Failed to load
    page."), as it does on the damaged page of a real report, and every other page still reads."""
    marker = b"<< /Type /Page /Parent"
    starts = [m.end() - len(marker) for m in re.finditer(rb"\d+ 0 obj\n" + re.escape(marker), pdf)]
    out = bytearray(pdf)
    for page in pages:
        at = starts[page - 1]
        out[at:at + len(marker)] = b"(" + b"x" * (len(marker) - 2) + b")"
    return bytes(out)


@pytest.fixture
def report_pdf():
    """report_pdf(pages, broken=()) -> the bytes of an inspection-report-like PDF of `pages`
    pages whose page N says "pageword<N>" (a word found on no other page), with the pages in
    `broken` damaged so that pdfium cannot load them."""
    from tests.pdfgen import Doc  # tests/pdfgen.py, the PDF writer the other PDF tests use

    def make(pages: int, broken=()) -> bytes:
        doc = Doc(header="Halton Borough Council: inspection of children's social care services",
                  footer="Ofsted")
        for n in range(1, pages + 1):
            if n > 1:
                doc.new_page()
            if n == 1:
                doc.heading("Halton Borough Council")
                doc.paragraph("Inspection of children's social care services")
                doc.paragraph("Inspection dates: 4 to 15 March 2019")
            doc.heading(f"Part {n} of the findings")
            for k in range(4):
                doc.paragraph(f"Inspectors found pageword{n} practice in paragraph {k} of page {n}, "
                              "where social workers visit children regularly and know them well.",
                              number=(n - 1) * 4 + k + 1)
        return break_pages(doc.bytes(), broken)
    return make
