"""Sections and grades of the single inspection (SIF, 2013-18) as published in PDF, on real
reports (../shared/ofsted-pdfs). The PDFs print each judgement's title in a one-row "Key judgement
| Judgement grade" table and its findings under a "Summary" box heading; read as headings of no
level, every finding of the report had been filed under Summary, ungraded."""
import pytest

from indexer.ingest.pipeline import parse_file
from tests.paths import SHARED

PDFS = SHARED / "ofsted-pdfs"
SANDWELL = "inspections/80549_sandwell/children's services inspection - 05 june 2015.pdf"
BARNSLEY = "inspections/80426_barnsley/children's services inspection - 08 august 2014.pdf"

pytestmark = pytest.mark.shared("ofsted-pdfs")


def numbered(name):
    report = parse_file(PDFS / name, PDFS)
    return report, {p.para_number: p for p in report.paragraphs if p.para_number}


def test_each_judgement_chapter_has_its_section_and_its_grade():
    _, p = numbered(SANDWELL)
    assert (p["33"].section, p["33"].grade) == ("Help and protection", "Inadequate")
    assert p["33"].heading == ("The experiences and progress of children who need help and "
                               "protection")
    assert p["33"].text.startswith("Although there are well-established arrangements")
    assert (p["70"].section, p["70"].grade) == ("Children in care", "Requires improvement")
    assert (p["102"].section, p["102"].grade) == ("Adoption", "Requires improvement")
    assert (p["117"].section, p["117"].grade) == ("Care leavers", "Requires improvement")
    assert (p["129"].section, p["129"].grade) == ("Leadership and management", "Inadequate")
    assert (p["162"].section, p["162"].grade) == ("Safeguarding board (LSCB)", "Inadequate")


def test_a_judgements_summary_box_carries_its_grade_and_the_context_stays_context():
    report, _ = numbered(SANDWELL)
    box = next(p for p in report.paragraphs
               if p.text.startswith("The local authority has not ensured that cases of high"))
    assert (box.heading, box.section, box.grade) == ("Summary", "Summary", "Inadequate")
    context = next(p for p in report.paragraphs if p.text.startswith("As at 31 January 2015, 538"))
    assert (context.section, context.grade) == ("Local context", None)
    retold = [p for p in report.paragraphs if p.section == "Summary for children and young people"]
    assert len(retold) == 13 and all(p.grade is None for p in retold)
    verdict = report.paragraphs[0]
    assert verdict.text.startswith("There are widespread and serious failures")
    assert verdict.section == "Summary"


def test_the_lscb_review_after_the_judgements_explained_is_the_lscbs():
    """Barnsley's PDF puts "Section 2: The effectiveness of the Local Safeguarding Children
    Board" after "What the inspection judgements mean": the review is not about the inspection."""
    _, p = numbered(BARNSLEY)
    assert (p["52"].section, p["52"].grade) == ("Help and protection", "Requires improvement")
    assert (p["114"].section, p["114"].grade) == ("Care leavers", "Good")
    assert (p["142"].section, p["142"].grade) == ("Safeguarding board (LSCB)",
                                                  "Requires improvement")
    assert p["135"].section == "What needs to improve"
