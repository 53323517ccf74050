"""PDF reports: check the file is a readable PDF, then read its pages into SourceText.

The work is split by job: pdf_layout (pdfium characters to positioned lines), pdf_furniture
(running headers and footers, page numbers, letterhead, colophon), pdf_blocks (lines to
headings, paragraphs, bullets, footnotes and table rows). This module opens the file, turns
every way a file can fail to be a usable PDF into UnreadableSource, and assembles the text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

from ...model import SourceText
from . import UnreadableSource
from .pdf_blocks import heading_levels, line_pitches, page_blocks, render
from .pdf_furniture import body_size, is_boilerplate, remove_furniture
from .pdf_layout import Page, read_page

PAGE_BREAK = "\f"


# Pages that fail in a row before the rest are taken as lost unread: a damaged page tree can
# claim a million pages (/Count), and pdfium takes about 60 microseconds to fail each one.
MAX_LOST_IN_A_ROW = 50


def read_pdf(path: Path, data: bytes) -> SourceText:
    pdf = open_pdf(data)
    total = len(pdf)
    lost: list[int] = []     # page numbers of the pages that cannot be read
    reasons: set[str] = set()
    try:
        pages = []
        for i in range(total):
            if len(lost) >= MAX_LOST_IN_A_ROW and lost[-MAX_LOST_IN_A_ROW] == i + 1 - MAX_LOST_IN_A_ROW:
                lost += range(i + 1, total + 1)
                break
            try:
                pages.append(read_page(pdf[i], i + 1))
            except UnreadableSource:
                raise  # the build's time limit, not a page's fault
            except Exception as e:  # one damaged page costs that page, not the report
                lost.append(i + 1)
                reasons.add(f"{type(e).__name__}: {e}")
                pages.append(Page(i + 1, 0.0, 0.0, []))  # kept empty: page numbers stay right
    finally:
        pdf.close()
    if len(lost) == total:
        raise UnreadableSource(f"broken PDF: no page could be read ({sorted(reasons)[0]})")
    while pages and not pages[-1].lines and pages[-1].number in lost:
        pages.pop()  # lost pages at the end hold no page number of anything kept
    if not any(page.lines for page in pages):
        raise UnreadableSource("no text in the PDF (a scan without a text layer?)")
    # The document-information Title is left out: in Ofsted's PDFs it is the Word template's or
    # the draft's name ("Template  Report template", "Norfolk - draft report").
    # A damaged font or stream can decode to lone UTF-16 surrogates, which no UTF-8 file (the
    # cache, the index) can hold: they become U+FFFD like any undecodable character.
    text = re.sub("[\ud800-\udfff]", "\ufffd", layout_text(pages))
    return SourceText(text=text, paged=True,
                      info={"notes": [lost_pages_note(lost, total, reasons)]} if lost else {})


def lost_pages_note(lost: list[int], total: int, reasons: set[str]) -> str:
    """The caveat for the build summary: which pages were left out, and why."""
    spans, start = [], None
    for k, n in enumerate(lost):
        if start is None:
            start = n
        if k + 1 == len(lost) or lost[k + 1] != n + 1:
            spans.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return (f"{len(lost)} of {total} pages could not be read and were left out: "
            f"page{'s' if len(lost) > 1 else ''} {', '.join(spans)} "
            f"({'; '.join(sorted(reasons)[:3])})")


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The document, or UnreadableSource saying why the bytes are not a usable PDF."""
    head = data[:1024].lstrip()
    if not head:
        raise UnreadableSource("empty file")
    if not data.startswith(b"%PDF-"):
        if head.lower().startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
            raise UnreadableSource("not a PDF: an HTML page saved as .pdf")
        raise UnreadableSource("not a PDF: the file does not start with %PDF-")
    if b"%%EOF" not in data[-4096:]:
        # pdfium would open what is left of a cut-short download and lose its end quietly.
        raise UnreadableSource("truncated PDF: the file ends before the PDF does (no %%EOF)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise UnreadableSource("encrypted PDF: it needs a password to open") from e
        raise UnreadableSource(f"broken PDF: {e}") from e
    if len(pdf) == 0:
        pdf.close()
        raise UnreadableSource("broken PDF: it has no pages")
    return pdf


def layout_text(pages: list[Page]) -> str:
    """Pages of positioned lines as Markdown-ish text with "\\f" between pages."""
    body = body_size(pages)
    pages = remove_furniture(pages, body)
    pitches = line_pitches(pages)
    blocks_per_page = [page_blocks(page, body, pitches) for page in pages]
    levels = heading_levels([b for blocks in blocks_per_page for b in blocks])
    chunks: list[str] = []
    for number, blocks in enumerate(blocks_per_page):
        if number:
            chunks.append(PAGE_BREAK)
        previous = None
        for block in blocks:
            text = render(block, levels)
            if not text.strip() or is_boilerplate(text.lstrip("# ")):
                continue
            if block.kind == "table" and previous == "table":
                chunks[-1] += "\n" + text  # rows of one table stay one block
            else:
                chunks.append(text)
            previous = block.kind
    return "\n\n".join(chunks) + "\n"
