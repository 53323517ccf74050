"""Report metadata from the content: authority, report type, dates and graded judgements.

(First cut; the ingestion and PDF issues make it right for every layout.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from .grades import normalise_grade
from .model import Judgement

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
DATE = re.compile(r"(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})", re.I)


@dataclass
class ReportMeta:
    authority: Optional[str] = None
    report_type: Optional[str] = None
    title: Optional[str] = None
    inspection_start: Optional[str] = None
    inspection_end: Optional[str] = None
    published: Optional[str] = None
    judgements: list[Judgement] = field(default_factory=list)


def iso(day: str, month: str, year: str) -> Optional[str]:
    try:
        return date(int(year), MONTHS[month.lower()], int(day)).isoformat()
    except (ValueError, KeyError):
        return None


def extract_metadata(text: str) -> ReportMeta:
    meta = ReportMeta()
    head = text[:6000]
    m = re.search(r"(?:Report published|Published):?\**\s*:?\s*(?:\**\s*)?" + DATE.pattern, head, re.I)
    if m:
        meta.published = iso(*m.groups())
    m = re.search(r"Inspection dates?:?\s*" + DATE.pattern + r"\s*[-–]\s*" + DATE.pattern, head, re.I)
    if m:
        meta.inspection_start = iso(*m.groups()[:3])
        meta.inspection_end = iso(*m.groups()[3:])
    if re.search(r"focused visit", head, re.I):
        meta.report_type = "Focused visit"
    elif re.search(r"joint area review", head, re.I):
        meta.report_type = "Joint area review"
    elif re.search(r"inspection of safeguarding and looked after children", head, re.I):
        meta.report_type = "Safeguarding and looked after children inspection"
    elif re.search(r"children in need of help and protection", head, re.I):
        meta.report_type = "Single inspection framework"
    for line in head.splitlines():
        line = line.strip(" *#")
        m = re.match(r"^(\d(?:\.\d)?\.?\s+)?(Children who need help and protection|Children looked after and achieving permanence|Adoption performance|Experiences and progress of care leavers|Leadership, management and governance)\s+(.+)$", line)
        if m:
            grade = normalise_grade(m.group(3))
            if grade:
                meta.judgements.append(Judgement(m.group(2), grade))
    first = next((l.strip(" *#") for l in text.splitlines() if l.strip()), "")
    meta.authority = re.sub(r"\s+(Metropolitan|Borough|County|City)?\s*Council$", "", first).strip() or None
    return meta
