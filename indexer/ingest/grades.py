"""Normalise the grade scales of every framework to one vocabulary (model.GRADES).

The scales met in Ofsted children's services reports:
- 2005-09 joint area reviews: 4 = outstanding, 3 = good, 2 = adequate, 1 = inadequate, printed as
  a number in the grades table and as a ticked checkbox (or an "X") under the grade word;
- 2009-13: "Grade 1 (Outstanding)" .. "Grade 4 (Inadequate)", or the word alone;
- 2013-18 single inspection: Outstanding / Good / Requires improvement / Inadequate;
- 2018- ILACS: Outstanding / Good / "Requires improvement to be good" / Inadequate.
All are mapped to: Outstanding, Good, Requires improvement, Adequate, Inadequate.

Also here: recognising the lines that carry a grade (grade lines, graded statements, checkbox
rows), so segmentation and metadata agree on what a grade looks like. Pure functions on text.
"""
from __future__ import annotations

import re
from typing import Optional

# 2005-09 joint area reviews: 4 = outstanding .. 1 = inadequate.
JAR_SCALE = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}
# 2009-13: Grade 1 (Outstanding) .. Grade 4 (Inadequate).
GRADE_N_SCALE = {1: "Outstanding", 2: "Good", 3: "Adequate", 4: "Inadequate"}

# A grade phrase as printed, for use inside larger patterns. "inadequate" before "adequate".
GRADE_WORDS = (r"(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate"
               r"|adequate)")
GRADE_N = re.compile(r"\bgrade\s*([1-4])\b", re.I)
EMPHASIS = re.compile(r"\*\*|__|</?b>|</?strong>", re.I)


def normalise_grade(text: Optional[str]) -> Optional[str]:
    """'Requires improvement to be good', 'Grade 2 (Good)', 'Good (Grade 2)', 'good' -> grade.

    Only text that is a grade and nothing else is accepted (a sentence that merely mentions
    "good" is not a grade). Bare numbers are ambiguous between scales: see jar_grade."""
    if not text:
        return None
    t = EMPHASIS.sub("", text)
    t = " ".join(t.replace("\t", " ").split()).strip(" .:;-*").lower()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1].strip()
    if not t:
        return None
    # "Grade 4 (Inadequate)", "Inadequate (Grade 4)", and a table cell "Inadequate Grade 4".
    m = re.fullmatch(r"(?:grade\s*([1-4])\s*(?:\((\w+)\))?|(\w+)\s*\(grade\s*([1-4])\)"
                     r"|(?:outstanding|good|adequate|inadequate)\s+grade\s*([1-4]))", t)
    if m:
        return GRADE_N_SCALE[int(m.group(1) or m.group(4) or m.group(5))]
    t = re.sub(r"\s+", " ", t)
    if re.fullmatch(r"requires? improvement(?: to be good)?|improvement", t):
        return "Requires improvement"
    for word in ("outstanding", "good", "inadequate", "adequate"):
        if t == word:
            return word.capitalize()
    return None


def jar_grade(number: str | int) -> Optional[str]:
    """A joint area review grade number (4 = outstanding .. 1 = inadequate)."""
    try:
        return JAR_SCALE.get(int(str(number).strip(" *<>b/")))
    except ValueError:
        return None


# --- lines that carry a grade ---------------------------------------------------------------

CHECKBOX_ROW = re.compile(
    r"(Inadequate|Adequate|Good|Outstanding)\s*<input\b([^>]*)>", re.I)


def checkbox_grade(row: str) -> Optional[str]:
    """JAR grade row as HTML checkboxes: 'Inadequate <input type="checkbox"/> ... Good
    <input checked="" type="checkbox"/> ...' -> 'Good' (the label before the ticked box)."""
    ticked = [label for label, attrs in CHECKBOX_ROW.findall(row) if "checked" in attrs.lower()]
    return normalise_grade(ticked[0]) if len(ticked) == 1 else None


SCALE_LABELS = ("inadequate", "adequate", "good", "outstanding")
TICK_MARKS = {"x", "✓", "✔", "☒", "☑", "■", "◼"}


def tick_grid_grade(cells: list[str]) -> Optional[str]:
    """JAR grade shown as the four labels with an "X" under (after) the one awarded:
    ['Inadequate', 'Adequate', 'Good', 'X', 'Outstanding'] -> 'Good'. None unless the cells are
    exactly the four labels in order plus one tick."""
    labels = [c.strip().lower() for c in cells if c.strip().lower() not in TICK_MARKS]
    ticks = [i for i, c in enumerate(cells) if c.strip().lower() in TICK_MARKS]
    if tuple(labels) != SCALE_LABELS or len(ticks) != 1 or ticks[0] == 0:
        return None
    return normalise_grade(cells[ticks[0] - 1])


