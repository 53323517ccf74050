"""The controlled vocabulary of sections users filter by, mapped from every framework's headings,
and the walk that gives each paragraph its heading, section and grade.

section_for(heading): the first rule whose pattern matches wins (README: "Sections").

SectionTracker follows the report's heading structure:
- a heading that maps to a section starts it; a subheading that maps to nothing inherits its
  parent's section (and grade);
- "container" sections (Summary, the summary for children, What needs to improve, Local context,
  About the inspection) keep their subheadings: "Help and protection" under "Areas for
  improvement" is a recommendation, and "Child protection in this area" under the local
  information is context;
- a heading's rank comes from "#" levels when the reader knew them; otherwise from the report's
  own table of contents (listed headings are top level, the rest are subheadings) or, with no
  contents, from whether the heading maps to a section at all;
- grades: a heading printed with a grade, a grade line under it ("Grade 2 (Good)", a ticked JAR
  box) or a judgement of the report naming it gives the grade of its paragraphs; containers are
  ungraded, except the "Summary" box inside a graded judgement (2013-18 inspections), which lasts
  until the numbered paragraphs of that judgement begin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

SECTIONS = (
    "Summary",
    "Summary for children and young people",
    "What needs to improve",
    "Help and protection",
    "Children in care",
    "Adoption",
    "Care leavers",
    "Leadership and management",
    "Safeguarding board (LSCB)",
    "SEND and disabilities",
    "Local context",
    "About the inspection",
)
CONTAINERS = {"Summary", "Summary for children and young people", "What needs to improve",
              "Local context", "About the inspection"}
RESET = "(none)"  # a heading that ends every section: contents, grade tables, annexes
# A part of the report ("Section 1: The local authority", "Section 2: The effectiveness of the
# Local Safeguarding Children Board"), whatever level the converter gave it.
PART = re.compile(r"^section \d+\s*[:.\u2013-]", re.I)
UNLEVELLED = 7    # the rank of a heading without a level in a report whose headings have them

RULES = [
    (r"^contents$|^grades$|record of main findings|^inspection judgements? about the local authority$"
     r"|^key judgements?\b|^annex\b|^appendix\b|^judgement grade", RESET),
    # Report titles: what follows them is the report's opening verdict (see TITLE below).
    (r"^(?:inspection of\b|review of\b|joint area review|(?:children.s services )?focused visit to"
     r"|monitoring visit to|joint targeted area inspection|(?:joint )?(?:local )?area send inspection"
     r"|local area partnership report)", "Summary"),
    # The SIF's plain-language summary written for the children themselves (2013-18): the
    # report's findings retold, not findings of their own.
    (r"^summary for children", "Summary for children and young people"),
    (r"about this inspection|information about this inspection|inspection judgements and what they mean"
     r"|what the inspection judgements mean|^introduction$|^the inspection team$"
     r"|summary of joint area review|annual performance assessment arrangements", "About the inspection"),
    (r"need(?:s)? to (?:improve|do better)|recommendation|areas? for (?:improvement|development"
     r"|priority action)|priority and immediate action|^next steps|written statement of action"
     r"|what needs to improve", "What needs to improve"),
    (r"\bsend\b|special educational needs|learning difficult|disabilit", "SEND and disabilities"),
    (r"summary|main findings|headline findings|^overview$|strengths|progress since the last inspection"
     r"|inspection outcome|^the overall judgement", "Summary"),
    (r"\bcontext\b|information about (?:this|the) local (?:authority|area)|^service information"
     r"|^local authority area|about the local area", "Local context"),
    (r"\blscb\b|\bhscb\b|safeguarding children board|safeguarding (?:children )?partnership",
     "Safeguarding board (LSCB)"),
    (r"adopt", "Adoption"),
    (r"looked[- ]after|children in care|\bin care\b|permanence|fostering|corporate parent",
     "Children in care"),
    (r"care leavers?|leaving care|care experienced|\bafter care\b", "Care leavers"),
    (r"help and protection|safeguarding|child protection|front door|early help|need help"
     r"|contacts? and referrals?|children in need|protection of children", "Help and protection"),
    (r"leadership|leaders\b|management|governance|capacity to improve|ambition and prioriti"
     r"|partnership working", "Leadership and management"),
]
COMPILED = [(re.compile(p, re.I), s) for p, s in RULES]
TITLE = COMPILED[1][0]


def section_for(heading: Optional[str]) -> Optional[str]:
    """The section a heading names, RESET for headings that end sections, else None."""
    if not heading:
        return None
    heading = " ".join(heading.split()).strip(" *#:")
    for pattern, section in COMPILED:
        if pattern.search(heading):
            return section
    return None


# A focused visit looks at one area of practice and its letter says which ("Inspectors looked at
# the local authority's arrangements for the 'front door'", "The focus of this visit was on
# planning and achieving permanence"): the findings it prints under "Findings" or "Main findings"
# belong to that area's section: the area of FOCUS_AREAS the statement names first.
FOCUS_STATEMENT = re.compile(
    r"(?:inspectors|this visit|the visit)\s+(?:looked at|evaluated|reviewed|considered)\s+"
    r"(?!(?:a (?:wide )?range of |a sample of )?evidence)(?P<what>[^.:;]+)"
    r"|the focus of (?:this|the) visit was (?:on )?(?P<on>[^.:;]+)", re.I)
FOCUS_AREAS = [(re.compile(p, re.I), s) for p, s in [
    (r"care leavers?|leaving care", "Care leavers"),
    (r"children in care|looked[- ]after|permanen|placement|matching|fostering|adopt",
     "Children in care"),
    (r"front door|contacts?\b|referrals?|child protection|children in need|help and protection"
     r"|protect|adolescents|exploitation|early help|neglect", "Help and protection"),
    (r"leaders|leadership|management|workforce", "Leadership and management"),
]]
FINDINGS = re.compile(r"^(?:main |inspection )?findings$", re.I)


def focus_section(texts) -> Optional[str]:
    """The section of the area a focused visit's letter says it looked at (the first statement of
    its focus among `texts`), or None when it names none of FOCUS_AREAS (the 2020-21 visits on
    the pandemic's effect looked at everything)."""
    for text in texts:
        m = FOCUS_STATEMENT.search(text)
        if m:
            what = m["what"] or m["on"]
            found = [(hit.start(), section) for pattern, section in FOCUS_AREAS
                     if (hit := pattern.search(what))]
            return min(found)[1] if found else None  # the area named first
    return None


def heading_key(text: str) -> str:
    """A heading or judgement area reduced for comparison: letters and digits, British spelling."""
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("prioritization", "prioritisation"))


