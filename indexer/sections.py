"""The controlled vocabulary of sections users filter by, mapped from every framework's headings.

Order matters: the first rule whose pattern matches the heading wins.
"""
from __future__ import annotations

import re

SECTIONS = (
    "Summary",
    "What needs to improve",
    "Help and protection",
    "Children in care",
    "Adoption",
    "Care leavers",
    "Leadership and management",
    "Safeguarding board (LSCB)",
    "Local context",
    "About the inspection",
)

RULES = [
    (r"need to improve|needs to improve|recommendation|areas for improvement|priority and immediate", "What needs to improve"),
    (r"summary|main findings|overall effectiveness|overview|headline", "Summary"),
    (r"\blscb\b|safeguarding children board|safeguarding partnership", "Safeguarding board (LSCB)"),
    (r"adopt", "Adoption"),
    (r"care leaver|leaving care|care experienced|economic well-being", "Care leavers"),
    (r"looked after|in care|permanence|children in care|fostering", "Children in care"),
    (r"help and protection|safeguarding|child protection|front door|early help|need help", "Help and protection"),
    (r"leadership|leaders|management|governance|capacity", "Leadership and management"),
    (r"context|information about this local authority|service information|local authority area", "Local context"),
    (r"about this inspection|information about this inspection|inspection judgements|what the inspection judgements mean", "About the inspection"),
]
COMPILED = [(re.compile(p, re.I), s) for p, s in RULES]


def section_for(heading: str | None) -> str | None:
    if not heading:
        return None
    for pattern, section in COMPILED:
        if pattern.search(heading):
            return section
    return None
