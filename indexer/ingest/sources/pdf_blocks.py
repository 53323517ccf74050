"""Positioned lines of a PDF to Markdown-ish blocks: headings, paragraphs, bullets, footnotes and
table rows, in the SourceText conventions (see indexer/model.py). Pure functions on `Line`s.

Word lays out a paragraph as lines a fixed pitch apart and puts extra space between paragraphs,
so a gap wider than the pitch ends a block; so does a change of font, a bullet, or a line that
starts left of the one above. A line that sits beside lines already read (its vertical extent
overlaps theirs) is a table cell to their right. Headings are short blocks set bold or large.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from .pdf_layout import Line, Page

# A gap between baselines this many line pitches wide starts a new paragraph.
PARAGRAPH_GAP = 1.2
NUMBERED = re.compile(r"^\d{1,3}\.\s")
CONTINUED = re.compile(r"\b(?:is|are|be|to|the|of|and|as|was|were|requires?)$")
MONTH = ("January|February|March|April|May|June|July|August|September|October|November"
         "|December")
# "[^2] text" (a raised number) or "2 text" (set small, not raised); "23 August 2013" is a date.
FOOTNOTE_START = re.compile(r"^(?:\[\^(\d{1,3})\]|(\d{1,3})(?=\s+\S)(?!\s+(?:" + MONTH + r")\b))\s*")
LABEL = re.compile(r"^[\w’']+(?: [\w’']+){0,2}:\s+\S")
HEADING_MAX_LINES = 3
HEADING_MAX_CHARS = 250


@dataclass
class PageBlock:
    cells: list[list[Line]] = field(default_factory=list)  # one cell unless a table row
    kind: str = "paragraph"  # paragraph | bullet | footnote | table | heading

    @property
    def lines(self) -> list[Line]:
        return [ln for cell in self.cells for ln in cell]

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.baseline for ln in self.lines)


def line_pitches(pages: list[Page]) -> dict[float, float]:
    """The usual distance between the baselines of two lines of one paragraph, per font size."""
    deltas: dict[float, list[float]] = defaultdict(list)
    for page in pages:
        for a, b in zip(page.lines, page.lines[1:]):
            d = b.baseline - a.baseline
            if a.size == b.size and 0.9 * a.size < d < 1.6 * a.size:
                deltas[a.size].append(d)
    return {size: median(ds) for size, ds in deltas.items() if len(ds) >= 3}


def page_blocks(page: Page, body: float, pitches: dict[float, float]) -> list[PageBlock]:
    body_lines, notes, referenced = _split_footnote_zone(page, body)
    blocks = _group(body_lines, body, pitches)
    blocks += _footnotes(notes, referenced)
    return blocks


def _pitch(size: float, pitches: dict[float, float]) -> float:
    return pitches.get(size) or 1.2 * size


def _split_footnote_zone(page: Page, body: float) -> tuple[list[Line], list[Line], set[str]]:
    """Footnotes: small lines below all the body text in the lower half of the page, from the
    first that starts with a footnote number. By position, not order: producers draw them at
    any point of the page's content."""
    body_bottom = max((ln.baseline for ln in page.lines if ln.size >= 0.95 * body), default=0.0)
    floor = max(body_bottom, page.height / 2)
    zone = sorted((ln for ln in page.lines if ln.size < 0.95 * body and ln.baseline > floor),
                  key=lambda ln: ln.baseline)
    taken = {id(ln) for ln in zone}
    referenced = {m for ln in page.lines if id(ln) not in taken
                  for m in re.findall(r"\[\^(\d{1,3})\]", ln.text)}
    start = next((i for i, ln in enumerate(zone) if _footnote_number(ln, referenced)), len(zone))
    notes = zone[start:]  # small print above the first footnote (a table's source) stays
    taken = {id(ln) for ln in notes}
    return [ln for ln in page.lines if id(ln) not in taken], notes, referenced


def _footnote_number(line: Line, referenced: set[str]) -> str | None:
    """The number of the footnote `line` starts: a raised number, or a plain one that the
    page's text refers to (so "8 – 12 July 2013" in a small-print box is not footnote 8)."""
    m = FOOTNOTE_START.match(line.text)
    if not m:
        return None
    if m.group(1):
        return m.group(1)
    return m.group(2) if m.group(2) in referenced else None


def _footnotes(lines: list[Line], referenced: set[str]) -> list[PageBlock]:
    blocks: list[PageBlock] = []
    for ln in lines:
        if not blocks or _footnote_number(ln, referenced):
            blocks.append(PageBlock([[ln]], kind="footnote"))
        else:
            blocks[-1].cells[0].append(ln)
    return blocks


