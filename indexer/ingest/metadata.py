"""Report metadata from the content (never the file name): authority, report type, title, dates
and graded judgements.

One small function per fact, each trying the layouts it knows in turn; supporting a new layout
means adding a pattern or a finder to the fact it concerns. All pure functions on the
SourceText's Markdown-ish text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .clean import clean_inline
from .grades import grade_line, headline_grade, jar_grade, normalise_grade, split_graded_heading
from ..model import Judgement
from .sections import heading_key, section_for

# The report types users filter by, oldest framework first (README: "Report types").
REPORT_TYPES = (
    "Joint area review",                                  # 2005-2009
    "Safeguarding and looked after children inspection",  # 2009-2012
    "Child protection inspection",                        # 2012-2013
    "Looked after children inspection",                   # 2012-2013
    "Single inspection (SIF)",                            # 2013-2018, with the LSCB review
    "LSCB review",                                        # 2013-2018, published on its own
    "ILACS standard inspection",                          # 2018-
    "ILACS short inspection",                             # 2018-
    "Focused visit",                                      # 2018-
    "Monitoring visit",                                   # 2013-
    "Joint targeted area inspection",                     # 2016-
    "Area SEND inspection",                               # 2016-
)

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE = re.compile(DAY + r"\s+(" + MONTH + r")\s+(\d{4})", re.I)
DASH = r"\s*(?:-|–|—|to|and|until)\s*"
# "18 November 2014 - 10 December 2014", "25 June – 6 July 2012", "9 to 13 June 2025", "24 and 25 July"
DATE_RANGE = re.compile(
    DAY + r"(?:\s+(" + MONTH + r"))?(?:\s+(\d{4}))?" + DASH + DAY + r"\s+(" + MONTH + r")\s+(\d{4})", re.I)
HEAD_CHARS = 6000


@dataclass
class ReportMeta:
    authority: Optional[str] = None
    report_type: Optional[str] = None
    title: Optional[str] = None
    inspection_start: Optional[str] = None
    inspection_end: Optional[str] = None
    published: Optional[str] = None
    judgements: list[Judgement] = field(default_factory=list)


def extract_metadata(text: str) -> ReportMeta:
    lines = head_lines(text)
    start, end = find_inspection_dates(lines)
    return ReportMeta(
        authority=find_authority(text, lines),
        report_type=find_report_type(lines, start, end),
        title=find_title(lines),
        inspection_start=start,
        inspection_end=end,
        published=find_published(lines),
        judgements=find_judgements(text),
    )


def head_lines(text: str) -> list[str]:
    """The report's opening lines, cleaned of residue, one per line, empty ones dropped."""
    out = []
    for line in text[:HEAD_CHARS].split("\n"):
        line = clean_inline(line.replace("\t", " ").lstrip("#").replace("\f", ""))
        if line:
            out.append(line)
    return out


def iso(day: str, month: str, year: str) -> Optional[str]:
    try:
        return date(int(year), MONTHS[month.lower()], int(day)).isoformat()
    except (ValueError, KeyError, TypeError):
        return None


# --- dates ----------------------------------------------------------------------------------

def parse_date_range(s: str) -> tuple[Optional[str], Optional[str]]:
    """'25 June – 6 July 2012' -> ('2012-06-25', '2012-07-06'); a single date gives it twice."""
    m = DATE_RANGE.search(s)
    if m:
        d1, m1, y1, d2, m2, y2 = m.groups()
        return iso(d1, m1 or m2, y1 or y2), iso(d2, m2, y2)
    m = DATE.search(s)
    if m:
        d = iso(*m.groups())
        return d, d
    dates = [numeric_iso(*m.groups()) for m in NUMERIC_DATE.finditer(s)][:2]
    if dates:  # "12/09/2016 to 06/10/2016" (some 2015-16 SIF PDFs)
        return dates[0], dates[-1]
    return None, None


NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def numeric_iso(day: str, month: str, year: str) -> Optional[str]:
    """A UK day/month/year date, as Ofsted prints it."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


INSPECTION_DATES = [
    re.compile(r"inspection dates?\s*:?\s*(.{0,80})", re.I),
    # letters: "... a focused visit to Halton children's services on 24 and 25 July 2018"
    re.compile(r"(?:focused|monitoring) visit\b.{0,120}?\bon\s+(\d.{0,60})", re.I),
    re.compile(r"\binspected\s+(?:between|from|on)\s+(\d.{0,60})", re.I),
    # JTAI letters: "Between 8 and 12 April 2019, Ofsted, the Care Quality Commission ...
    # undertook a joint inspection"; later ones "This inspection took place from 4 to 8 July 2022"
    re.compile(r"\bbetween\s+(\d.{0,40}?\d{4}),?\s+ofsted\b", re.I),
    re.compile(r"\binspection took place\s+(?:between|from|on)\s+(\d.{0,60})", re.I),
]


def find_inspection_dates(lines: list[str]) -> tuple[Optional[str], Optional[str]]:
    joined = " ".join(lines[:80])
    for pattern in INSPECTION_DATES:
        for m in pattern.finditer(joined):
            start, end = parse_date_range(m.group(1))
            if start:
                return start, end
    return None, None


PUBLISHED_NUMERIC = re.compile(r"(?:report published|published)\s*:?\s*" + r"(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
PUBLISHED = re.compile(r"(?:report published|published|publication date)\s*:?\s*" + DATE.pattern, re.I)


def find_published(lines: list[str]) -> Optional[str]:
    for line in lines[:80]:
        m = PUBLISHED.search(line)
        if m:
            return iso(*m.groups())
        m = PUBLISHED_NUMERIC.search(line)
        if m:
            return numeric_iso(*m.groups())
    # A letter's date (the line on its own above "Dear ...") is its publication date.
    for i, line in enumerate(lines[:40]):
        if re.match(r"^dear\s", line, re.I):
            for prev in reversed(lines[:i]):
                m = re.fullmatch(DATE.pattern, prev.strip(), re.I)
                if m:
                    return iso(*m.groups())
            break
    return None


# --- report type and title ------------------------------------------------------------------

TYPE_PATTERNS = [
    (r"joint area review", "Joint area review"),
    (r"joint targeted area inspection", "Joint targeted area inspection"),
    (r"\bfocused visit\b", "Focused visit"),
    (r"\bmonitoring visit\b", "Monitoring visit"),
    (r"area send inspection|local area send|special educational needs and/or disabilities.{0,40}inspection"
     r"|local area partnership report", "Area SEND inspection"),
    (r"inspection of safeguarding and looked after children services", "Safeguarding and looked after children inspection"),
    (r"arrangements for the protection of children", "Child protection inspection"),
    (r"inspection of (?:services for )?looked after children(?: services)?\b(?! and care leavers)",
     "Looked after children inspection"),
    (r"children in need of help and protection,? children looked after and care leavers", "Single inspection (SIF)"),
    (r"review of the effectiveness of the local safeguarding children board", "LSCB review"),
    (r"inspection of (?:local authority )?children.s social care services"
     r"|local authority children.s (?:social care )?services"
     r"|^inspection of [\w ,.&'’-]{1,60}?(?:children.s services|children and families trust"
     r"|children.s trust)", "ILACS"),  # councils and, for some, the trust that runs them
]


def find_report_type(lines: list[str], start: Optional[str] = None, end: Optional[str] = None) -> Optional[str]:
    """The type the title names: the first of the opening lines (a title may be cut over three)
    to name one. Earliest wins, so a report that mentions an earlier "focused visit" or "the
    arrangements for the protection of children" further down keeps its own type."""
    for i in range(min(len(lines), 40)):
        window = " ".join(lines[i:i + 3])
        found = [(m.start(), k) for k, (pattern, _) in enumerate(TYPE_PATTERNS)
                 for m in [re.search(pattern, window, re.I)] if m]
        if found and min(found)[0] < len(lines[i]):  # the match starts on this line
            report_type = TYPE_PATTERNS[min(found)[1]][1]
            return _ilacs_kind(start, end) if report_type == "ILACS" else report_type
    return None


