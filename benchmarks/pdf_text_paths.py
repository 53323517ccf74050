#!/usr/bin/env python3
"""PDF text paths compared: pages per second on one core, over the same pages, in one run.

    python benchmarks/pdf_text_paths.py [CORPUS] [--every N] [--plumber-every M]

CORPUS defaults to ../shared/ofsted-pdfs; --every N takes every Nth PDF (default 10, about 870
pages). The baseline is pypdfium2's plain text of every page (no positions, no fonts): the floor
of any pdfium-based reader. The candidates:

- per-char pdfium: box, font size and weight of every character through pypdfium2.raw (the
  obvious way to get typography from pdfium; each ctypes call costs microseconds);
- the reader (indexer/ingest/sources/pdf.py): pdfium text plus the boxes of text runs per line, font
  size/weight of three letters per line and the size of each digit, then furniture, footnotes,
  headings and blocks - the whole reader, not just extraction;
- pdfplumber's extract_words with font names and sizes (pdfminer layout), on every Mth of those
  PDFs (default 5) because it is slow.

Ratios to the baseline travel between machines; bare seconds do not.
"""
from __future__ import annotations

import argparse
import ctypes
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as pdfium_c  # noqa: E402

from indexer.ingest.sources.pdf import read_pdf  # noqa: E402


def plain_text(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    for page in pdf:
        page.get_textpage().get_text_range()
    return len(pdf)


def per_char(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    box = [ctypes.c_double() for _ in range(4)]
    for page in pdf:
        textpage = page.get_textpage()
        raw = textpage.raw
        textpage.get_text_range()
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            pdfium_c.FPDFText_GetCharBox(raw, i, *box)
            pdfium_c.FPDFText_GetFontSize(raw, i)
            pdfium_c.FPDFText_GetFontWeight(raw, i)
    return len(pdf)


def reader(path: Path) -> int:
    source = read_pdf(path, path.read_bytes())
    return source.text.count("\f") + 1


def plumber(path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words(extra_attrs=["fontname", "size"])
        return len(pdf.pages)


def timed(fn, files: list[Path]) -> tuple[int, float]:
    start = time.perf_counter()
    pages = sum(fn(f) for f in files)
    return pages, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "ofsted-pdfs"))
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--plumber-every", type=int, default=5)
    args = ap.parse_args()
    files = sorted(Path(args.corpus).rglob("*.pdf"))[::args.every]
    if not files:
        sys.exit(f"no PDFs under {args.corpus}")
    base_pages, base_s = timed(plain_text, files)
    base_rate = base_pages / base_s
    print(f"{len(files)} PDFs, {base_pages} pages")
    print(f"{'path':<28}{'pages/s':>10}{'vs baseline':>13}")
    print(f"{'pdfium plain text (base)':<28}{base_rate:>10.0f}{1.0:>13.2f}")
    for name, fn, subset in (("pdfium per-char", per_char, files),
                             ("the reader (pdf.py)", reader, files),
                             ("pdfplumber words+fonts", plumber, files[::args.plumber_every])):
        pages, seconds = timed(fn, subset)
        rate = pages / seconds
        print(f"{name:<28}{rate:>10.1f}{rate / base_rate:>13.3f}")


if __name__ == "__main__":
    main()
