"""Write small PDFs that reproduce the layouts of real Ofsted reports, for the PDF reader's tests.

A PDF made of positioned text in the standard Helvetica faces needs only a few dozen lines of PDF
syntax, so the tests write it themselves rather than pull in a PDF library (fpdf2 brings Pillow
and fontTools): real PDFs from ../shared must never be committed, and these fixtures must work
on a fresh clone. Text flows like Word lays it out: lines a fixed pitch apart, extra space
between paragraphs, a running header and footer and a page number on every page.

Inline markup in flowed text: "{^1}" is a superscript footnote number (smaller, raised).
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Optional

WIDTH, HEIGHT = 595.0, 842.0
MARGIN = 72.0
BODY = 11.0
PITCH = 1.3          # line pitch in font sizes
PARA_GAP = 8.0       # extra space between paragraphs
WRAP = 78            # characters per line of 11pt Helvetica between the margins
SUPERSCRIPT = re.compile(r"\{\^(\d+)\}")


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass
class _Run:
    x: float
    y: float             # from the top of the page
    text: str
    size: float
    bold: bool


@dataclass
class Doc:
    """A document being laid out page by page; `bytes()` writes the PDF."""

    header: Optional[str] = None     # running header, 8pt, on every page
    footer: Optional[str] = None     # running footer, 8pt, on every page
    page_numbers: bool = True
    pages: list[list[_Run]] = field(default_factory=list)
    y: float = 0.0
    on_new_page: Optional[Callable[["Doc"], None]] = None

    def __post_init__(self):
        self.new_page()

    # -- placing text -------------------------------------------------------------------------
    def new_page(self) -> None:
        self.pages.append([])
        number = len(self.pages)
        if self.header:
            self.place(MARGIN, 40, self.header, 8)
        if self.footer:
            self.place(MARGIN, HEIGHT - 40, self.footer, 8)
        if self.page_numbers:
            self.place(WIDTH - MARGIN - 10, HEIGHT - 40, str(number), 8)
        self.y = MARGIN + BODY

    def place(self, x: float, y: float, text: str, size: float = BODY, bold: bool = False) -> None:
        """Text at (x, y), y being the baseline's distance from the top of the page."""
        self.pages[-1].append(_Run(x, y, text, size, bold))

    def _make_room(self) -> None:
        if self.y > HEIGHT - MARGIN - 40:
            self.new_page()

    def _line(self, x: float, text: str, size: float, bold: bool) -> None:
        self._make_room()
        self.place(x, self.y, text, size, bold)
        self.y += PITCH * size

    # -- flowing text -------------------------------------------------------------------------
    def heading(self, text: str, size: float = 14) -> None:
        self.y += PARA_GAP
        for line in textwrap.wrap(text, int(WRAP * BODY / size)):
            self._line(MARGIN, line, size, True)
        self.y += PARA_GAP

    def paragraph(self, text: str, number: Optional[int] = None, bullet: bool = False,
                  size: float = BODY, bold: bool = False, indent: float = 0.0) -> None:
        """A paragraph wrapped over lines; a number or bullet hangs in the margin before it."""
        hang = 20.0 if number is not None or bullet else 0.0
        lines = textwrap.wrap(text, int((WRAP - (hang + indent) / 5.5) * BODY / size))
        for k, line in enumerate(lines):
            if k == 0 and (number is not None or bullet):
                self._make_room()
                self.place(MARGIN + indent, self.y, f"{number}." if number is not None
                           else "\u2022", size, bold)
            self._line(MARGIN + indent + hang, line, size, bold)
        self.y += PARA_GAP

    def table_row(self, left: list[str], right: list[str], bold_left: bool = False,
                  right_x: float = 360.0) -> None:
        """Two cells whose lines wrap independently; the shorter cell is centred vertically,
        as Word does in Ofsted's grade tables."""
        pitch = PITCH * BODY
        height = max(len(left), len(right)) * pitch
        for cell, x, bold in ((left, MARGIN, bold_left), (right, right_x, False)):
            offset = (height - len(cell) * pitch) / 2
            for k, line in enumerate(cell):
                self.place(x, self.y + offset + k * pitch, line, BODY, bold)
        self.y += height + PARA_GAP

    def footnote(self, number: int, text: str, size: float = 8.0) -> None:
        """A footnote at the foot of the current page: its number raised, its text small."""
        lines = textwrap.wrap(text, int(WRAP * BODY / size))
        y = HEIGHT - MARGIN - 10 - (len(lines) - 1) * PITCH * size
        self.place(MARGIN, y - 3, str(number), size * 0.7)
        for k, line in enumerate(lines):
            self.place(MARGIN + 5, y + k * PITCH * size, line, size)

    # -- writing ------------------------------------------------------------------------------
    def bytes(self, encrypted: bool = False) -> bytes:
        return write_pdf(self.pages, encrypted=encrypted)


def _content(runs: list[_Run]) -> bytes:
    out = []
    for run in runs:
        font = b"/F2" if run.bold else b"/F1"
        ops = [b"BT", font + b" %.1f Tf" % run.size, b"%.2f %.2f Td" % (run.x, HEIGHT - run.y)]
        for k, part in enumerate(SUPERSCRIPT.split(run.text)):
            if not part:
                continue
            if k % 2:  # a footnote number: 65% of the size, raised by a third
                ops += [font + b" %.1f Tf" % (run.size * 0.65), b"%.1f Ts" % (run.size / 3),
                        _pdf_string(part) + b" Tj", font + b" %.1f Tf" % run.size, b"0 Ts"]
            else:
                ops.append(_pdf_string(part) + b" Tj")
        ops.append(b"ET")
        out.append(b" ".join(ops))
    return b"\n".join(out)


def write_pdf(pages: list[list[_Run]], encrypted: bool = False) -> bytes:
    """A PDF 1.4 file: catalog, page tree, two standard fonts, one content stream per page.
    `encrypted` adds a standard security handler whose user password is not empty, so a reader
    without the password cannot open it (the keys are random: nothing is really encrypted)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  b"/Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
               b"/Encoding /WinAnsiEncoding >>")
    kids = []
    for runs in pages:
        stream = _content(runs)
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] " % (tree, WIDTH, HEIGHT)
            + b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> " % (regular, bold)
            + b"/Contents %d 0 R >>" % contents))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                         + b"] /Count %d >>" % len(kids))
    encrypt = None
    if encrypted:
        encrypt = add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
                      b"/O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>")
    extra = (b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt, b"00" * 16, b"00" * 16)
             if encrypt else b"")
    return pdf_file(objects, root=catalog, trailer=extra)


def pdf_file(objects: list[bytes], root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF file of `objects` (numbered from 1), its cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R" % (len(objects) + 1, root) + trailer
            + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)
