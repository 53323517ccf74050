"""PDF reports. (First cut: plain text per page; see the PDF issue for the full reader.)"""
from __future__ import annotations

from pathlib import Path

from ..model import SourceText
from . import UnreadableSource


def read_pdf(path: Path, data: bytes) -> SourceText:
    if not data.startswith(b"%PDF-"):
        head = data[:512].lstrip().lower()
        if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
            raise UnreadableSource("not a PDF: an HTML page saved as .pdf")
        raise UnreadableSource("not a PDF: the file does not start with %PDF-")
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableSource(f"broken PDF: {e}") from e
    pages = []
    for page in pdf:
        pages.append(page.get_textpage().get_text_range().replace("\r\n", "\n"))
    return SourceText(text="\n\n\f\n\n".join(pages), paged=True)
