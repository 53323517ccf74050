"""Normalise the grade scales of every framework to one vocabulary (model.GRADES)."""
from __future__ import annotations

import re

# 2008 joint area reviews: 4 = outstanding .. 1 = inadequate.
JAR_SCALE = {4: "Outstanding", 3: "Good", 2: "Adequate", 1: "Inadequate"}
# 2009-2012: Grade 1 (Outstanding) .. Grade 4 (Inadequate).
GRADE_N_SCALE = {1: "Outstanding", 2: "Good", 3: "Adequate", 4: "Inadequate"}

WORDS = [
    (re.compile(r"requires\s+improvement(\s+to\s+be\s+good)?", re.I), "Requires improvement"),
    (re.compile(r"outstanding", re.I), "Outstanding"),
    (re.compile(r"\bgood\b", re.I), "Good"),
    (re.compile(r"adequate", re.I), "Adequate"),
    (re.compile(r"inadequate", re.I), "Inadequate"),
]


def normalise_grade(text: str) -> str | None:
    """'Requires improvement to be good', 'Grade 2 (Good)', 'Good' -> the normalised grade."""
    if not text:
        return None
    m = re.search(r"grade\s*([1-4])", text, re.I)
    if m:
        return GRADE_N_SCALE[int(m.group(1))]
    # "inadequate" contains "adequate": test it first.
    if re.search(r"inadequate", text, re.I):
        return "Inadequate"
    for pattern, grade in WORDS:
        if pattern.search(text):
            return grade
    return None