@dataclass
class _Frame:
    heading: Optional[str]
    level: int
    section: Optional[str]
    grade: Optional[str]
    container: bool = False
    box: bool = False        # a graded judgement's "Summary" box


GradeLookup = Callable[[str, Optional[str], Optional[str]], Optional[str]]


class SectionTracker:
    """Walk a report's headings in order; `current` gives (heading, section, grade)."""

    def __init__(self, contents: list[str] | None = None, grade_lookup: GradeLookup | None = None,
                 levelled: bool = False):
        self.contents = [heading_key(c) for c in (contents or []) if len(heading_key(c)) >= 4]
        self.grade_lookup = grade_lookup or (lambda heading, group, section: None)
        self.levelled = levelled          # headings carry "#" levels
        self.stack: list[_Frame] = []
        self.group: Optional[str] = None  # top group of a judgement table ("Safeguarding services")
        self.judgement_rank: Optional[int] = None  # see _rank
        self.groups: set[str] = set()

    # --- state ---
    @property
    def current(self) -> tuple[Optional[str], Optional[str], Optional[str]]:
        if not self.stack:
            return None, None, None
        f = self.stack[-1]
        return f.heading, f.section, f.grade

    def _listed(self, heading: str) -> bool:
        """Does the contents list this heading? Converters cut long entries ("... young peo") and
        glue a heading to the one above it ("The local authority Summary of findings")."""
        k = heading_key(heading)
        for c in self.contents:
            if k == c or (k.startswith(c) and (len(c) >= 30 or k[len(c):] in self.contents)):
                return True
        return False

    def _rank(self, heading: str, level: int, mapped: Optional[str], graded: bool) -> int:
        if PART.match(heading):
            return 1                      # "Section 2: The effectiveness of the LSCB"
        if self.levelled:
            if level:
                return level
            if graded and mapped not in (None, RESET):
                # A judgement area read from a "Key judgement | Judgement grade" table (SIF
                # PDFs) has no level of its own: the first takes the place of the levelled
                # heading the table sits under, and every later one the same rank, so each
                # chapter is a sibling of the last and its "Summary" box a child. (A verdict,
                # "The overall judgement is ...", names no section: it stays under the title.)
                if self.judgement_rank is None:
                    levels = [f.level for f in self.stack if f.level < UNLEVELLED]
                    self.judgement_rank = levels[-1] if levels else 1
                return self.judgement_rank
            return UNLEVELLED             # a heading the reader did not level is the deepest
        if graded or mapped == RESET:
            return 1
        in_about = any(f.section == "About the inspection" and f.container for f in self.stack)
        if in_about and mapped not in CONTAINERS:
            return 3                      # "The LSCB" under "What the inspection judgements mean"
        if self.contents:
            if self._listed(heading):
                return 1
            return 2 if mapped else 3
        return 1 if mapped else 2

    # --- events ---
    def heading(self, text: str, level: int = 0, grade: Optional[str] = None) -> None:
        mapped = section_for(text)
        rank = self._rank(text, level, mapped, grade is not None)
        sibling = None
        while self.stack and (self.stack[-1].level >= rank or (
                mapped == RESET and level and any(f.container for f in self.stack))):
            # (a heading that ends every section, printed as one, ends the summary or context
            # holding it too: "Inspection judgements about the local authority" follows the
            # summary of findings, whatever levels the converter gave the two)
            sibling = self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if heading_key(text) in self.groups:
            self.group = text

        if mapped == RESET:
            self.stack.append(_Frame(text, rank, None, None))
            return
        container_above = next((f for f in reversed(self.stack) if f.container), None)
        if mapped in CONTAINERS and not TITLE.search(text):
            # (a title names the whole report: the judgements below it are not inside it)
            box = (mapped == "Summary" and parent is not None and parent.grade is not None
                   and not parent.container)
            self.stack.append(_Frame(text, rank, mapped, parent.grade if box else grade,
                                     container=True, box=box))
            return
        if mapped and container_above is None or (mapped and grade is not None):
            section = mapped
        elif parent is not None:
            section = parent.section      # unmapped, or an area named inside a container
        elif sibling is not None and not self.levelled and not mapped:
            section = sibling.section     # a flat contents list: the previous top-level heading
        else:
            section = mapped if container_above is None else container_above.section
        if grade is None and (container_above is None or mapped in CONTAINERS):
            grade = self.grade_lookup(text, self.group, section)
        if grade is None and parent is not None and rank > parent.level and section == parent.section \
                and not parent.container:
            grade = parent.grade          # a subheading sits inside its parent's judgement
        self.stack.append(_Frame(text, rank, section, grade))

    def grade_line(self, grade: str, area: Optional[str] = None, text: Optional[str] = None) -> None:
        """A grade printed under a heading, or a statement naming its own area."""
        top = self.stack[-1] if self.stack else None
        if area is None or (top is not None and section_for(area) == top.section
                            and not top.container):
            if top is not None:
                top.grade = grade
            return
        self.heading(text or area, grade=grade)

    def paragraph(self, numbered: bool) -> tuple[Optional[str], Optional[str], Optional[str]]:
        if numbered and self.stack and self.stack[-1].box:
            self.stack.pop()              # the judgement's numbered paragraphs follow its summary
        return self.current