def _ilacs_kind(start: Optional[str], end: Optional[str]) -> str:
    """ILACS standard inspections spend two weeks on site, short inspections one."""
    if start and end and (date.fromisoformat(end) - date.fromisoformat(start)).days <= 7:
        return "ILACS short inspection"
    return "ILACS standard inspection"


TITLE = re.compile(
    r"^(?:(?:re-)?inspection of\b|review of the effectiveness|joint area review|joint targeted area inspection"
    r"|(?:children.s services )?focused visit to|monitoring visit to|area send inspection"
    r"|joint local area send inspection)", re.I)


def find_title(lines: list[str]) -> Optional[str]:
    for i, line in enumerate(lines[:40]):
        if TITLE.match(line) and not line.lower().startswith("inspection dates"):
            title = line
            # A title the converter split over lines ("... care leavers" / "and" / "Review of ...").
            if i + 2 < len(lines) and lines[i + 1].lower() == "and" and TITLE.match(lines[i + 2]):
                title = f"{title} and {lines[i + 2]}"
            return title
    return None


# --- authority ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def known_authorities() -> dict[str, str]:
    """Every spelling in data/authorities.txt -> the name shown."""
    names: dict[str, str] = {}
    path = Path(__file__).with_name("data") / "authorities.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        alias, _, name = line.partition(" = ")
        names[alias] = name or alias
    return names


COUNCIL_WORDS = re.compile(
    r"^(?:the\s+)?(?:(?:london|royal)\s+borough\s+of\s+|city\s+of\s+(?!london)|county\s+of\s+)"
    r"|(?:,\s*(?:city|county)\s+of)$"
    r"|\s+(?:metropolitan\s+borough|metropolitan|borough|county|city|district)?\s*council$"
    r"|\s+children.s\s+services(?:\s+authority\s+area)?$|\s+local\s+area\s+partnership$"
    r"|\s+local\s+authority$|[’']s$", re.I)

AUTHORITY_IN_TITLE = [
    re.compile(r"(?:focused|monitoring) visit to (?P<a>.+?)(?:[’']s)? children[’']s services", re.I),
    re.compile(r"^inspection of (?P<a>.+?) local authority children[’']s services", re.I),
    re.compile(r"area send inspection (?:of|in) (?P<a>.+?)(?: local area partnership|$)", re.I),
    re.compile(r"^(?P<a>.+?) children[’']s services authority area$", re.I),
    re.compile(r"^inspection of (?:safeguarding and looked after children|looked after children) services"
               r"\s+(?P<a>[A-Z].+)$", re.I),
    re.compile(r"^(?P<a>[A-Z][\w .,&'’-]+?)\s+(?:metropolitan borough |metropolitan |borough |county |city |district )?council$"),
    re.compile(r"^children[’']s services in (?P<a>.+?) (?:require|are|is)\b", re.I),
    # "Joint targeted area inspection of the multi-agency response to abuse and neglect in Halton"
    re.compile(r"^(?i:joint targeted area inspection of the multi-agency response to) .{3,120}? in "
               r"(?P<a>[A-Z][\w'’&-]*(?: (?:[A-Z][\w'’&-]*|and|upon|on|le))*)$"),
]


def short_authority_name(name: str) -> str:
    """'Halton Borough Council' -> 'Halton'; "Halton Children's Services Authority Area" -> 'Halton'."""
    name = " ".join(name.replace("’", "'").split()).strip(" ,.:*")
    previous = None
    while previous != name:
        previous = name
        name = COUNCIL_WORDS.sub("", name).strip(" ,.:")
    known = known_authorities()
    return known.get(name, next((v for k, v in known.items() if k.lower() == name.lower()), name))


