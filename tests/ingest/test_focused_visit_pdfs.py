"""Focused visits as published (../shared/ofsted-pdfs): the findings of a visit are in the section
of the area its letter says it looked at; a 2021 visit on the pandemic, which looked at
everything, keeps them in no section."""
import pytest

from indexer.ingest.pipeline import parse_file
from tests.paths import SHARED

PDFS = SHARED / "ofsted-pdfs"
VISITS = "focused-visits/{}/children's services focused visit - {}.pdf"

pytestmark = pytest.mark.shared("ofsted-pdfs")


def findings(urn_name: str, date: str):
    report = parse_file(PDFS / VISITS.format(urn_name, date), PDFS)
    assert report.report_type == "Focused visit"
    return report, [p for p in report.paragraphs
                    if (p.heading or "").lower() in ("findings", "main findings")]


@pytest.mark.parametrize("urn_name, date, section, opening", [
    ("80476_kent", "08 february 2019", "Help and protection",
     "The front door is a high-volume but efficiently run service."),
    ("80428_bedford", "18 december 2019", "Children in care", None),
])
def test_the_findings_are_in_the_section_of_the_visits_focus(urn_name, date, section, opening):
    report, found = findings(urn_name, date)
    assert len(found) >= 8 and {p.section for p in found} == {section}
    if opening:
        assert found[0].text.startswith(opening)
    # the letter's opening and its "what needs to improve" keep their own sections
    assert report.paragraphs[0].section == "Summary"
    assert all(p.section != section for p in report.paragraphs
               if p.heading and p.heading.lower().startswith("what needs to improve"))


def test_a_pandemic_visit_names_no_area():
    _, found = findings("80550_sefton", "10 may 2021")
    assert found and {p.section for p in found} == {None}
