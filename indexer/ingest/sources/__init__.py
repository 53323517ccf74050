"""Read a source file into SourceText, choosing the reader by what the file is.

The extension says what a file claims to be; its first bytes must agree, because real corpora hold
HTML error pages saved as .pdf and empty downloads. A file that cannot be read raises
UnreadableSource with a reason a person can act on; the build reports it and goes on.
"""
from __future__ import annotations

from pathlib import Path

from ...model import SourceText

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
# Longer than any paragraph ever printed: such a "line" is a dump or a binary, not report text,
# and would make segmentation's line-by-line work quadratic.
MAX_TEXT_LINE = 200_000


class UnreadableSource(Exception):
    """A file that is skipped, with the reason why."""


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise UnreadableSource(f"cannot read file: {e.strerror or e}") from e


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """Read `path` (or its already-read bytes `data`) with the reader its type calls for."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableSource(f"unsupported file type {suffix or '(none)'}")
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise UnreadableSource("empty file")
    if suffix not in PDF_SUFFIXES:
        longest = max(map(len, data.splitlines()))
        if longest > MAX_TEXT_LINE:
            raise UnreadableSource(f"one line is {longest:,} bytes long: not report text")
    if suffix in PDF_SUFFIXES:
        from .pdf import read_pdf
        return read_pdf(path, data)
    if suffix in HTML_SUFFIXES:
        from .html import read_html
        return read_html(data)
    from .text import read_text
    return read_text(data)