def find_authority(text: str, lines: list[str] | None = None) -> Optional[str]:
    lines = lines if lines is not None else head_lines(text)
    known = known_authorities()
    # A title may be cut over lines ("Area SEND inspection of North" / "Northamptonshire ..."):
    # try each line and each run of three.
    windows = lines[:30] + [" ".join(lines[i:i + 3]) for i in range(min(len(lines), 30))]
    unknown = None
    for pattern in AUTHORITY_IN_TITLE:
        for line in windows:
            m = pattern.search(line)
            if m and "ofsted" not in m.group("a").lower():
                name = short_authority_name(m.group("a"))
                if name in known.values():
                    return name
                if unknown is None and len(name.split()) <= 4:
                    unknown = name
    # The first line, when it is a name ("Halton").
    if lines and short_authority_name(lines[0]) in known.values():
        return short_authority_name(lines[0])
    return most_mentioned_authority(text) or unknown


def most_mentioned_authority(text: str) -> Optional[str]:
    """The known authority the report names most often (Ofsted's own Manchester address aside)."""
    text = re.sub(r"[^\n]*(?:M1 2WD|Piccadilly Gate)[^\n]*", "", text)
    counts: Counter = Counter()
    for alias in sorted(known_authorities(), key=len, reverse=True):
        pattern = re.compile(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])")
        hits = len(pattern.findall(text))
        if hits:
            counts[known_authorities()[alias]] += hits
            text = pattern.sub(" ", text)  # "North Somerset" must not also count as "Somerset"
    if not counts:
        return None
    (name, n), = counts.most_common(1)
    return name if n >= 2 else None


# --- judgements -----------------------------------------------------------------------------

def find_judgements(text: str) -> list[Judgement]:
    """Every graded judgement the report prints, in the order found, each area once."""
    found: list[Judgement] = []
    for finder in (overall_judgement, judgement_list_line, judgement_tables, sif_list_rows,
                   jar_grades_table):
        for j in finder(text):
            if not any(heading_key(j.area) == heading_key(f.area) for f in found):
                found.append(j)
    # Grades printed in the body repeat the tables above in other words: add only what is new.
    covered = {section_for(f.area) for f in found}
    for finder in (graded_statements, ilacs_graded_headings):
        for j in finder(text):
            if section_for(j.area) not in covered or section_for(j.area) is None and \
                    not any(heading_key(j.area) == heading_key(f.area) for f in found):
                found.append(j)
                covered.add(section_for(j.area))
    return found


def _lines(text: str) -> list[str]:
    return [l for l in text.split("\n") if l.strip() and l.strip() != "\f"]


def overall_judgement(text: str) -> list[Judgement]:
    for line in _lines(text[:HEAD_CHARS]):
        t = clean_inline(line.lstrip("#"))  # a PDF's headline is a heading
        g = grade_line(t)
        if g and g[0] == "Overall effectiveness":
            return [Judgement("Overall effectiveness", g[1])]
        grade = headline_grade(t)
        if grade:
            return [Judgement("Overall effectiveness", grade)]
    return []


LIST_INTRO = re.compile(r"judgements on areas of the service that contribute to overall effectiveness are:?",
                        re.I)


def judgement_list_line(text: str) -> list[Judgement]:
    """2013-18 front page list scrambled onto one line by the converter:
    '... are: Requires 1. Children who need help and protection **Improvement** 2. Children looked
    after and achieving Requires permanence **Improvement** 2.1 Adoption performance **Inadequate** ...'
    Each numbered item keeps its own (bold) grade word; the stray "Requires" words are dropped."""
    m = LIST_INTRO.search(text[:HEAD_CHARS])
    if not m:
        return []
    line = text[m.end():].split("\n", 1)[0]
    if "\t" in line or not re.search(r"\d\.\s", line):
        return []
    out = []
    for item in re.split(r"\s(?=\d(?:\.\d)?\.?\s+[A-Z])", " " + line):
        item = item.strip()
        mm = re.match(r"^\d(?:\.\d)?\.?\s+(.*)$", item)
        if not mm:
            continue
        rest = mm.group(1)
        bold = re.findall(r"\*\*([^*]+)\*\*", rest)
        words = bold[-1] if bold else rest.split()[-1]
        grade = normalise_grade("requires improvement" if words.strip().lower() == "improvement" else words)
        area = re.sub(r"\*\*[^*]+\*\*", " ", rest)
        area = re.sub(r"\bRequires\b", " ", area)
        area = clean_inline(area)
        if grade and area:
            out.append(Judgement(area, grade))
    return out


