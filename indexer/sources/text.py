"""Plain and Markdown-ish text, as converters produce it."""
from __future__ import annotations

import re

from ..clean import to_conventions
from ..model import SourceText
from . import UnreadableSource

# Converters leave a page break as a run of blank lines (two or more empty lines in a row).
PAGE_GAP = re.compile(r"\n[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the usual legacy encoding of UK documents."""
    if b"\x00" in data[:4096]:
        raise UnreadableSource("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def read_text(data: bytes) -> SourceText:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    # Page gaps first: removing residue lines must not create gaps that were not there.
    text = PAGE_GAP.sub("\n\n\f\n\n", text)
    return SourceText(text=to_conventions(text), paged=False)
