"""A PDF page's text, as pdfium reports it, grouped into positioned lines.

pdfium gives the page's text in content-stream order, which in Ofsted's Word-made PDFs is reading
order, with its own line breaks. Each line is then measured with as few calls into pdfium as
possible (a call costs microseconds, a page has thousands of characters; see
benchmarks/README.md): the boxes of its text runs, the font size and weight of a few sample
letters, the size of each digit (superscript footnote numbers are set smaller). Lines are split
where a wide gap separates table cells, and joined again where pdfium put a superscript number on
a line of its own. Everything downstream works on `Line`s only.
"""
from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, replace

import pypdfium2.raw as pdfium_c

# A gap wider than this many font sizes between two runs of one line separates table cells:
# justified prose stays under 1.1 (measured over the corpus), while a grade can sit 1.2 sizes
# from its area. A bullet's or a list number's tab can be wider: those are joined again.
CELL_GAP = 1.15
# Superscript footnote numbers are set at most this fraction of the text's size.
SUPERSCRIPT_SIZE = 0.85
# Bold faces have a weight of 600 or more (pdfium reports the font's /FontWeight or its name).
BOLD_WEIGHT = 600
# Glyphs that start a bullet when set off from the text by a tab, and those that always do
# (Wingdings and Symbol bullets arrive as private-use code points).
BULLET_GLYPHS = "\uf06e\uf0a7\uf0b7\uf0be\uf02d\uf0d8\uf0fc\uf076◼■▪•●◦○–−-─―\u0336o"
ALWAYS_BULLETS = "\uf06e\uf0a7\uf0b7\uf0be\uf0d8\uf0fc\uf076◼■▪•●◦"
# A nominal font size below this is scaled by the text matrix to its real size.
MIN_NOMINAL_SIZE = 3.0
# pdfium's marker for a hyphen at the end of a line; it drops the line break after it.
LINE_END_HYPHEN = "\ufffe"
LIST_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,2})*\.?$")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")


@dataclass
class Line:
    """A run of text on one baseline: a line of prose, or one cell's line in a table."""

    page: int            # 1-based
    text: str            # footnote references written "[^N]", a leading bullet written "- "
    x0: float
    x1: float
    top: float           # distances from the top edge of the page
    baseline: float
    size: float          # font size of its letters
    bold: bool
    bullet: bool = False
    number_only: bool = False  # nothing but a number (a page number, or a footnote number)
    spaced: bool = False       # pdfium gave it a leading space: it follows on after a word


@dataclass
class Page:
    number: int          # 1-based
    width: float
    height: float
    lines: list[Line]


class _Measure:
    """The few pdfium calls the reader needs, with their ctypes out-parameters made once."""

    def __init__(self, raw, height: float):
        self.raw = raw
        self.height = height
        self._d = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(d) for d in self._d]
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_ref = ctypes.byref(self._matrix)

    def runs(self, start: int, count: int) -> list[tuple[float, float, float, float]]:
        """Boxes (x0, top, x1, bottom; from the page's top) of the text runs in a char range."""
        raw, h, d, refs = self.raw, self.height, self._d, self._refs
        out = []
        for i in range(pdfium_c.FPDFText_CountRects(raw, start, count)):
            pdfium_c.FPDFText_GetRect(raw, i, *refs)
            out.append((d[0].value, h - d[1].value, d[2].value, h - d[3].value))
        return out

    def char_box(self, i: int) -> tuple[float, float, float, float]:
        d, refs = self._d, self._refs
        pdfium_c.FPDFText_GetCharBox(self.raw, i, *refs)  # left, right, bottom, top
        return d[0].value, self.height - d[3].value, d[1].value, self.height - d[2].value

    def baseline(self, i: int) -> float:
        d, refs = self._d, self._refs
        pdfium_c.FPDFText_GetCharOrigin(self.raw, i, refs[0], refs[1])
        return self.height - d[1].value

    def size(self, i: int) -> float:
        size = pdfium_c.FPDFText_GetFontSize(self.raw, i)
        if size < MIN_NOMINAL_SIZE:
            # Some producers set the font at size 1 and scale it with the text matrix.
            pdfium_c.FPDFText_GetMatrix(self.raw, i, self._matrix_ref)
            m = self._matrix
            size *= math.hypot(m.c, m.d)
        return size

    def bold(self, i: int) -> bool:
        weight = pdfium_c.FPDFText_GetFontWeight(self.raw, i)
        if weight > 0:
            return weight >= BOLD_WEIGHT
        # No weight in the font descriptor (the standard 14 fonts): go by the font's name.
        n = pdfium_c.FPDFText_GetFontInfo(self.raw, i, self._name, len(self._name), self._flags)
        return b"bold" in self._name.raw[:max(n - 1, 0)].lower()


