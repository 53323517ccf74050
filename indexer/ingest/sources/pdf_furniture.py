"""Page furniture: what a PDF prints on its pages that is not the report's text.

Running headers and footers, page numbers, the Ofsted letterhead of a letter's first page, and the
colophon (crown copyright, licence, contact details). Pure functions on `Line`s.

A line is furniture only when its position says so and something else confirms it: a heading can
sit at the top of two pages too, so repetition alone is not enough. Running headers and footers
are set smaller than the body text in every Ofsted layout; page numbers are lone numbers.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .pdf_layout import Line, Page

# Header and footer bands, as fractions of the page height.
TOP_BAND = 0.14
BOTTOM_BAND = 0.88
# A line in a band at body size is a running header or footer if it is on this share of pages.
MOST_PAGES = 0.4
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I)
DIGITS = re.compile(r"\d+")

# The colophon on the last (or, in 2013, the second) page, and the copyright notice.
BOILERPLATE = re.compile("|".join([
    r"^©\s*Crown copyright",
    r"^The Office for Standards in Education, Children.s Services and Skills \(Ofsted\)",
    r"^If you would like a copy of this document in a different format",
    r"^You may reuse this information \(not including logos\)",
    r"^You may copy all or parts of this document",
    r"^This publication is available at",
    r"^Interested in our work\?",
    r"^This document may be reproduced in whole or in part",
    r"^Further copies of this report are obtainable",
    r"^Website: www\.ofsted\.gov\.uk",
    r"^(?:T|Textphone|E|W)\s*:",
    r"^Ofsted\s+Piccadilly Gate\b",
    r"^Piccadilly Gate\b",
    r"^Store Street\b",
    r"^Manchester\b\s*(?:M1 2WD)?$",
    r"^M1 2WD$",
    r"^No\.\s*\d{6}$",
]), re.I)


def body_size(pages: list[Page]) -> float:
    """The font size most of the text is set in."""
    weights: Counter = Counter()
    for page in pages:
        for line in page.lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def remove_furniture(pages: list[Page], body: float) -> list[Page]:
    """The pages without running headers and footers, page numbers and letterhead."""
    running = _running_lines(pages, body)
    out = []
    for page in pages:
        keep = [ln for ln in page.lines
                if not (_is_page_number(ln, page) or (page.number, id(ln)) in running
                        or _is_letterhead(ln, page, body))]
        out.append(Page(page.number, page.width, page.height, keep))
    return out


def in_band(line: Line, page: Page) -> bool:
    y = line.baseline / page.height
    return y < TOP_BAND or y > BOTTOM_BAND


def _is_page_number(line: Line, page: Page) -> bool:
    # Footnote numbers in the bottom band were already joined to their footnote's text, so a
    # line there that is just a number is the page's number.
    return in_band(line, page) and bool(PAGE_NUMBER.match(line.text))


def _band_key(line: Line, page: Page) -> tuple[str, str]:
    band = "top" if line.baseline / page.height < TOP_BAND else "bottom"
    return band, DIGITS.sub("#", line.text.lower()).strip()


def _running_lines(pages: list[Page], body: float) -> set[tuple[int, int]]:
    """Lines in a band whose text (digits aside) comes back on other pages: set smaller than
    the body text on two pages or more, or at any size on most pages (a heading may open two
    pages, never most of them)."""
    seen: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    small: dict[tuple[str, str], bool] = defaultdict(lambda: True)
    for page in pages:
        for line in page.lines:
            if in_band(line, page):
                key = _band_key(line, page)
                seen[key].append((page.number, id(line)))
                small[key] &= line.size < 0.95 * body
    most = max(3, MOST_PAGES * len(pages))
    running = set()
    for key, where in seen.items():
        count = len({number for number, _ in where})
        if (small[key] and count >= 2) or count >= most:
            running.update(where)
    return running


def _is_letterhead(line: Line, page: Page, body: float) -> bool:
    """The sender's address block above a letter's first line of text."""
    if page.number != 1 or line.baseline / page.height >= TOP_BAND or line.size >= 0.95 * body:
        return False
    first_body = next((ln for ln in page.lines if ln.size >= 0.95 * body), None)
    return first_body is None or line.baseline < first_body.top


def is_boilerplate(text: str) -> bool:
    return bool(BOILERPLATE.search(text))
