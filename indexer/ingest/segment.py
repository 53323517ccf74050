"""Split SourceText into blocks: headings, paragraphs, bullets, footnotes, grade lines, tables.

Paragraphs come out whole and true to the printed report:
1. lines: the text is cut into items (a bullet, a numbered paragraph, a heading, a table row...);
   lines of one blank-line block that start nothing new are soft wraps of the line above;
2. classify: each item is a heading, paragraph, bullet, footnote, grade line, table row or
   furniture ("meta": addresses, dates, sign-offs, Ofsted's boilerplate), never prose;
3. tables: JAR tick grids become grade lines, strengths/weaknesses tables become bullets under
   their column header, a lone judgement row ("Key judgement | grade") becomes a graded heading;
4. join: a paragraph cut by a page break is joined again, skipping the grade lines, footnotes and
   tables the converter put between its halves (a heading between them ends it);
5. numbers: numbering that restarts (annexes) gets a prefix ("B.3"); a number the converter lost
   or moved into the middle of a line ("... a very 65. effective ...") is recovered when the
   numbers either side leave no doubt.
Pure functions on text: no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .clean import clean_inline
from .grades import (checkbox_grade, grade_line, normalise_grade, split_graded_heading,
                     tick_grid_grade, SCALE_LABELS, TICK_MARKS)
from ..model import SourceText

NUMBERED = re.compile(r"^(\d{1,3})\.(?!\d)\s+(?=\S)")
BULLET = re.compile(r"^[-*+]\s+(?=\S)")
FOOTNOTE = re.compile(r"^\[\^(\w+)\]:\s*")
HEADING_HASH = re.compile(r"^(#{1,6})\s+")
# Sentence end: punctuation, then maybe a closing quote or bracket.
TERMINAL = re.compile(r"[.!?:;][\"'’”)\]]*\s*$")
FUNCTION_WORDS = {"a", "an", "and", "the", "of", "to", "for", "with", "in", "on", "or", "by", "at",
                  "from", "that", "which", "their", "its", "as", "is", "are", "be", "but", "than"}
LEAD_IN_WORDS = {"because", "should", "are", "is", "were", "was", "include", "includes", "included",
                 "following", "that", "by", "as", "to"}
ANNEX = re.compile(r"^(?:annex|appendix)\s+([A-Z0-9]{1,2})\b", re.I)
DATE_LINE = re.compile(r"^\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$")

# Furniture that is printed but is not report content.
META_LINE = re.compile(
    r"^(?:inspection dates?|report published|published|age group|reference no|lead inspector"
    r"|deputy lead inspector|team inspectors?|quality assurance manager|reporting inspector"
    r"|website|textphone|telephone|email|date of previous inspection|dates of previous inspection"
    r"|unique reference number|local authority|t)\s*:"
    r"|^(?:©|\(c\)\s)|^crown copyright|^dear\s|^t\s*:?\s*0\d{3}"
    r"|piccadilly gate|\bM1 2WD\b"
    # Ofsted's standard small print
    r"|^this document may be reproduced|^further copies of this report"
    r"|^any complaints about the inspection|^you may copy all or parts of this document"
    r"|^if you would like a copy of this document|^to receive regular email alerts"
    r"|^the office for standards in education, children.s services and skills \(ofsted\) regulates"
    r"|^interested in our work\?|^ofsted will take the findings from this",
    re.I)
# The key to a grade scale: "4: outstanding; 3: good; 2: adequate; 1: inadequate".
GRADE_KEY = re.compile(r"^(?:\d\s*[:=]\s*[A-Za-z ]+[;,]?\s*){3,}$")
SIGN_OFF = re.compile(r"^yours\s+(?:sincerely|faithfully)", re.I)


@dataclass
class Block:
    kind: str                 # heading | paragraph | bullet | footnote | grade | table | meta
    text: str
    para_number: Optional[str] = None
    page: Optional[int] = None
    level: int = 0            # heading: "#" count (0 = not known); bullet: nesting depth
    grade: Optional[str] = None   # heading or grade line: the grade printed with it
    area: Optional[str] = None    # grade line: the area it names (None: the heading above)
    label: Optional[str] = None   # prose in a table column: the column header ("Major strengths")
    cells: list[str] = field(default_factory=list)  # table row: its cells, cleaned
    group: int = 0            # index of the blank-line block the item came from
    new_block: bool = False   # first item of its blank-line block
    run: int = 0              # numbering run: 0 main sequence, 1.. each restart


@dataclass
class _Item:
    raw: str
    page: int
    group: int
    new_block: bool
    hard_block: bool = False  # block of hard-broken short lines (an address)


# --- 1. lines -------------------------------------------------------------------------------

def _starts_item(line: str) -> bool:
    s = line.strip()
    return bool(
        "\t" in line or HEADING_HASH.match(s) or FOOTNOTE.match(s) or BULLET.match(s)
        or NUMBERED.match(re.sub(r"^\*\*", "", s)) or s.startswith("<"))


def _items(text: str) -> list[_Item]:
    items: list[_Item] = []
    page, group, new_block = 1, 0, True
    block_lines: list[str] = []

    def close_block():
        # A block of two or more hard-broken short lines is an address, not prose.
        if len(block_lines) >= 2 and all(len(l.strip()) < 60 for l in block_lines) and \
                sum(l.endswith("  ") for l in block_lines) >= len(block_lines) - 1:
            for it in items[len(items) - len(block_lines):]:
                it.hard_block = True

    for line in text.split("\n"):
        if "\f" in line:
            page += line.count("\f")
            line = line.replace("\f", "")
        if not line.strip():
            if not new_block:
                close_block()
                block_lines = []
                group += 1
            new_block = True
            continue
        prev = items[-1] if items and not new_block else None
        hard_break = prev is not None and (prev.raw.endswith("  ") or prev.raw.endswith("<br>"))
        if prev is not None and not hard_break and not _starts_item(line) and "\t" not in prev.raw:
            prev.raw = _join_wrapped(prev.raw, line.strip())  # a soft wrap inside a paragraph
            block_lines[-1] = prev.raw
            continue
        items.append(_Item(line, page, group, new_block))
        block_lines.append(line)
        new_block = False
    close_block()
    return items


def _join_wrapped(a: str, b: str) -> str:
    a = a.rstrip()
    if re.search(r"[A-Za-z]-$", a) and b[:1].islower():
        return a + b  # a hyphenated word or compound broken at the line end
    return f"{a} {b}"


# --- 2. classify ----------------------------------------------------------------------------

# A sentence ended inside the line and another begun: prose cut short by a page break ("The
# local authority is in touch with almost all care leavers. Personal advisers support"), not a
# heading. ("St. Helens" is not a sentence end: one lower-case letter before the stop.)
SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]")


def _looks_like_heading(t: str) -> bool:
    if not t or len(t) > 120 or not (t[0].isupper() or t[0] in "'‘\""):
        return False
    words = t.split()
    if t.endswith("?"):
        return len(words) <= 20
    if t.endswith(":"):
        # A label such as "Within three months:", not a lead-in ("The LSCB requires improvement because:")
        return len(words) <= 4 and words[-1].lower().rstrip(":") not in LEAD_IN_WORDS
    if TERMINAL.search(t) or len(words) > 20 or SENTENCE_INSIDE.search(t):
        return False
    return words[-1].lower() not in FUNCTION_WORDS


def _classify(item: _Item, paged: bool) -> Block:
    raw = item.raw
    page = item.page if paged else None
    s = raw.strip()

    def block(kind, text, **kw):
        return Block(kind, text, page=page, group=item.group, new_block=item.new_block, **kw)

    if item.hard_block:
        return block("meta", clean_inline(s))
    m = HEADING_HASH.match(s)
    if m:
        g = grade_line(clean_inline(s[m.end():]))
        if g and g[0] is None:  # "Grade 4 (inadequate)" set in bold under its heading (PDF)
            return block("grade", clean_inline(s[m.end():]), grade=g[1])
        text, grade = split_graded_heading(clean_inline(s[m.end():]))
        return block("heading", text, level=len(m.group(1)), grade=grade)
    m = FOOTNOTE.match(s)
    if m:
        return block("footnote", clean_inline(s[m.end():]))
    if "\t" in raw or "<input" in raw or s.lower().startswith("<p>"):
        return _classify_row(raw, block)
    t = clean_inline(s)
    if not t:
        return block("meta", "")
    if META_LINE.search(t) or DATE_LINE.match(t):
        return block("meta", t)
    if GRADE_KEY.match(t) or _is_grade_list(s):
        return block("table", t)
    g = grade_line(t)
    if g:
        return block("grade", t, area=g[0], grade=g[1])
    marker = BULLET.match(t)
    body = t[marker.end():] if marker else t
    m = NUMBERED.match(body)
    if m:
        return block("paragraph", body[m.end():], para_number=m.group(1))
    if marker:
        depth = 1 if raw[:1] in " \t" else 0
        return block("bullet", body, level=depth)
    if _looks_like_heading(t):
        text, grade = split_graded_heading(t)
        return block("heading", text, grade=grade)
    return block("paragraph", t)


def _is_grade_list(line: str) -> bool:
    """A table of numbered judgements and grades run together into one line by the converter."""
    grades = re.findall(r"\*\*(?:improvement|good|inadequate|outstanding|adequate)\*\*|\brequires\b",
                        line, re.I)
    items = re.findall(r"\s\d(?:\.\d)?\.?\s+[A-Z]", line)
    return len(grades) >= 3 and len(items) >= 2


def _classify_row(raw: str, block) -> Block:
    """A table row (tab-separated cells) or an HTML checkbox row."""
    if "<input" in raw:
        grade = checkbox_grade(raw)
        if grade:
            return block("grade", "", grade=grade)
    if "<p>" in raw.lower():
        # Cells holding paragraphs (JAR strengths and weaknesses): keep each <p> as prose.
        columns = [[clean_inline(p) for p in re.findall(r"<p>(.*?)</p>", cell, re.I | re.S)]
                   for cell in raw.split("\t")]
        b = block("cells", "")
        b.cells = ["\x1f".join(p for p in col if p) for col in columns]
        return b
    cells = [clean_inline(c) for c in raw.split("\t")]
    cells = [c for c in cells if c]
    grid = tick_grid_grade(cells)
    if grid:
        return block("grade", "", grade=grid)
    row = block("table", " | ".join(cells))
    row.cells = cells
    if len(cells) >= 2:
        row.grade = normalise_grade(cells[-1])
        row.area = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", cells[0]) if row.grade else None
    return row


# --- 3. tables ------------------------------------------------------------------------------

def _tick_grids(items: list[_Item]) -> list[tuple[int, int, str]]:
    """Runs of items that spell a JAR tick grid ("Inadequate", "Adequate", "Good", "X",
    "Outstanding", one per block): (start, end, grade)."""
    found = []
    words = [it.raw.strip().lower() for it in items]
    i = 0
    while i < len(items):
        if words[i] == "inadequate":
            j = i
            while j < len(items) and j - i < 6 and (words[j] in SCALE_LABELS or words[j] in TICK_MARKS):
                j += 1
            grade = tick_grid_grade([it.raw for it in items[i:j]])
            if grade:
                found.append((i, j, grade))
                i = j
                continue
        i += 1
    return found


def _tables(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    groups: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "table":
            groups.setdefault(b.group, []).append(b)
    header: list[str] = []
    for b in blocks:
        if b.kind == "table" and b.grade:
            graded = [r for r in groups[b.group] if r.grade]
            if len(graded) == 1 and len(groups[b.group]) <= 2:
                # A lone judgement row under "Key judgement | Judgement grade": a graded heading.
                out.append(Block("heading", b.area, page=b.page, grade=b.grade, group=b.group))
                continue
        if b.kind == "table":
            header = b.cells if len(b.cells) >= 2 and not b.grade else []
            out.append(b)
            continue
        if b.kind == "cells":
            for col, joined in enumerate(b.cells):
                label = header[col] if col < len(header) else None
                for text in filter(None, joined.split("\x1f")):
                    out.append(Block("bullet", text, page=b.page, label=label, group=b.group))
            continue
        out.append(b)
    return _column_order(out)


def _column_order(blocks: list[Block]) -> list[Block]:
    """Rows of a two-column table are read column by column, as printed: all strengths, then all
    weaknesses."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if blocks[i].label is None:
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].label is not None:
            j += 1
        labels = list(dict.fromkeys(b.label for b in blocks[i:j]))
        out.extend(b for lab in labels for b in blocks[i:j] if b.label == lab)
        i = j
    return out