def read_page(page, number: int) -> Page:
    """All lines of one pypdfium2 page, in reading order."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        text = textpage.get_text_range() if n > 0 else ""
        if len(text) != n:  # characters outside the BMP count twice in UTF-16: index one by one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(n))
        measure = _Measure(raw, height)
        lines = [ln for start, end in _line_ranges(text)
                 for ln in _measure_line(text, start, end, measure, number)]
    finally:
        textpage.close()
    return Page(number, width, height, _join_fragments(lines))


def _line_ranges(text: str):
    """(start, end) of each pdfium line; a line-end hyphen ends a line too."""
    start = 0
    for m in re.finditer(r"\r\n|\r|\n|\ufffe", text):
        end = m.end() if m.group() == LINE_END_HYPHEN else m.start()
        if end > start:
            yield start, end
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _measure_line(text: str, start: int, end: int, measure: _Measure, page: int) -> list[Line]:
    runs = measure.runs(start, end - start)
    style = _style(text, start, end, measure) if runs else None
    if style is None:
        return []  # only spaces or invisible characters
    pieces = _split_cells(text, start, end, runs, style[0], measure)
    lines = []
    for (s, e), (x0, top, x1) in pieces:
        size, bold, baseline = style if len(pieces) == 1 else (_style(text, s, e, measure) or style)
        body, bullet, number_only = _line_text(text, s, e, size, measure)
        if body.strip():
            lines.append(Line(page, body, x0, x1, top, baseline, size, bold, bullet, number_only,
                              spaced=text[s].isspace()))
    return lines


def _style(text: str, start: int, end: int, measure: _Measure):
    """(size, bold, baseline) of a line, from its first, middle and last letters."""
    letters = [i for i in range(start, end) if text[i].isalpha()]
    samples = [letters[0], letters[len(letters) // 2], letters[-1]] if letters else \
        [i for i in range(start, end) if not text[i].isspace()][:3]
    if not samples:
        return None
    sizes = [measure.size(i) for i in samples]
    size = round(max(sizes) if letters else sizes[0], 1)
    bold = sum(measure.bold(i) for i in samples) * 2 > len(samples)
    return size, bold, measure.baseline(samples[len(samples) // 2])


def _split_cells(text, start, end, runs, size, measure):
    """Cut the line where a gap wider than CELL_GAP separates two runs (table cells)."""
    groups = [[runs[0]]]
    for run in runs[1:]:
        prev = groups[-1][-1]
        if run[0] - prev[2] > CELL_GAP * size:
            groups.append([run])
        else:
            groups[-1].append(run)
    boxes = [(min(r[0] for r in g), min(r[1] for r in g), max(r[2] for r in g)) for g in groups]
    if len(groups) == 1:
        return [((start, end), boxes[0])]
    cuts, g = [start], 1
    for i in range(start, end):  # rare: find the first character of each later cell
        if g < len(groups) and not text[i].isspace() and measure.char_box(i)[0] >= boxes[g][0] - 0.5:
            cuts.append(i)
            g += 1
    cuts.append(end)
    if len(cuts) != len(groups) + 1:
        return [((start, end), (boxes[0][0], min(b[1] for b in boxes), boxes[-1][2]))]
    pieces = [((cuts[k], cuts[k + 1]), boxes[k]) for k in range(len(groups))]
    merged = [pieces[0]]
    for (s, e), box in pieces[1:]:
        (ps, pe), pbox = merged[-1]
        if text[ps:pe].strip() in BULLET_GLYPHS:  # a bullet set off from its text by a tab
            merged[-1] = ((ps, e), (pbox[0], min(pbox[1], box[1]), box[2]))
        else:
            merged.append(((s, e), box))
    return merged


def _line_text(text: str, start: int, end: int, size: float, measure: _Measure):
    """The text of a line or cell: small digits become "[^N]", a leading bullet glyph "- "."""
    chunk = text[start:end]
    visible = [i for i in range(start, end) if not text[i].isspace()]
    bullet = False
    if not visible:
        return "", False, False
    first = visible[0]
    if text[first] in BULLET_GLYPHS and len(visible) > 1:
        if text[first] in ALWAYS_BULLETS or (
                measure.char_box(visible[1])[0] - measure.char_box(first)[2] > 0.45 * size):
            bullet = True
            start = first + 1
            chunk = text[start:end]
    small = [i for i in range(start, end) if text[i].isdigit()
             and measure.size(i) < SUPERSCRIPT_SIZE * size]
    if small and len(small) < len([i for i in range(start, end) if not text[i].isspace()]):
        chunk = _mark_footnotes(text, start, end, set(small))
    chunk = SPACES.sub(" ", chunk.replace(LINE_END_HYPHEN, "-")).strip()
    # A line that is just a number may be a footnote number pdfium drew on its own line:
    # _join_fragments decides by its size next to its neighbours.
    number_only = not bullet and chunk.isdigit() and len(chunk) <= 3
    return ("- " + chunk if bullet else chunk), bullet, number_only


def _mark_footnotes(text: str, start: int, end: int, small: set[int]) -> str:
    out, digits = [], []
    for i in range(start, end):
        if i in small:
            digits.append(text[i])
            continue
        if digits:
            out.append(f"[^{''.join(digits)}]")
            digits = []
        out.append(text[i])
    if digits:
        out.append(f"[^{''.join(digits)}]")
    return "".join(out)


def _join_fragments(lines: list[Line]) -> list[Line]:
    """Join pieces pdfium drew as separate lines though they sit on one visual line: a footnote
    number on its own between two halves of a sentence, or a run after a change of font."""
    out: list[Line] = []
    for ln in lines:
        if out and _same_run(out[-1], ln):
            out[-1] = _merge(out[-1], ln)
        else:
            out.append(ln)
    return out


def _same_run(a: Line, b: Line) -> bool:
    size = min(a.size, b.size)
    gap = b.x0 - a.x1
    overlap = min(a.baseline, b.baseline) - max(a.top, b.top)
    if LIST_NUMBER.match(a.text) and abs(a.baseline - b.baseline) < 0.3 * size and 0 < gap < 5 * size:
        return True  # "1." set off from its text by a tab
    if not (-1.0 <= gap <= CELL_GAP * size) or overlap <= 0:
        return False
    if a.number_only != b.number_only:
        small, other = (a, b) if a.number_only else (b, a)
        return small.size < SUPERSCRIPT_SIZE * other.size
    return abs(a.baseline - b.baseline) < 0.3 * size and a.size == b.size


def _merge(a: Line, b: Line) -> Line:
    main = b if a.number_only and not b.number_only else a
    left = f"[^{a.text}]" if a.number_only else a.text
    right = f"[^{b.text}]" if b.number_only else b.text
    sep = "" if b.number_only or (b.x0 - a.x1 < 0.15 * main.size and not b.spaced) else " "
    return replace(main, text=left + sep + right, x0=min(a.x0, b.x0), x1=max(a.x1, b.x1),
                   bullet=a.bullet, number_only=False)
