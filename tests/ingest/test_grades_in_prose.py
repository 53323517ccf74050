"""Grades stated in prose rather than printed with a heading, and grade rows the converters drew
oddly: on the seeds' text and the real PDFs."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.grades import normalise_grade
from indexer.ingest.pipeline import parse_file
from indexer.judgements import judgement_row
from tests.seeds import HALTON_JAR_2008, ST_HELENS_2012, numbered, report

PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "ofsted-pdfs"
needs_pdfs = [pytest.mark.shared,
              pytest.mark.skipif(not PDFS.is_dir(), reason="../shared/ofsted-pdfs is not present")]


def test_a_jar_additional_investigation_takes_the_grade_its_first_sentence_states():
    paras = numbered(HALTON_JAR_2008)
    # "57. The impact of the partners' strategy on ... obesity rates is adequate."
    assert {paras[str(n)].grade for n in range(57, 72)} == {"Adequate"}
    # "72. The impact of integrated youth support provision ... is good."
    assert {paras[str(n)].grade for n in range(72, 83)} == {"Good"}
    # The investigation's strengths and weaknesses table belongs to it too.
    cells = [p for p in report(HALTON_JAR_2008).paragraphs if p.heading == "Major strengths"
             and p.position > paras["57"].position and p.position < paras["58"].position]
    assert cells and {p.grade for p in cells} == {"Adequate"}
    # Graded parts keep their own grade; ungraded ones stay ungraded.
    assert paras["16"].grade == "Outstanding" and paras["83"].grade == "Outstanding"
    assert paras["56"].grade == "Good"


def test_an_area_whose_record_row_is_blank_takes_the_grade_its_paragraph_states():
    r = report(ST_HELENS_2012)
    safeguarding_lm = [p for p in r.paragraphs if p.heading == "Leadership and management"
                       and p.section == "Leadership and management"]
    # "Leadership and management are good." opens the safeguarding part's run of nine.
    assert len(safeguarding_lm) == 14 and {p.grade for p in safeguarding_lm} == {"Good"}
    assert numbered(ST_HELENS_2012)["130"].grade == "Good"


def test_a_sentence_about_something_else_grades_nothing():
    r = report(ST_HELENS_2012)
    assert all(p.grade is None for p in r.paragraphs if p.section in
               ("Local context", "About the inspection", "What needs to improve"))
    jar = report(HALTON_JAR_2008)
    # "Outcomes for children and young people in Halton are good overall." is no heading.
    assert all(p.grade is None for p in jar.paragraphs if p.heading and
               p.heading.startswith("SUMMARY OF JOINT AREA REVIEW"))


def test_a_grade_cell_written_word_then_number_is_read():
    assert normalise_grade("Inadequate Grade 4") == "Inadequate"
    assert normalise_grade("Adequate Grade 3") == "Adequate"
    assert normalise_grade("the grade 2") is None


@pytest.mark.parametrize("folder, name, expected", [
    ("80522_medway", "children's services inspection,  pdf - 23 august 2013.pdf",
     {"children_in_care": "Inadequate", "capacity_to_improve": "Adequate",
      "leadership_and_management": "Inadequate"}),
    ("80447_cheshire east", "children's services inspection - 15 september 2015.pdf",
     {"overall_effectiveness": "Requires improvement", "adoption": "Good",
      "care_leavers": "Requires improvement", "lscb": "Requires improvement"}),
    ("80537_peterborough", "children's services inspection - 18 september 2015.pdf",
     {"overall_effectiveness": "Requires improvement", "help_and_protection":
      "Requires improvement", "adoption": "Good", "lscb": "Good"}),
], ids=["medway-2013", "cheshire-east-2015", "peterborough-2015"])
@needs_pdfs[0]
@needs_pdfs[1]
def test_every_graded_inspection_yields_its_judgements(folder, name, expected):
    r = parse_file(PDFS / "inspections" / folder / name, PDFS)
    row = judgement_row(r.summary())
    assert {k: row[k] for k in expected} == expected
    assert r.urn == folder.split("_")[0]
