"""Strip conversion residue from a line of report text: pure functions on strings."""
from __future__ import annotations

import html
import re

TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
MD_EMPHASIS = re.compile(r"\*\*|__")
MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
FOOTNOTE_REF = re.compile(r"\[\^\d+\]|(?<=[A-Za-z.,;:)])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
SPACES = re.compile(r"[ \t\u00a0]+")


def clean_inline(text: str) -> str:
    """Remove HTML tags, Markdown emphasis and links, footnote markers; tidy spaces."""
    text = MD_LINK.sub(r"\1", text)
    text = TAG.sub(" ", text)
    text = html.unescape(text)
    text = MD_EMPHASIS.sub("", text)
    text = FOOTNOTE_REF.sub("", text)
    return SPACES.sub(" ", text).strip()
