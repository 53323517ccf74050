"""Split SourceText into blocks: headings, paragraphs, bullets, footnotes and table rows.

(First cut: blank-line blocks, "#" and short-line headings, printed numbers, joins across page
breaks when a paragraph is left unfinished. The ingestion issue makes this faithful.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .clean import clean_inline
from .model import SourceText

NUMBERED = re.compile(r"^(?:[-*•■◼▪●]\s+)?(\d{1,3})\.\s+(?=\S)")
BULLET = re.compile(r"^\s*[-*•■◼▪●]\s+")
FOOTNOTE = re.compile(r"^\[\^(\d+)\]:\s*")
TERMINAL = re.compile(r"[.!?:;)\"'’”]\s*$")


@dataclass
class Block:
    kind: str                 # heading | paragraph | bullet | footnote | table
    text: str
    para_number: Optional[str] = None
    page: Optional[int] = None
    level: int = 0            # heading level when known from "#"


def _raw_blocks(text: str):
    """Yield (page, raw block text) for blank-line separated blocks; "\\f" advances the page."""
    page = 1
    for chunk in re.split(r"\n[ \t]*\n", text):
        pages_before = chunk.count("\f")
        chunk = chunk.replace("\f", "").strip("\n")
        page += pages_before
        if chunk.strip():
            yield page, chunk
        if pages_before:
            yield page, "\f"


def _classify(raw: str, page: int) -> Block:
    line = " ".join(raw.split())
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        return Block("heading", clean_inline(line.lstrip("#")), page=page, level=level)
    m = FOOTNOTE.match(line)
    if m:
        return Block("footnote", clean_inline(line[m.end():]), page=page)
    if "\t" in raw and not NUMBERED.match(line):
        return Block("table", clean_inline(line), page=page)
    m = NUMBERED.match(line)
    if m:
        return Block("paragraph", clean_inline(line[m.end():]), para_number=m.group(1), page=page)
    if BULLET.match(line):
        return Block("bullet", clean_inline(BULLET.sub("", line)), page=page)
    text = clean_inline(line)
    if len(text) < 80 and not TERMINAL.search(text) and text[:1].isupper():
        return Block("heading", text, page=page)
    return Block("paragraph", text, page=page)


def segment(source: SourceText) -> list[Block]:
    blocks: list[Block] = []
    after_break = False
    for page, raw in _raw_blocks(source.text):
        if raw == "\f":
            after_break = True
            continue
        block = _classify(raw, page if source.paged else None)
        if not block.text:
            continue
        prev = blocks[-1] if blocks else None
        continues = (
            prev is not None and prev.kind in ("paragraph", "bullet") and block.kind != "heading"
            and block.para_number is None and not TERMINAL.search(prev.text)
            and (after_break or block.text[:1].islower())
        )
        if continues:
            prev.text = f"{prev.text} {block.text}"
        else:
            blocks.append(block)
        after_break = False
    return blocks