# --- 4. joins -------------------------------------------------------------------------------

def finished(text: str) -> bool:
    return bool(TERMINAL.search(text))


def _continues_across_page(prev: Block, cur: Block, between: list[Block]) -> bool:
    """Is `cur` the second half of `prev`, cut by a page break?"""
    if cur.kind not in ("paragraph", "bullet") or cur.para_number or not cur.new_block:
        return False
    if prev.kind not in ("paragraph", "bullet") or finished(prev.text) or cur.label or prev.label:
        return False
    if any(b.kind == "heading" or (b.kind == "grade" and b.area) for b in between) or \
            (cur.kind == "bullet" and cur.level):
        return False
    first = cur.text[:1]
    if first.islower() or (first.isdigit() and cur.kind == "paragraph"):
        # "- and that ..." after an unnumbered bullet is the next item of a list.
        return cur.kind == "paragraph" or prev.kind == "paragraph"
    # A capital letter: only a numbered paragraph left mid-sentence is certainly unfinished.
    return prev.para_number is not None


def _join(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    last_prose: Optional[int] = None
    lead_in: Optional[Block] = None  # "... included:" with its indented list still open
    for b in blocks:
        if b.kind == "bullet" and b.level and lead_in is not None:
            # An indented list under a line ending in ":" is part of that paragraph.
            lead_in.text += "\n- " + b.text
            continue
        lead_in = None
        if b.kind == "meta" and out and out[-1].kind == "meta" and b.new_block and \
                re.match(r"^team inspectors?:", out[-1].text, re.I) and not finished(out[-1].text) \
                and len(b.text.split()) <= 6:
            out[-1].text += " " + b.text  # a list of names cut by the page break
            continue
        if last_prose is not None and _continues_across_page(out[last_prose], b, out[last_prose + 1:]):
            prev = out[last_prose]
            sep = "" if re.search(r"[A-Za-z]-$", prev.text) and b.text[:1].islower() else " "
            prev.text = prev.text + sep + b.text
            continue
        out.append(b)
        if b.kind in ("paragraph", "bullet"):
            last_prose = len(out) - 1
            if b.text.endswith(":"):
                lead_in = b
        elif b.kind == "heading":
            last_prose = None
            _strip_heading_bleed(out)
    return out


def _strip_heading_bleed(out: list[Block]) -> None:
    """A converter sometimes also prints the next heading at the end of the line before it
    ("... from home and care. Areas for improvement" then "Areas for improvement")."""
    heading = out[-1].text
    for b in reversed(out[:-1]):
        if b.kind in ("paragraph", "bullet"):
            head = b.text[:-len(heading)].rstrip()
            if b.text.endswith(" " + heading) and finished(head):
                b.text = head
            return
        if b.kind not in ("meta", "footnote", "grade", "table"):
            return


# --- 5. numbers -----------------------------------------------------------------------------

def _number_runs(blocks: list[Block]) -> None:
    """Numbering that restarts at 1 (annexes) starts a new run, prefixed with the annex's letter
    ("B.3") or, with no annex heading, with the run's ordinal ("R2.3")."""
    run, last, annex = 0, 0, None
    for b in blocks:
        if b.kind == "heading":
            m = ANNEX.match(b.text)
            if m:
                annex = m.group(1).upper()
        if not b.para_number:
            continue
        n = int(b.para_number)
        if n == 1 and last > 1:
            run += 1
            prefix = annex or f"R{run + 1}"
            annex = None  # one annex heading names one run
        elif run == 0:
            prefix = None
        b.run = run
        if run:
            b.para_number = f"{prefix}.{n}"
        last = n


def _num(b: Block) -> int:
    return int(b.para_number.rsplit(".", 1)[-1])


def _recover_numbers(blocks: list[Block]) -> None:
    """Fill gaps in a numbering run from the unnumbered paragraphs between its two ends."""
    numbered = [i for i, b in enumerate(blocks) if b.para_number]
    for a, z in zip(numbered, numbered[1:]):
        if blocks[a].run != blocks[z].run:
            continue
        missing = list(range(_num(blocks[a]) + 1, _num(blocks[z])))
        if not missing or len(missing) > 3:
            continue
        candidates = [i for i in range(a + 1, z)
                      if blocks[i].kind in ("paragraph", "bullet") and not blocks[i].level
                      and not blocks[i].label]
        prefix = blocks[a].para_number.rsplit(".", 1)[0] + "." if "." in blocks[a].para_number else ""
        displaced = {}
        for n in missing:
            hits = [i for i in candidates if _displaced(blocks[i].text, n)]
            if len(hits) == 1:
                displaced[n] = hits[0]
        if len(displaced) == len(missing) and sorted(displaced.values()) == [displaced[n] for n in missing]:
            chosen = [displaced[n] for n in missing]
        elif len(candidates) == len(missing):
            chosen = candidates
        else:
            continue
        for n, i in zip(missing, chosen):
            b = blocks[i]
            b.kind, b.para_number, b.run = "paragraph", f"{prefix}{n}", blocks[a].run
            b.text = _remove_displaced(b.text, n)


def _displaced(text: str, n: int) -> bool:
    return re.search(rf"(?<=\S)\s{n}\.\s+(?=[a-z])", text) is not None


def _remove_displaced(text: str, n: int) -> str:
    return re.sub(rf"(?<=\S)\s{n}\.\s+(?=[a-z])", " ", text, count=1)


# --- the whole stage ------------------------------------------------------------------------

def segment(source: SourceText) -> list[Block]:
    items = _items(source.text)
    grids = {start: (end, grade) for start, end, grade in _tick_grids(items)}
    blocks: list[Block] = []
    closing = False
    i = 0
    while i < len(items):
        if i in grids:
            end, grade = grids[i]
            blocks.append(Block("grade", "", grade=grade, group=items[i].group,
                                page=items[i].page if source.paged else None))
            i = end
            continue
        b = _classify(items[i], source.paged)
        if SIGN_OFF.match(b.text):
            closing = True  # a letter's sign-off, then its signature: short lines of names
        elif closing and (finished(b.text) or len(b.text.split()) > 6):
            closing = False
        if closing:
            b.kind = "meta"
        blocks.append(b)
        i += 1
    blocks = _join(_tables(blocks))
    blocks = [b for i, b in enumerate(blocks)
              if b.kind not in ("paragraph", "bullet") or _is_prose(b, blocks[i + 1:i + 2])]
    _number_runs(blocks)
    _recover_numbers(blocks)
    return _absorb_orphans(blocks)


def _absorb_orphans(blocks: list[Block]) -> list[Block]:
    """An unnumbered paragraph between numbered paragraphs N and N+1, with no heading between,
    is the rest of paragraph N after a page break that fell at the end of a sentence."""
    out: list[Block] = []
    owner: Optional[Block] = None   # the numbered paragraph the text since belongs to
    pending: list[Block] = []       # orphans waiting for the next number to confirm them
    for b in blocks:
        if b.kind == "heading" or (b.kind == "grade" and b.area) or b.kind == "bullet":
            owner, pending = None, []
        elif b.para_number:
            if owner is not None and pending and b.run == owner.run and _num(b) == _num(owner) + 1:
                for orphan in pending:
                    owner.text += " " + orphan.text
                out = [x for x in out if not any(x is o for o in pending)]
            owner, pending = b, []
        elif b.kind == "paragraph" and owner is not None and not b.label:
            pending.append(b)
        out.append(b)
    return out


def _is_prose(b: Block, following: list[Block]) -> bool:
    """Not prose: a stray word the converter left on its own ("and" between title lines), or the
    lead-in to a table of grades ("The judgements on areas of the service ... are:")."""
    if b.para_number:
        return True
    if b.text.endswith(":") and following and following[0].kind == "table":
        return False
    return len(b.text.split()) >= 3 or finished(b.text)


def contents_entries(blocks: list[Block]) -> list[str]:
    """The headings the report's own table of contents lists (first cells of its rows)."""
    entries: list[str] = []
    inside = False
    for b in blocks:
        if b.kind == "heading":
            if inside and entries:
                break
            inside = b.text.strip().lower() == "contents"
            continue
        if inside and b.kind == "table" and b.cells:
            entries.append(re.sub(r"^\d+\.\s+", "", b.cells[0]))
        elif inside and b.kind in ("paragraph", "bullet") and entries:
            break
    return entries
