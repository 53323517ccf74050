"""Plain and Markdown-ish text, as converters produce it."""
from __future__ import annotations

import re

from ..clean import to_conventions
from ...model import SourceText
from . import UnreadableSource

# Converters leave a page break as a run of blank lines (two or more empty lines in a row).
PAGE_GAP = re.compile(r"\n[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)+")


def decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM), else Windows-1252, the usual legacy encoding of UK documents.
    Returns the text and, when it was not UTF-8, a caveat for the build summary."""
    if b"\x00" in data[:4096]:
        raise UnreadableSource("binary data, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    for encoding, name in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            return data.decode(encoding), f"not UTF-8: read as {name}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


def read_text(data: bytes) -> SourceText:
    text, caveat = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Page gaps first: removing residue lines must not create gaps that were not there.
    text = PAGE_GAP.sub("\n\n\f\n\n", text)
    return SourceText(text=to_conventions(text), paged=False,
                      info={"notes": [caveat]} if caveat else {})
