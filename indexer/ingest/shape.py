"""What kind of text a paragraph is, from its own words and where it sits in the report. The
ranking weighs a finding above a statistic about the area (engine/ranking.py SHAPE_PRIOR): a
one-line "22 are unaccompanied asylum-seeking children." matches a search's words as well as a
paragraph about those children's care, and, being short, BM25 pays it more.

    narrative  a finding, recommendation or description in sentences (20 words or more)
    item       a short list item or line: a strength, a weakness, a "what needs to improve"
               point, a headline finding
    context    facts about the area or the inspection rather than findings: the "Local
               context" and "About the inspection" sections and their lists wherever a report
               puts them ("Children looked after in this area", "Previous Ofsted
               inspections"), and anywhere a short count ("there have been 81 adoptions") or
               label-value line ("The practice framework used in this area: Signs of Safety.")
    footnote   a footnote
"""
from __future__ import annotations

import re

SHAPES = ("narrative", "item", "context", "footnote")

CONTEXT_SECTIONS = frozenset({"Local context", "About the inspection"})
# The headings of those sections' lists, found under another section in some reports.
CONTEXT_HEADINGS = re.compile(r"\bin this area$|about this area$|^(?:previous|other) ofsted "
                              r"inspections$|^of this number:?$", re.IGNORECASE)
ITEM_WORDS = 20  # fewer words than this: an item, not a narrative paragraph

_NUMBER = (r"(?:\d[\d,.]*%?|none|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
           r"twelve|a (?:few|small number)|approximately|around|about|over|under|fewer|more)")
# A count: a line opening with a number ("22 are ...", "none are ...", "there have been 81 ...").
_COUNT = re.compile(rf"^(?:there (?:have been|has been|were|are|was|is) |of (?:these|whom),? )?"
                    rf"{_NUMBER}(?=[\s(,])", re.IGNORECASE)  # "20.Children..." is a printed paragraph number
# A label and its value: "Overall effectiveness: inadequate", "... used in this area: Signs of
# Safety." (the label has no sentence punctuation of its own).
_LABEL_VALUE = re.compile(r"^[^.:;!?]{3,80}:\s*\S")
_LEADING_MARKS = re.compile(r"^[\W_]+")  # bullet glyphs a PDF left in front of the text


def paragraph_shape(text: str, kind: str, section: str | None, heading: str | None) -> str:
    """One of SHAPES for a paragraph's text, kind (paragraph, bullet, footnote), section and
    heading."""
    if kind == "footnote":
        return "footnote"
    if section in CONTEXT_SECTIONS or (heading and CONTEXT_HEADINGS.search(heading.strip())):
        return "context"
    words = text.split()
    if len(words) >= ITEM_WORDS:
        return "narrative"
    body = _LEADING_MARKS.sub("", text)
    if _COUNT.match(body) or _LABEL_VALUE.match(body):
        return "context"
    return "item"
