"""What kind of text each paragraph is (indexer/ingest/shape.py), on the seeds' own paragraphs
and on lines as the real PDFs print them."""
import pytest

from indexer.ingest.shape import paragraph_shape
from tests.seeds import CALDERDALE_2015, HALTON_2015, HALTON_JAR_2008, SEEDS, ST_HELENS_2012, report


def by_text(name: str, start: str):
    return next(p for p in report(name).paragraphs if p.text.startswith(start))


def test_context_data_of_the_seeds_is_context():
    # "Local context" lists: counts of children, not findings
    assert by_text(HALTON_2015, "3 children are unaccompanied").shape == "context"
    assert by_text(CALDERDALE_2015, "one child is an unaccompanied").shape == "context"
    assert all(p.shape == "context" for name in SEEDS for p in report(name).paragraphs
               if p.section == "Local context" and p.kind != "footnote")


def test_findings_of_the_seeds_are_narrative_and_headline_points_items():
    finding = by_text(ST_HELENS_2012, "Good partnership working between the children with")
    assert finding.shape == "narrative"
    strength = by_text(HALTON_JAR_2008, "Very good quality assurance of care planning.")
    assert strength.kind == "bullet" and strength.shape == "item"
    footnotes = [p for name in SEEDS for p in report(name).paragraphs if p.kind == "footnote"]
    assert footnotes and all(p.shape == "footnote" for p in footnotes)


@pytest.mark.parametrize("text, section, heading, shape", [
    # counts and label-value lines wherever a report puts them
    ("\uf02d 22 are unaccompanied asylum-seeking children (UASC).", "Children in care",
     "Children looked after in this area", "context"),
    ("there have been 81 adoptions", "Children in care", None, "context"),
    ("none are unaccompanied asylum-seeking children.", None, None, "context"),
    ("The practice framework used in this area: Signs of Safety.", None, None, "context"),
    ("Overall effectiveness: inadequate", None, "Previous Ofsted inspections", "context"),
    # a printed paragraph number glued to its text is not a count
    ("20.Children who live in private fostering arrangements benefit from a timely service.",
     "Help and protection", "Inspection findings", "item"),
    ("Placement sufficiency for children in care, and accommodation for care leavers.",
     "What needs to improve", "What needs to improve", "item"),
    ("Most unaccompanied asylum-seeking children who arrive in the area are well supported. "
     "Experienced social workers ensure that their needs are assessed.", "Children in care",
     "The experiences and progress of children in care", "narrative"),
])
def test_lines_as_the_real_reports_print_them(text, section, heading, shape):
    assert paragraph_shape(text, "bullet", section, heading) == shape