GRADE_ONLY_LINE = re.compile(r"^\(?grade\s*[1-4]\s*(?:\(\w+\))?\)?$", re.I)
TRAILING_GRADE = re.compile(
    r"^(?P<area>.*?\S)\s*(?::|\s-\s|–)?\s*(?P<grade>\(?grade\s*[1-4]\s*\(\w+\)\)?|\(?grade\s*[1-4]\)?)$",
    re.I)
ILACS_HEADING = re.compile(r"^(?P<area>.*\S)\s*:\s*(?P<grade>" + GRADE_WORDS + r")$", re.I)
GRADED_STATEMENT = re.compile(
    r"^the graded judge?ment (?:for|about|on) (?:the )?(?P<area>.+?) is that (?:it|they) "
    r"(?:is |are )?(?P<grade>" + GRADE_WORDS + r")\.?$", re.I)
STATED_GRADE = r"(?P<grade>improvement(?: to be good)?|outstanding|good|inadequate|adequate)"
OVERALL_STATEMENT = re.compile(
    r"^the overall judge?ment is that (?P<area>.+?) (?:is|are|requires?|require)\s*"
    + STATED_GRADE + r"\.?$", re.I)
# SIF front pages (PDF): "The overall judgement is requires improvement", "Children's services in
# Norfolk are inadequate", "Children's services in Barnsley require improvement because:".
OVERALL_HEADLINE = re.compile(
    r"^(?:the overall judge?ment is(?: that)?|children.s services in .{2,60}? (?:are|is|requires?))"
    r"\s+(?:requires? )?" + STATED_GRADE + r"(?P<because>\s+because)?[.:]?$", re.I)
BODY_STATEMENT = re.compile(
    r"^(?:the effectiveness of )?"
    r"(?P<area>(?:the )?(?:local safeguarding children board|lscb|safeguarding children partnership))"
    r"(?: \(lscb\))? (?:is|requires?)(?: requires)? " + STATED_GRADE + r"\.?$",
    re.I)


def grade_line(line: str) -> Optional[tuple[Optional[str], str]]:
    """A line that states a grade and is not prose: (area or None, grade), else None.

    'Grade 2 (Good)' -> (None, 'Good')  (the grade of the heading above)
    'The graded judgment for adoption performance is that it is good' -> ('Adoption performance', 'Good')
    'The overall judgement is that children's services require improvement'
        -> ('Overall effectiveness', 'Requires improvement')
    'The Local Safeguarding Children Board requires improvement'
        -> ('Local Safeguarding Children Board', 'Requires improvement')
    """
    t = " ".join(EMPHASIS.sub("", line).split()).strip()
    if not t or len(t) > 160:
        return None
    if GRADE_ONLY_LINE.match(t):
        return None, normalise_grade(t)
    m = GRADED_STATEMENT.match(t)
    if m:
        return _tidy_area(m.group("area")), normalise_grade(m.group("grade"))
    m = OVERALL_STATEMENT.match(t) or OVERALL_HEADLINE.match(t)
    if m and not m.groupdict().get("because"):  # "... because:" leads a list: prose
        return "Overall effectiveness", _statement_grade(m.group("grade"))
    m = BODY_STATEMENT.match(t)
    if m:
        return _tidy_area(m.group("area")), _statement_grade(m.group("grade"))
    return None


def headline_grade(line: str) -> Optional[str]:
    """The overall grade a SIF front page states in a line of its own, including the form that
    leads a list ("Children's services in Barnsley require improvement because:")."""
    m = OVERALL_HEADLINE.match(" ".join(EMPHASIS.sub("", line).split()).strip())
    return _statement_grade(m.group("grade")) if m else None


def split_graded_heading(heading: str) -> tuple[str, Optional[str]]:
    """'Quality of provision Grade 3 (Adequate)' -> ('Quality of provision', 'Adequate');
    'The experiences and progress of children in care: good' -> (..., 'Good'); else (heading, None)."""
    t = " ".join(EMPHASIS.sub("", heading).split())
    for pattern in (TRAILING_GRADE, ILACS_HEADING):
        m = pattern.match(t)
        if m and m.group("area").strip(" :-–"):
            grade = normalise_grade(m.group("grade"))
            if grade:
                return m.group("area").strip(" :-–"), grade
    return heading, None


def _statement_grade(words: str) -> Optional[str]:
    return normalise_grade(words if not words.lower().startswith("improvement") else "requires " + words)


def _tidy_area(area: str) -> str:
    area = " ".join(area.split()).strip(" .:")
    area = re.sub(r"^the\s+", "", area, flags=re.I)
    return area[:1].upper() + area[1:]