def _group(lines: list[Line], body: float, pitches) -> list[PageBlock]:
    blocks: list[PageBlock] = []
    active: tuple[PageBlock, list[Line]] | None = None  # the block and cell the last line went to
    for ln in lines:
        if active and _continues_paragraph(active[1][-1], ln, pitches):
            active[1].append(ln)
            continue
        target = _beside(blocks, ln)
        if target is not None:
            cell = [ln]
            target.cells.append(cell)
            target.kind = "table"
            active = (target, cell)
            continue
        block = PageBlock([[ln]], kind="bullet" if ln.bullet else "paragraph")
        blocks.append(block)
        active = (block, block.cells[0])
    for block in blocks:
        if block.kind == "paragraph" and _looks_like_heading(block, body):
            block.kind = "heading"
    return blocks


def _continues_paragraph(last: Line, ln: Line, pitches) -> bool:
    """Does `ln` carry on the paragraph (or cell) whose last line is `last`?"""
    delta = ln.baseline - last.baseline
    if not (0.5 * ln.size < delta <= PARAGRAPH_GAP * _pitch(last.size, pitches)):
        return False
    if ln.bullet or abs(ln.size - last.size) > 1.1:
        return False
    if ln.bold != last.bold and not (ln.bold and CONTINUED.search(last.text)):
        return False  # a change of weight ends a heading; a sentence may go on in bold:
        # "The effectiveness of the LSCB is" / "requires improvement"
    if ln.x0 < last.x0 - 5:
        return False  # starts left of the line above: a new paragraph after an indented one
    if NUMBERED.match(ln.text) and ln.x0 <= last.x0 - 5 + 10:
        return ln.x0 > last.x0 + 5  # "12. " at the margin starts a paragraph
    return True


def _beside(blocks: list[PageBlock], ln: Line) -> PageBlock | None:
    """A recent block that `ln` sits to the right of, at the same height: `ln` is a cell."""
    for block in reversed(blocks[-3:]):
        # A cell centred on a taller neighbour starts up to a line above that row's top.
        if ln.x0 >= block.x1 - 2 and ln.top < block.bottom and ln.baseline > block.top - ln.size:
            return block
    return None


def _looks_like_heading(block: PageBlock, body: float) -> bool:
    lines = block.lines
    text = " ".join(ln.text for ln in lines)
    if len(lines) > HEADING_MAX_LINES or len(text) > HEADING_MAX_CHARS or NUMBERED.match(text):
        return False
    if text.endswith(".") and len(text) > 60:
        return False  # a bold sentence, not a title
    if LABEL.match(text):
        return False  # "Inspection dates: 11 to 22 May 2026" is a label and its value
    if lines[0].size < 0.95 * body:
        return False
    return all(ln.bold for ln in lines) or lines[0].size >= 1.25 * body


def heading_levels(blocks: list[PageBlock]) -> dict[float, int]:
    """Heading level per font size: the largest heading size is level 1."""
    sizes = sorted({b.lines[0].size for b in blocks if b.kind == "heading"}, reverse=True)
    return {size: min(i + 1, 4) for i, size in enumerate(sizes)}


def join_lines(lines: list[Line]) -> str:
    """One paragraph's lines as one line: a hyphen at a line's end joins without a space
    (Word does not hyphenate, so a line-end hyphen belongs to a compound: "decision-making")."""
    out = ""
    for ln in lines:
        text = ln.text.strip()
        if not out:
            out = text
        elif re.search(r"[A-Za-z]-$", out) and text[:1].isalnum():
            out += text
        else:
            out += " " + text
    return out


def _hard_broken(lines: list[Line]) -> bool:
    """Lines broken by hand, not by the margin: an address block ("The Cube" / "George Street" /
    "Corby"). Written Markdown-style with two trailing spaces, so each line stays a line."""
    return len(lines) >= 3 and all(len(ln.text) < 45 for ln in lines)


def render(block: PageBlock, levels: dict[float, int]) -> str:
    if block.kind == "table":
        return "\t".join(join_lines(cell) for cell in block.cells)
    if block.kind == "paragraph" and _hard_broken(block.lines):
        return "\n".join(ln.text.strip() + "  " for ln in block.lines).rstrip()
    text = join_lines(block.lines)
    if block.kind == "heading":
        return "#" * levels.get(block.lines[0].size, 4) + " " + text
    if block.kind == "footnote":
        m = FOOTNOTE_START.match(text)
        return f"[^{m.group(1) or m.group(2)}]: {text[m.end():]}" if m else text
    return text