def judgement_tables(text: str) -> list[Judgement]:
    """Tables of "area <tab> grade" rows: the 2013-18 front page list and the 2009-12 "Record of
    main findings" (whose rows without a grade that name services, "Safeguarding services" and
    "Services for looked after children", group the rows below them: the area is qualified
    "Safeguarding services: Overall effectiveness" because each group repeats the same names)."""
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        rows = [r for r in block.split("\n") if "\t" in r]
        graded = []
        group = None
        for row in rows:
            cells = [clean_inline(c) for c in row.split("\t")]
            cells = [c for c in cells if c]
            if not cells:
                continue
            grade = normalise_grade(cells[-1]) if len(cells) >= 2 else None
            if grade is None:
                if len(cells) == 1 and re.search(r"\bservices\b", cells[0], re.I):
                    group = cells[0]
                continue
            area = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", cells[0])
            if normalise_grade(area):
                continue  # a key to the scale ("Outstanding (Grade 1) | A service that ...")
            graded.append(Judgement(f"{group}: {area}" if group else area, grade))
        if len(graded) >= 2:
            out.extend(graded)
    return out


SIF_ROW = re.compile(
    r"^\d(?:\.\d)?\.?\s+(?P<area>children who need help and protection"
    r"|children looked after and achieving permanence|adoption performance"
    r"|experiences? and progress of care leavers|leadership, management and governance)"
    r"\s+(?P<grade>requires improvement(?: to be good)?|good|outstanding|inadequate)$", re.I)


def sif_list_rows(text: str) -> list[Judgement]:
    """2013-18 front-page list rows a PDF prints with no gap wide enough to tell the cells apart:
    '1. Children who need help and protection Requires improvement'."""
    out = []
    for line in _lines(text[:HEAD_CHARS]):
        m = SIF_ROW.match(clean_inline(line.replace("\t", " ")))
        if m:
            out.append(Judgement(m.group("area")[:1].upper() + m.group("area")[1:],
                                 normalise_grade(m.group("grade"))))
    return out


def jar_grades_table(text: str) -> list[Judgement]:
    """2005-09 joint area review "Grades" table, on the 4 = outstanding .. 1 = inadequate scale."""
    m = re.search(r"4\s*:\s*outstanding\s*;?\s*3\s*:\s*good", text, re.I)
    if not m:
        return []
    out = []
    for row in text[m.end():m.end() + 2000].split("\n"):
        cells = [clean_inline(c) for c in row.split("\t")]
        cells = [c for c in cells if c]
        if len(cells) == 2 and re.fullmatch(r"[1-4]", cells[1]):
            out.append(Judgement(cells[0], jar_grade(cells[1])))
        elif out and row.strip() and "\t" not in row:
            break
    return out


def graded_statements(text: str) -> list[Judgement]:
    """Grades stated in a line of their own: 'The graded judgment for adoption performance is that
    it is good', 'The Local Safeguarding Children Board requires improvement'."""
    out = []
    for line in _lines(text):
        g = grade_line(clean_inline(line.lstrip("#")))
        if g and g[0] and g[0] != "Overall effectiveness":
            out.append(Judgement(g[0], g[1]))
    return out


ILACS_AREA = re.compile(r"^(?:the experiences and progress of|the impact of leaders)", re.I)


def ilacs_graded_headings(text: str) -> list[Judgement]:
    """ILACS: 'The experiences and progress of children in care: good' headings."""
    out = []
    for line in _lines(text):
        area, grade = split_graded_heading(clean_inline(line.lstrip("# ")))
        if grade and ILACS_AREA.match(area) and ":" in line:
            out.append(Judgement(area, grade))
    return out
